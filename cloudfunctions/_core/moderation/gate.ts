/**
 * The moderation gate every published text and image passes, in order:
 *  1. the local scanner (operator lexicon, personal-data detectors, spam
 *     heuristics) on each field; a local refusal ends here — WeChat never sees it;
 *  2. WeChat's msgSecCheck v2 through the OpenApi port: the fields in one call
 *     when they fit (the usual case), each field on its own only to say which
 *     field WeChat objected to; a text longer than one call takes goes in
 *     overlapping pieces (`chunks`); a failed call holds the content for people;
 *  3. images (cloud:// file ids, or an avatar's https URL) to mediaCheckAsync
 *     v2, holding the content until the verdicts arrive (media.ts); a cloud://
 *     file that already passed for the same target in the decision it shows
 *     now is not sent again — its pass carries over.
 * Before all that, a `cloud://` image must come from the author's own upload
 * folder (uploads.ts); anything else is refused as invalid input.
 * Every decision is stored with its reasons (`moderation_decisions`).
 *
 * Outcomes: refuse → nothing is stored but the decision, the call fails with
 * CONTENT_REFUSED and an issue per offending field; review → pendingReview
 * (author only) and an item in the review queue; images → pendingImages until
 * their verdicts; otherwise published. A card, activity or article that was
 * taken down or hidden after reports goes back to a person whatever the checks
 * say now (unless an appeal overturned the take-down).
 * A message (MESSAGE_KINDS: text, no images, nowhere to be held) is never held:
 * a message to a person is refused on review too, text only staff read is kept
 * with its findings.
 * Domains store the returned ContentModeration as their document's `moderation`;
 * later changes (image verdicts, reviewers) are written there by this module,
 * only while that field still names the same decision (a newer edit wins).
 */
import type { ContentKind, ModerationState } from '../../../shared/content'
import type { ModerationView } from '../../../shared/contract/content'
import { isMessageKind, MODERATION_STATE_LABELS } from '../../../shared/content'
import type { FieldIssue } from '../../../shared/errors'
import { scanText } from '../../../shared/moderation/scan'
import type { AccountContext } from '../context'
import { fail } from '../errors'
import {
  decisions,
  reasonsOf,
  SCENES,
  stateFromFindings,
  strictest,
  wechatLabelName,
  type ContentModeration,
  type DecisionSource,
  type ImageTally,
  type ModerationDecisionDoc,
} from './decisions'
import { currentScanner } from './lexicon-store'
import { recordReusedPasses, reusablePasses, submitImages, type DecisionImage } from './media'
import { followSubmission } from '../review/queue'
import { isOwnUpload } from '../uploads'
import { shownDecision } from './targets'
import type { ModerationRequest } from './request'

export type { ContentModeration, DecisionSource, ModerationDecisionDoc } from './decisions'
export { decisions, SCENES } from './decisions'

export type { ModerationRequest, PublishedRequest } from './request'

/** Kinds a reviewer or reports can take down; an edit of such content goes back to a person. */
const TAKE_DOWN_KINDS: ReadonlySet<ContentKind> = new Set<ContentKind>(['card', 'activity', 'article'])

/** Why an edit is held for a person whatever the checks say, by the state the content showed. */
const HELD_AFTER: Partial<Record<string, string>> = {
  rejected: '此前未通过审核，修改后需人工复审',
  reported: '因被举报暂时隐藏，修改后需人工复审',
}

/** msgSecCheck takes at most 2,500 characters per call. */
export const WECHAT_CHUNK = 2500
/**
 * How much consecutive pieces of a long text share: a term cut in two at the
 * end of one piece is whole at the start of the next, so splitting a text
 * never hides what WeChat would find in it (terms are far shorter than this).
 */
export const WECHAT_CHUNK_OVERLAP = 100

/** The pieces WeChat is asked about: at most WECHAT_CHUNK characters, each starting WECHAT_CHUNK_OVERLAP before the previous one ends. */
function chunks(text: string): string[] {
  const out: string[] = []
  const step = WECHAT_CHUNK - WECHAT_CHUNK_OVERLAP
  for (let start = 0; start < text.length; start += step) {
    out.push(text.slice(start, start + WECHAT_CHUNK))
    if (start + WECHAT_CHUNK >= text.length) break
  }
  return out
}

/** A finding for people, told to the sender of a message nobody will review: what was found, and that it cannot go. */
function unsendable(reason: string): string {
  return `${reason.replace(/，需人工复审.*$/, '')}，留言不能发送`
}

export function viewOfModeration(moderation: ContentModeration): ModerationView {
  return { state: moderation.state, label: MODERATION_STATE_LABELS[moderation.state], reasons: moderation.reasons }
}

/** WeChat's verdict on one text (all its chunks): the first chunk that is not `pass` speaks for it. */
async function wechatCheck(ctx: AccountContext, kind: ContentKind, field: string, text: string): Promise<DecisionSource | null> {
  try {
    for (const content of chunks(text)) {
      const result = await ctx.openApi.msgSecCheck({ openid: ctx.openid, scene: SCENES[kind], content })
      if (result.suggest === 'pass') continue
      const name = wechatLabelName(result.label)
      if (result.suggest === 'risky') return { field, source: 'wechat', verdict: 'refuse', reasons: [`含有「${name}」类违规内容，不能发布`], labels: [result.label] }
      return { field, source: 'wechat', verdict: 'review', reasons: [`可能含有「${name}」类内容，需人工复审`], labels: [result.label] }
    }
    return null
  } catch (error) {
    // Never published unchecked, never refused for WeChat's trouble: people look at it.
    ctx.log.error('msgSecCheck failed; holding for review', { requestId: ctx.requestId, kind, field, error: String(error) })
    return { field, source: 'wechat', verdict: 'review', reasons: ['微信内容安全检查暂时不可用，需人工复审'], labels: [] }
  }
}

/** The fields as one text when they fit one call; WeChat is asked about each field only when that text is not clean. */
async function wechatFindings(ctx: AccountContext, kind: ContentKind, fields: ReadonlyArray<[string, string]>): Promise<DecisionSource[]> {
  const joined = fields.map(([, text]) => text).join('\n')
  if (fields.length > 1 && joined.length <= WECHAT_CHUNK) {
    const whole = await wechatCheck(ctx, kind, '', joined)
    if (!whole) return []
    const each: DecisionSource[] = []
    for (const [field, text] of fields) {
      const found = await wechatCheck(ctx, kind, field, text)
      if (found) each.push(found)
    }
    // Only the fields together were objected to: the finding stands for all of them.
    return each.length > 0 ? each : [whole]
  }
  const found: DecisionSource[] = []
  for (const [field, text] of fields) {
    const source = await wechatCheck(ctx, kind, field, text)
    if (source) found.push(source)
  }
  return found
}

export async function moderate(ctx: AccountContext, request: ModerationRequest): Promise<ContentModeration> {
  const foreign = (request.images ?? []).filter((image) => image.startsWith('cloud://') && !isOwnUpload(image, ctx.account._id))
  if (foreign.length > 0) {
    fail('INVALID_INPUT', '只能使用你自己上传的图片，请重新选择图片', [{ path: 'images', message: '这张图片不是你上传的，请重新选择' }])
  }
  const lexicon = await currentScanner(ctx)
  const sources: DecisionSource[] = []
  const fields = Object.entries(request.texts).filter(([, text]) => text.trim().length > 0)

  for (const [field, text] of fields) {
    const scan = scanText(text, lexicon.scanner)
    if (scan.verdict !== 'pass') {
      const labels: string[] = [...new Set(scan.hits.map((h) => h.category))]
      if (scan.personalData.length > 0) labels.push('personalData')
      if (scan.spam.score >= scan.spam.threshold) labels.push('spam')
      const matches = scan.hits.map(({ term, written, reads, bySound }) => ({ term, written, reads, bySound }))
      sources.push({ field, source: 'local', verdict: scan.verdict, reasons: scan.reasons, labels, ...(matches.length > 0 ? { matches } : {}) })
    }
  }
  // A local refusal need not go to WeChat at all.
  if (!sources.some((s) => s.verdict === 'refuse') && fields.length > 0) sources.push(...(await wechatFindings(ctx, request.kind, fields)))
  // What the content shows now: its image passes carry over, and a take-down or a hide sends the edit to a person.
  const shown = isMessageKind(request.kind) ? null : await shownDecision(ctx, request.kind, request.targetId)
  const heldAfter = TAKE_DOWN_KINDS.has(request.kind) && shown && !request.afterAppeal ? HELD_AFTER[shown.moderation.state] : undefined
  if (heldAfter) sources.push({ field: '', source: 'local', verdict: 'review', reasons: [heldAfter], labels: [] })

  const verdict = strictest(sources.map((s) => s.verdict))
  // Refused text is not stored, so its images are not checked.
  const images: DecisionImage[] = (verdict === 'refuse' ? [] : [...new Set(request.images ?? [])]).map((fileId, index) => ({ index, fileId }))
  // Unchanged images of an edit keep the pass they have.
  const passes = await reusablePasses(ctx, shown?.decision ?? null, request.kind, request.targetId, images.map((i) => i.fileId))
  const reused = images.flatMap((image) => {
    const from = passes.get(image.fileId)
    return from ? [{ ...image, from }] : []
  })
  const toSend = images.filter((image) => !passes.has(image.fileId))
  const tally: ImageTally = { total: images.length, pending: toSend.length, passed: reused.length, review: 0, risky: 0 }
  const state = stateFromFindings({ kind: request.kind, verdict, images: tally })
  const doc: Omit<ModerationDecisionDoc, '_id'> = {
    kind: request.kind,
    targetId: request.targetId,
    authorOpenid: ctx.openid,
    verdict,
    state,
    sources,
    reasons: reasonsOf(sources),
    images: tally,
    lexiconVersion: lexicon.version,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    settledAt: toSend.length > 0 ? null : ctx.now,
    // The domain writes this first state itself, from what moderate() returns.
    targetSyncedAt: ctx.now,
  }
  const decisionId = await decisions(ctx.db).add(doc)

  if (state === 'refused') {
    // The findings as strict as the verdict: refusals, or (for a message, refused on review) the findings for people.
    const issues: FieldIssue[] = sources
      .filter((s) => s.verdict === verdict)
      .map((s) => {
        const reason = s.reasons[0] ?? '内容未通过安全审核'
        return { path: s.field, message: s.verdict === 'review' ? unsendable(reason) : reason }
      })
    fail('CONTENT_REFUSED', `内容未通过安全审核：${issues.map((i) => i.message).join('；')}`, issues)
  }
  if (reused.length > 0) await recordReusedPasses(ctx, { ...doc, _id: decisionId }, reused)
  let after: ModerationDecisionDoc = { ...doc, _id: decisionId }
  if (toSend.length > 0) after = await submitImages(ctx, after, toSend)
  if (!isMessageKind(request.kind)) await followSubmission(ctx, after, shown !== null)
  // Refused text ended above; images never make a decision refused.
  const final: ModerationState = after.state === 'refused' ? state : after.state
  return { state: final, decisionId, reasons: after.reasons, decidedAt: ctx.now }
}

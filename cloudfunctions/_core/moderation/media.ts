/**
 * Images: each one goes to WeChat's mediaCheckAsync v2 and is recorded in
 * `moderation_media_checks` under its trace id; the content waits
 * (pendingImages) until the verdicts arrive. A cloud:// file goes as a
 * temporary URL; an https image (an avatar's URL) goes as it is.
 *
 * An edit does not send again a cloud:// file that already passed for the same
 * target in the decision the target shows now (`reusablePasses`): that pass is
 * recorded for the new decision too (via `reuse`), so the next edit finds it.
 *
 * Verdicts arrive as the `wxa_media_check` message push — in production WeChat
 * pushes it to the moderation function (configured for message push in the
 * CloudBase console), whose dispatcher route validates it and refuses it when
 * a caller is present (a mini-program call always has one). Locally the sandbox
 * has no push: the moderation function's `sweep` timer builds the
 * same push from the sandbox's verdict (decided by the file id) and delivers it
 * through the same handler. The sweep also turns verdicts that never came
 * (MEDIA_VERDICT_TIMEOUT_MS) into reviews and retries target updates.
 */
import * as z from 'zod/mini'
import type { ContentKind } from '../../../shared/content'
import type { AccountContext, Context } from '../context'
import { PAGE_MAX, type Doc, type Patch, type Store } from '../db'
import { pushRoute } from '../define'
import { walk } from '../paging'
import { sandboxMediaVerdict, type MediaVerdict } from '../ports/openapi'
import { decisions, decisionState, reasonsOf, SCENES, wechatLabelName, type DecisionSource, type ModerationDecisionDoc } from './decisions'
import { syncTarget } from './targets'
import { COLLECTIONS } from '../collections'

/** One image sent for checking; `_id` is WeChat's trace id, which the verdict push names. */
export interface MediaCheckDoc extends Doc {
  decisionId: string
  kind: ContentKind
  targetId: string
  authorOpenid: string
  fileId: string
  /** Position among the decision's images, from 0. */
  index: number
  status: 'pending' | MediaVerdict
  /** WeChat's label of the verdict; 0 when the sweep gave up waiting. */
  label: number | null
  /** `reuse`: the pass of the same file in the target's previous decision, not sent again. */
  via: 'push' | 'timeout' | 'reuse' | null
  /** For `reuse`: the check (trace id) whose pass this is. */
  reusedFrom?: string
  createdAt: Date
  settledAt: Date | null
}

/** One image of a decision, by its position among the decision's images. */
export interface DecisionImage {
  index: number
  fileId: string
}

export function mediaChecks(db: Store) {
  return db.collection<MediaCheckDoc>(COLLECTIONS.moderationMediaChecks)
}

/** WeChat answers within 30 minutes; after an hour a person looks at the image instead. */
export const MEDIA_VERDICT_TIMEOUT_MS = 60 * 60 * 1000
/** A decision whose target never appeared (the domain's write failed) stops being retried after a day. */
export const TARGET_SYNC_GIVE_UP_MS = 24 * 3600 * 1000

function imageSource(kind: ContentKind, index: number, verdict: MediaVerdict | 'unsent', label: number, via: 'push' | 'timeout' | 'submit'): DecisionSource {
  // An avatar is the decision's only image, and was never shown to others.
  const nth = kind === 'avatar' ? '新头像' : `第 ${index + 1} 张图片`
  const hidden = kind === 'avatar' ? '不会展示给他人' : '已对他人隐藏'
  const field = `images.${index}`
  if (verdict === 'risky') return { field, source: 'image', verdict: 'refuse', reasons: [`${nth}含有「${wechatLabelName(label)}」类违规内容，${hidden}`], labels: [label] }
  if (via === 'timeout') return { field, source: 'image', verdict: 'review', reasons: [`${nth}的安全检查超时未返回结果，需人工复审`], labels: [] }
  if (via === 'submit') return { field, source: 'image', verdict: 'review', reasons: [`${nth}暂时无法送检，需人工复审`], labels: [] }
  return { field, source: 'image', verdict: verdict === 'pass' ? 'pass' : 'review', reasons: [`${nth}可能含有「${wechatLabelName(label)}」类内容，需人工复审`], labels: [label] }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}

/**
 * Brings the decision's state and reasons up to its findings. The write is
 * conditional on the counts read, so of two verdicts settling at once the one
 * that saw both writes the state; `sync` then writes it onto the target.
 */
export async function recompute(ctx: Context, decisionId: string, options: { sync: boolean }): Promise<ModerationDecisionDoc | null> {
  const all = decisions(ctx.db)
  const d = await all.byId(decisionId)
  if (!d) return null
  const state = d.state === 'refused' ? 'refused' : decisionState(d)
  const reasons = reasonsOf(d.sources, d.ruling ?? null)
  const settles = d.images.pending === 0 && d.settledAt === null
  const changed = state !== d.state || !sameList(reasons, d.reasons)
  if (!changed && !settles) return d
  const patch: Patch = { state, reasons: ctx.db.cmd.set(reasons), updatedAt: ctx.now }
  if (settles) patch.settledAt = ctx.now
  if (changed && options.sync) patch.targetSyncedAt = null
  const written = await all.updateWhere(
    {
      _id: d._id,
      state: d.state,
      'images.pending': d.images.pending,
      'images.passed': d.images.passed,
      'images.review': d.images.review,
      'images.risky': d.images.risky,
    },
    patch,
  )
  if (written === 0) return null
  const after: ModerationDecisionDoc = {
    ...d,
    state,
    reasons,
    updatedAt: ctx.now,
    settledAt: settles ? ctx.now : d.settledAt,
    targetSyncedAt: changed && options.sync ? null : d.targetSyncedAt,
  }
  if (changed && options.sync) await syncTarget(ctx, after)
  return after
}

/**
 * The passes the target's current decision (`current`, targets.ts shownDecision) holds for these images: only
 * `pass` verdicts (WeChat's, or reused from one), only for the identical
 * cloud:// file id, only of a decision about the same target by the same
 * author. An https image is always checked again: what its URL serves may change.
 */
export async function reusablePasses(
  ctx: AccountContext,
  current: ModerationDecisionDoc | null,
  kind: ContentKind,
  targetId: string,
  images: readonly string[],
): Promise<Map<string, MediaCheckDoc>> {
  const found = new Map<string, MediaCheckDoc>()
  const files = images.filter((image) => image.startsWith('cloud://'))
  if (files.length === 0 || !current) return found
  if (current.kind !== kind || current.targetId !== targetId || current.authorOpenid !== ctx.openid) return found
  const decisionId = current._id
  // More images than a page (none of the domains allows that many) are simply checked again.
  const passed = await mediaChecks(ctx.db).find({ decisionId, status: 'pass', fileId: ctx.db.cmd.in(files) }, { limit: Math.min(files.length, PAGE_MAX) })
  for (const check of passed) {
    if (check.kind === kind && check.targetId === targetId && check.authorOpenid === ctx.openid && (check.via === 'push' || check.via === 'reuse')) found.set(check.fileId, check)
  }
  return found
}

/** Records the reused passes under the new decision (settled at once; nothing is sent). */
export async function recordReusedPasses(ctx: Context, decision: ModerationDecisionDoc, reused: ReadonlyArray<DecisionImage & { from: MediaCheckDoc }>): Promise<void> {
  for (const { index, fileId, from } of reused) {
    await mediaChecks(ctx.db).add({
      _id: `reuse-${decision._id}-${index}`,
      decisionId: decision._id,
      kind: decision.kind,
      targetId: decision.targetId,
      authorOpenid: decision.authorOpenid,
      fileId,
      index,
      status: 'pass',
      label: from.label,
      via: 'reuse',
      reusedFrom: from.reusedFrom ?? from._id,
      createdAt: ctx.now,
      settledAt: ctx.now,
    })
  }
}

/** A URL WeChat can download: a cloud:// file through a temporary URL, an https image as it is. */
async function mediaUrlOf(ctx: AccountContext, image: string): Promise<string> {
  return image.startsWith('cloud://') ? ctx.openApi.tempFileUrl(image) : image
}

/**
 * Sends the decision's images for checking. An image that cannot be sent
 * (no URL, WeChat refused the request) is held for people, never passed.
 * Returns the decision as it stands afterwards.
 */
export async function submitImages(ctx: AccountContext, decision: ModerationDecisionDoc, images: readonly DecisionImage[]): Promise<ModerationDecisionDoc> {
  const unsent: DecisionSource[] = []
  for (const { index, fileId } of images) {
    try {
      const mediaUrl = await mediaUrlOf(ctx, fileId)
      const { traceId } = await ctx.openApi.mediaCheckAsync({ openid: decision.authorOpenid, scene: SCENES[decision.kind], mediaUrl, mediaType: 2 })
      await mediaChecks(ctx.db).add({
        _id: traceId,
        decisionId: decision._id,
        kind: decision.kind,
        targetId: decision.targetId,
        authorOpenid: decision.authorOpenid,
        fileId,
        index,
        status: 'pending',
        label: null,
        via: null,
        createdAt: ctx.now,
        settledAt: null,
      })
    } catch (error) {
      ctx.log.error('image not sent for checking; holding for review', { requestId: ctx.requestId, decisionId: decision._id, index, error: String(error) })
      unsent.push(imageSource(decision.kind, index, 'unsent', 0, 'submit'))
    }
  }
  if (unsent.length === 0) return decision
  const _ = ctx.db.cmd
  await decisions(ctx.db).update(decision._id, {
    'images.pending': _.inc(-unsent.length),
    'images.review': _.inc(unsent.length),
    sources: _.push(unsent),
    updatedAt: ctx.now,
  })
  // The domain writes what moderate() returns: nothing to sync yet.
  return (await recompute(ctx, decision._id, { sync: false })) ?? decision
}

export type SettleOutcome = 'settled' | 'duplicate' | 'unknown'

/** Records one image's verdict (once: WeChat may push again) and updates its decision and target. */
export async function settleMediaCheck(
  ctx: Context,
  traceId: string,
  verdict: MediaVerdict,
  label: number,
  via: 'push' | 'timeout',
): Promise<SettleOutcome> {
  const checks = mediaChecks(ctx.db)
  const check = await checks.byId(traceId)
  if (!check) {
    // Another environment's image, or a check whose author's data was erased meanwhile.
    ctx.log.info('image verdict for an unknown trace id ignored', { requestId: ctx.requestId, traceId })
    return 'unknown'
  }
  const first = await checks.updateWhere({ _id: traceId, status: 'pending' }, { status: verdict, label, via, settledAt: ctx.now })
  if (first === 0) return 'duplicate'
  const _ = ctx.db.cmd
  const counter = verdict === 'pass' ? 'images.passed' : verdict === 'review' ? 'images.review' : 'images.risky'
  const patch: Patch = { 'images.pending': _.inc(-1), [counter]: _.inc(1), updatedAt: ctx.now }
  if (verdict !== 'pass' || via === 'timeout') patch.sources = _.push([imageSource(check.kind, check.index, verdict, label, via)])
  await decisions(ctx.db).update(check.decisionId, patch)
  await recompute(ctx, check.decisionId, { sync: true })
  return 'settled'
}

/** The `wxa_media_check` push (mediaCheckAsync v2) as WeChat sends it; fields we do not use are let through. */
export const mediaCheckPushSchema = z.object({
  ToUserName: z.optional(z.string()),
  FromUserName: z.optional(z.string()),
  CreateTime: z.optional(z.number()),
  MsgType: z.literal('event'),
  Event: z.literal('wxa_media_check'),
  appid: z.optional(z.string()),
  trace_id: z.string().check(z.minLength(1), z.maxLength(128)),
  version: z.optional(z.union([z.number(), z.string()])),
  result: z.object({
    suggest: z.string().check(z.maxLength(32)),
    // Documented as a number; seen as a string ("100") in real pushes.
    label: z.union([z.number(), z.string().check(z.maxLength(32))]),
  }),
  detail: z.optional(z.array(z.unknown())),
})
export type MediaCheckPush = z.infer<typeof mediaCheckPushSchema>

function verdictOf(suggest: string): MediaVerdict {
  // An answer we do not understand goes to people, never straight to publication.
  return suggest === 'pass' || suggest === 'risky' ? suggest : 'review'
}

function labelOf(label: number | string): number {
  const value = Number(label)
  return Number.isInteger(value) ? value : 21000
}

async function onMediaCheckPush(event: MediaCheckPush, ctx: Context): Promise<void> {
  await settleMediaCheck(ctx, event.trace_id, verdictOf(event.result.suggest), labelOf(event.result.label), 'push')
}

/** The moderation function's route for WeChat's image verdicts. */
export const mediaCheckPush = pushRoute(mediaCheckPushSchema, onMediaCheckPush)

/** The push WeChat would send for a verdict: what the sandbox delivers. */
export function sandboxMediaPush(traceId: string, verdict: { suggest: MediaVerdict; label: number }, at: Date): MediaCheckPush {
  return {
    ToUserName: 'gh_sandbox',
    FromUserName: 'sandbox-push',
    CreateTime: Math.floor(at.getTime() / 1000),
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid: 'sandbox',
    trace_id: traceId,
    version: 2,
    result: { suggest: verdict.suggest, label: verdict.label },
    detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 }],
  }
}

export interface SweepReport {
  delivered: number
  timedOut: number
  synced: number
}

/**
 * The `sweep` timer: in the sandbox, delivers the verdict of every
 * image waiting for one; everywhere, gives up waiting after
 * MEDIA_VERDICT_TIMEOUT_MS (the image goes to review) and writes decisions
 * onto targets that were not there yet when their state changed.
 */
export async function sweepMediaChecks(ctx: Context): Promise<SweepReport> {
  const report: SweepReport = { delivered: 0, timedOut: 0, synced: 0 }
  const checks = mediaChecks(ctx.db)
  const onError = (doc: Doc, error: unknown): void => ctx.log.error('media sweep step failed', { requestId: ctx.requestId, id: doc._id, error: String(error) })
  if (ctx.openApi.provider === 'sandbox') {
    await walk(ctx.db, checks, { status: 'pending' }, 'createdAt', async (check) => {
      const push = mediaCheckPushSchema.parse(sandboxMediaPush(check._id, sandboxMediaVerdict(check.fileId), ctx.now))
      await onMediaCheckPush(push, ctx)
      report.delivered++
    }, { onError })
  }
  const overdue = new Date(ctx.now.getTime() - MEDIA_VERDICT_TIMEOUT_MS)
  await walk(ctx.db, checks, { status: 'pending', createdAt: ctx.db.cmd.lt(overdue) }, 'createdAt', async (check) => {
    if ((await settleMediaCheck(ctx, check._id, 'review', 0, 'timeout')) === 'settled') report.timedOut++
  }, { onError })
  const giveUp = ctx.now.getTime() - TARGET_SYNC_GIVE_UP_MS
  await walk(ctx.db, decisions(ctx.db), { targetSyncedAt: null }, 'updatedAt', async (decision) => {
    if (decision.createdAt.getTime() < giveUp) {
      ctx.log.error('moderation decision never reached its target; giving up', { requestId: ctx.requestId, decisionId: decision._id, kind: decision.kind })
      await decisions(ctx.db).update(decision._id, { targetSyncedAt: ctx.now })
      return
    }
    const outcome = await syncTarget(ctx, decision)
    if (outcome === 'applied' || outcome === 'stale') report.synced++
  }, { onError })
  return report
}

/**
 * Reports (举报). One per person per target while it is open: reporting again
 * changes the category or comment and the weight it counts for. Each report
 * adds its weight to the target's queue item; once the item's score reaches
 * the threshold, public content is hidden from others until a reviewer
 * rules — unless staff wrote it, or a reviewer approved it since its last
 * edit (then reviewers look at the reports, and the content stays up).
 */
import { REPORT_TARGET_LABELS, reporterWeight, type ReportCategory, type ReportTargetKind } from '../../../shared/review'
import { findAccount } from '../accounts'
import type { AccountContext, Context } from '../context'
import { fail, isDuplicateKey } from '../errors'
import { orderedId } from '../ids'
import { notify } from '../inbox'
import { moderate } from '../moderation/gate'
import { decisions } from '../moderation/decisions'
import { holdForReports } from '../moderation/rulings'
import { takeDailyAllowance } from '../rate-limit'
import { isStaff } from '../staff'
import { openReviewable } from './queue'
import { reports, type ReportDoc, type ReviewableDoc } from './store'
import { targetFacts, type TargetFacts } from './targets'

export interface ReportInput {
  kind: ReportTargetKind
  targetId: string
  about?: 'content' | 'author' | undefined
  category: ReportCategory
  comment?: string | undefined
}

/** What the report is about: the content, or (about the author) the author's profile, as `account`. */
async function resolveTarget(ctx: AccountContext, input: ReportInput): Promise<{ kind: ReportTargetKind; targetId: string; facts: TargetFacts }> {
  const missing = (): never => fail('NOT_FOUND', '要举报的内容不存在或已被删除')
  let kind: ReportTargetKind = input.kind
  let targetId = input.targetId
  let facts = await targetFacts(ctx, kind, targetId)
  if (!facts) return missing()
  if (input.about === 'author' && kind !== 'account') {
    const author = await findAccount(ctx.db, facts.subject)
    if (!author || author.state === 'deleted') return missing()
    kind = 'account'
    targetId = author._id
    facts = await targetFacts(ctx, kind, targetId)
    if (!facts) return missing()
  }
  // What nobody else could see cannot have been seen to be reported.
  if (!facts.public && facts.subject !== ctx.openid) return missing()
  if (facts.subject === ctx.openid) fail('FORBIDDEN', kind === 'account' ? '不能举报自己' : '不能举报自己发布的内容')
  return { kind, targetId, facts }
}

/** The comment passes the gate as text for staff: refused only when it must be; otherwise kept, with what was found in it. */
async function checkedComment(ctx: AccountContext, targetKey: string, comment: string): Promise<string[]> {
  if (comment.length === 0) return []
  const moderation = await moderate(ctx, { kind: 'reportComment', targetId: targetKey, texts: { comment } })
  return moderation.reasons
}

async function weightOf(ctx: AccountContext): Promise<number> {
  const [upheld, rejected] = await Promise.all([
    reports(ctx.db).count({ reporterOpenid: ctx.openid, outcome: 'upheld' }),
    reports(ctx.db).count({ reporterOpenid: ctx.openid, outcome: 'rejected' }),
  ])
  return reporterWeight({ verified: ctx.account.verifiedAt !== null, upheld, rejected })
}

/**
 * Hides the item's content from others when its score reached the threshold:
 * public content only, never staff's, never what a reviewer approved since its
 * last edit (holdForReports refuses a ruled decision). The author is told.
 */
async function hideIfDue(ctx: Context, item: ReviewableDoc, facts: TargetFacts): Promise<boolean> {
  if (item.score < ctx.config.review.hideThreshold || !facts.public || !facts.moderation) return false
  if (item.kind !== 'card' && item.kind !== 'activity' && item.kind !== 'article') return false
  const author = await findAccount(ctx.db, facts.subject)
  if (!author || isStaff(author)) return false
  const decision = await decisions(ctx.db).byId(facts.moderation.decisionId)
  if (!decision || decision.state !== 'published') return false
  if (!(await holdForReports(ctx, decision._id, item._id))) return false
  const what = REPORT_TARGET_LABELS[item.kind]
  await notify(ctx, {
    recipient: facts.subject,
    type: 'moderationDecision',
    title: `你的${what}因被举报暂时隐藏`,
    body: `你发布的${what}被多位用户举报，已暂时对他人隐藏，等待工作人员审核。审核通过后会自动恢复显示；你也可以修改后重新提交审核。`,
    link: null,
    dedupeKey: `report-hold:${decision._id}`,
  })
  return true
}

export interface FiledReport {
  report: ReportDoc
  updated: boolean
  hidden: boolean
}

export async function fileReport(ctx: AccountContext, input: ReportInput): Promise<FiledReport> {
  await takeDailyAllowance(ctx, 'report')
  const { kind, targetId, facts } = await resolveTarget(ctx, input)
  const comment = input.comment ?? ''
  const commentFlags = await checkedComment(ctx, `${kind}:${targetId}`, comment)
  const weight = await weightOf(ctx)
  const openKey = `${ctx.openid}:${kind}:${targetId}`
  const opening = { kind, targetId, subject: facts.subject, source: 'report' as const, categories: [input.category], moderationDecisionId: facts.moderation?.decisionId ?? null }

  for (let round = 0; round < 3; round++) {
    const existing = await reports(ctx.db).findOne({ openKey })
    if (existing) {
      // A second report on the same target is a change of the first: its weight counts once.
      const patch = { category: input.category, comment, commentFlags: ctx.db.cmd.set(commentFlags), weight, updatedAt: ctx.now }
      const same = existing.category === input.category && existing.comment === comment && existing.weight === weight && existing.commentFlags.join() === commentFlags.join()
      // The store counts only documents an update changed: a report repeated as it was needs no write.
      if (!same && (await reports(ctx.db).updateWhere({ _id: existing._id, outcome: 'open' }, patch)) === 0) continue
      const item = await openReviewable(ctx, { ...opening, scoreDelta: weight - existing.weight })
      const hidden = await hideIfDue(ctx, item, facts)
      return { report: { ...existing, category: input.category, comment, commentFlags, weight, updatedAt: ctx.now }, updated: true, hidden }
    }
    const item = await openReviewable(ctx, opening)
    const doc: ReportDoc = {
      _id: orderedId(ctx.now),
      reporterOpenid: ctx.openid,
      targetKind: kind,
      targetId,
      subject: facts.subject,
      category: input.category,
      comment,
      commentFlags,
      weight,
      reviewableId: item._id,
      openKey,
      outcome: 'open',
      createdAt: ctx.now,
      updatedAt: ctx.now,
      resolvedAt: null,
    }
    try {
      await reports(ctx.db).add(doc)
    } catch (error) {
      if (isDuplicateKey(error)) continue // the same person's report landed meanwhile: update it instead
      throw error
    }
    // Counted once the report is stored: a report that failed never weighs.
    const counted = await openReviewable(ctx, { ...opening, scoreDelta: weight, newReport: true })
    const hidden = await hideIfDue(ctx, counted, facts)
    return { report: doc, updated: false, hidden }
  }
  fail('CONFLICT')
}

/**
 * `moderation.item`: everything a reviewer needs to decide one item — the
 * content exactly as it would be published, what the automated checks found,
 * its submissions and decisions, the reports (reporters pseudonymous), the
 * person's state, strikes and past decisions, and the ladder's suggestion.
 * A view of a person's data: the dispatcher audits it with the reason given,
 * and the person sees it in their access log.
 */
import { ACCOUNT_STATE_LABELS, CORRECTION_FIELD_LABELS } from '../../../shared/account'
import { MODERATION_STATE_LABELS } from '../../../shared/content'
import { DECISION_STATE_LABELS } from '../../../shared/content'
import { type ItemView } from '../../../shared/contract/moderation'
import { DECISION_OUTCOME_LABELS, isContentReviewKind, OUTCOMES_BY_KIND, REPORT_CATEGORY_LABELS } from '../../../shared/review'
import { accounts, findAccount, stateOf } from '../accounts'
import { noteAudit } from '../audit'
import type { AccountContext } from '../context'
import { correctionRequests } from '../corrections'
import { impersonationReports } from '../identity/records'
import { decisions } from '../moderation/decisions'
import { isStaff } from '../staff'
import { activeStrikes, suggestionFor } from './account-effects'
import { toQueueRow } from './listing'
import { staffDecisionView } from './notices'
import { claimedByOther } from './queue'
import { appeals, reports, reviewDecisions, type ReviewableDoc } from './store'
import { targetFacts } from './targets'

const HISTORY = 10

type History = ItemView['history']

async function historyOf(ctx: AccountContext, item: ReviewableDoc): Promise<History> {
  const rows: History = []
  if (isContentReviewKind(item.kind)) {
    const submissions = await decisions(ctx.db).find({ targetId: item.targetId, kind: item.kind }, { orderBy: [['createdAt', 'desc'], ['_id', 'desc']], limit: HISTORY })
    for (const d of submissions) rows.push({ at: d.createdAt.toISOString(), by: 'gate', label: `提交审核：${DECISION_STATE_LABELS[d.state]}`, detail: d.reasons.join('；') })
  }
  const ruled = await reviewDecisions(ctx.db).find({ kind: item.kind, targetId: item.targetId }, { orderBy: [['createdAt', 'desc'], ['_id', 'desc']], limit: HISTORY })
  for (const d of ruled) rows.push({ at: d.createdAt.toISOString(), by: 'reviewer', label: `人工审核：${DECISION_OUTCOME_LABELS[d.outcome]}`, detail: d.statement?.facts ?? d.note ?? '' })
  return rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, HISTORY)
}

async function reportsOf(ctx: AccountContext, item: ReviewableDoc): Promise<ItemView['reports']> {
  const filed = await reports(ctx.db).find({ reviewableId: item._id }, { orderBy: [['createdAt', 'asc'], ['_id', 'asc']], limit: 100 })
  const reporters = [...new Set(filed.map((r) => r.reporterOpenid))]
  const people = reporters.length > 0 ? await accounts(ctx.db).find({ openid: ctx.db.cmd.in(reporters) }, { limit: reporters.length, fields: { openid: true, verifiedAt: true } }) : []
  const verified = new Set(people.filter((p) => p.verifiedAt !== null && p.verifiedAt !== undefined).map((p) => p.openid))
  // Pseudonymous: numbered in the order they reported, the same number for the same person.
  return filed.map((r) => ({
    reporter: `举报人 ${reporters.indexOf(r.reporterOpenid) + 1}`,
    verified: verified.has(r.reporterOpenid),
    weight: r.weight,
    category: r.category,
    categoryLabel: REPORT_CATEGORY_LABELS[r.category],
    comment: r.comment,
    commentFlags: r.commentFlags,
    createdAt: r.createdAt.toISOString(),
  }))
}

export async function itemView(ctx: AccountContext, item: ReviewableDoc): Promise<ItemView> {
  noteAudit(ctx, { subject: item.subject })
  const facts = isContentReviewKind(item.kind) || item.kind === 'account' ? await targetFacts(ctx, item.kind, item.targetId) : null
  const gate = isContentReviewKind(item.kind) && item.moderationDecisionId ? await decisions(ctx.db).byId(item.moderationDecisionId) : null
  const subject = await findAccount(ctx.db, item.subject)
  const strikes = await activeStrikes(ctx, item.subject)
  const past = await reviewDecisions(ctx.db).find({ subject: item.subject }, { orderBy: [['createdAt', 'desc'], ['_id', 'desc']], limit: HISTORY })

  let correction: ItemView['correction'] = null
  let impersonation: ItemView['impersonation'] = null
  let appeal: ItemView['appeal'] = null
  let cannot: string | null = null
  if (item.kind === 'correction') {
    const request = await correctionRequests(ctx.db).byId(item.targetId)
    if (request) correction = { field: request.field, fieldLabel: CORRECTION_FIELD_LABELS[request.field], note: request.note, birthDateFromId: subject?.birthDateSource === 'verified' }
  }
  if (item.kind === 'impersonation') {
    const report = await impersonationReports(ctx.db).byId(item.targetId)
    if (report) impersonation = { reason: report.reason, holderAccountId: subject?._id ?? '', reportedAt: report.createdAt.toISOString() }
  }
  if (item.kind === 'appeal') {
    const filed = await appeals(ctx.db).byId(item.targetId)
    const decision = filed ? await reviewDecisions(ctx.db).byId(filed.decisionId) : null
    if (filed && decision) {
      appeal = { id: filed._id, text: filed.text, textFlags: filed.textFlags, decision: staffDecisionView(decision, filed, ctx.now), createdAt: filed.createdAt.toISOString() }
      if (decision.deciderOpenid === ctx.openid) cannot = '你作出了原决定，不能复核这项申诉'
      else if (decision.accountEffect?.action === 'terminate' && !ctx.account.roles.includes('admin')) cannot = '终止服务的申诉由管理员复核'
    }
  }
  if (subject && subject._id === ctx.account._id) cannot = '这一项与你本人有关，请交给其他工作人员'
  else if (item.state !== 'open') cannot = '这一项已经处理完毕'
  else if (claimedByOther(item, ctx.openid, ctx.now)) cannot = '另一位审核员已认领这一项'

  const suggestion = isContentReviewKind(item.kind) || item.kind === 'account' ? suggestionFor(strikes, ctx.now) : null
  return {
    reviewable: toQueueRow(item, ctx.openid, ctx.now),
    content: facts
      ? {
          fields: facts.fields,
          images: facts.images,
          state: facts.moderation?.state ?? null,
          stateLabel: facts.moderation ? MODERATION_STATE_LABELS[facts.moderation.state] : null,
          reasons: facts.moderation?.reasons ?? [],
        }
      : null,
    moderationDecisionId: item.moderationDecisionId,
    imagesPending: gate?.images.pending ?? 0,
    findings: gate?.sources ?? [],
    history: await historyOf(ctx, item),
    reports: await reportsOf(ctx, item),
    subject: subject
      ? {
          accountId: subject._id,
          nickname: subject.nickname,
          state: stateOf(subject, ctx.now),
          stateLabel: ACCOUNT_STATE_LABELS[stateOf(subject, ctx.now)],
          verified: subject.verifiedAt !== null,
          staff: isStaff(subject),
          activeStrikes: strikes,
          decisions: past.map((d) => staffDecisionView(d, null, ctx.now)),
        }
      : null,
    correction,
    impersonation,
    appeal,
    outcomes: item.kind === 'appeal' ? [] : [...OUTCOMES_BY_KIND[item.kind]],
    suggested: suggestion ? { action: suggestion.action, label: suggestion.label, until: suggestion.until?.toISOString() ?? null, features: [...suggestion.features] } : null,
    canDecide: cannot === null,
    cannotDecideReason: cannot,
  }
}

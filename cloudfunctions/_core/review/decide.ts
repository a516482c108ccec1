/**
 * `moderation.decide`: one verb, in two halves.
 *
 * Deciding checks everything that can be checked first (the item is open and
 * not claimed by someone else, the outcome fits the item, the statement of
 * reasons is complete, the account action is allowed for this reviewer on
 * this account, the content is what the reviewer saw), writes the decision,
 * and then closes the item on the condition that it is still open and free:
 * that write is the commit point — of two reviewers deciding at once exactly
 * one closes it, the other's decision is removed and they get CONFLICT.
 *
 * Completing carries the decision out, step by step, each step marked once
 * done: the target (content ruled, profile reset, identity removed,
 * correction resolved), the account action, the reports, the notices. A
 * completion cut short is finished by the moderation function's sweep.
 */
import { ADVERSE_OUTCOMES, APPEAL_DAYS, isContentReviewKind, OUTCOMES_BY_KIND, ruleLabel, type AccountAction, type DecisionOutcome, type ReportCategory, type RuleId } from '../../../shared/review'
import type { Feature } from '../../../shared/rules/lifecycle'
import { accounts, defaultNickname, findAccount, type AccountDoc } from '../accounts'
import { noteAudit } from '../audit'
import type { AccountContext, Context } from '../context'
import { correctionRequests, applyCorrectionRuling, checkCorrectionRuling } from '../corrections'
import { fail } from '../errors'
import { orderedId } from '../ids'
import { impersonationReports, removeIdentityData } from '../identity/records'
import { notify, notifyMissing } from '../inbox'
import { decisions } from '../moderation/decisions'
import { ruleOn } from '../moderation/rulings'
import { walk } from '../paging'
import { refuseStaffConflict, staffRoleOf } from '../staff'
import { activeStrikes, applyAccountEffect, planAccountEffect, refuseIfLeavesNoAdmin, suggestionFor } from './account-effects'
import { approvalMessage, reporterMessage, statementMessage } from './notices'
import { claimedByOther, freeForCaller } from './queue'
import { reports, reviewables, reviewDecisions, type ReviewableDoc, type ReviewDecisionDoc, type Statement } from './store'
import { snapshotOf, targetFacts } from './targets'

export interface DecideInput {
  reviewableId: string
  outcome: DecisionOutcome
  moderationDecisionId?: string | null | undefined
  category?: ReportCategory | undefined
  rule?: RuleId | undefined
  facts?: string | undefined
  accountAction?: AccountAction | undefined
  until?: string | undefined
  features?: Feature[] | undefined
  deviationReason?: string | undefined
  correctedBirthDate?: string | undefined
}

const DAY_MS = 24 * 3600 * 1000
/** An appeal is possible this long after the decision. */
const APPEAL_MS = APPEAL_DAYS * DAY_MS

function missing(path: string, message: string): never {
  return fail('INVALID_INPUT', message, [{ path, message }])
}

/** Everything a statement needs, or the field that is missing. */
function statementOf(input: DecideInput, item: ReviewableDoc, until: Date | null): Statement {
  if (!input.category) missing('category', '请选择违规类别')
  if (!input.rule) missing('rule', '请选择违反的规则条款')
  if (!input.facts) missing('facts', '请写明事实，用户会看到这段说明')
  // Found by the automated checks (then confirmed by a person) rather than by reports alone.
  return { category: input.category, rule: input.rule, facts: input.facts, automated: item.sources.includes('gate'), until }
}

/** The action the outcome implies: confirming an impersonation freezes the impostor's account at least. */
function actionOf(item: ReviewableDoc, input: DecideInput): AccountAction {
  const chosen = input.accountAction ?? 'none'
  if (item.kind === 'impersonation' && input.outcome === 'confirm' && (chosen === 'none' || chosen === 'warn')) return 'freeze'
  return chosen
}

export async function decide(ctx: AccountContext, input: DecideInput): Promise<ReviewDecisionDoc> {
  const item = await reviewables(ctx.db).byId(input.reviewableId)
  if (!item) fail('NOT_FOUND', '待审核事项不存在')
  noteAudit(ctx, { subject: item.subject, detail: `${item.kind}:${input.outcome}` })
  if (item.state !== 'open') fail('CONFLICT', '这一项已经处理过了')
  if (claimedByOther(item, ctx.openid, ctx.now)) fail('CONFLICT', '另一位审核员已认领这一项，请处理其他事项')
  if (item.kind === 'appeal') fail('INVALID_INPUT', '申诉请用「复核申诉」处理', [{ path: 'outcome', message: '申诉请用「复核申诉」处理' }])
  if (!OUTCOMES_BY_KIND[item.kind].includes(input.outcome)) missing('outcome', '这一项不能作出这种决定')

  const subject = await findAccount(ctx.db, item.subject)
  if (subject && subject._id === ctx.account._id) fail('FORBIDDEN', '不能处理与自己有关的事项，请交给其他工作人员')
  const adverse = ADVERSE_OUTCOMES.has(input.outcome)
  // Nothing against a member of staff from a reviewer, not even a removal: an admin decides.
  if (adverse && subject) refuseStaffConflict(ctx, subject)
  const action = actionOf(item, input)
  if (!adverse && action !== 'none') missing('accountAction', '未发现违规时不能处理账号')
  if (input.outcome === 'sanction' && action === 'none') missing('accountAction', '请选择对账号的处理')

  let contentWasHidden = false
  if (isContentReviewKind(item.kind)) {
    if (input.moderationDecisionId !== undefined && input.moderationDecisionId !== item.moderationDecisionId) {
      fail('CONFLICT', '内容在你查看之后被作者修改过，请重新打开详情，看过新的内容再处理')
    }
    const gate = item.moderationDecisionId ? await decisions(ctx.db).byId(item.moderationDecisionId) : null
    if (input.outcome === 'approve' && (gate?.images.pending ?? 0) > 0) fail('CONFLICT', '图片安全检查还没有结果，请稍后再审核')
    contentWasHidden = gate !== null && gate.state !== 'published'
  }

  const until = input.until ? new Date(input.until) : null
  const statement = adverse ? statementOf(input, item, action === 'restrict' || action === 'suspend' ? until : null) : null
  const note = adverse ? null : (input.facts ?? null)
  if (!adverse && note === null && (item.kind === 'correction' || item.kind === 'impersonation')) missing('facts', '请写明处理说明，用户会看到')

  const effect = planAccountEffect(ctx, subject, { action, until, features: input.features ?? [], reason: statement?.facts ?? note ?? '' })
  await refuseIfLeavesNoAdmin(ctx, subject, effect)
  if (item.kind === 'correction') await checkCorrection(ctx, item, input)

  // The escalation ladder suggests; a reviewer who does otherwise says why.
  const ladder = adverse && item.kind !== 'impersonation' ? suggestionFor(await activeStrikes(ctx, item.subject), ctx.now) : null
  if (ladder && ladder.action !== action && !input.deviationReason) {
    missing('deviationReason', `建议的处理是「${ladder.label}」；选择其他处理时请写明理由`)
  }

  const facts = isContentReviewKind(item.kind) || item.kind === 'account' ? await targetFacts(ctx, item.kind, item.targetId) : null
  const decisionId = orderedId(ctx.now)
  const doc: ReviewDecisionDoc = {
    _id: decisionId,
    reviewableId: item._id,
    kind: item.kind,
    targetId: item.targetId,
    subject: item.subject,
    moderationDecisionId: item.moderationDecisionId,
    outcome: input.outcome,
    adverse,
    statement,
    note,
    accountEffect: effect,
    suggested: ladder?.action ?? null,
    deviationReason: ladder && ladder.action !== action ? (input.deviationReason ?? null) : null,
    strike: adverse && statement ? { category: statement.category, expiresAt: new Date(ctx.now.getTime() + ctx.config.review.strikeDays * DAY_MS), overruledAt: null } : null,
    snapshot: adverse && facts ? snapshotOf(facts) : null,
    contentWasHidden,
    correction: item.kind === 'correction' ? { decision: input.outcome === 'accept' ? 'accepted' : 'rejected', correctedBirthDate: input.correctedBirthDate ?? null } : null,
    deciderOpenid: ctx.openid,
    deciderRole: staffRoleOf(ctx.account) ?? 'reviewer',
    requestId: ctx.requestId,
    steps: { target: false, account: effect === null, reports: false, notices: false },
    appealState: null,
    appealDeadline: adverse ? new Date(ctx.now.getTime() + APPEAL_MS) : null,
    createdAt: ctx.now,
    completedAt: null,
  }
  await reviewDecisions(ctx.db).add(doc)

  // The commit point: the item closes only if it is still open and nobody else holds it.
  const closed = await reviewables(ctx.db).updateWhere(freeForCaller(ctx, item._id), {
    state: 'resolved',
    openKey: `${item.openKey}:${item._id}`,
    decisionId,
    resolvedAt: ctx.now,
    resolvedKey: `${String(ctx.now.getTime()).padStart(15, '0')}:${item._id}`,
    claim: null,
    updatedAt: ctx.now,
  })
  if (closed === 0) {
    await reviewDecisions(ctx.db).remove(decisionId)
    fail('CONFLICT', '这一项刚刚被其他审核员处理或认领了')
  }
  try {
    return await completeDecision(ctx, doc)
  } catch (error) {
    // The decision stands; the sweep finishes what is left.
    ctx.log.error('decision not completed; the sweep will finish it', { requestId: ctx.requestId, decisionId, error: String(error) })
    return doc
  }
}

async function checkCorrection(ctx: Context, item: ReviewableDoc, input: DecideInput): Promise<void> {
  const request = await correctionRequests(ctx.db).byId(item.targetId)
  if (!request) fail('NOT_FOUND', '更正申请不存在')
  const account = await accounts(ctx.db).byId(request.accountId)
  checkCorrectionRuling(request, account, { decision: input.outcome === 'accept' ? 'accepted' : 'rejected', reason: input.facts ?? '', correctedBirthDate: input.correctedBirthDate })
}

type Step = keyof ReviewDecisionDoc['steps']

async function markStep(ctx: Context, decision: ReviewDecisionDoc, step: Step, extra: Record<string, unknown> = {}): Promise<ReviewDecisionDoc> {
  await reviewDecisions(ctx.db).update(decision._id, { [`steps.${step}`]: true, ...extra })
  return { ...decision, steps: { ...decision.steps, [step]: true } }
}

/** Carries out what the decision says, each step once; the decision as it stands afterwards. */
export async function completeDecision(ctx: Context, start: ReviewDecisionDoc): Promise<ReviewDecisionDoc> {
  let decision = start
  if (!decision.steps.target) {
    await ruleTarget(ctx, decision)
    decision = await markStep(ctx, decision, 'target')
  }
  if (!decision.steps.account) {
    const effect = await applyAccountEffect(ctx, decision, decision.deciderRole)
    decision = { ...(await markStep(ctx, decision, 'account', { accountEffect: ctx.db.cmd.set(effect) })), accountEffect: effect }
  }
  if (!decision.steps.reports) {
    await resolveReports(ctx, decision)
    decision = await markStep(ctx, decision, 'reports')
  }
  if (!decision.steps.notices) {
    await tell(ctx, decision)
    decision = await markStep(ctx, decision, 'notices')
  }
  await reviewDecisions(ctx.db).update(decision._id, { completedAt: ctx.now })
  return { ...decision, completedAt: ctx.now }
}

/** The reason a taken-down piece of content shows its author. */
function removalReason(decision: ReviewDecisionDoc): string | null {
  return decision.statement ? `经人工审核，违反${ruleLabel(decision.statement.rule)}：${decision.statement.facts}` : null
}

async function ruleTarget(ctx: Context, decision: ReviewDecisionDoc): Promise<void> {
  const kind = decision.kind
  if (isContentReviewKind(kind)) {
    if (!decision.moderationDecisionId) return
    const state = decision.outcome === 'approve' ? 'published' : 'rejected'
    await ruleOn(ctx, decision.moderationDecisionId, { state, reviewDecisionId: decision._id }, removalReason(decision))
    return
  }
  if (kind === 'account' && decision.outcome === 'remove') {
    const account = await findAccount(ctx.db, decision.subject)
    if (!account) return
    await accounts(ctx.db).update(account._id, {
      nickname: defaultNickname(account._id),
      avatarUrl: null,
      pendingNickname: null,
      pendingAvatarUrl: null,
      updatedAt: ctx.now,
    })
    return
  }
  if (kind === 'impersonation') return ruleImpersonation(ctx, decision)
  if (kind === 'correction' && decision.correction) {
    const request = await correctionRequests(ctx.db).byId(decision.targetId)
    const account = request ? await accounts(ctx.db).byId(request.accountId) : null
    if (!request || !account) return
    await applyCorrectionRuling(ctx, request, account, { decision: decision.correction.decision, reason: decision.note ?? '', ...(decision.correction.correctedBirthDate ? { correctedBirthDate: decision.correction.correctedBirthDate } : {}) })
  }
}

/**
 * Confirmed: the impostor's identity binding goes (their account is frozen by
 * the account step), and the person who proved the ID with their face is told
 * to verify now. Rejected: that person is told why.
 */
async function ruleImpersonation(ctx: Context, decision: ReviewDecisionDoc): Promise<void> {
  const report = await impersonationReports(ctx.db).byId(decision.targetId)
  if (!report) return
  const confirmed = decision.outcome === 'confirm'
  if (confirmed) {
    const holder = await findAccount(ctx.db, report.holder)
    await removeIdentityData(ctx, report.holder)
    if (holder) await accounts(ctx.db).update(holder._id, { verifiedAt: null, updatedAt: ctx.now })
  }
  await impersonationReports(ctx.db).updateWhere({ _id: report._id, status: 'open' }, { status: confirmed ? 'resolved' : 'rejected' })
  await notify(ctx, {
    recipient: report.reporter,
    type: 'system',
    title: confirmed ? '冒用申诉核实成立' : '冒用申诉未能核实',
    body: confirmed
      ? '经核查，你的身份证曾被他人冒用完成实名认证。我们已撤销对方账号的实名认证并冻结该账号。现在可以在「我的 → 实名认证」用你的身份证完成实名认证。'
      : `经核查，暂未能确认你的身份证被他人冒用。处理说明：${decision.note ?? ''}\n如有新的材料，可以再次提交申诉。`,
    link: confirmed ? '/packageAccount/pages/verify/index' : null,
    dedupeKey: `impersonation:${report._id}:ruled`,
  })
}

/** Every report on the item learns its outcome: upheld when the decision found against the person, rejected otherwise. */
async function resolveReports(ctx: Context, decision: ReviewDecisionDoc): Promise<void> {
  if (!decision.reviewableId) return
  const outcome = decision.adverse ? 'upheld' : 'rejected'
  await walk(ctx.db, reports(ctx.db), { reviewableId: decision.reviewableId, outcome: 'open' }, '_id', async (report) => {
    await reports(ctx.db).updateWhere({ _id: report._id, outcome: 'open' }, { outcome, resolvedAt: ctx.now, openKey: `${report.openKey}:${report._id}`, updatedAt: ctx.now })
  })
}

async function tell(ctx: Context, decision: ReviewDecisionDoc): Promise<void> {
  const statement = statementMessage(decision)
  if (statement) await notifyMissing(ctx, [statement])
  // Content kept from others until now: its author is waiting to hear.
  if (decision.outcome === 'approve' && decision.contentWasHidden) await notifyMissing(ctx, [approvalMessage(decision)])
  if (!decision.reviewableId) return
  await walk(ctx.db, reports(ctx.db), { reviewableId: decision.reviewableId }, '_id', async (report) => {
    await notifyMissing(ctx, [reporterMessage(report, decision.adverse)])
  })
}

/** The sweep's part: decisions whose completion was cut short, and decisions whose item was never closed (the decider lost). */
export async function finishDecisions(ctx: Context): Promise<number> {
  let finished = 0
  const settled = new Date(ctx.now.getTime() - 60 * 1000)
  await walk(ctx.db, reviewDecisions(ctx.db), { completedAt: null, createdAt: ctx.db.cmd.lt(settled) }, 'createdAt', async (decision) => {
    const item = decision.reviewableId ? await reviewables(ctx.db).byId(decision.reviewableId) : null
    if (decision.reviewableId && item?.decisionId !== decision._id) {
      await reviewDecisions(ctx.db).remove(decision._id)
      return
    }
    await completeDecision(ctx, decision)
    finished++
  })
  return finished
}

export interface SanctionInput {
  action: Exclude<AccountAction, 'none'>
  category: ReportCategory
  rule: RuleId
  facts: string
  until: Date | null
  features: Feature[]
}

/**
 * An action on an account taken from the account page (admin.transition):
 * a decision like any other — statement of reasons, strike, notice, appeal —
 * without a queue item to close.
 */
export async function sanctionAccount(ctx: AccountContext, subject: AccountDoc, input: SanctionInput): Promise<ReviewDecisionDoc> {
  const timed = input.action === 'restrict' || input.action === 'suspend'
  const statement: Statement = { category: input.category, rule: input.rule, facts: input.facts, automated: false, until: timed ? input.until : null }
  const effect = planAccountEffect(ctx, subject, { action: input.action, until: input.until, features: input.features, reason: input.facts })
  await refuseIfLeavesNoAdmin(ctx, subject, effect)
  const doc: ReviewDecisionDoc = {
    _id: orderedId(ctx.now),
    reviewableId: null,
    kind: 'account',
    targetId: subject._id,
    subject: subject.openid,
    moderationDecisionId: null,
    outcome: 'sanction',
    adverse: true,
    statement,
    note: null,
    accountEffect: effect,
    suggested: null,
    deviationReason: null,
    strike: { category: input.category, expiresAt: new Date(ctx.now.getTime() + ctx.config.review.strikeDays * DAY_MS), overruledAt: null },
    snapshot: null,
    contentWasHidden: false,
    correction: null,
    deciderOpenid: ctx.openid,
    deciderRole: staffRoleOf(ctx.account) ?? 'reviewer',
    requestId: ctx.requestId,
    steps: { target: true, account: effect === null, reports: true, notices: false },
    appealState: null,
    appealDeadline: new Date(ctx.now.getTime() + APPEAL_MS),
    createdAt: ctx.now,
    completedAt: null,
  }
  await reviewDecisions(ctx.db).add(doc)
  const done = await completeDecision(ctx, doc)
  // Unlike a queue decision, nothing else stands behind it: a transition the account refused is the caller's answer.
  if (done.accountEffect?.skipped) ctx.log.info('account action skipped', { requestId: ctx.requestId, decisionId: doc._id, why: done.accountEffect.skipped })
  return done
}

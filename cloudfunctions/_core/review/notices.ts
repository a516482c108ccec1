/**
 * What people are told about a decision, and how it reads in their record:
 * the person concerned gets the statement of reasons (what was decided, the
 * category, the clause, the facts, whether it was found automatically, the end
 * time, and how to appeal); every reporter of the target gets 已处理 or
 * 未发现违规 — never what was done to someone else.
 */
import { beijingDateTime } from '../clock'
import {
  ACCOUNT_ACTION_LABELS,
  APPEAL_STATE_LABELS,
  CONDUCT_PAGE,
  DECISION_OUTCOME_LABELS,
  REPORT_CATEGORY_LABELS,
  REPORT_OUTCOME_LABELS,
  REPORT_TARGET_LABELS,
  REVIEW_KIND_LABELS,
  ruleLabel,
  STRIKE_STATE_LABELS,
  type AccountAction,
  type ReviewKind,
  type StrikeState,
} from '../../../shared/review'
import { FEATURE_LABELS } from '../../../shared/rules/lifecycle'
import type { ConductDecisionView, MyReportView, StaffDecisionView, StatementView } from '../../../shared/contract/moderation'
import type { OutgoingMessage } from '../inbox'
import type { AppealDoc, ReportDoc, ReviewDecisionDoc, Statement, Strike } from './store'

/** A message told once per recipient and key (decisions are completed again after a failure). */
type Keyed = OutgoingMessage & { dedupeKey: string }

export function statementView(statement: Statement): StatementView {
  return {
    category: statement.category,
    categoryLabel: REPORT_CATEGORY_LABELS[statement.category],
    rule: statement.rule,
    ruleText: ruleLabel(statement.rule),
    facts: statement.facts,
    automated: statement.automated,
    until: statement.until?.toISOString() ?? null,
  }
}

export function toMyReportView(doc: ReportDoc): MyReportView {
  return {
    id: doc._id,
    kind: doc.targetKind,
    kindLabel: REPORT_TARGET_LABELS[doc.targetKind],
    targetId: doc.targetId,
    category: doc.category,
    categoryLabel: REPORT_CATEGORY_LABELS[doc.category],
    comment: doc.comment,
    outcome: doc.outcome,
    outcomeLabel: REPORT_OUTCOME_LABELS[doc.outcome],
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    resolvedAt: doc.resolvedAt?.toISOString() ?? null,
  }
}

export function strikeState(strike: Strike, now: Date): StrikeState {
  if (strike.overruledAt) return 'overruled'
  return strike.expiresAt.getTime() > now.getTime() ? 'active' : 'expired'
}

/** The appeal a decision allows: adverse, not appealed, within its deadline. */
export function canAppeal(decision: ReviewDecisionDoc, now: Date): boolean {
  return decision.adverse && decision.appealState === null && decision.appealDeadline !== null && decision.appealDeadline.getTime() > now.getTime()
}

function appealHint(decision: ReviewDecisionDoc, now: Date): string {
  if (!decision.adverse) return ''
  if (decision.appealState) return `申诉${APPEAL_STATE_LABELS[decision.appealState]}`
  if (canAppeal(decision, now) && decision.appealDeadline) return `如有异议，可在 ${beijingDateTime(decision.appealDeadline)}（北京时间）前申诉`
  return '申诉期限已过'
}

/** The account action in words: 暂停使用至 …, 限制「发布内容」至 … */
function actionPhrase(decision: ReviewDecisionDoc): string | null {
  const effect = decision.accountEffect
  if (!effect) return null
  const until = effect.until ? `至 ${beijingDateTime(effect.until)}（北京时间）` : ''
  if (effect.action === 'restrict') return `限制${effect.features.map((f) => `「${FEATURE_LABELS[f]}」`).join('')}${until}`
  if (effect.action === 'suspend') return `暂停使用${until}`
  return ACCOUNT_ACTION_LABELS[effect.action]
}

export function conductView(decision: ReviewDecisionDoc, appeal: AppealDoc | null, now: Date): ConductDecisionView {
  const effect = decision.accountEffect
  return {
    id: decision._id,
    kind: decision.kind,
    kindLabel: REVIEW_KIND_LABELS[decision.kind],
    outcome: decision.outcome,
    outcomeLabel: DECISION_OUTCOME_LABELS[decision.outcome],
    adverse: decision.adverse,
    statement: decision.statement ? statementView(decision.statement) : null,
    note: decision.note,
    accountAction: effect
      ? { action: effect.action, label: actionPhrase(decision) ?? ACCOUNT_ACTION_LABELS[effect.action], until: effect.until?.toISOString() ?? null, features: effect.features, skipped: effect.skipped }
      : null,
    strike: decision.strike
      ? { state: strikeState(decision.strike, now), stateLabel: STRIKE_STATE_LABELS[strikeState(decision.strike, now)], expiresAt: decision.strike.expiresAt.toISOString() }
      : null,
    appeal: {
      state: decision.appealState,
      stateLabel: decision.appealState ? APPEAL_STATE_LABELS[decision.appealState] : canAppeal(decision, now) ? '可申诉' : '',
      deadline: decision.appealDeadline?.toISOString() ?? null,
      canAppeal: canAppeal(decision, now),
      text: appeal?.text ?? null,
      reason: appeal?.reason ?? null,
      decidedAt: appeal?.decidedAt?.toISOString() ?? null,
    },
    appealHint: appealHint(decision, now),
    createdAt: decision.createdAt.toISOString(),
  }
}

export function staffDecisionView(decision: ReviewDecisionDoc, appeal: AppealDoc | null, now: Date): StaffDecisionView {
  return { ...conductView(decision, appeal, now), deciderRole: decision.deciderRole, suggested: decision.suggested, deviationReason: decision.deviationReason }
}

/** What happened to the content, as its author reads it. */
function outcomePhrase(decision: ReviewDecisionDoc): string {
  const what = REVIEW_KIND_LABELS[decision.kind]
  switch (decision.outcome) {
    case 'remove':
      if (decision.kind === 'account') return '昵称和头像已重置为默认'
      if (decision.kind === 'nickname' || decision.kind === 'avatar') return `${what}未通过人工审核，未生效`
      return `你发布的${what}已被屏蔽，他人不再能看到`
    case 'sanction':
      return '对账号作出处理'
    case 'confirm':
      return '核实你的账号冒用他人身份完成实名认证，实名认证已撤销'
    default:
      return DECISION_OUTCOME_LABELS[decision.outcome]
  }
}

const TITLES: Partial<Record<ReviewKind, string>> = { nickname: '新昵称未通过审核', avatar: '新头像未通过审核', account: '你的账号资料已被处理', impersonation: '你的实名认证已被撤销' }

/** An action on the account alone reads like the account's own state messages. */
const SANCTION_TITLES: Record<AccountAction, string> = {
  none: '处理通知',
  warn: '你收到一次警告',
  restrict: '部分功能已被限制',
  suspend: '账号已被暂停使用',
  freeze: '账号已被平台冻结',
  terminate: '平台已终止服务',
}

/** The statement of reasons, as the inbox message to the person concerned. */
export function statementMessage(decision: ReviewDecisionDoc): Keyed | null {
  const statement = decision.statement
  if (!statement) return null
  const action = actionPhrase(decision)
  const lines = [
    `处理结果：${outcomePhrase(decision)}${action ? `；${action}` : ''}`,
    `违规类别：${REPORT_CATEGORY_LABELS[statement.category]}`,
    `依据：${ruleLabel(statement.rule)}`,
    `事实：${statement.facts}`,
    `发现方式：${statement.automated ? '自动审核发现，经工作人员复核确认' : '用户举报，经工作人员审核确认'}`,
  ]
  if (decision.strike) lines.push(`本次处理计入违规记录，有效期至 ${beijingDateTime(decision.strike.expiresAt)}（北京时间）。`)
  if (decision.appealDeadline) lines.push(`如有异议：请于 ${beijingDateTime(decision.appealDeadline)}（北京时间）前在「我的 → 违规记录与申诉」提出申诉，将由未参与本决定的工作人员复核。`)
  const title = decision.kind === 'card' || decision.kind === 'activity' || decision.kind === 'article' ? `你的${REVIEW_KIND_LABELS[decision.kind]}已被处理` : (TITLES[decision.kind] ?? '处理通知')
  return {
    recipient: decision.subject,
    // An action on the account alone is news about the account's state.
    type: decision.outcome === 'sanction' ? 'accountState' : 'moderationDecision',
    title: decision.outcome === 'sanction' ? SANCTION_TITLES[decision.accountEffect?.action ?? 'none'] : title,
    body: lines.join('\n'),
    link: CONDUCT_PAGE,
    dedupeKey: `review:${decision._id}:statement`,
  }
}

/** Content that waited for a person (held, or hidden after reports) and was approved: its author hears it is public now. */
export function approvalMessage(decision: ReviewDecisionDoc): Keyed {
  const what = REVIEW_KIND_LABELS[decision.kind]
  const body = decision.kind === 'nickname' ? '你的新昵称已通过人工审核并生效。' : decision.kind === 'avatar' ? '你的新头像已通过人工审核并生效。' : `你发布的${what}已通过人工审核，现在对他人可见。`
  return { recipient: decision.subject, type: 'moderationDecision', title: `${what}已通过审核`, body, link: null, dedupeKey: `review:${decision._id}:approved` }
}

/** A reporter hears what became of their report: 已处理 or 未发现违规. */
export function reporterMessage(report: ReportDoc, upheld: boolean): Keyed {
  const what = REPORT_TARGET_LABELS[report.targetKind]
  return {
    recipient: report.reporterOpenid,
    type: 'moderationDecision',
    title: upheld ? '你举报的内容已处理' : '你举报的内容未发现违规',
    body: upheld
      ? `感谢你的举报。经审核，你举报的${what}违反了平台规则，我们已依规处理。`
      : `感谢你的举报。经审核，暂未发现你举报的${what}违反平台规则。如有新的情况，可以再次举报。`,
    link: `${CONDUCT_PAGE}?tab=reports`,
    dedupeKey: `report:${report._id}:outcome`,
  }
}

/**
 * How a person's conduct record reads (我的 → 违规记录与申诉), and staff's
 * view of the same decisions: one row per decision, with the statement of
 * reasons in lines, the strike and the appeal; one row per report.
 */
import type { ConductDecisionView, MyReportView } from '../../shared/contract/moderation'
import { formatDateTime } from './format'

export interface DecisionRow {
  key: string
  id: string
  title: string
  time: string
  /** 处理结果, 违规类别, 依据, 事实, 发现方式, 期限 … as label/text pairs. */
  lines: Array<{ label: string; text: string }>
  strike: string
  strikeBadge: string
  appealState: string
  appealHint: string
  canAppeal: boolean
  appealText: string
  appealReason: string
}

const STRIKE_BADGES: Record<string, string> = { active: 'badge--error', expired: 'badge--muted', overruled: 'badge--ok' }

export function decisionRowOf(d: ConductDecisionView): DecisionRow {
  const lines: Array<{ label: string; text: string }> = [{ label: '处理结果', text: d.outcomeLabel }]
  if (d.accountAction) lines.push({ label: '账号处理', text: d.accountAction.skipped ? `${d.accountAction.label}（未生效：${d.accountAction.skipped}）` : d.accountAction.label })
  if (d.statement) {
    lines.push({ label: '违规类别', text: d.statement.categoryLabel })
    lines.push({ label: '依据', text: d.statement.ruleText })
    lines.push({ label: '事实', text: d.statement.facts })
    lines.push({ label: '发现方式', text: d.statement.automated ? '自动审核发现，经工作人员复核确认' : '用户举报，经工作人员审核确认' })
    if (d.statement.until) lines.push({ label: '期限', text: `至 ${formatDateTime(d.statement.until)}` })
  }
  if (d.note) lines.push({ label: '说明', text: d.note })
  return {
    key: d.id,
    id: d.id,
    title: `${d.kindLabel}：${d.outcomeLabel}`,
    time: formatDateTime(d.createdAt),
    lines,
    strike: d.strike ? `违规记录 · ${d.strike.stateLabel}${d.strike.state === 'active' ? `（至 ${formatDateTime(d.strike.expiresAt)}）` : ''}` : '',
    strikeBadge: d.strike ? (STRIKE_BADGES[d.strike.state] ?? 'badge--muted') : '',
    appealState: d.appeal.state ? d.appeal.stateLabel : '',
    appealHint: d.appealHint,
    canAppeal: d.appeal.canAppeal,
    appealText: d.appeal.text ?? '',
    appealReason: d.appeal.reason ?? '',
  }
}

export interface ReportRow {
  key: string
  title: string
  time: string
  comment: string
  outcome: string
  outcomeBadge: string
}

const OUTCOME_BADGES: Record<string, string> = { open: 'badge--notice', upheld: 'badge--ok', rejected: 'badge--muted' }

export function reportRowOf(r: MyReportView): ReportRow {
  return {
    key: r.id,
    title: `${r.kindLabel} · ${r.categoryLabel}`,
    time: formatDateTime(r.createdAt),
    comment: r.comment,
    outcome: r.outcomeLabel,
    outcomeBadge: OUTCOME_BADGES[r.outcome] ?? 'badge--muted',
  }
}

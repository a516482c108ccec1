/**
 * What the staff pages share: page paths, how long something has waited, one
 * queue row as a list shows it, and the reasons a reviewer gives for looking
 * at a person's data (every look is audited and shown to that person).
 */
import type { QueueRow } from '../../../shared/contract/moderation'
import { REVIEW_SOURCE_LABELS } from '../../../shared/review'
import { formatDateTime } from '../../utils/format'

export const ADMIN_PAGES = {
  index: '/packageAdmin/pages/index/index',
  queue: '/packageAdmin/pages/queue/index',
  item: '/packageAdmin/pages/item/index',
  decide: '/packageAdmin/pages/decide/index',
  appeals: '/packageAdmin/pages/appeals/index',
  account: '/packageAdmin/pages/account/index',
  roles: '/packageAdmin/pages/roles/index',
  clients: '/packageAdmin/pages/clients/index',
} as const

/** Why a reviewer opens an item: chosen from these or written out; the person reads it in their access log. */
export const VIEW_REASONS = ['处理审核队列中的事项', '复核用户申诉', '核查用户举报', '处理信息更正或冒用申诉'] as const

/** 刚刚, 12 分钟, 3 小时, 2 天 — how long since `iso`. */
export function waited(iso: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60000))
  if (minutes < 1) return '刚刚'
  if (minutes < 60) return `${minutes} 分钟`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} 小时`
  return `${Math.floor(hours / 24)} 天`
}

export interface QueueRowView {
  key: string
  id: string
  title: string
  sources: string
  score: string
  waited: string
  urgent: boolean
  claim: string
  resolvedAt: string
  ariaLabel: string
}

export function queueRowView(row: QueueRow, now: number = Date.now()): QueueRowView {
  const title = `${row.kindLabel}${row.categoryLabel ? ` · ${row.categoryLabel}` : ''}`
  const score = row.reportCount > 0 ? `${row.reportCount} 人举报 · 分数 ${row.score}` : ''
  const claim = row.claim ? (row.claim.mine ? '你已认领' : '他人处理中') : ''
  const age = waited(row.createdAt, now)
  return {
    key: row.id,
    id: row.id,
    title,
    sources: row.sources.map((s) => REVIEW_SOURCE_LABELS[s]).join('、') + (row.edits > 0 ? ` · 作者已修改 ${row.edits} 次` : ''),
    score,
    waited: row.state === 'open' ? `等待 ${age}` : '',
    urgent: row.urgent,
    claim,
    resolvedAt: row.resolvedAt ? `处理于 ${formatDateTime(row.resolvedAt)}` : '',
    ariaLabel: [row.urgent ? '紧急' : '', title, score, claim, row.state === 'open' ? `已等待 ${age}` : ''].filter(Boolean).join('，'),
  }
}

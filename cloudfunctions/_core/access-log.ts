/**
 * The transparency view (账号访问记录): staff views of a person's data and
 * staff actions on their account, read from the audit log by the person
 * concerned — role, action, time and reason, never who exactly.
 */
import { ACCESS_ROLE_LABELS, AUDIT_ACTION_LABELS, type AccessRole } from '../../shared/audit'
import type { AccessLogEntry } from '../../shared/contract/account'
import { TRANSITIONS, type TransitionName } from '../../shared/rules/lifecycle'
import type { AuditDoc } from './audit'
import { COLLECTIONS } from './collections'
import type { Context } from './context'
import { after, decodeCursor, encodeCursor, newestFirst } from './cursor'

/** What a person reads for a staff action without its own label. */
const UNLABELLED_ACTION = '工作人员的操作'

function actionLabel(doc: AuditDoc): string {
  const key = `${doc.fn}.${doc.action}`
  const base = AUDIT_ACTION_LABELS[key]
  if (base) {
    const transition = doc.detail && Object.hasOwn(TRANSITIONS, doc.detail) ? TRANSITIONS[doc.detail as TransitionName] : null
    return transition ? `${base}：${transition.label}` : base
  }
  // Every action that concerns one person has its label (a guard test keeps the list complete).
  return UNLABELLED_ACTION
}

function roleOf(doc: AuditDoc): AccessRole {
  return doc.actorRole ?? 'admin'
}

export function toAccessLogEntry(doc: AuditDoc): AccessLogEntry {
  const role = roleOf(doc)
  return {
    id: doc._id,
    role,
    roleLabel: ACCESS_ROLE_LABELS[role],
    action: `${doc.fn}.${doc.action}`,
    actionLabel: actionLabel(doc),
    at: doc.createdAt.toISOString(),
    reason: doc.reason,
  }
}

/** Newest first; only what staff did and saw (refused attempts touched nothing). */
export async function accessLogPage(
  ctx: Context,
  subject: string,
  cursor: string | null | undefined,
  limit: number,
): Promise<{ entries: AccessLogEntry[]; nextCursor: string | null }> {
  const base = { subject, outcome: 'ok' }
  const docs = await ctx.db.collection<AuditDoc>(COLLECTIONS.auditLogs).find(after(ctx.db, base, 'createdAt', decodeCursor(cursor)), { orderBy: newestFirst('createdAt'), limit: limit + 1 })
  const shown = docs.slice(0, limit)
  const last = shown.at(-1)
  return {
    entries: shown.map(toAccessLogEntry),
    nextCursor: docs.length > limit && last ? encodeCursor(last.createdAt, last._id) : null,
  }
}

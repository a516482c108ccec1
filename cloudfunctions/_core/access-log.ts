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

/** What a person reads for a staff action without its own label. */
export const UNLABELLED_ACTION = '工作人员的操作'

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

/** Cursor: `<createdAt ms>.<_id>` of the last entry shown. */
function parseCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  const match = cursor ? /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor) : null
  return match?.[1] && match[2] ? { at: new Date(Number(match[1])), id: match[2] } : null
}

/** Newest first; only what staff did and saw (refused attempts touched nothing). */
export async function accessLogPage(
  ctx: Context,
  subject: string,
  cursor: string | null | undefined,
  limit: number,
): Promise<{ entries: AccessLogEntry[]; nextCursor: string | null }> {
  const cmd = ctx.db.cmd
  const base = { subject, outcome: 'ok' }
  const after = parseCursor(cursor)
  const where = after ? cmd.and(base, cmd.or({ createdAt: cmd.lt(after.at) }, { createdAt: after.at, _id: cmd.lt(after.id) })) : base
  const docs = await ctx.db.collection<AuditDoc>(COLLECTIONS.auditLogs).find(where, {
    orderBy: [
      ['createdAt', 'desc'],
      ['_id', 'desc'],
    ],
    limit: limit + 1,
  })
  const shown = docs.slice(0, limit)
  const last = shown.at(-1)
  return {
    entries: shown.map(toAccessLogEntry),
    nextCursor: docs.length > limit && last ? `${last.createdAt.getTime()}.${last._id}` : null,
  }
}

import type { AccessRole } from '../../shared/audit'
import { COLLECTIONS } from './collections'
import type { AuditNote, Context } from './context'

export type { AuditNote }
import type { Doc } from './db'

/** Who did what to whom, and why: staff actions and staff views of personal data. */
export interface AuditDoc extends Doc {
  actorOpenid: string
  /** The staff role the action was taken in (shown to the person concerned instead of the actor); `client` for a login-service application. */
  actorRole: AccessRole | null
  fn: string
  action: string
  outcome: 'ok' | 'refused' | 'error'
  code: string | null
  /** The target account or document, when the action names one. */
  target: string | null
  /** The openid of the person whose data or account the action concerned: their access log reads this. */
  subject: string | null
  /** A finer name of what was done, e.g. the transition (`suspend`). */
  detail: string | null
  reason: string | null
  requestId: string
  createdAt: Date
}

/**
 * What a handler tells the dispatcher's audit record once it knows it: the
 * person concerned (an action naming an account id learns the openid only on
 * reading the account) and a finer name of what was done.
 */
export function noteAudit(ctx: Context, note: Partial<AuditNote>): void {
  if (!ctx.audit) return
  if (note.subject !== undefined) ctx.audit.subject = note.subject
  if (note.detail !== undefined) ctx.audit.detail = note.detail
  if (note.others !== undefined) ctx.audit.others = [...new Set(note.others)]
}

/** One record per person concerned (the first is the action's subject), so each person's access log finds theirs. */
export async function recordAudit(
  ctx: Context,
  entry: Pick<AuditDoc, 'outcome' | 'code' | 'target' | 'reason' | 'subject' | 'detail' | 'actorRole'>,
  others: readonly string[] = [],
): Promise<void> {
  const subjects = [entry.subject, ...others.filter((o) => o !== entry.subject)]
  for (const subject of subjects) {
    await ctx.db.collection<AuditDoc>(COLLECTIONS.auditLogs).add({
      actorOpenid: ctx.openid,
      fn: ctx.fn,
      action: ctx.action,
      requestId: ctx.requestId,
      createdAt: ctx.now,
      ...entry,
      subject,
    })
  }
}

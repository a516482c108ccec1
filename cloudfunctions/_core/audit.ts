import { COLLECTIONS } from './collections'
import type { Context } from './context'
import type { Doc } from './db'

/** Who did what to whom, and why: staff actions and staff views of personal data. */
export interface AuditDoc extends Doc {
  actorOpenid: string
  fn: string
  action: string
  outcome: 'ok' | 'refused' | 'error'
  code: string | null
  /** The target account or document, when the action names one. */
  target: string | null
  reason: string | null
  requestId: string
  createdAt: Date
}

export async function recordAudit(
  ctx: Context,
  entry: Pick<AuditDoc, 'outcome' | 'code' | 'target' | 'reason'>,
): Promise<void> {
  await ctx.db.collection<AuditDoc>(COLLECTIONS.auditLogs).add({
    actorOpenid: ctx.openid,
    fn: ctx.fn,
    action: ctx.action,
    requestId: ctx.requestId,
    createdAt: ctx.now,
    ...entry,
  })
}

/**
 * What the login service stops needing: sign-ins and tokens a day after they
 * expired (a used code's record is kept that long, so a replay is still
 * recognized and revokes its family), and client assertions' replay records.
 */
import type { Context } from '../context'
import { oidcSignIns, oidcTokens } from './records'

const KEEP_AFTER_EXPIRY_MS = 24 * 3600 * 1000

export async function purgeExpired(ctx: Context): Promise<{ signIns: number; tokens: number }> {
  const before = new Date(ctx.now.getTime() - KEEP_AFTER_EXPIRY_MS)
  const signIns = await oidcSignIns(ctx.db).removeWhere({ expiresAt: ctx.db.cmd.lt(before) })
  const tokens = await oidcTokens(ctx.db).removeWhere({ expiresAt: ctx.db.cmd.lt(before) })
  return { signIns, tokens }
}

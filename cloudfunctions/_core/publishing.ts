/**
 * Who may publish, and whose content others may see. Account state and the
 * current documents are checked by the dispatcher for every signed-in action;
 * publishing adds real-name verification and the publishing ban, each with its
 * own code so the mini-program can say what to do.
 */
import type { AccountContext, Context } from './context'
import { accounts, type AccountDoc } from './accounts'
import { fail } from './errors'
import { requireFeature } from './lifecycle/features'

export function requirePublisher(ctx: AccountContext): void {
  if (ctx.account.verifiedAt === null) fail('VERIFICATION_REQUIRED', '发布内容前请先完成实名认证')
  requireFeature(ctx, 'publish')
}

/**
 * The accounts of `openids` whose content others may see now, by openid:
 * accounts that exist and whose state does not hide content (dormant, frozen
 * by staff, pending deletion … set `contentHidden`). One query, which also
 * gives feeds the authors' names and avatars.
 */
export async function visibleAuthorAccounts(ctx: Context, openids: readonly string[]): Promise<Map<string, AccountDoc>> {
  const unique = [...new Set(openids)]
  if (unique.length === 0) return new Map()
  const found = await accounts(ctx.db).find({ openid: ctx.db.cmd.in(unique), contentHidden: false }, { limit: unique.length })
  return new Map(found.map((a) => [a.openid, a]))
}

/** The authors among `openids` whose content others may see now. */
export async function visibleAuthors(ctx: Context, openids: readonly string[]): Promise<Set<string>> {
  return new Set((await visibleAuthorAccounts(ctx, openids)).keys())
}

/**
 * Nicknames are published text too: a new nickname passes the gate. Refused →
 * CONTENT_REFUSED (nothing changes); published → it becomes the nickname;
 * held for review → it waits in `pendingNickname`, shown to its owner only,
 * while everyone else keeps seeing the previous nickname until a reviewer
 * approves it (targets.ts writes the outcome).
 */
import type { ModerationView } from '../../../shared/contract/content'
import type { AccountContext } from '../context'
import type { Patch } from '../db'
import { takeDailyAllowance } from '../rate-limit'
import { moderate, viewOfModeration, type ContentModeration } from './gate'
import type { ProfileAccount } from './targets'

export interface PendingNickname {
  nickname: string
  moderation: ModerationView
}

export interface NicknameChange {
  /** What to write on the account (with the rest of the profile change). */
  patch: Patch
  /** The account's nickname fields afterwards: `nickname` is what others see. */
  nickname: string
  pendingNickname: string | null
  nicknameModeration: ContentModeration | null
}

/** The nickname waiting for review on this account, as its owner sees it. */
export function pendingNicknameOf(account: ProfileAccount): PendingNickname | null {
  if (!account.pendingNickname || !account.nicknameModeration) return null
  return { nickname: account.pendingNickname, moderation: viewOfModeration(account.nicknameModeration) }
}

export async function changeNickname(ctx: AccountContext, requested: string): Promise<NicknameChange> {
  const account: ProfileAccount = ctx.account
  // Back to the nickname already public: nothing to check, and a held one is withdrawn.
  if (requested === account.nickname) {
    return { patch: { pendingNickname: null, nicknameModeration: null }, nickname: requested, pendingNickname: null, nicknameModeration: null }
  }
  await takeDailyAllowance(ctx, 'nickname')
  const moderation = await moderate(ctx, { kind: 'nickname', targetId: account._id, texts: { nickname: requested } })
  const set = ctx.db.cmd.set(moderation)
  if (moderation.state === 'published') {
    return { patch: { nickname: requested, pendingNickname: null, nicknameModeration: set }, nickname: requested, pendingNickname: null, nicknameModeration: moderation }
  }
  return { patch: { pendingNickname: requested, nicknameModeration: set }, nickname: account.nickname, pendingNickname: requested, nicknameModeration: moderation }
}

/**
 * Avatars are public images (shown with what a person publishes, organizes or
 * visits): a new avatar passes the gate's image check (kind `avatar`, the
 * account as its target). Until the verdict it waits in `pendingAvatarUrl`,
 * shown to its owner only, while everyone else keeps seeing the previous
 * avatar; a pass makes it the avatar, a risky verdict drops it and tells the
 * owner in the inbox, a verdict for people holds it for review (targets.ts
 * writes the outcome).
 *
 * Both kinds the contract accepts are checked: a cloud:// file (what the
 * mini-program uploads from chooseAvatar) through a temporary URL, an https
 * image (e.g. a WeChat avatar URL) as it is — the contract cannot tell
 * WeChat's own URLs from any other host's, so none is published unchecked.
 * Removing the avatar needs no check.
 */
import type { ModerationView } from '../../../shared/contract/content'
import type { AccountContext } from '../context'
import type { Patch } from '../db'
import { takeDailyAllowance } from '../rate-limit'
import { moderate, viewOfModeration, type ContentModeration } from './gate'
import type { ProfileAccount } from './targets'

export interface PendingAvatar {
  avatarUrl: string
  moderation: ModerationView
}

export interface AvatarChange {
  /** What to write on the account (with the rest of the profile change). */
  patch: Patch
  /** The account's avatar fields afterwards: `avatarUrl` is what others see. */
  avatarUrl: string | null
  pendingAvatarUrl: string | null
  avatarModeration: ContentModeration | null
}

/** The avatar waiting for its check or review on this account, as its owner sees it. */
export function pendingAvatarOf(account: ProfileAccount): PendingAvatar | null {
  if (!account.pendingAvatarUrl || !account.avatarModeration) return null
  return { avatarUrl: account.pendingAvatarUrl, moderation: viewOfModeration(account.avatarModeration) }
}

export async function changeAvatar(ctx: AccountContext, requested: string | null): Promise<AvatarChange> {
  const account: ProfileAccount = ctx.account
  // No avatar, or back to the one already public: nothing to check, and a held one is withdrawn
  // (its verdict, when it comes, no longer names the account's decision and changes nothing).
  if (requested === null || requested === account.avatarUrl) {
    return {
      patch: { avatarUrl: requested, pendingAvatarUrl: null, avatarModeration: null },
      avatarUrl: requested,
      pendingAvatarUrl: null,
      avatarModeration: null,
    }
  }
  await takeDailyAllowance(ctx, 'avatar')
  const moderation = await moderate(ctx, { kind: 'avatar', targetId: account._id, texts: {}, images: [requested] })
  const set = ctx.db.cmd.set(moderation)
  // Published at once only when the same file passed for this account's current avatar decision.
  if (moderation.state === 'published') {
    return { patch: { avatarUrl: requested, pendingAvatarUrl: null, avatarModeration: set }, avatarUrl: requested, pendingAvatarUrl: null, avatarModeration: moderation }
  }
  return { patch: { pendingAvatarUrl: requested, avatarModeration: set }, avatarUrl: account.avatarUrl, pendingAvatarUrl: requested, avatarModeration: moderation }
}

/**
 * Proof that the person, not someone holding their phone, asks for a step
 * that is hard to undo (unfreezing, deletion): an explicit confirmation and a
 * sign-in moments ago.
 *
 * TODO(identity): for a verified account this should also require a fresh
 * real-name check (a face verification passed in the last few minutes, by the
 * same identity as the account's). `verificationId` is already in the contract
 * for it; wire it to the identity domain's re-check service once that exists
 * (identity.start refuses verified accounts today).
 */
import type { AccountContext } from '../context'
import { fail } from '../errors'

/** How recent the sign-in must be. */
export const RECENT_LOGIN_MS = 10 * 60 * 1000

export function requireReconfirmation(ctx: AccountContext, input: { confirm: true; verificationId?: string | undefined }): void {
  if (input.confirm !== true) fail('INVALID_INPUT', '请确认这是你本人的操作')
  const login = ctx.account.lastLoginAt
  if (!login || ctx.now.getTime() - login.getTime() > RECENT_LOGIN_MS || login.getTime() > ctx.now.getTime()) fail('REAUTH_REQUIRED')
}

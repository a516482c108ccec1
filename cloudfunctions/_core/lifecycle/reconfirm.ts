/**
 * Proof that the person, not someone holding their phone, asks for a step
 * that is hard to undo (unfreezing, deletion). Always an explicit
 * confirmation. For a verified account whose face-check consents are in force,
 * a passed `identity.recheck` of the same identity, spent once; otherwise a
 * sign-in moments ago. Waking a dormant verified account asks the same. The fallback matters: withdrawing the face consent must
 * never make deleting the account impossible (PIPL Art. 47).
 */
import type { AccountContext } from '../context'
import { consentsInForce } from '../consent/gate'
import { fail } from '../errors'
import { spendRecheck, VERIFICATION_PURPOSES } from '../identity/records'

/** How recent the sign-in must be. */
export const RECENT_LOGIN_MS = 10 * 60 * 1000

/** Whether proving it is the person takes a face check: a verified account whose verification consents are in force. */
export async function needsFaceRecheck(ctx: AccountContext): Promise<boolean> {
  return ctx.account.verifiedAt !== null && (await consentsInForce(ctx, VERIFICATION_PURPOSES))
}

export async function requireReconfirmation(ctx: AccountContext, input: { confirm: true; verificationId?: string | undefined }): Promise<void> {
  if (input.confirm !== true) fail('INVALID_INPUT', '请确认这是你本人的操作')
  if (await needsFaceRecheck(ctx)) {
    if (!input.verificationId) fail('REVERIFICATION_REQUIRED')
    if (!(await spendRecheck(ctx, ctx.openid, input.verificationId))) {
      fail('REVERIFICATION_REQUIRED', '这次人脸核验已失效或已使用，请重新完成人脸核验')
    }
    return
  }
  const login = ctx.account.lastLoginAt
  if (!login || ctx.now.getTime() - login.getTime() > RECENT_LOGIN_MS || login.getTime() > ctx.now.getTime()) fail('REAUTH_REQUIRED')
}

/**
 * Proof that the person, not someone holding their phone, asks for a step
 * that is hard to undo (unfreezing, deletion). Always an explicit
 * confirmation. For a verified account whose face-check consents stand, a
 * passed `identity.recheck` of the same identity, spent once; otherwise a
 * sign-in moments ago. Waking a dormant verified account asks the same.
 *
 * "Stand" means the person's latest decision on each verification purpose is
 * a grant — of whatever version. A newer notice that the person has not
 * re-accepted yet does not count as a withdrawal: a frozen or dormant account
 * cannot even re-accept it (consent.grant runs only in usable states), and
 * falling back to a sign-in then would let whoever holds the phone unfreeze or
 * wake the account. The re-check runs under that older grant for this one
 * purpose (`requireRecheckConsents`). The fallback is kept for a consent the
 * person actually withdrew or refused: withdrawing the face consent must never
 * make deleting the account impossible (PIPL Art. 47).
 */
import type { AccountContext } from '../context'
import { ledgerOf, requireConsents } from '../consent/gate'
import { fail } from '../errors'
import { spendRecheck, VERIFICATION_PURPOSES } from '../identity/records'

/** How recent the sign-in must be. */
export const RECENT_LOGIN_MS = 10 * 60 * 1000

/** Whether the person's latest decision on every verification purpose is a grant (of any version of its notice). */
export async function verificationConsentsStand(ctx: AccountContext): Promise<boolean> {
  const decisions = await ledgerOf(ctx).decisions(ctx.openid, VERIFICATION_PURPOSES)
  return VERIFICATION_PURPOSES.every((purpose) => decisions.get(purpose)?.latest?.action === 'grant')
}

/** Whether proving it is the person takes a face check: a verified account whose verification consents stand. */
export async function needsFaceRecheck(ctx: AccountContext): Promise<boolean> {
  return ctx.account.verifiedAt !== null && (await verificationConsentsStand(ctx))
}

/**
 * The consents `identity.recheck` / `completeRecheck` need: standing grants,
 * not necessarily of the current notices — exactly when `needsFaceRecheck`
 * asks for the re-check, so it can always be done. Otherwise the usual
 * CONSENT_REQUIRED naming what is missing.
 */
export async function requireRecheckConsents(ctx: AccountContext): Promise<void> {
  if (await verificationConsentsStand(ctx)) return
  await requireConsents(ctx, VERIFICATION_PURPOSES)
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

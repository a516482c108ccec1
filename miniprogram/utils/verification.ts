/**
 * Publishing needs real-name verification. The editors say so before the
 * form is filled in (a notice with the way to 实名认证) when the profile shows
 * the user is not verified yet; the server still decides on every save.
 */
import { call } from '../api'

/** True when the profile says not verified; null when it cannot be read (not signed in yet, offline). */
export async function verificationNeeded(): Promise<boolean | null> {
  try {
    const { account } = await call('account', 'getProfile', {})
    return !account.verified
  } catch {
    return null
  }
}

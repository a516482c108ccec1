/**
 * Taking a person through registration, separate consents and real-name
 * verification the way the mini-program does — through the real handlers —
 * for tests and for the demo data of `npm start`.
 */
import { PURPOSES, requiredPurposes, type PurposeId } from '../shared/consent'
import type { ConsentStatus } from '../shared/contract/consent'
import type { ApiResult } from '../shared/errors'

/** One call as `openid`: the local gateway's and the test cloud's `call`. */
export type Caller = (name: string, data: unknown, openid: string) => Promise<ApiResult<unknown>>

export function dataOf<T>(result: ApiResult<unknown>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`)
  return result.data as T
}

async function shown(call: Caller, openid: string, purposes: readonly PurposeId[]): Promise<Array<{ purpose: PurposeId; version: string; hash: string }>> {
  const items = []
  for (const purpose of purposes) {
    const reply = await call('legal', { action: 'get', input: { docId: PURPOSES[purpose].document } }, openid)
    const { document } = dataOf<{ document: { version: string; hash: string } }>(reply, 'legal.get')
    items.push({ purpose, version: document.version, hash: document.hash })
  }
  return items
}

/**
 * Logs in, reads the current agreement and policy, and accepts them through
 * consent.grant (declaring an adult birth date unless the account has one).
 */
export async function acceptTerms(call: Caller, openid: string, options: { birthDate?: string } = {}): Promise<ConsentStatus> {
  dataOf(await call('account', { action: 'login', input: {} }, openid), 'login')
  const { status } = dataOf<{ status: ConsentStatus }>(await call('consent', { action: 'status', input: {} }, openid), 'consent.status')
  const items = await shown(call, openid, requiredPurposes(status.ageClass === 'under14'))
  const input = { items, method: 'checkbox', ...(status.ageClass === 'unknown' ? { declaredBirthDate: options.birthDate ?? '1990-01-01' } : {}) }
  return dataOf<{ status: ConsentStatus }>(await call('consent', { action: 'grant', input }, openid), 'consent.grant').status
}

/** Grants separate consents as from the privacy settings page. */
export async function grantPurposes(call: Caller, openid: string, purposes: readonly PurposeId[]): Promise<void> {
  dataOf(await call('consent', { action: 'grant', input: { items: await shown(call, openid, purposes), method: 'settings' } }, openid), 'consent.grant')
}

/** Real-name verification with the sandbox provider: the three consents, then start and complete. */
export async function verifyIdentity(call: Caller, openid: string, name: string, idNumber: string): Promise<void> {
  await grantPurposes(call, openid, ['idNumber', 'face', 'partnerSharing'])
  const { verificationId } = dataOf<{ verificationId: string }>(await call('identity', { action: 'start', input: { name, idNumber } }, openid), 'identity.start')
  const result = dataOf<{ outcome: string }>(await call('identity', { action: 'complete', input: { verificationId } }, openid), 'identity.complete')
  if (result.outcome !== 'passed') throw new Error(`verification of ${openid} did not pass: ${result.outcome}`)
}

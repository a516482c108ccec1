/**
 * Re-confirming that the verified owner is the one asking (identity.recheck),
 * before unfreezing or deleting, through the real dispatcher, SDK and local DB
 * with the sandbox provider.
 */
import { acceptCurrentTerms, ensureTestDocuments, freshTestIdNumber, startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { RecheckResult } from '../../shared/contract/identity'
import { errorOf, grant, makeAdmin, ok, publish } from './helpers'

let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-05-04T02:00:00.000Z') })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

const call = (openid: string, fn: string, action: string, input: unknown = {}) => cloud.call(fn, { action, input }, openid)

async function recheck(openid: string): Promise<RecheckResult> {
  const { verificationId } = ok<{ verificationId: string }>(await call(openid, 'identity', 'recheck'))
  return ok<RecheckResult>(await call(openid, 'identity', 'completeRecheck', { verificationId }))
}

async function passedRecheck(openid: string): Promise<string> {
  const result = await recheck(openid)
  if (result.outcome !== 'passed') throw new Error(`re-check did not pass: ${result.outcome}`)
  return result.verificationId
}

async function frozenVerified(openid: string): Promise<void> {
  await verifiedPublisher(cloud, openid, { idNumber: freshTestIdNumber() })
  ok(await call(openid, 'account', 'freeze'))
}

describe('a verified account', () => {
  it('cannot unfreeze with a confirmation alone: a fresh face check is required', async () => {
    await frozenVerified('rc-needs')
    expect(errorOf(await call('rc-needs', 'account', 'unfreeze', { confirm: true })).code).toBe('REVERIFICATION_REQUIRED')
  })

  it('unfreezes with a passed re-check, which is then spent', async () => {
    await frozenVerified('rc-pass')
    const verificationId = await passedRecheck('rc-pass')
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-pass', 'account', 'unfreeze', { confirm: true, verificationId }))
    expect(lifecycle.state).toBe('active')
    const again = await call('rc-pass', 'account', 'requestDeletion', { confirm: true, verificationId })
    expect(errorOf(again).code).toBe('REVERIFICATION_REQUIRED')
  })

  it('asks for deletion with a re-check even long after signing in', async () => {
    await verifiedPublisher(cloud, 'rc-delete')
    cloud.clock.advance(60 * 60 * 1000)
    const verificationId = await passedRecheck('rc-delete')
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-delete', 'account', 'requestDeletion', { confirm: true, verificationId }))
    expect(lifecycle.state).toBe('pendingDeletion')
  })

  it('refuses a re-check older than ten minutes', async () => {
    await frozenVerified('rc-stale')
    const verificationId = await passedRecheck('rc-stale')
    cloud.clock.advance(11 * 60 * 1000)
    expect(errorOf(await call('rc-stale', 'account', 'unfreeze', { confirm: true, verificationId })).code).toBe('REVERIFICATION_REQUIRED')
  })

  it('cannot spend someone else’s re-check', async () => {
    await frozenVerified('rc-owner')
    await frozenVerified('rc-thief')
    const verificationId = await passedRecheck('rc-owner')
    expect(errorOf(await call('rc-thief', 'account', 'unfreeze', { confirm: true, verificationId })).code).toBe('REVERIFICATION_REQUIRED')
    expect(errorOf(await call('rc-thief', 'identity', 'completeRecheck', { verificationId })).code).toBe('NOT_FOUND')
  })

  it('keeps verification and re-check ids apart', async () => {
    await verifiedPublisher(cloud, 'rc-apart')
    const { verificationId } = ok<{ verificationId: string }>(await call('rc-apart', 'identity', 'recheck'))
    expect(errorOf(await call('rc-apart', 'identity', 'complete', { verificationId })).code).toBe('NOT_FOUND')
    // The pending re-check is not offered as a pending verification.
    const status = ok<{ state: string; pending: unknown }>(await call('rc-apart', 'identity', 'status'))
    expect(status).toMatchObject({ state: 'verified', pending: null })
  })

  it('settles a re-check once', async () => {
    await verifiedPublisher(cloud, 'rc-once')
    const { verificationId } = ok<{ verificationId: string }>(await call('rc-once', 'identity', 'recheck'))
    ok(await call('rc-once', 'identity', 'completeRecheck', { verificationId }))
    expect(errorOf(await call('rc-once', 'identity', 'completeRecheck', { verificationId })).code).toBe('VERIFICATION_USED')
  })

  it('fails a re-check when the account’s identity changed meanwhile, and the failure cannot be spent', async () => {
    await verifiedPublisher(cloud, 'rc-changed')
    ok(await call('rc-changed', 'account', 'freeze'))
    const { verificationId } = ok<{ verificationId: string }>(await call('rc-changed', 'identity', 'recheck'))
    // As if staff had corrected the identity to another person's ID between start and result.
    await cloud.store.collection('identities').updateWhere({ openid: 'rc-changed' }, { idIndex: 'another-person' })
    const result = ok<RecheckResult>(await call('rc-changed', 'identity', 'completeRecheck', { verificationId }))
    expect(result.outcome).toBe('failed')
    expect(errorOf(await call('rc-changed', 'account', 'unfreeze', { confirm: true, verificationId })).code).toBe('REVERIFICATION_REQUIRED')
  })
})

describe('an account without real-name verification', () => {
  it('has nothing to re-check and unfreezes with a confirmation and a recent sign-in', async () => {
    await acceptCurrentTerms(cloud, 'rc-plain')
    ok(await call('rc-plain', 'account', 'freeze'))
    expect(errorOf(await call('rc-plain', 'identity', 'recheck')).code).toBe('VERIFICATION_REQUIRED')
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-plain', 'account', 'unfreeze', { confirm: true }))
    expect(lifecycle.state).toBe('active')
  })

  it('can still be deleted after withdrawing the face consent, which ends verification', async () => {
    await verifiedPublisher(cloud, 'rc-withdrawn')
    ok(await call('rc-withdrawn', 'consent', 'withdraw', { purpose: 'face' }))
    ok(await call('rc-withdrawn', 'account', 'login'))
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-withdrawn', 'account', 'requestDeletion', { confirm: true }))
    expect(lifecycle.state).toBe('pendingDeletion')
  })
})

describe('after a new version of the face-check notice takes effect', () => {
  const ADMIN = 'rc-notice-admin'

  beforeAll(async () => {
    // Everyone verified below granted version 1; version 2 takes effect a minute from now.
    await verifiedPublisher(cloud, 'rc-old-grant')
    ok(await call('rc-old-grant', 'account', 'freeze'))
    await verifiedPublisher(cloud, 'rc-outdated')
    await makeAdmin(cloud, ADMIN)
    await acceptCurrentTerms(cloud, ADMIN)
    const now = cloud.clock.now()
    await publish(cloud, ADMIN, { docId: 'notice-face', version: '2', announcedAt: now, effectiveAt: new Date(now.getTime() + 60_000) })
    cloud.clock.advance(2 * 60_000)
  })

  it('still asks a frozen account for the face check (it cannot accept the new notice while frozen), and lets it pass under the old grant', async () => {
    // Signed in moments ago: without the face check that alone would do.
    ok(await call('rc-old-grant', 'account', 'login'))
    expect(errorOf(await call('rc-old-grant', 'account', 'unfreeze', { confirm: true })).code).toBe('REVERIFICATION_REQUIRED')
    // The new notice cannot be accepted in this state…
    expect(errorOf(await grant(cloud, 'rc-old-grant', ['face'])).code).toBe('ACCOUNT_UNAVAILABLE')
    // …and the re-check runs under the grant of version 1, for this purpose.
    const verificationId = await passedRecheck('rc-old-grant')
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-old-grant', 'account', 'unfreeze', { confirm: true, verificationId }))
    expect(lifecycle.state).toBe('active')
  })

  it('falls back to a recent sign-in only once a verification consent is withdrawn, not while it is merely outdated', async () => {
    ok(await call('rc-outdated', 'account', 'login'))
    expect(errorOf(await call('rc-outdated', 'account', 'requestDeletion', { confirm: true })).code).toBe('REVERIFICATION_REQUIRED')
    // Withdrawing (which ends verification) is a decision of the person's: then a sign-in moments ago is enough.
    ok(await call('rc-outdated', 'consent', 'withdraw', { purpose: 'face' }))
    expect(errorOf(await call('rc-outdated', 'identity', 'recheck')).code).toBe('VERIFICATION_REQUIRED')
    const { lifecycle } = ok<{ lifecycle: { state: string } }>(await call('rc-outdated', 'account', 'requestDeletion', { confirm: true }))
    expect(lifecycle.state).toBe('pendingDeletion')
  })
})


/**
 * Dormancy: accounts unused for LECHAT_DORMANCY_MONTHS are told ahead, then
 * become dormant (content hidden, data kept) and wake on the next sign-in.
 * Never deletion (the 2022 Shanghai ruling voided "365 days without login → delete").
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import { addMonths } from '../../shared/rules/lifecycle'
import { errorOf, makeAdmin, ok, publish } from './helpers'
import { DAY, fire, inbox, lifecycleOf, signUp, stored } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-01-10T02:00:00.000Z')
const MONTHS = 6

beforeAll(async () => {
  cloud = await startTestCloud({ start: START, env: { LECHAT_DORMANCY_MONTHS: String(MONTHS), LECHAT_SUBSCRIBE_TEMPLATE_ACCOUNT_STATE: 'tmpl-account-state', LECHAT_SUBSCRIBE_FIELDS_ACCOUNT_STATE: 'title=thing1,body=thing2,time=time3' } })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

const account = (openid: string, action: string, input: unknown = {}) => cloud.call('account', { action, input }, openid)
const titles = async (openid: string) => (await inbox(cloud, openid)).map((m) => m.title)
const dormancyNotices = async (openid: string) => (await inbox(cloud, openid)).filter((m) => m.title.includes('转为休眠') && m.title.startsWith('账号将于'))

/** Moves the clock and runs the daily job, as the timer would. */
async function dayOf(at: Date): Promise<void> {
  cloud.clock.set(at)
  await fire(cloud, 'dormancy')
}

describe('an account nobody uses', () => {
  const person = 'dorm-quiet'
  const dueAt = addMonths(START, MONTHS)

  beforeAll(async () => {
    cloud.clock.set(START)
    await signUp(cloud, person)
    ok(await cloud.call('inbox', { action: 'subscribe', input: { accepted: ['accountState'] } }, person))
  })

  it('is left alone until 30 days before the dormancy date', async () => {
    await dayOf(new Date(dueAt.getTime() - 31 * DAY))
    expect(await dormancyNotices(person)).toHaveLength(0)
  })

  it('is told 30 days ahead, once, in the inbox and — as the person allowed — by a subscribe message', async () => {
    const sentBefore = cloud.openApi.sent.length
    await dayOf(new Date(dueAt.getTime() - 30 * DAY))
    await dayOf(new Date(dueAt.getTime() - 29 * DAY))
    const notices = await dormancyNotices(person)
    expect(notices).toHaveLength(1)
    expect(notices[0]?.type).toBe('accountState')
    expect(notices[0]?.body).toContain('不会被删除')
    expect(notices[0]?.title).toContain(new Date(dueAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10))
    expect(cloud.openApi.sent.slice(sentBefore).map((m) => [m.touser, m.templateId])).toEqual([[person, 'tmpl-account-state']])
  })

  it('is told again 7 days ahead', async () => {
    await dayOf(new Date(dueAt.getTime() - 7 * DAY))
    expect(await dormancyNotices(person)).toHaveLength(2)
  })

  it('becomes dormant on the date: content hidden, data kept, features wait for a sign-in', async () => {
    await dayOf(new Date(dueAt.getTime() - 1000))
    expect((await stored(cloud, person)).state).toBe('active')
    await dayOf(dueAt)
    const after = await stored(cloud, person)
    expect(after).toMatchObject({ state: 'dormant', contentHidden: true })
    const message = (await inbox(cloud, person)).find((m) => m.title === '账号已转为休眠')
    // Not verified: signing in wakes it, and the message says so; it opens 账号与安全.
    expect(message?.body).toContain('重新登录即可恢复')
    expect(message?.link).toBe('/packageAccount/pages/security/index')
    const refused = errorOf(await account(person, 'getProfile'))
    expect(refused.code).toBe('ACCOUNT_UNAVAILABLE')
    expect(refused.message).toContain('重新登录即可恢复')
    expect(lifecycleOf(ok(await account(person, 'getState'))).state).toBe('dormant')
  })

  it('is never deleted, however long it sleeps', async () => {
    for (let year = 1; year <= 3; year++) {
      cloud.clock.set(new Date(dueAt.getTime() + year * 365 * DAY))
      await fire(cloud, 'dormancy')
      await fire(cloud, 'runDeletions')
      await fire(cloud, 'tidyTimedStates')
    }
    const still = await stored(cloud, person)
    expect(still).toMatchObject({ state: 'dormant', nickname: expect.stringMatching(/^乐聊用户/) })
    expect(await cloud.store.collection('consent_records').count({ subject: person })).toBeGreaterThan(0)
  })

  it('wakes on sign-in: active again, content shown, told so', async () => {
    const login = ok<{ woke: boolean; lifecycle: { state: string } }>(await account(person, 'login'))
    expect(login).toMatchObject({ woke: true, lifecycle: { state: 'active' } })
    expect(await stored(cloud, person)).toMatchObject({ state: 'active', contentHidden: false, dormancyNoticesSent: [] })
    expect(await titles(person)).toContain('账号已从休眠恢复')
    ok(await account(person, 'getProfile'))
    // A second login is an ordinary one.
    expect(ok<{ woke: boolean }>(await account(person, 'login')).woke).toBe(false)
  })
})

describe('activity', () => {
  it('starts the count again: a notice given before a sign-in does not lead to dormancy', async () => {
    const person = 'dorm-returns'
    cloud.clock.set(START)
    await signUp(cloud, person)
    const dueAt = addMonths(START, MONTHS)
    await dayOf(new Date(dueAt.getTime() - 30 * DAY))
    expect(await dormancyNotices(person)).toHaveLength(1)
    // Using the app (not even a login: any call) counts, once a day.
    cloud.clock.advance(DAY)
    ok(await account(person, 'getProfile'))
    await dayOf(dueAt)
    await dayOf(new Date(dueAt.getTime() + 10 * DAY))
    expect((await stored(cloud, person)).state).toBe('active')
    // The new stretch of inactivity gets its own notices.
    const nextDue = addMonths((await stored(cloud, person)).lastActiveAt, MONTHS)
    await dayOf(new Date(nextDue.getTime() - 30 * DAY))
    expect(await dormancyNotices(person)).toHaveLength(2)
  })
})

describe('a job that did not run for a while', () => {
  it('still warns first and waits 7 days after the warning before dormancy', async () => {
    const person = 'dorm-missed'
    cloud.clock.set(START)
    await signUp(cloud, person)
    const dueAt = addMonths(START, MONTHS)
    // The first run after the dormancy date: one notice (standing for both), no dormancy yet.
    const late = new Date(dueAt.getTime() + 3 * DAY)
    await dayOf(late)
    const notices = await dormancyNotices(person)
    expect(notices).toHaveLength(1)
    expect((await stored(cloud, person)).state).toBe('active')
    expect((await stored(cloud, person)).dormancyNoticesSent.sort()).toEqual([30, 7].sort())
    await dayOf(new Date(late.getTime() + 6 * DAY))
    expect((await stored(cloud, person)).state).toBe('active')
    await dayOf(new Date(late.getTime() + 7 * DAY))
    expect((await stored(cloud, person)).state).toBe('dormant')
    expect(await dormancyNotices(person)).toHaveLength(1)
  })
})

describe('accounts in other states', () => {
  it('are not made dormant: a frozen or pending-deletion account keeps its state', async () => {
    cloud.clock.set(START)
    await signUp(cloud, 'dorm-frozen')
    ok(await account('dorm-frozen', 'freeze'))
    const quiet = await stored(cloud, 'dorm-frozen')
    await accounts(cloud.store).update(quiet._id, { lastActiveAt: START })
    await dayOf(new Date(addMonths(START, MONTHS).getTime() + 60 * DAY))
    expect((await stored(cloud, 'dorm-frozen')).state).toBe('frozenBySelf')
    expect(await dormancyNotices('dorm-frozen')).toHaveLength(0)
  })
})

/** A verified person the job makes dormant as any other: notices first, then the state. */
async function verifiedAndDormant(person: string): Promise<void> {
  cloud.clock.set(START)
  await verifiedPublisher(cloud, person)
  const dueAt = addMonths(START, MONTHS)
  await dayOf(new Date(dueAt.getTime() - 30 * DAY))
  await dayOf(new Date(dueAt.getTime() - 7 * DAY))
  await dayOf(dueAt)
  expect((await stored(cloud, person)).state).toBe('dormant')
}

describe('a verified account', () => {
  const person = 'dorm-verified'

  beforeAll(async () => {
    await verifiedAndDormant(person)
  })

  it('is told that the face check, not a sign-in, brings it back', async () => {
    const messages = await inbox(cloud, person)
    const warning = messages.find((m) => m.title.startsWith('账号将于'))
    expect(warning?.body).toContain('完成本人人脸核验即可恢复')
    expect(warning?.body).not.toContain('登录即可恢复')
    const dormant = messages.find((m) => m.title === '账号已转为休眠')
    expect(dormant?.body).toContain('在「我的 → 账号与安全」完成本人人脸核验即可恢复')
    expect(dormant?.body).not.toContain('重新登录即可恢复')
    expect(dormant?.link).toBe('/packageAccount/pages/security/index')
    const refused = errorOf(await account(person, 'getProfile'))
    expect(refused.message).toContain('人脸核验')
    expect(refused.message).not.toContain('重新登录即可恢复')
  })

  it('is not woken by a sign-in alone: the owner’s face check wakes it', async () => {
    const login = ok<{ woke: boolean; lifecycle: { state: string; available: string[]; notice: string } }>(await account(person, 'login'))
    expect(login).toMatchObject({ woke: false, lifecycle: { state: 'dormant' } })
    expect(login.lifecycle.available).toEqual(expect.arrayContaining(['wake', 'requestDeletion']))
    expect(login.lifecycle.notice).toContain('人脸核验')
    expect((await stored(cloud, person)).contentHidden).toBe(true)

    expect(errorOf(await account(person, 'wake', { confirm: true })).code).toBe('REVERIFICATION_REQUIRED')
    const { verificationId } = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'recheck', input: {} }, person))
    expect(ok<{ outcome: string }>(await cloud.call('identity', { action: 'completeRecheck', input: { verificationId } }, person)).outcome).toBe('passed')
    expect(lifecycleOf(ok(await account(person, 'wake', { confirm: true, verificationId }))).state).toBe('active')
    expect(await stored(cloud, person)).toMatchObject({ state: 'active', contentHidden: false })
    expect(await titles(person)).toContain('账号已从休眠恢复')
    // Only a dormant account wakes.
    expect(errorOf(await account(person, 'wake', { confirm: true, verificationId })).code).toBe('ACCOUNT_UNAVAILABLE')
  })
})

describe('a verified account once a new face-check notice is in effect', () => {
  const person = 'dorm-verified-old-grant'

  beforeAll(async () => {
    await verifiedAndDormant(person)
    // Version 2 of the notice the person granted version 1 of; a dormant account cannot accept it.
    await makeAdmin(cloud, 'dorm-notice-admin')
    await acceptCurrentTerms(cloud, 'dorm-notice-admin')
    const now = cloud.clock.now()
    await publish(cloud, 'dorm-notice-admin', { docId: 'notice-face', version: '2', announcedAt: now, effectiveAt: new Date(now.getTime() + 60_000) })
    cloud.clock.advance(2 * 60_000)
  })

  it('is still not woken by a sign-in, and wakes by the face check under the grant it has', async () => {
    const login = ok<{ woke: boolean; lifecycle: { state: string } }>(await account(person, 'login'))
    expect(login).toMatchObject({ woke: false, lifecycle: { state: 'dormant' } })
    expect((await stored(cloud, person)).contentHidden).toBe(true)
    expect(errorOf(await account(person, 'wake', { confirm: true })).code).toBe('REVERIFICATION_REQUIRED')

    const { verificationId } = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'recheck', input: {} }, person))
    expect(ok<{ outcome: string }>(await cloud.call('identity', { action: 'completeRecheck', input: { verificationId } }, person)).outcome).toBe('passed')
    expect(lifecycleOf(ok(await account(person, 'wake', { confirm: true, verificationId }))).state).toBe('active')
  })
})


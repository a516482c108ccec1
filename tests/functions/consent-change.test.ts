/** A new version of the privacy policy: announced, in effect, re-accepted or refused. */
import { acceptCurrentTerms, startTestCloud, type TestCloud } from '../../local/testing'
import { DAY, errorOf, grant, makeAdmin, ok, publish, shownCurrent, statusOf, type VersionMetaData } from './helpers'

const START = new Date('2026-09-01T02:00:00.000Z')
const ADMIN = 'change-admin'
let cloud: TestCloud
let v2: VersionMetaData

interface Message {
  id: string
  type: string
  title: string
  body: string
  link: string | null
  read: boolean
}

const call = (openid: string, fn: string, action: string, input: unknown = {}) => cloud.call(fn, { action, input }, openid)
const inboxOf = async (openid: string) => ok<{ messages: Message[]; unread: number }>(await call(openid, 'inbox', 'list'))
const legalNotices = async (openid: string) => (await inboxOf(openid)).messages.filter((m) => m.type === 'legalUpdate')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await makeAdmin(cloud, ADMIN)
  for (const user of [ADMIN, 'reader-a', 'early-b', 'refuser-c', 'location-d', 'absent-f']) await acceptCurrentTerms(cloud, user)
  ok(await grant(cloud, 'location-d', ['location']))
  cloud.clock.advance(DAY)
  v2 = await publish(cloud, ADMIN, { docId: 'privacy-policy', version: '2', announcedAt: cloud.clock.now(), effectiveAt: new Date(cloud.clock.now().getTime() + 7 * DAY), summary: '新增访客记录的说明' })
  await publish(cloud, ADMIN, { docId: 'notice-location', version: '2', announcedAt: cloud.clock.now(), effectiveAt: new Date(cloud.clock.now().getTime() + 7 * DAY) })
})
afterAll(async () => {
  await cloud.close()
})

describe('an announced version', () => {
  it('is shown as upcoming, and noticed once in the inbox when the person next shows up', async () => {
    const status = await statusOf(cloud, 'reader-a')
    expect(status.blocked).toBeNull()
    expect(status.upcoming).toEqual([
      { purpose: 'privacy', docId: 'privacy-policy', version: '2', title: v2.title, summary: '新增访客记录的说明', effectiveAt: v2.effectiveAt, accepted: false },
    ])
    ok(await call('reader-a', 'account', 'login'))
    const notices = await legalNotices('reader-a')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ read: false, link: '/pages/legal/doc?docId=privacy-policy&version=2' })
    expect(notices[0]?.title).toContain('更新')
    expect(notices[0]?.body).toContain('新增访客记录的说明')
    expect(await cloud.store.collection('inbox_messages').count({ recipient: 'reader-a' })).toBe(1)
  })

  it('is noticed only to those it concerns: notices of optional purposes go to those who granted them', async () => {
    const location = (await legalNotices('location-d')).map((m) => m.link)
    expect(location.sort()).toEqual(['/pages/legal/doc?docId=notice-location&version=2', '/pages/legal/doc?docId=privacy-policy&version=2'])
    expect((await legalNotices('reader-a')).map((m) => m.link)).toEqual(['/pages/legal/doc?docId=privacy-policy&version=2'])
  })

  it('changes nothing before its effective date', async () => {
    cloud.clock.advance(6 * DAY)
    ok(await call('reader-a', 'account', 'getProfile'))
    ok(await call('reader-a', 'account', 'updateProfile', { nickname: '读者甲' }))
  })

  it('can be accepted early; that counts once it takes effect', async () => {
    const early = await shownCurrent(cloud, 'privacy', '2')
    ok(await call('early-b', 'consent', 'grant', { items: [early], method: 'popup' }))
    const status = await statusOf(cloud, 'early-b')
    expect(status.upcoming.map((u) => [u.version, u.accepted])).toEqual([['2', true]])
    expect(status.blocked).toBeNull()
    // Accepted before the notice was delivered: nothing to tell.
    expect(await legalNotices('early-b')).toEqual([])
  })
})

describe('once the new version is in effect', () => {
  beforeAll(() => {
    cloud.clock.advance(DAY + 1000)
  })

  it('blocks signed-in features until it is accepted, while documents, consent and inbox keep working', async () => {
    const refused = errorOf(await call('reader-a', 'account', 'getProfile'))
    expect(refused.code).toBe('TERMS_UPDATED')
    expect(refused.message).toContain('已更新')
    expect(ok<{ pending: string[] }>(await call('reader-a', 'account', 'login')).pending).toContain('agreement')
    ok(await call('reader-a', 'legal', 'get', { docId: 'privacy-policy' }))
    ok(await call('reader-a', 'inbox', 'list'))
    ok(await call('reader-a', 'inbox', 'unreadCount'))
    const status = await statusOf(cloud, 'reader-a')
    expect(status.blocked).toBe('TERMS_UPDATED')
    expect(status.required.find((r) => r.purpose === 'privacy')).toEqual({ purpose: 'privacy', docId: 'privacy-policy', currentVersion: '2', acceptedVersion: '1', state: 'outdated' })
    expect(status.upcoming).toEqual([])
    // Still one notice: delivery is idempotent across logins, status and inbox calls.
    expect(await legalNotices('reader-a')).toHaveLength(1)
  })

  it('no longer accepts decisions on the replaced version', async () => {
    const old = await shownCurrent(cloud, 'privacy', '1')
    expect(errorOf(await call('reader-a', 'consent', 'grant', { items: [old], method: 'popup' })).code).toBe('DOCUMENT_OUTDATED')
  })

  it('opens the service again once accepted', async () => {
    ok(await grant(cloud, 'reader-a', ['privacy'], { method: 'popup' }))
    ok(await call('reader-a', 'account', 'getProfile'))
    expect((await statusOf(cloud, 'reader-a')).blocked).toBeNull()
  })

  it('lets the early acceptance stand', async () => {
    ok(await call('early-b', 'account', 'getProfile'))
  })

  it('records a refusal, and keeps the person out with a plain explanation', async () => {
    const shown = await shownCurrent(cloud, 'privacy')
    const refusal = ok<{ record: { action: string; version: string }; status: { blocked: string } }>(await call('refuser-c', 'consent', 'refuse', { ...shown, method: 'popup' }))
    expect(refusal.record).toMatchObject({ action: 'refuse', version: '2' })
    expect(refusal.status.blocked).toBe('TERMS_UPDATED')
    const refused = errorOf(await call('refuser-c', 'account', 'getProfile'))
    expect(refused.code).toBe('TERMS_UPDATED')
    expect(refused.message).toContain('你已拒绝《')
    expect(refused.message).toContain('注销')
    const history = ok<{ records: Array<{ action: string; purpose: string }> }>(await call('refuser-c', 'consent', 'history', { purpose: 'privacy' }))
    expect(history.records.map((r) => r.action)).toEqual(['refuse', 'grant'])
    // Changing one's mind is as easy.
    ok(await grant(cloud, 'refuser-c', ['privacy'], { method: 'popup' }))
    ok(await call('refuser-c', 'account', 'getProfile'))
  })

  it('tells a person who missed the announcement that the text changed', async () => {
    const notices = await legalNotices('absent-f')
    expect(notices.map((m) => [m.title, m.link])).toEqual([[`《${v2.title}》已更新`, '/pages/legal/doc?docId=privacy-policy&version=2']])
  })

  it('needs no notice for someone who joined under the new version', async () => {
    await acceptCurrentTerms(cloud, 'newcomer-e')
    expect(await legalNotices('newcomer-e')).toEqual([])
  })
})

/**
 * 活动详情 (packageActivities/pages/detail) against the real backend: seats
 * left, signing up with an optional phone (what the organizer will see,
 * masked unless shared), cancelling a sign-up after confirming, a full
 * activity, the refusals explained, and the organizer's view: moderation
 * state, the attendee list with masked phones (paged), edit, and cancelling
 * the activity after confirming.
 */
import { activitiesOf } from '../../cloudfunctions/_core/activities/records'
import { verifiedPublisher } from '../../local/testing'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, makeAdmin, type Backend } from './backend'
import { openLoaded, publishActivity, sentInputs } from './content-helpers'
import { change, load, modalAnswer, reportSheetOf, tap, textOf, textsOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(30_000)

const ORGANIZER = 'activity-detail-organizer'
const ADMIN = 'activity-detail-admin'

let backend: Backend
let seq = 0
let attendee = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)
const showModal = jest.fn(async (_options: { title: string; content: string; confirmText?: string }) => modalAnswer(true))
const declineOnce = (): void => {
  showModal.mockImplementationOnce(async () => modalAnswer(false))
}

const pageId = load('packageActivities/pages/detail/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, ORGANIZER)
  await makeAdmin(backend.cloud, ADMIN)
  Object.assign(wx, { navigateTo, switchTab, showModal })
})

afterAll(async () => {
  await backend.close()
})

beforeEach(async () => {
  seq += 1
  attendee = `activity-detail-attendee-${seq}`
  await acceptCurrentTerms(backend.cloud, attendee)
  backend.signIn(attendee)
  for (const mock of [navigateTo, switchTab, showModal, backend.callFunction]) mock.mockClear()
})

async function openActivity(id: string): Promise<Page> {
  const page = await openLoaded(pageId, { id })
  expect(page.data.status).toBe('ready')
  return page
}

test('signing up with a phone: what the organizer will see, seats update, then cancelling after confirming frees the seat', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '周末读书会', capacity: 3 })
  const page = await openActivity(activity.id)
  expect(textOf(page, '#title')).toBe('周末读书会')
  expect(textOf(page, '#phase')).toBe('报名中')
  expect(textOf(page, '#seats')).toBe('剩余 3 个名额 / 共 3 个')
  expect(textOf(page, '#organizer')).toContain('已实名')
  expect(textOf(page, '#phone-explain')).toContain('默认只能看到打码后的号码')

  // The preview follows the number and the switch.
  await type(page, '#phone', '138 0013')
  expect(page.querySelector('#organizer-preview')).toBeUndefined()
  await type(page, '#phone', '138 0013 8000')
  expect(textOf(page, '#organizer-preview')).toBe('组织者将看到：138****8000')
  await change(page, '#share-phone', true)
  expect(textOf(page, '#organizer-preview')).toBe('组织者将看到：13800138000')
  await change(page, '#share-phone', false)

  await tap(page, '#signup', () => page.data.busy === '')
  expect(sentInputs(backend, 'activities', 'signUp')).toEqual([{ id: activity.id, phone: '138 0013 8000', sharePhone: false }])
  expect(textOf(page, '#seats')).toBe('剩余 2 个名额 / 共 3 个')
  expect(textOf(page, '#signed-up')).toContain('你已报名')
  expect(textOf(page, '#notice')).toContain('报名成功')
  expect(page.querySelector('#signup-form')).toBeUndefined()

  // The organizer sees the number masked.
  const { attendees } = await callAs(backend.cloud, ORGANIZER, 'activities', 'attendees', { id: activity.id })
  expect(attendees.map((a) => a.phone)).toEqual(['138****8000'])

  // Declining the question sends nothing.
  declineOnce()
  await tap(page, '#cancel-signup', () => showModal.mock.calls.length === 1)
  await waitFor('the page to settle', () => page.data.busy === '')
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '取消报名？' })
  expect(sentInputs(backend, 'activities', 'cancelSignUp')).toEqual([])
  expect(textOf(page, '#seats')).toBe('剩余 2 个名额 / 共 3 个')

  await tap(page, '#cancel-signup', () => page.data.notice !== '' && page.data.busy === '')
  expect(sentInputs(backend, 'activities', 'cancelSignUp')).toEqual([{ id: activity.id }])
  expect(textOf(page, '#notice')).toBe('已取消报名，名额已释放。')
  expect(textOf(page, '#seats')).toBe('剩余 3 个名额 / 共 3 个')
  expect(page.querySelector('#signup-form')).toBeDefined()
})

test('a phone that is not a mainland mobile, or sharing without one, is pointed out beside the field; nothing is sent', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '手机号检查' })
  const page = await openActivity(activity.id)
  await change(page, '#share-phone', true)
  await tap(page, '#signup')
  expect(textOf(page, '#phone-error')).toBe('请填写要告诉组织者的手机号')
  await type(page, '#phone', '12345')
  await tap(page, '#signup')
  expect(textOf(page, '#phone-error')).toBe('请填写正确的中国大陆手机号')
  expect(sentInputs(backend, 'activities', 'signUp')).toEqual([])

  // Shared in full: the organizer sees the whole number.
  await type(page, '#phone', '+86 139-0000-1111')
  await tap(page, '#signup', () => page.data.busy === '' && page.data.activity.signedUp)
  const { attendees } = await callAs(backend.cloud, ORGANIZER, 'activities', 'attendees', { id: activity.id })
  expect(attendees[0]).toMatchObject({ phone: '13900001111', phoneShared: true })
})

test('a full activity: no form, 名额已满; the last seat taken meanwhile is explained and the seats are read again', async () => {
  const full = await publishActivity(backend.cloud, ORGANIZER, { title: '已满的活动', capacity: 1 })
  await acceptCurrentTerms(backend.cloud, 'activity-detail-early')
  await callAs(backend.cloud, 'activity-detail-early', 'activities', 'signUp', { id: full.id })
  const page = await openActivity(full.id)
  expect(textOf(page, '#phase')).toBe('名额已满')
  expect(textOf(page, '#seats')).toBe('剩余 0 个名额 / 共 1 个')
  expect(page.querySelector('#signup-form')).toBeUndefined()
  expect(textOf(page, '#signup-unavailable')).toContain('名额已满')

  const race = await publishActivity(backend.cloud, ORGANIZER, { title: '最后一个名额', capacity: 1 })
  const racing = await openActivity(race.id)
  expect(textOf(racing, '#seats')).toBe('剩余 1 个名额 / 共 1 个')
  await acceptCurrentTerms(backend.cloud, 'activity-detail-faster')
  await callAs(backend.cloud, 'activity-detail-faster', 'activities', 'signUp', { id: race.id })

  await tap(racing, '#signup', () => racing.data.busy === '' && racing.data.activity.seatsLeft === 0)
  expect(textOf(racing, '#refusal-message')).toBe(ERROR_FULL)
  expect(textOf(racing, '#refusal-hint')).toContain('如果有人取消报名，名额会重新开放')
  expect(textOf(racing, '#seats')).toBe('剩余 0 个名额 / 共 1 个')
  expect(textOf(racing, '#phase')).toBe('名额已满')
})

const ERROR_FULL = '活动名额已满'

test('signed up on another device: ALREADY_SIGNED_UP is explained and the page shows the seat', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '重复报名' })
  const page = await openActivity(activity.id)
  await callAs(backend.cloud, attendee, 'activities', 'signUp', { id: activity.id })
  await tap(page, '#signup', () => page.data.busy === '' && page.data.activity.signedUp)
  expect(textOf(page, '#refusal-hint')).toBe('你已经有一个名额了，不需要重复报名。')
  expect(textOf(page, '#signed-up')).toContain('你已报名')
})

test('a visitor without an account is asked to sign in, with the way to 我的', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '游客看到的活动' })
  backend.signIn('activity-detail-visitor-without-account')
  const page = await openActivity(activity.id)
  expect(textOf(page, '#seats')).toBe('剩余 10 个名额 / 共 10 个')
  await tap(page, '#signup', () => page.data.busy === '')
  expect(textOf(page, '#refusal-message')).toBe('请先登录')
  expect(textOf(page, '#refusal-action')).toBe('去登录')
  await tap(page, '#refusal-action')
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })
})

test('signing up while restricted: FEATURE_RESTRICTED says until when and why', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '受限用户' })
  const { account } = await callAs(backend.cloud, attendee, 'account', 'getProfile', {})
  const until = new Date(backend.cloud.clock.now().getTime() + 7 * 24 * 3600 * 1000).toISOString()
  await callAs(backend.cloud, ADMIN, 'admin', 'transition', {
    accountId: account.id,
    transition: 'restrict', category: 'spam', rule: 'harassment',
    features: ['signUp'],
    reason: '多次报名后不参加',
    until,
  })
  const page = await openActivity(activity.id)
  await tap(page, '#signup', () => page.data.busy === '')
  expect(textOf(page, '#refusal-message')).toMatch(/^「报名活动」已被限制使用至 .+（北京时间）。理由：多次报名后不参加$/)
  expect(textOf(page, '#refusal-hint')).toContain('限制到期后会自动恢复')
})

test('the organizer: moderation state, attendees with masked phones (paged), edit, and cancelling after confirming', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '组织者的活动', capacity: 30 })
  // 22 attendees: the first shares a phone, the second gives one masked, the rest give none.
  const people = Array.from({ length: 22 }, (_, i) => `activity-detail-crowd-${i}`)
  for (const [i, person] of people.entries()) {
    await acceptCurrentTerms(backend.cloud, person)
    const phone = i === 0 ? { phone: '13800138000', sharePhone: true } : i === 1 ? { phone: '13900139000' } : {}
    await callAs(backend.cloud, person, 'activities', 'signUp', { id: activity.id, ...phone })
    // The list is in sign-up order.
    backend.cloud.clock.advance(1000)
  }

  backend.signIn(ORGANIZER)
  const page = await openActivity(activity.id)
  expect(textOf(page, '#moderation-label')).toBe('已发布')
  expect(page.querySelector('#signup-card')).toBeUndefined()
  expect(textOf(page, '#seats')).toBe('剩余 8 个名额 / 共 30 个')
  await waitFor('the attendee list', () => page.data.attendeesStatus === 'ready')
  expect(textOf(page, '#attendees-total')).toBe('共 22 人报名')
  const phones = textsOf(page, '.attendee__number')
  expect(phones).toHaveLength(20)
  expect(phones.slice(0, 3)).toEqual(['13800138000', '139****9000', '未留手机号'])
  expect(textOf(page, '#attendees-card')).toContain('除报名者本人同意公开的号码外，手机号均已打码')

  await tap(page, '#attendees-more', () => page.data.attendees.loadingMore === false && page.data.attendees.items.length === 22)
  expect(page.querySelector('#attendees-more')).toBeUndefined()

  await tap(page, '#edit')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageActivities/pages/editor/index?id=${activity.id}` })

  declineOnce()
  await tap(page, '#cancel-activity', () => showModal.mock.calls.length === 1)
  await waitFor('the page to settle', () => page.data.busy === '')
  expect(showModal.mock.calls[0]?.[0].content).toContain('已报名的 22 人会收到站内信通知')
  expect(sentInputs(backend, 'activities', 'cancel')).toEqual([])

  await tap(page, '#cancel-activity', () => page.data.notice !== '')
  expect(textOf(page, '#notice')).toBe('活动已取消，已通知 22 位报名者。')
  expect(textOf(page, '#phase')).toBe('已取消')
  expect(textOf(page, '#cancelled')).toContain('取消了这个活动')
  expect(page.querySelector('#cancel-activity')).toBeUndefined()
  const { messages } = await callAs(backend.cloud, people[0] ?? '', 'inbox', 'list', {})
  expect(messages.some((m) => m.body.includes('组织者的活动') || m.title.includes('组织者的活动'))).toBe(true)
})

test('an activity held for review: the organizer sees why, others cannot open it', async () => {
  const held = await publishActivity(backend.cloud, ORGANIZER, { title: '待审核的活动', description: '介绍里有沙箱待审的词。' })
  backend.signIn(ORGANIZER)
  const page = await openActivity(held.id)
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textOf(page, '#moderation-reasons')).toContain('需人工复审')
  expect(textOf(page, '#moderation')).toContain('通过审核前只有你能看到这个活动')

  backend.signIn(attendee)
  const other = await openLoaded(pageId, { id: held.id })
  // Not there for them (yet): an empty state with 返回, nothing to reload.
  expect(other.data.status).toBe('empty')
  expect(textOf(other.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
})

test('an activity that is gone or a broken link: an empty state that says so, with 返回 instead of 重新加载', async () => {
  const redirectTo = jest.fn((_options: { url: string }) => undefined)
  Object.assign(wx, { redirectTo })
  const gone = await openLoaded(pageId, { id: 'no-such-activity' })
  expect(gone.data.status).toBe('empty')
  const state = gone.querySelector('#page-state') as unknown as Page
  expect(textOf(state, '.state__text')).toContain('不存在或已被删除')
  expect(state.querySelector('#retry')).toBeUndefined()
  expect(textOf(state, '#empty-action')).toBe('返回')
  // Opened from a share (no page before it): 返回 leads to the list.
  state.querySelector('#empty-action')?.dispatchEvent('tap')
  await waitFor('the way back', () => redirectTo.mock.calls.length === 1)
  expect(redirectTo).toHaveBeenCalledWith({ url: '/packageActivities/pages/list/index' })

  const broken = await openLoaded(pageId, { id: '%E4%B8' })
  expect(broken.data.status).toBe('empty')
  expect(textOf(broken.querySelector('#page-state') as unknown as Page, '.state__text')).toContain('链接可能不完整')
  expect(sentInputs(backend, 'activities', 'detail').filter((input) => JSON.stringify(input).includes('%'))).toEqual([])
})

test('an activity taken down while open: shown again, the page says it is gone', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '即将隐藏的活动' })
  const page = await openActivity(activity.id)
  // The organizer's content is hidden meanwhile (moderation takes it down).
  await activitiesOf(backend.cloud.store).update(activity.id, { moderation: backend.cloud.store.cmd.set({ state: 'rejected', decisionId: 'x', reasons: ['测试'], decidedAt: new Date() }) })
  ;(page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')
  await waitFor('the empty state', () => page.data.status === 'empty')
  expect(textOf(page.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
})

test('others are offered 举报 for the activity and for its organizer; the organizer is not', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '可以举报的活动' })
  const page = await openActivity(activity.id)
  await tap(page, '#report-content')
  const sheet = reportSheetOf(page)
  expect(textOf(sheet, '.report-sheet__title')).toBe('举报这个活动')
  await tap(sheet, '#category-spam')
  await tap(sheet, '#report-submit', () => page.data.reportAbout === '', 'the sheet to close')
  const filed = await backend.cloud.store.collection('moderation_reports').findOne({ reporterOpenid: attendee })
  expect(filed).toMatchObject({ targetKind: 'activity', targetId: activity.id, category: 'spam' })
  await tap(page, '#report-author')
  expect(textOf(reportSheetOf(page), '.report-sheet__title')).toBe('举报组织者')

  // The organizer reports an attendee's profile from the attendee list, not the activity.
  await callAs(backend.cloud, attendee, 'activities', 'signUp', { id: activity.id })
  backend.signIn(ORGANIZER)
  const own = await openActivity(activity.id)
  expect(own.querySelector('#report-content')).toBeUndefined()
  await waitFor('the attendee list', () => own.data.attendeesStatus !== 'loading' && own.data.attendees.items.length === 1)
  const row = own.data.attendees.items[0] as { key: string; accountId: string }
  await tap(own, `#report-attendee-${row.key}`)
  expect(textOf(reportSheetOf(own), '.report-sheet__title')).toBe('举报这位报名者')
  await tap(reportSheetOf(own), '#category-abuse')
  await tap(reportSheetOf(own), '#report-submit', () => own.data.reportAbout === '', 'the sheet to close')
  const about = await backend.cloud.store.collection('moderation_reports').findOne({ reporterOpenid: ORGANIZER })
  expect(about).toMatchObject({ targetKind: 'account', targetId: row.accountId, subject: attendee })
})

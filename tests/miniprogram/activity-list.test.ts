/**
 * 活动 (packageActivities/pages/list) against the real backend: upcoming
 * activities earliest first, paged by cursor (加载更多 and scrolling to the
 * bottom), my activities with their moderation state, my sign-ups, empty and
 * error states; and the home page's entries to 活动 and 文章.
 */
import simulate from 'miniprogram-simulate'
import { verifiedPublisher } from '../../local/testing'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openLoaded, openPage, publishActivity, sentInputs } from './content-helpers'
import { load, tap, textOf, textsOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(30_000)

const ORGANIZER = 'activity-list-organizer'
/** A second organizer: one person may publish only so many activities a day (DAILY_LIMITS). */
const CO_ORGANIZER = 'activity-list-co-organizer'
const READER = 'activity-list-reader'
/** The page asks for this many at a time. */
const PAGE_SIZE = 10
const HOUR = 3600 * 1000

let backend: Backend

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

const pageId = load('packageActivities/pages/list/index')
const homeId = load('pages/home/index')
const detailId = load('packageActivities/pages/detail/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, ORGANIZER)
  await verifiedPublisher(backend.cloud, CO_ORGANIZER)
  await acceptCurrentTerms(backend.cloud, READER)
  Object.assign(wx, { navigateTo, switchTab })
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  backend.signIn(READER)
  for (const mock of [navigateTo, switchTab, backend.callFunction]) mock.mockClear()
})

function rowTitles(page: Page): string[] {
  return textsOf(page, '.activity__title')
}

test('nothing yet: each tab says so', async () => {
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#page-state')).toBe('暂时没有即将开始的活动')
  await tap(page, '#tab-signups', () => page.data.status !== 'loading')
  expect(textOf(page, '#page-state')).toBe('你还没有报名任何活动')
  await tap(page, '#tab-mine', () => page.data.status !== 'loading')
  expect(textOf(page, '#page-state')).toContain('你还没有发布过活动')
})

test('upcoming activities, earliest first, a page at a time with 加载更多 and at the bottom; never one twice', async () => {
  const titles: string[] = []
  // Published in reverse: the list orders by start, not by publication.
  for (let i = 22; i >= 0; i--) {
    const title = `活动 ${String(i + 1).padStart(2, '0')}`
    await publishActivity(backend.cloud, i % 2 === 0 ? ORGANIZER : CO_ORGANIZER, { title, daysAhead: 1 + (i * HOUR) / (24 * HOUR), capacity: 5 })
    titles.unshift(title)
  }
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('ready')
  expect(rowTitles(page)).toEqual(titles.slice(0, PAGE_SIZE))
  expect(textOf(page, '#load-more')).toBe('加载更多')
  const first = page.data.activities.items[0]
  expect(textOf(page, `#seats-${first?.id}`)).toBe('剩余 5 个名额 / 共 5 个')
  expect(textOf(page, `#activity-${first?.id}`)).toContain('报名中')

  await tap(page, '#load-more', () => !page.data.activities.loadingMore && page.data.activities.items.length > PAGE_SIZE)
  expect(rowTitles(page)).toEqual(titles.slice(0, 2 * PAGE_SIZE))

  const instance = page.instance as { onReachBottom: () => void }
  instance.onReachBottom()
  // A second scroll while the page is on its way asks nothing more.
  instance.onReachBottom()
  await waitFor('the last page', () => !page.data.activities.loadingMore && page.data.activities.nextCursor === null)
  expect(rowTitles(page)).toEqual(titles)
  expect(page.querySelector('#load-more')).toBeUndefined()
  expect(textOf(page, '#no-more')).toBe('没有更多活动了')
  expect(sentInputs(backend, 'activities', 'list')).toHaveLength(3)

  // A row opens its activity.
  await tap(page, `#activity-${first?.id}`)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageActivities/pages/detail/index?id=${first?.id}` })
  await tap(page, '#create')
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageActivities/pages/editor/index' })
})

test('我发布的 shows where each activity stands; 我报名的 shows my seats and what the organizer sees of my phone', async () => {
  const held = await publishActivity(backend.cloud, ORGANIZER, { title: '复审中的活动', description: '有沙箱待审的词' })
  const open = await publishActivity(backend.cloud, ORGANIZER, { title: '可以报名的活动', daysAhead: 30 })
  await callAs(backend.cloud, READER, 'activities', 'signUp', { id: open.id, phone: '13800138000', sharePhone: true })

  backend.signIn(ORGANIZER)
  const mine = openPage(pageId, { tab: 'mine' })
  await waitFor('my activities', () => mine.data.status === 'ready')
  expect(sentInputs(backend, 'activities', 'list')).toEqual([])
  expect(rowTitles(mine)).toContain('复审中的活动')
  expect(textOf(mine, `#moderation-${held.id}`)).toBe('审核中')
  expect(mine.querySelector(`#moderation-${open.id}`)).toBeUndefined()

  backend.signIn(READER)
  const page = await openLoaded(pageId)
  await tap(page, '#tab-signups', () => page.data.status === 'ready')
  const [signUp] = page.data.signUps.items
  expect(signUp?.title).toBe('可以报名的活动')
  expect(textOf(page, `#signup-${signUp?.key}`)).toContain('组织者可以看到你的完整手机号')
  await tap(page, `#signup-${signUp?.key}`)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageActivities/pages/detail/index?id=${open.id}` })
})

test('a visitor without an account: 我报名的 asks to sign in, with the way to 我的; a failed load can be retried', async () => {
  backend.signIn('activity-list-visitor')
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('ready')
  await tap(page, '#tab-signups', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#page-state')).toContain('请先登录')
  await tap(page, '#error-action')
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })

  backend.signIn(READER)
  backend.setNetworkDown(true)
  await tap(page, '#tab-upcoming', () => page.data.status !== 'loading')
  expect(textOf(page, '#page-state')).toContain('网络连接失败')
  backend.setNetworkDown(false)
  page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
  await waitFor('the retry', () => page.data.status === 'ready')
  expect(page.querySelector('#error-action')).toBeUndefined()
})

test('the home page leads to 活动 and 文章', async () => {
  const home = simulate.render(homeId)
  home.attach(document.createElement('parent-wrapper'))
  expect(textOf(home, '#open-activities')).toContain('活动')
  await tap(home, '#open-activities')
  await tap(home, '#open-articles')
  expect(navigateTo.mock.calls.map(([options]) => options.url)).toEqual(['/packageActivities/pages/list/index', '/packageArticles/pages/feed/index'])
})

test('coming back keeps the pages loaded and where one was; after signing up on a detail page the list is read again', async () => {
  const page = await openLoaded(pageId)
  await tap(page, '#load-more', () => !page.data.activities.loadingMore && page.data.activities.items.length > PAGE_SIZE)
  const loaded = page.data.activities.items.length
  const showList = (): void => (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')

  // Looked at an activity and came back: nothing is read again, the second page stays.
  const first = page.data.activities.items[0]
  const detail = await openLoaded(detailId, { id: first?.id ?? '' })
  expect(detail.data.status).toBe('ready')
  const before = sentInputs(backend, 'activities', 'list').length
  showList()
  await simulate.sleep(20)
  expect(sentInputs(backend, 'activities', 'list')).toHaveLength(before)
  expect(page.data.activities.items).toHaveLength(loaded)

  // Signed up there: the seats changed, so the list is read again (quietly: no loading state).
  await tap(detail, '#signup', () => detail.data.busy === '' && detail.data.notice !== '')
  showList()
  expect(page.data.status).toBe('ready')
  await waitFor('the list to be read again', () => sentInputs(backend, 'activities', 'list').length === before + 1 && !page.data.activities.loadingMore)
  await waitFor('the new seats', () => page.data.activities.items[0]?.id === first?.id && textOf(page, `#seats-${first?.id}`) === '剩余 4 个名额 / 共 5 个')
  // Shown again without another change: nothing more.
  showList()
  await simulate.sleep(20)
  expect(sentInputs(backend, 'activities', 'list')).toHaveLength(before + 1)
})

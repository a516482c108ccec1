/**
 * 消息 (pages/inbox/index) against the real backend: the legal-update notice,
 * unread styling, marking read (one by tapping, all after confirming), the tab
 * badge, cursor pagination and opting in to WeChat subscribe messages.
 */
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { config } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, DAY, makeAdmin, publish, type Backend } from './backend'
import { inboxMessages, subscriptions } from '../../cloudfunctions/_core/inbox'
import { load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = {
    transport: 'cloud',
    envId: 'test-env',
    localUrl: '',
    devOpenid: '',
    subscribeTemplates: { legalUpdate: 'tmpl-legal-update-01', system: 'tmpl-system-0001' },
  }
  return { config }
})

interface AppOptions {
  onLaunch?: () => void
  onShow?: () => void
}

const ADMIN = 'inbox-admin'
let backend: Backend
let openid = ''
let app: AppOptions = {}

const setTabBarBadge = jest.fn((_options: { index: number; text: string }) => undefined)
const removeTabBarBadge = jest.fn((_options: { index: number }) => undefined)
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const showModal = jest.fn(async (_options: { title: string; content: string }) => ({ confirm: true, cancel: false, errMsg: 'showModal:ok' }))
let subscribeAnswer: Record<string, string> = {}
const requestSubscribeMessage = jest.fn((options: { tmplIds: string[]; success?: (res: Record<string, string>) => void }) =>
  options.success?.({ errMsg: 'requestSubscribeMessage:ok', ...subscribeAnswer }),
)

const pageId = load('pages/inbox/index')

beforeAll(async () => {
  backend = await connectBackend()
  await makeAdmin(backend.cloud, ADMIN)
  Object.assign(wx, { setTabBarBadge, removeTabBarBadge, navigateTo, showModal, requestSubscribeMessage })
  // As in WeChat: the options given to App() become the instance getApp() returns to every page and component.
  Object.assign(globalThis, {
    App: (options: AppOptions) => {
      app = options
    },
    getApp: () => app,
  })
  require('../../miniprogram/app')
  app.onLaunch?.()
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(async () => {
  seq += 1
  openid = `inbox-user-${seq}`
  backend.signIn(openid)
  await acceptCurrentTerms(backend.cloud, openid)
  for (const mock of [setTabBarBadge, removeTabBarBadge, navigateTo, showModal, requestSubscribeMessage]) mock.mockClear()
})

type Page = ReturnType<typeof simulate.render>

async function openPage(): Promise<Page> {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the inbox to load', () => page.data.status !== 'loading')
  return page
}

/** Older messages, arranged in the store as other domains would have written them. */
async function olderMessages(count: number): Promise<void> {
  const now = backend.cloud.clock.now().getTime()
  for (let i = 0; i < count; i++) {
    await inboxMessages(backend.cloud.store).add({
      recipient: openid,
      type: 'system',
      title: `系统通知 ${i + 1}`,
      body: `第 ${i + 1} 条系统通知`,
      link: null,
      dedupeKey: null,
      readAt: null,
      createdAt: new Date(now - (i + 1) * 60_000),
    })
  }
}

function rows(page: Page): Array<{ id: string; title: string; read: boolean; link: string }> {
  return page.data.messages as Array<{ id: string; title: string; read: boolean; link: string }>
}

test('an empty inbox says so, and the badge is cleared', async () => {
  const page = await openPage()
  expect(page.data.status).toBe('empty')
  expect(page.dom?.textContent).toContain('还没有消息')
  expect(textOf(page, '#unread-count')).toBe('没有未读消息')
  expect(removeTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 1 }))
})

test('the legal-update notice comes first and unread; opening it marks it read, opens the new version and updates the badge', async () => {
  await olderMessages(3)
  await publish(backend.cloud, ADMIN, {
    docId: 'user-agreement',
    version: `1.${seq}`,
    title: '乐聊名片用户协议',
    summary: '调整了申诉时限',
    effectiveInMs: 7 * DAY,
  })

  // The app comes to the foreground: the badge follows the server's unread count (the notice is delivered on the way).
  await callAs(backend.cloud, openid, 'consent', 'status', {})
  app.onShow?.()
  await waitFor('the badge', () => setTabBarBadge.mock.calls.length > 0)
  expect(setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 1, text: '4' }))

  const page = await openPage()
  expect(page.data.status).toBe('ready')
  const [notice] = rows(page)
  if (!notice) throw new Error('no messages')
  expect(notice.title).toContain('《乐聊名片用户协议》将于')
  expect(notice.link).toBe(`/pages/legal/doc?docId=user-agreement&version=1.${seq}`)
  const element = page.querySelector(`#message-${notice.id}`)
  expect(element?.dom?.className).toContain('message--unread')
  expect(textOf(page, `#message-${notice.id}`)).toContain('协议更新')
  expect(textOf(page, `#message-${notice.id}`)).toContain('调整了申诉时限')
  expect(textOf(page, '#unread-count')).toBe('4 条未读')

  element?.dispatchEvent('tap')
  await waitFor('the count to drop', () => page.data.unread === 3)
  expect(page.querySelector(`#message-${notice.id}`)?.dom?.className).not.toContain('message--unread')
  expect(navigateTo).toHaveBeenCalledWith({ url: notice.link })
  expect(setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 1, text: '3' }))
  expect((await callAs(backend.cloud, openid, 'inbox', 'unreadCount', {})).unread).toBe(3)

  // A message without a link only gets marked read.
  const plain = rows(page)[1]
  navigateTo.mockClear()
  page.querySelector(`#message-${plain?.id ?? ''}`)?.dispatchEvent('tap')
  await waitFor('the count to drop again', () => page.data.unread === 2)
  expect(navigateTo).not.toHaveBeenCalled()
})

test('a long inbox loads a page at a time; “全部已读” asks first, then clears the count and the badge', async () => {
  await olderMessages(25)
  const page = await openPage()
  // 25 arranged, plus the notice of the version announced earlier (it concerns this user too).
  const total = (await callAs(backend.cloud, openid, 'inbox', 'unreadCount', {})).unread
  expect(total).toBeGreaterThanOrEqual(25)
  expect(page.data.unread).toBe(total)
  expect(rows(page)).toHaveLength(20)
  expect(textOf(page, '#load-more')).toBe('加载更多')
  expect(page.querySelector('#no-more')).toBeUndefined()

  page.querySelector('#load-more')?.dispatchEvent('tap')
  await waitFor('the second page', () => rows(page).length === total)
  expect(new Set(rows(page).map((m) => m.id)).size).toBe(total)
  expect(rows(page).map((m) => m.title).slice(-1)).toEqual(['系统通知 25'])
  expect(page.querySelector('#load-more')).toBeUndefined()
  expect(textOf(page, '#no-more')).toBe('没有更早的消息了')

  page.querySelector('#mark-all')?.dispatchEvent('tap')
  await waitFor('everything read', () => page.data.unread === 0)
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '全部标为已读？', content: `${total} 条未读消息都会标为已读。` }))
  expect(rows(page).every((m) => m.read)).toBe(true)
  expect(removeTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 1 }))
  expect(page.querySelector('#mark-all')).toBeUndefined()
  expect((await callAs(backend.cloud, openid, 'inbox', 'unreadCount', {})).unread).toBe(0)
})

test('cancelling “全部已读” changes nothing', async () => {
  await olderMessages(2)
  showModal.mockImplementationOnce(async () => ({ confirm: false, cancel: true, errMsg: 'showModal:ok' }))
  const page = await openPage()
  const before = page.data.unread as number
  expect(before).toBeGreaterThanOrEqual(2)
  page.querySelector('#mark-all')?.dispatchEvent('tap')
  await waitFor('the question', () => showModal.mock.calls.length === 1)
  await simulate.sleep(20)
  expect(page.data.unread).toBe(before)
  expect((await callAs(backend.cloud, openid, 'inbox', 'unreadCount', {})).unread).toBe(before)
})

test('WeChat notifications: asks for the configured templates and records the accepted types', async () => {
  subscribeAnswer = { 'tmpl-legal-update-01': 'accept', 'tmpl-system-0001': 'reject' }
  const page = await openPage()
  expect(textOf(page, '#subscribe')).toContain('协议更新、系统通知')

  page.querySelector('#subscribe-button')?.dispatchEvent('tap')
  await waitFor('the subscription to be recorded', () => page.data.subscribing === false && page.data.subscribeNotice !== '')
  expect(requestSubscribeMessage.mock.calls[0]?.[0].tmplIds).toEqual(['tmpl-legal-update-01', 'tmpl-system-0001'])
  expect(textOf(page, '#subscribe-notice')).toBe('已开启：协议更新。每次开启可收到一条微信通知。')
  const credits = await subscriptions(backend.cloud.store).findOne({ openid })
  expect(credits?.credits).toMatchObject({ legalUpdate: 1, system: 0 })
})

test('without any configured template the option is not shown', async () => {
  const saved = config.subscribeTemplates
  config.subscribeTemplates = {}
  try {
    const page = await openPage()
    expect(page.querySelector('#subscribe')).toBeUndefined()
  } finally {
    config.subscribeTemplates = saved
  }
})

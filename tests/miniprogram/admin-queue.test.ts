/**
 * 审核队列 (packageAdmin/pages/queue) against the real backend: order, filters,
 * paging, pull to refresh, and the refusal a person who is not staff gets —
 * loading, empty and error states included.
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { change, load, tap, textOf, textsOf, waitFor, type Page } from './helpers'
import { cardOf, itemIdOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'admin-queue-reviewer'

let backend: Backend
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const stopPullDownRefresh = jest.fn(() => undefined)

const queueId = load('packageAdmin/pages/queue/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  Object.assign(wx, { navigateTo, stopPullDownRefresh })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  backend.signIn(REVIEWER)
  navigateTo.mockClear()
})

async function opened(pageId: string, query: Record<string, string> = {}): Promise<Page> {
  const page = openPage(pageId, query)
  await waitFor('the page to load', () => page.data.status !== 'loading')
  return page
}

test('the queue is empty to begin with, after saying it is loading', async () => {
  let release = (): void => undefined
  backend.hold(new Promise<void>((resolve) => (release = resolve)))
  const loading = openPage(queueId)
  await waitFor('the loading state', () => loading.data.status === 'loading')
  expect(textOf(loading, '#page-state')).toContain('正在加载')
  release()
  backend.hold(null)
  await waitFor('the page to load', () => loading.data.status !== 'loading')
  const queue = await opened(queueId)
  expect(queue.data.status).toBe('empty')
  expect(textOf(queue, '#page-state')).toBe('没有待处理的事项')
})

test('lists urgent items first, filters by source and category, and opens an item', async () => {
  const held = await cardOf(backend.cloud, 'admin-queue-held', { intro: '欢迎合作，沙箱待审' })
  expect(held.moderation.state).toBe('pendingReview')
  const reported = await cardOf(backend.cloud, 'admin-queue-reported')
  await acceptCurrentTerms(backend.cloud, 'admin-queue-reporter')
  await callAs(backend.cloud, 'admin-queue-reporter', 'moderation', 'report', { kind: 'card', targetId: reported.id, category: 'privacy' })
  const queue = await opened(queueId)
  expect(queue.data.status).toBe('ready')
  const titles = textsOf(queue, '.queue__title')
  expect(titles[0]).toBe('名片 · 泄露他人隐私')
  expect(textOf(queue, '.queue__row')).toContain('紧急')

  await change(queue, '#filter-queue', '1')
  await waitFor('the held queue', () => queue.data.status !== 'loading')
  expect(textsOf(queue, '.queue__title')).toEqual(['名片 · 其他'])
  await change(queue, '#filter-queue', '0')
  await change(queue, '#filter-category', String(1 + ['spam', 'fraud', 'porn', 'abuse', 'illegal', 'minors', 'privacy'].indexOf('privacy')))
  await waitFor('the privacy filter', () => queue.data.status !== 'loading' && queue.data.rows.items.length === 1)
  const id = queue.data.rows.items[0]?.id ?? ''
  await tap(queue, `#row-${id}`)
  expect(navigateTo).toHaveBeenLastCalledWith({ url: `/packageAdmin/pages/item/index?id=${id}` })

  await tap(queue, '#state-resolved', () => queue.data.status !== 'loading')
  expect(textOf(queue, '#page-state')).toBe('没有已处理的事项')
})

// Arranging 23 verified card owners through the real backend takes seconds on a loaded 2-core machine.
test('pages with 加载更多, and pulling down reads again', async () => {
  await acceptCurrentTerms(backend.cloud, 'admin-queue-many')
  for (let i = 0; i < 22; i++) {
    const card = await cardOf(backend.cloud, `admin-queue-many-${i}`)
    await callAs(backend.cloud, 'admin-queue-many', 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam' })
  }
  const queue = await opened(queueId)
  expect(queue.data.rows.items).toHaveLength(20)
  await tap(queue, '#load-more', () => !queue.data.rows.loadingMore && queue.data.rows.items.length > 20)
  expect(new Set(queue.data.rows.items.map((r: { id: string }) => r.id)).size).toBe(queue.data.rows.items.length)
  expect(textOf(queue, '#no-more')).toBe('没有更多了')

  const reported = await cardOf(backend.cloud, 'admin-queue-late')
  await callAs(backend.cloud, 'admin-queue-many', 'moderation', 'report', { kind: 'card', targetId: reported.id, category: 'illegal' })
  await (queue.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh()
  expect(stopPullDownRefresh).toHaveBeenCalled()
  // Urgent: among the first rows, ahead of all the spam.
  const urgentIds = queue.data.rows.items.slice(0, 2).map((r: { id: string }) => r.id)
  expect(urgentIds).toContain(await itemIdOf(backend.cloud, 'card', reported.id))
}, 30_000)

test('someone who is not staff is refused; a failed load says why', async () => {
  await acceptCurrentTerms(backend.cloud, 'admin-queue-user')
  backend.signIn('admin-queue-user')
  const queue = await opened(queueId)
  expect(queue.data.status).toBe('error')
  expect(textOf(queue, '#page-state')).toContain('没有权限')
  backend.signIn(REVIEWER)
  backend.setNetworkDown(true)
  const offline = await opened(queueId)
  expect(textOf(offline, '#page-state')).toContain('网络连接失败')
  backend.setNetworkDown(false)
})

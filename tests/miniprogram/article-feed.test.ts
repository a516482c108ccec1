/**
 * 文章 (packageArticles/pages/feed) against the real backend: newest first,
 * paged by cursor over several pages (加载更多 and scrolling to the bottom),
 * one author's articles (?author=), my drafts and articles with their status,
 * empty and error states.
 */
import simulate from 'miniprogram-simulate'
import { verifiedPublisher } from '../../local/testing'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import type { FeedRow } from '../../miniprogram/utils/articles'
import { openLoaded, openPage, publishArticle, sentInputs } from './content-helpers'
import { load, reportSheetOf, tap, textOf, textsOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(30_000)

const ALICE = 'article-feed-alice'
const BOB = 'article-feed-bob'
const READER = 'article-feed-reader'
const PAGE_SIZE = 10

let backend: Backend

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

const pageId = load('packageArticles/pages/feed/index')
const detailId = load('packageArticles/pages/detail/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, ALICE)
  await verifiedPublisher(backend.cloud, BOB)
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

function rowsOf(page: Page): FeedRow[] {
  return (page.data.articles as { items: FeedRow[] }).items
}

test('no articles yet: the feed says so', async () => {
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#page-state')).toBe('还没有人发布文章')
})

test('newest first over several pages: 加载更多, then scrolling to the bottom, never one twice', async () => {
  const titles: string[] = []
  for (let i = 1; i <= 25; i++) {
    const title = `第 ${i} 篇`
    await publishArticle(backend.cloud, i % 2 === 0 ? ALICE : BOB, title, `这是第 ${i} 篇的正文。`)
    titles.unshift(title)
    backend.cloud.clock.advance(1000)
  }
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('ready')
  expect(textsOf(page, '.article__title')).toEqual(titles.slice(0, PAGE_SIZE))
  const first = page.data.articles.items[0]
  expect(textOf(page, `#article-${first?.id}`)).toContain('这是第 25 篇的正文。')
  expect(textOf(page, `#views-${first?.id}`)).toBe('阅读 0')
  expect(textOf(page, `#author-${first?.id}`)).toBe(`${first?.author ?? ''} · 已实名`)

  // Something published meanwhile does not shift what comes next.
  await publishArticle(backend.cloud, ALICE, '翻页时新发布的')
  await tap(page, '#load-more', () => !page.data.articles.loadingMore && page.data.articles.items.length > PAGE_SIZE)
  expect(textsOf(page, '.article__title')).toEqual(titles.slice(0, 2 * PAGE_SIZE))

  ;(page.instance as { onReachBottom: () => void }).onReachBottom()
  await waitFor('the last page', () => !page.data.articles.loadingMore && page.data.articles.nextCursor === null)
  expect(textsOf(page, '.article__title')).toEqual(titles)
  expect(textOf(page, '#no-more')).toBe('没有更早的文章了')
  expect(sentInputs(backend, 'articles', 'feed')).toHaveLength(3)

  await tap(page, `#article-${first?.id}`)
  expect(navigateTo).toHaveBeenLastCalledWith({ url: `/packageArticles/pages/detail/index?id=${first?.id}` })
  await tap(page, '#write')
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageArticles/pages/editor/index' })
})

test('one author’s articles (?author=): a heading with the name, only theirs, and tapping an author opens theirs', async () => {
  const { account } = await callAs(backend.cloud, ALICE, 'account', 'getProfile', {})
  const page = openPage(pageId, { author: account.id })
  await waitFor('the author’s articles', () => page.data.status === 'ready')
  expect(sentInputs(backend, 'articles', 'feed')).toEqual([])
  expect(sentInputs(backend, 'articles', 'byAuthor')[0]).toMatchObject({ authorId: account.id, limit: PAGE_SIZE })
  expect(textOf(page, '#author-head')).toContain(`${account.nickname}的文章`)
  expect(page.querySelector('#write')).toBeUndefined()
  expect(page.querySelector('#tab-mine')).toBeUndefined()
  const { articles } = await callAs(backend.cloud, READER, 'articles', 'byAuthor', { authorId: account.id, limit: 50 })
  expect(rowsOf(page).every((row) => row.authorId === account.id)).toBe(true)
  await tap(page, '#load-more', () => !page.data.articles.loadingMore)
  expect(rowsOf(page).map((row) => row.id)).toEqual(articles.map((a) => a.id))

  const feed = await openLoaded(pageId)
  const bobs = rowsOf(feed).find((row) => row.authorId !== account.id)
  await tap(feed, `#author-${bobs?.id}`)
  // The author link does not open the article too.
  expect(navigateTo.mock.calls.map(([options]) => options.url)).toEqual([`/packageArticles/pages/feed/index?author=${bobs?.authorId}`])
})

test('我的文章: drafts and published articles with their status; visitors are asked to sign in', async () => {
  const { article: draft } = await callAs(backend.cloud, ALICE, 'articles', 'create', { title: '还没写完', body: '' })
  const held = await publishArticle(backend.cloud, ALICE, '等待复审的', '有沙箱待审的词')
  backend.signIn(ALICE)
  const page = await openLoaded(pageId)
  await tap(page, '#tab-mine', () => page.data.status === 'ready')
  expect(sentInputs(backend, 'articles', 'mine')).toHaveLength(1)
  expect(textOf(page, `#status-${draft.id}`)).toBe('草稿')
  expect(textOf(page, `#mine-${draft.id}`)).toContain('（还没有正文）')
  expect(textOf(page, `#status-${held.id}`)).toBe('审核中')
  await tap(page, `#mine-${draft.id}`)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageArticles/pages/detail/index?id=${draft.id}` })

  backend.signIn('article-feed-visitor')
  const visitor = await openLoaded(pageId)
  await tap(visitor, '#tab-mine', () => visitor.data.status !== 'loading')
  expect(visitor.data.status).toBe('error')
  expect(textOf(visitor, '#page-state')).toContain('请先登录')
  await tap(visitor, '#error-action')
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })
})

test('a failed next page keeps what is shown and says why; trying again continues', async () => {
  const page = await openLoaded(pageId)
  backend.setNetworkDown(true)
  await tap(page, '#load-more', () => !page.data.articles.loadingMore)
  expect(textOf(page, '#more-error')).toContain('网络连接失败')
  expect(page.data.articles.items).toHaveLength(PAGE_SIZE)
  backend.setNetworkDown(false)
  await tap(page, '#load-more', () => !page.data.articles.loadingMore && page.data.articles.items.length > PAGE_SIZE)
  expect(page.querySelector('#more-error')).toBeUndefined()
})

test('coming back keeps the pages loaded; after the author takes an article back, the feed is read again', async () => {
  const page = await openLoaded(pageId)
  await tap(page, '#load-more', () => !page.data.articles.loadingMore && rowsOf(page).length > PAGE_SIZE)
  const loaded = rowsOf(page).length
  const showFeed = (): void => (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')

  const newest = rowsOf(page)[0]
  const reader = await openLoaded(detailId, { id: newest?.id ?? '' })
  expect(reader.data.status).toBe('ready')
  const before = sentInputs(backend, 'articles', 'feed').length
  showFeed()
  await simulate.sleep(20)
  expect(sentInputs(backend, 'articles', 'feed')).toHaveLength(before)
  expect(rowsOf(page)).toHaveLength(loaded)

  // Its author takes it back to drafts on the article page (a confirmation first).
  const author = (await callAs(backend.cloud, ALICE, 'articles', 'detail', { id: newest?.id ?? '' })).article.mine ? ALICE : BOB
  backend.signIn(author)
  const own = await openLoaded(detailId, { id: newest?.id ?? '' })
  Object.assign(wx, { showModal: jest.fn(async () => ({ confirm: true, cancel: false, errMsg: 'showModal:ok' })) })
  await tap(own, '#unpublish', () => own.data.busy === '' && own.data.notice !== '')
  backend.signIn(READER)
  showFeed()
  await waitFor('the feed to be read again', () => sentInputs(backend, 'articles', 'feed').length === before + 1 && rowsOf(page)[0]?.id !== newest?.id)
  expect(rowsOf(page).map((r) => r.id)).not.toContain(newest?.id)
})

test('one author’s articles offer 举报 for the author', async () => {
  const author = await backend.cloud.store.collection('accounts').findOne({ openid: ALICE })
  const page = await openLoaded(pageId, { author: author?._id ?? '' })
  await tap(page, '#report-author')
  expect(textOf(reportSheetOf(page), '.report-sheet__title')).toBe('举报这位作者')
})

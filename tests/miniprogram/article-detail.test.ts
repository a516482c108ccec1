/**
 * 文章详情 (packageArticles/pages/detail) against the real backend: the view
 * count (once per reader per day, never the author), the author link, and the
 * author's actions: edit, publish a draft (refusals explained), take back to
 * drafts and delete, both only after confirming.
 */
import { verifiedPublisher } from '../../local/testing'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, refusalOf, type Backend } from './backend'
import { openLoaded, publishArticle, sentInputs } from './content-helpers'
import { load, modalAnswer, reportSheetOf, tap, textOf, textsOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(20_000)

const AUTHOR = 'article-detail-author'
const READERS = ['article-detail-reader-1', 'article-detail-reader-2']

let backend: Backend

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const redirectTo = jest.fn((_options: { url: string }) => undefined)
const showModal = jest.fn(async (_options: { title: string; content: string; confirmText?: string }) => modalAnswer(true))
const declineOnce = (): void => {
  showModal.mockImplementationOnce(async () => modalAnswer(false))
}

const pageId = load('packageArticles/pages/detail/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, AUTHOR)
  for (const reader of READERS) await acceptCurrentTerms(backend.cloud, reader)
  Object.assign(wx, { navigateTo, redirectTo, showModal })
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  backend.signIn(AUTHOR)
  for (const mock of [navigateTo, redirectTo, showModal, backend.callFunction]) mock.mockClear()
})

async function openArticle(id: string): Promise<Page> {
  const page = await openLoaded(pageId, { id })
  expect(page.data.status).toBe('ready')
  return page
}

test('each reader counts once a day, the author never; the body in paragraphs and the author one tap away', async () => {
  const article = await publishArticle(backend.cloud, AUTHOR, '被阅读的文章', '第一段。\n\n\n第二段。')
  backend.signIn(READERS[0] ?? '')
  const first = await openArticle(article.id)
  expect(textOf(first, '#title')).toBe('被阅读的文章')
  expect(textOf(first, '#views')).toBe('阅读 1')
  expect(textsOf(first, '.article__paragraph')).toEqual(['第一段。', '第二段。'])
  expect(first.querySelector('#author-card')).toBeUndefined()

  backend.signIn(READERS[1] ?? '')
  expect(textOf(await openArticle(article.id), '#views')).toBe('阅读 2')
  backend.signIn(READERS[0] ?? '')
  expect(textOf(await openArticle(article.id), '#views')).toBe('阅读 2')
  backend.signIn(AUTHOR)
  const own = await openArticle(article.id)
  expect(textOf(own, '#views')).toBe('阅读 2')

  // The next day the same reader counts again.
  backend.cloud.clock.advance(24 * 3600 * 1000)
  backend.signIn(READERS[0] ?? '')
  const nextDay = await openArticle(article.id)
  expect(textOf(nextDay, '#views')).toBe('阅读 3')

  const { account } = await callAs(backend.cloud, AUTHOR, 'account', 'getProfile', {})
  await tap(nextDay, '#author')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageArticles/pages/feed/index?author=${account.id}` })
})

test('delete asks first: declining sends nothing; confirming deletes it for good', async () => {
  const article = await publishArticle(backend.cloud, AUTHOR, '要删除的文章')
  const page = await openArticle(article.id)
  expect(textOf(page, '#status-label')).toBe('已发布')

  declineOnce()
  await tap(page, '#remove', () => showModal.mock.calls.length === 1)
  await waitFor('the page to settle', () => page.data.busy === '')
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '删除这篇文章？', content: '文章和它的阅读记录会被彻底删除，不能恢复。' })
  expect(sentInputs(backend, 'articles', 'remove')).toEqual([])
  expect(textOf(page, '#title')).toBe('要删除的文章')

  await tap(page, '#remove', () => page.data.deleted)
  expect(sentInputs(backend, 'articles', 'remove')).toEqual([{ id: article.id }])
  expect(textOf(page, '#deleted')).toContain('文章已删除')
  expect(await refusalOf(callAs(backend.cloud, AUTHOR, 'articles', 'detail', { id: article.id }))).toBe('NOT_FOUND')
  await tap(page, '#back-to-feed')
  expect(redirectTo).toHaveBeenCalledWith({ url: '/packageArticles/pages/feed/index' })
})

test('take back to drafts after confirming, publish again, and edit', async () => {
  const article = await publishArticle(backend.cloud, AUTHOR, '撤回再发布')
  const page = await openArticle(article.id)

  declineOnce()
  await tap(page, '#unpublish', () => showModal.mock.calls.length === 1)
  await waitFor('the page to settle', () => page.data.busy === '')
  expect(sentInputs(backend, 'articles', 'unpublish')).toEqual([])

  await tap(page, '#unpublish', () => page.data.notice !== '')
  expect(textOf(page, '#notice')).toBe('已撤回为草稿，只有你能看到。')
  expect(textOf(page, '#status-label')).toBe('草稿')
  const { articles } = await callAs(backend.cloud, READERS[0] ?? '', 'articles', 'feed', {})
  expect(articles.map((a) => a.id)).not.toContain(article.id)

  await tap(page, '#publish', () => page.data.notice !== '' && page.data.busy === '')
  expect(textOf(page, '#notice')).toBe('已发布，所有人都能看到这篇文章了。')
  expect(textOf(page, '#status-label')).toBe('已发布')

  await tap(page, '#edit')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageArticles/pages/editor/index?id=${article.id}` })
})

test('publishing a draft as an unverified author explains what to do; others cannot open a draft', async () => {
  const user = 'article-detail-unverified'
  await acceptCurrentTerms(backend.cloud, user)
  const { article } = await callAs(backend.cloud, user, 'articles', 'create', { title: '未认证作者的草稿', body: '正文' })
  backend.signIn(user)
  const page = await openArticle(article.id)
  expect(textOf(page, '#author-card')).toContain('草稿只有你能看到')
  await tap(page, '#publish', () => page.data.busy === '')
  expect(textOf(page, '#refusal-message')).toBe('请先完成实名认证')
  expect(textOf(page, '#refusal-action')).toBe('去实名认证')
  await tap(page, '#refusal-action')
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/verify/index' })

  backend.signIn(READERS[1] ?? '')
  const other = await openLoaded(pageId, { id: article.id })
  // Someone else's draft is not there for them: an empty state with 返回, not an error to reload.
  expect(other.data.status).toBe('empty')
  expect(textOf(other, '#page-state')).toContain('内容不存在或已被删除')
  expect(other.querySelector('#page-state')?.querySelector('#retry')).toBeUndefined()
  expect(textOf(other.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
})

test('a held article shows the author why', async () => {
  const held = await publishArticle(backend.cloud, AUTHOR, '等待复审', '含有沙箱待审的词')
  const page = await openArticle(held.id)
  expect(textOf(page, '#status-label')).toBe('审核中')
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textOf(page, '#moderation-reasons')).toContain('需人工复审')
})

test('readers are offered 举报 for the article and for its author; a cancelled sheet sends nothing', async () => {
  const article = await publishArticle(backend.cloud, AUTHOR, '可以举报的文章')
  backend.signIn(READERS[0] ?? '')
  const page = await openLoaded(pageId, { id: article.id })
  await tap(page, '#report-author')
  const sheet = reportSheetOf(page)
  expect(textOf(sheet, '.report-sheet__title')).toBe('举报作者')
  await tap(sheet, '#report-cancel')
  expect(page.data.reportAbout).toBe('')
  expect(sentInputs(backend, 'moderation', 'report')).toEqual([])
  await tap(page, '#report-content')
  await tap(reportSheetOf(page), '#category-infringement')
  await tap(reportSheetOf(page), '#report-submit', () => page.data.reportAbout === '', 'the sheet to close')
  expect(sentInputs(backend, 'moderation', 'report')).toEqual([{ kind: 'article', targetId: article.id, category: 'infringement', about: 'content' }])
})

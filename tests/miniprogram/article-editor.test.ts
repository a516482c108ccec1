/**
 * 写文章 (packageArticles/pages/editor) against the real backend: a draft
 * saved, then published and shown in the feed; live counts as the server
 * counts; the moderation gate's outcomes (held with reasons, refused beside
 * the field); checks before sending; an unverified author keeps the draft and
 * is shown the way to verification; a restricted author is told until when
 * and why; editing a published article re-submits it.
 */
import { normalizeArticleBody } from '../../shared/articles'
import { visibleLength } from '../../shared/rules/text'
import { verifiedPublisher } from '../../local/testing'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, makeAdmin, type Backend } from './backend'
import { openLoaded, sentInputs } from './content-helpers'
import { load, tap, textOf, textsOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(20_000)

const AUTHOR = 'article-editor-author'
const ADMIN = 'article-editor-admin'

let backend: Backend

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const redirectTo = jest.fn((_options: { url: string }) => undefined)

const pageId = load('packageArticles/pages/editor/index')
const feedId = load('packageArticles/pages/feed/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, AUTHOR)
  await makeAdmin(backend.cloud, ADMIN)
  Object.assign(wx, { navigateTo, redirectTo })
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  backend.signIn(AUTHOR)
  for (const mock of [navigateTo, redirectTo, backend.callFunction]) mock.mockClear()
})

async function write(page: Page, title: string, body: string): Promise<void> {
  await type(page, '#title', title)
  await type(page, '#body', body)
}

async function press(page: Page, selector: string): Promise<void> {
  await tap(page, selector, () => page.data.busy === '')
}

test('a draft is saved, then published, and appears at the top of the feed', async () => {
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('ready')
  await write(page, '我的第一篇文章', '第一段。\n\n第二段。')
  expect(textOf(page, '#title-count')).toBe('7/60')
  // Line breaks count, as the server counts them.
  expect(textOf(page, '#body-count')).toBe('10/10000')

  await press(page, '#save-draft')
  expect(textOf(page, '#saved-summary')).toBe('草稿已保存，只有你能看到。')
  expect(textOf(page, '#status-label')).toBe('草稿')
  const articleId = page.data.articleId
  expect(sentInputs(backend, 'articles', 'create')).toEqual([{ title: '我的第一篇文章', body: '第一段。\n\n第二段。' }])
  // A draft is nobody else's business.
  const before = await callAs(backend.cloud, 'article-editor-reader', 'articles', 'feed', {})
  expect(before.articles.map((a) => a.id)).not.toContain(articleId)

  // Publishing a saved, unchanged draft does not save it again.
  await press(page, '#publish')
  expect(sentInputs(backend, 'articles', 'update')).toEqual([])
  expect(sentInputs(backend, 'articles', 'publish')).toEqual([{ id: articleId }])
  expect(textOf(page, '#saved-summary')).toBe('已发布，所有人都能看到这篇文章了。')
  expect(textOf(page, '#status-label')).toBe('已发布')
  expect(page.querySelector('#save-draft')).toBeUndefined()
  expect(textOf(page, '#save-published')).toBe('保存修改')

  const feed = await openLoaded(feedId)
  expect(feed.data.articles.items[0]?.id).toBe(articleId)
  expect(textOf(feed, `#article-${articleId}`)).toContain('我的第一篇文章')

  await tap(page, '#open-article')
  expect(redirectTo).toHaveBeenCalledWith({ url: `/packageArticles/pages/detail/index?id=${articleId}` })
})

test('counts follow the server: an emoji is one character, trailing spaces and extra blank lines do not count', async () => {
  const page = await openLoaded(pageId)
  const body = '第一段 😀  \r\n\n\n\n第二段\t\n'
  await write(page, '  标题😀  ', body)
  expect(textOf(page, '#title-count')).toBe('3/60')
  expect(textOf(page, '#body-count')).toBe(`${visibleLength(normalizeArticleBody(body))}/10000`)

  await type(page, '#title', '长'.repeat(61))
  expect(textOf(page, '#title-count')).toBe('61/60')
  await press(page, '#save-draft')
  expect(textOf(page, '#title-error')).toBe('标题最多 60 个字，现在有 61 个')
  await type(page, '#title', '')
  await press(page, '#save-draft')
  expect(textOf(page, '#title-error')).toBe('请填写标题')
  await type(page, '#title', '只有标题')
  await type(page, '#body', '  \n ')
  await press(page, '#publish')
  expect(textOf(page, '#body-error')).toBe('发布前请填写正文')
  expect(sentInputs(backend, 'articles', 'create')).toEqual([])
})

test('沙箱待审: published but held for review, the reasons shown; 沙箱违规: refused beside the body, the draft kept', async () => {
  const page = await openLoaded(pageId)
  await write(page, '需要复审的文章', '这里有沙箱待审的内容。')
  await press(page, '#publish')
  expect(textOf(page, '#saved-summary')).toBe('已提交发布，通过审核后其他人才能看到。')
  expect(textOf(page, '#status-label')).toBe('审核中')
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textsOf(page, '.editor__reason').join('')).toContain('需人工复审')

  const refused = await openLoaded(pageId)
  await write(refused, '会被拒绝的文章', '正文里有沙箱违规的内容。')
  await press(refused, '#publish')
  expect(textOf(refused, '#body-error')).toContain('违规')
  expect(refused.querySelector('#title-error')).toBeUndefined()
  expect(textOf(refused, '#refusal-message')).toMatch(/^草稿已保存，但没有发布：内容未通过安全审核/)
  expect(textOf(refused, '#status-label')).toBe('草稿')
  const { article } = await callAs(backend.cloud, AUTHOR, 'articles', 'detail', { id: refused.data.articleId })
  expect(article.status).toBe('draft')
})

test('an unverified author saves drafts; publishing explains verification, links to it, and keeps the draft', async () => {
  const user = 'article-editor-unverified'
  await acceptCurrentTerms(backend.cloud, user)
  backend.signIn(user)
  const page = await openLoaded(pageId)
  await waitFor('the verification notice', () => page.querySelector('#verify-notice') !== undefined)
  expect(textOf(page, '#verify-notice')).toContain('保存草稿不需要实名认证')

  await write(page, '还没认证时写的', '正文')
  await press(page, '#publish')
  expect(textOf(page, '#refusal-message')).toBe('草稿已保存，但没有发布：请先完成实名认证')
  expect(textOf(page, '#refusal-hint')).toContain('发布前需要完成实名认证')
  await tap(page, '#refusal-action')
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/verify/index' })
  const { articles } = await callAs(backend.cloud, user, 'articles', 'mine', {})
  expect(articles.map((a) => [a.title, a.status])).toEqual([['还没认证时写的', 'draft']])
})

test('a restricted author is told until when and why', async () => {
  const user = 'article-editor-restricted'
  await verifiedPublisher(backend.cloud, user)
  const { account } = await callAs(backend.cloud, user, 'account', 'getProfile', {})
  await callAs(backend.cloud, ADMIN, 'admin', 'transition', {
    accountId: account.id,
    transition: 'restrict', category: 'spam', rule: 'harassment',
    features: ['publish'],
    reason: '发布广告',
    until: new Date(backend.cloud.clock.now().getTime() + 3 * 24 * 3600 * 1000).toISOString(),
  })
  backend.signIn(user)
  const page = await openLoaded(pageId)
  await write(page, '受限时写的', '正文')
  await press(page, '#publish')
  expect(textOf(page, '#refusal-message')).toMatch(/「发布内容」已被限制使用至 .+（北京时间）。理由：发布广告$/)
  expect(textOf(page, '#refusal-hint')).toContain('限制到期后会自动恢复')
})

test('editing a published article: the form is filled, changes are re-submitted to moderation', async () => {
  const { article } = await callAs(backend.cloud, AUTHOR, 'articles', 'create', { title: '已发布的文章', body: '原来的正文' })
  await callAs(backend.cloud, AUTHOR, 'articles', 'publish', { id: article.id })

  const page = await openLoaded(pageId, { id: article.id })
  expect(page.data.status).toBe('ready')
  expect(page.data.title).toBe('已发布的文章')
  expect(page.data.body).toBe('原来的正文')
  expect(textOf(page, '#published-notice')).toContain('保存修改后会重新审核')

  await press(page, '#save-published')
  expect(textOf(page, '#saved-summary')).toBe('没有需要保存的修改。')
  expect(sentInputs(backend, 'articles', 'update')).toEqual([])

  await type(page, '#body', '新的正文，含有沙箱待审的词')
  await press(page, '#save-published')
  expect(sentInputs(backend, 'articles', 'update')).toEqual([{ id: article.id, title: '已发布的文章', body: '新的正文，含有沙箱待审的词', cover: null }])
  expect(textOf(page, '#saved-summary')).toBe('修改已保存，通过审核后其他人才能看到新的内容。')
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
})

test('someone else’s article cannot be opened in the editor', async () => {
  const { article } = await callAs(backend.cloud, AUTHOR, 'articles', 'create', { title: '别人的草稿', body: '' })
  await acceptCurrentTerms(backend.cloud, 'article-editor-stranger')
  backend.signIn('article-editor-stranger')
  const page = await openLoaded(pageId, { id: article.id })
  // Someone else's draft does not exist for them: an empty state with 返回.
  expect(page.data.status).toBe('empty')
  expect(textOf(page.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
  // A published one exists, but is not theirs to edit.
  const published = await callAs(backend.cloud, AUTHOR, 'articles', 'create', { title: '别人的文章', body: '正文' })
  await callAs(backend.cloud, AUTHOR, 'articles', 'publish', { id: published.article.id })
  const theirs = await openLoaded(pageId, { id: published.article.id })
  expect(theirs.data.status).toBe('error')
  expect(textOf(theirs, '#page-state')).toContain('只有作者可以修改这篇文章')
})

test('a broken link is an empty state with 返回, not a page loading forever', async () => {
  const page = await openLoaded(pageId, { id: '%E4%B8' })
  expect(page.data.status).toBe('empty')
  const state = page.querySelector('#page-state') as unknown as Page
  expect(textOf(state, '.state__text')).toContain('链接可能不完整')
  state.querySelector('#empty-action')?.dispatchEvent('tap')
  await waitFor('the way back', () => redirectTo.mock.calls.length === 1)
  expect(redirectTo).toHaveBeenCalledWith({ url: '/packageArticles/pages/feed/index' })
})

test('leaving asks first while there are unsaved changes; saved, it no longer does', async () => {
  const enableAlertBeforeUnload = jest.fn((_options: { message: string }) => undefined)
  const disableAlertBeforeUnload = jest.fn((_options?: object) => undefined)
  Object.assign(wx, { enableAlertBeforeUnload, disableAlertBeforeUnload })
  try {
    const page = await openLoaded(pageId)
    await write(page, '离开前问一下', '正文。')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    expect(enableAlertBeforeUnload.mock.calls[0]?.[0].message).toContain('还没有保存')
    await press(page, '#save-draft')
    expect(disableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    await type(page, '#body', '正文，改了。')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(2)
  } finally {
    Reflect.deleteProperty(wx, 'enableAlertBeforeUnload')
    Reflect.deleteProperty(wx, 'disableAlertBeforeUnload')
  }
})

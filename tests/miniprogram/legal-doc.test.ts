/**
 * 阅读文件 (pages/legal/doc): title, version, effective date, hash (short, full on
 * tap, copyable), change summary, the Markdown body as blocks, and the versions.
 */
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { connectBackend, ensureTestDocuments, makeAdmin, publish, type Backend } from './backend'
import { load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const BODY = [
  '# 乐聊名片隐私政策',
  '',
  '本政策说明我们如何处理你的个人信息。**请特别留意加粗的内容。**',
  '',
  '## 一、我们收集的信息',
  '',
  '- 微信标识（OpenID）',
  '- 昵称与头像',
  '',
  '## 二、按功能说明',
  '',
  '| 功能 | 信息 | 保存期限 |',
  '| --- | --- | --- |',
  '| 名片 | 姓名、职务 | 注销后删除 |',
  '',
  '1. 第一条',
  '2. 第二条',
].join('\n')

let backend: Backend
let hash = ''
const setClipboardData = jest.fn((_options: { data: string }) => undefined)
const redirectTo = jest.fn((_options: { url: string }) => undefined)
const setNavigationBarTitle = jest.fn((_options: { title: string }) => undefined)

const pageId = load('pages/legal/doc')

beforeAll(async () => {
  backend = await connectBackend()
  backend.signIn('doc-reader')
  await ensureTestDocuments(backend.cloud)
  await makeAdmin(backend.cloud, 'doc-admin')
  const { document } = await publish(backend.cloud, 'doc-admin', {
    docId: 'privacy-policy',
    version: '2',
    title: '乐聊名片隐私政策',
    summary: '按功能列出了保存期限',
    body: BODY,
    effectiveInMs: 60_000,
  })
  hash = document.hash
  backend.cloud.clock.advance(2 * 60_000)
  Object.assign(wx, { setClipboardData, redirectTo, setNavigationBarTitle })
})

afterAll(async () => {
  await backend.close()
})

type Page = ReturnType<typeof simulate.render>

async function openPage(query: { docId: string; version?: string }): Promise<Page> {
  const page = simulate.render(pageId, query)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the document to load', () => page.data.status !== 'loading')
  return page
}

test('the version in effect: title, version, date, short hash (full on tap, copyable) and summary', async () => {
  const page = await openPage({ docId: 'privacy-policy' })
  expect(page.data.status).toBe('ready')
  expect(textOf(page, '#doc-title')).toBe('乐聊名片隐私政策')
  expect(textOf(page, '#doc-version')).toBe('第 2 版')
  expect(textOf(page, '#doc-standing')).toBe('现行版本')
  expect(textOf(page, '#doc-effective')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 起生效$/)
  expect(textOf(page, '#doc-summary')).toBe('按功能列出了保存期限')
  expect(setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '乐聊名片隐私政策' }))

  expect(textOf(page, '#doc-hash')).toBe(`${hash.slice(0, 12)}…`)
  page.querySelector('#doc-hash')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(textOf(page, '#doc-hash')).toBe(hash)
  page.querySelector('#copy-hash')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(setClipboardData).toHaveBeenCalledWith({ data: hash })
})

test('the body is rendered as headings, paragraphs, lists and a table', async () => {
  const page = await openPage({ docId: 'privacy-policy', version: '2' })
  const body = page.querySelector('#doc-body')
  if (!body) throw new Error('the body is not rendered')
  const texts = (selector: string): string[] => body.querySelectorAll(selector).map((n) => (n.dom?.textContent ?? '').trim())

  expect(texts('.md-heading')).toEqual(['乐聊名片隐私政策', '一、我们收集的信息', '二、按功能说明'])
  expect(texts('.md-paragraph')).toEqual(['本政策说明我们如何处理你的个人信息。请特别留意加粗的内容。'])
  expect(texts('.md-bold')).toEqual(['请特别留意加粗的内容。'])
  expect(texts('.md-list__item')).toEqual(['•微信标识（OpenID）', '•昵称与头像', '1.第一条', '2.第二条'])
  expect(texts('.md-table__cell')).toEqual(['功能名片', '信息姓名、职务', '保存期限注销后删除'])
  // No Markdown syntax is left in the text.
  expect(body.dom?.textContent).not.toMatch(/\*\*|##|\| ---/)
})

test('the history lists every version; an older one opens as a version no longer in effect', async () => {
  const page = await openPage({ docId: 'privacy-policy' })
  expect(page.querySelector('#history')).toBeUndefined()
  page.querySelector('#toggle-history')?.dispatchEvent('tap')
  await waitFor('the history', () => page.data.historyStatus === 'ready')
  expect(textOf(page, '#history-2')).toContain('正在查看')
  expect(textOf(page, '#history-1')).toContain('历史版本，已不再适用')

  page.querySelector('#history-1')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/legal/doc?docId=privacy-policy&version=1' })

  const old = await openPage({ docId: 'privacy-policy', version: '1' })
  expect(textOf(old, '#doc-version')).toBe('第 1 版')
  expect(textOf(old, '#doc-standing')).toBe('历史版本，已不再适用')
})

test('a version that does not exist, or a bad link, shows the error state', async () => {
  const missing = await openPage({ docId: 'privacy-policy', version: '9' })
  expect(missing.data.status).toBe('error')
  expect(missing.dom?.textContent).toContain('没有找到第 9 版')

  const bad = await openPage({ docId: 'no-such-doc' })
  expect(bad.data.status).toBe('error')
  expect(bad.dom?.textContent).toContain('没有找到这份文件')
})

/** 协议与规则 (pages/legal/index): every document with its version in effect and any announced next one. */
import simulate from 'miniprogram-simulate'
import { DOCUMENT_IDS } from '../../shared/consent'
import type { AppConfig } from '../../miniprogram/config'
import { formatDate } from '../../miniprogram/utils/format'
import { connectBackend, DAY, ensureTestDocuments, makeAdmin, publish, type Backend } from './backend'
import { load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
const navigateTo = jest.fn((_options: { url: string }) => undefined)

const pageId = load('pages/legal/index')

beforeAll(async () => {
  backend = await connectBackend()
  // Reading documents needs no account: a visitor scanning a card can read them too.
  backend.signIn('legal-visitor')
  Object.assign(wx, { navigateTo })
})

afterAll(async () => {
  await backend.close()
})

type Page = ReturnType<typeof simulate.render>

async function openPage(): Promise<Page> {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the list to load', () => page.data.status !== 'loading')
  return page
}

test('before anything is published the page says so', async () => {
  const page = await openPage()
  expect(page.data.status).toBe('empty')
  expect(page.dom?.textContent).toContain('协议文件暂未发布')
})

test('each document shows its version in effect; an announced version shows its date and summary', async () => {
  await ensureTestDocuments(backend.cloud)
  await makeAdmin(backend.cloud, 'legal-admin')
  const { document: next } = await publish(backend.cloud, 'legal-admin', {
    docId: 'user-agreement',
    version: '1.1',
    title: '乐聊名片用户协议',
    summary: '调整了违规处理的申诉时限',
    effectiveInMs: 3 * DAY,
  })

  const page = await openPage()
  expect(page.data.status).toBe('ready')
  for (const docId of DOCUMENT_IDS) expect(page.querySelector(`#doc-${docId}`)).toBeDefined()

  expect(textOf(page, '#doc-user-agreement')).toContain('乐聊名片用户协议')
  expect(textOf(page, '#current-user-agreement')).toMatch(/^现行第 1 版 · \d{4}年\d{1,2}月\d{1,2}日 生效$/)
  const upcoming = textOf(page, '#upcoming-user-agreement') ?? ''
  expect(upcoming).toContain(`第 1.1 版将于 ${formatDate(next.effectiveAt)} 生效`)
  expect(upcoming).toContain('调整了违规处理的申诉时限')
  expect(page.querySelector('#upcoming-privacy-policy')).toBeUndefined()

  page.querySelector('#open-user-agreement')?.dispatchEvent('tap')
  page.querySelector('#upcoming-user-agreement')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo.mock.calls.map(([o]) => o.url)).toEqual([
    '/pages/legal/doc?docId=user-agreement&version=1',
    '/pages/legal/doc?docId=user-agreement&version=1.1',
  ])
})

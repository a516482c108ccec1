/**
 * 同意回执 (pages/privacy/receipt) against the real backend: one record's receipt
 * or all of them, readable, with the notice's hash, and the JSON to copy or to
 * save and send as a file.
 */
import simulate from 'miniprogram-simulate'
import type { ConsentReceipt } from '../../shared/contract/consent'
import { ERROR_MESSAGES } from '../../shared/errors'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { fileSharingMocks, load, render, textOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const USER = 'receipt-user'
let backend: Backend

const { setClipboardData, writeFile, shareFileMessage, install: installFileSharing } = fileSharingMocks()

const pageId = load('pages/privacy/receipt')

beforeAll(async () => {
  backend = await connectBackend()
  await acceptCurrentTerms(backend.cloud, USER)
  backend.signIn(USER)
  installFileSharing()
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  setClipboardData.mockClear()
  writeFile.mockClear()
  shareFileMessage.mockClear()
})

async function openPage(query: { recordId?: string; all?: string }): Promise<Page> {
  const page = render(pageId, query)
  await waitFor('the receipt to load', () => page.data.status !== 'loading')
  return page
}

test('one record’s receipt shows the decision and the exact document hash, and the raw JSON on request', async () => {
  const { records } = await callAs(backend.cloud, USER, 'consent', 'history', { purpose: 'privacy' })
  const record = records[0]
  if (!record) throw new Error('registration left no privacy record')
  const { document } = await callAs(backend.cloud, USER, 'legal', 'get', { docId: 'privacy-policy' })

  const page = await openPage({ recordId: record.id })
  expect(page.data.status).toBe('ready')
  expect(textOf(page, `#notice-hash-${record.id}`)).toBe(document.hash)
  const card = textOf(page, `#receipt-record-${record.id}`) ?? ''
  expect(card).toContain('隐私政策')
  expect(card).toContain(`《${document.title}》第 ${document.version} 版`)
  expect(card).toContain('同意（之后：已同意）')
  expect(card).toContain('注册时勾选')
  expect(textOf(page, '#receipt-controller')).not.toBe('')

  expect(page.querySelector('#receipt-json')).toBeUndefined()
  page.querySelector('#toggle-json')?.dispatchEvent('tap')
  await simulate.sleep(0)
  const json = JSON.parse(textOf(page, '#receipt-json') ?? '{}') as ConsentReceipt
  expect(json.receiptVersion).toBe('lechat-consent-receipt/1')
  expect(json.records.map((r) => r.recordId)).toEqual([record.id])
  expect(json.records[0]?.notice.hash).toBe(document.hash)
})

test('the JSON can be copied, or saved as a .json file and sent to a chat', async () => {
  const page = await openPage({ all: '1' })
  expect(page.data.status).toBe('ready')

  page.querySelector('#copy-json')?.dispatchEvent('tap')
  await simulate.sleep(0)
  const copied = JSON.parse(setClipboardData.mock.calls[0]?.[0].data ?? '{}') as ConsentReceipt
  const all = await callAs(backend.cloud, USER, 'consent', 'receipts', {})
  expect(copied.records.map((r) => r.recordId)).toEqual(all.receipt.records.map((r) => r.recordId))
  expect(textOf(page, '#receipt-notice')).toBe('已复制回执内容，可以粘贴保存')

  page.querySelector('#save-json')?.dispatchEvent('tap')
  await waitFor('the file to be sent', () => page.data.saving === false && shareFileMessage.mock.calls.length === 1)
  const written = writeFile.mock.calls[0]?.[0]
  expect(written?.filePath).toMatch(new RegExp(`^${wx.env.USER_DATA_PATH.replace(/\/+$/, '')}/lechat-consent-all-[\\w-]+\\.json$`))
  expect(written?.encoding).toBe('utf8')
  expect((JSON.parse(written?.data ?? '{}') as ConsentReceipt).records).toHaveLength(all.receipt.records.length)
  expect(shareFileMessage.mock.calls[0]?.[0]).toMatchObject({ filePath: written?.filePath })
  expect(textOf(page, '#receipt-notice')).toBe('回执文件已发送')
})

test('where WeChat cannot send files the receipt is still saved, and the page says where', async () => {
  Reflect.deleteProperty(wx, 'shareFileMessage')
  try {
    const page = await openPage({ all: '1' })
    page.querySelector('#save-json')?.dispatchEvent('tap')
    await waitFor('the save to finish', () => page.data.saving === false && page.data.notice !== '')
    expect(writeFile).toHaveBeenCalledTimes(1)
    expect(textOf(page, '#receipt-notice')).toMatch(/^已保存为 lechat-consent-all-.+\.json。当前微信版本不支持发送文件/)
  } finally {
    Object.assign(wx, { shareFileMessage })
  }
})

test('a record that is not mine shows the error state', async () => {
  const page = await openPage({ recordId: 'not-my-record' })
  expect(page.data.status).toBe('error')
  expect(page.dom?.textContent).toContain('没有找到这条同意记录')
  expect(page.dom?.textContent).not.toContain(ERROR_MESSAGES.INTERNAL)
})

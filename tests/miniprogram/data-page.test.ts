/**
 * 我的数据 (packageAccount/pages/data) against the real backend: the copy of my
 * data (account.exportData) summarised per section, readable, saved as a file
 * and copied; correction requests for the locked fields and the staff's
 * answers; the access log of staff views by role, paged.
 */
import simulate from 'miniprogram-simulate'
import type { ExportDocument } from '../../shared/contract/account'
import { ERROR_MESSAGES } from '../../shared/errors'
import { NETWORK_ERROR_MESSAGE } from '../../miniprogram/api'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, makeAdmin, type Backend } from './backend'
import { attrOf, change, fileSharingMocks, load, render, renderedTags, tap, textOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'data-page-admin'
/** The page asks for this many access-log entries at a time. */
const LOG_PAGE = 20
const EMPTY_LOG_TEXT = '暂无工作人员查看或处理过你的信息'

let backend: Backend
let openid = ''

const { setClipboardData, writeFile, shareFileMessage, install: installFileSharing } = fileSharingMocks()
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

const pageId = load('packageAccount/pages/data/index')

beforeAll(async () => {
  backend = await connectBackend()
  await makeAdmin(backend.cloud, ADMIN)
  installFileSharing()
  Object.assign(wx, { navigateTo, switchTab })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(async () => {
  seq += 1
  openid = `data-page-user-${seq}`
  backend.setNetworkDown(false)
  backend.signIn(openid)
  await acceptCurrentTerms(backend.cloud, openid)
  for (const mock of [setClipboardData, writeFile, shareFileMessage, navigateTo, switchTab, backend.callFunction]) mock.mockClear()
})

/** The page once its first load and the profile and identity cards have settled. */
async function openReadyPage(): Promise<Page> {
  const page = render(pageId)
  await waitFor('the page to load', () => page.data.status !== 'loading' && page.data.profileStatus !== 'loading' && page.data.identityStatus !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

async function accountId(): Promise<string> {
  return (await callAs(backend.cloud, openid, 'account', 'getProfile', {})).account.id
}

/** lechat-export-YYYYMMDD.json for an ISO time, dated in Beijing (worked out here, not with the page's helper). */
function expectedFileName(iso: string): string {
  const beijing = new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString()
  return `lechat-export-${beijing.slice(0, 4)}${beijing.slice(5, 7)}${beijing.slice(8, 10)}.json`
}

/** The export exactly as the backend sent it to the page (read off the callFunction stub). */
async function exportThePageReceived(): Promise<ExportDocument> {
  const index = backend.callFunction.mock.calls.findIndex(([param]) => param.name === 'account' && JSON.stringify(param.data).includes('"exportData"'))
  const reply = (await backend.callFunction.mock.results[index]?.value) as { result: { ok: boolean; data: { document: ExportDocument } } }
  expect(reply.result.ok).toBe(true)
  return reply.result.data.document
}

test('before anything happened: no staff access, no requests, the unverified note, and the way to the other pages', async () => {
  const page = await openReadyPage()
  // Saving the copy (a file) and the clipboard wait for WeChat's privacy authorization: the page carries the popup that answers it.
  expect(renderedTags(page)).toContain('privacy-popup')

  expect(textOf(page, '#log-empty')).toBe(EMPTY_LOG_TEXT)
  expect(page.querySelector('#log-more')).toBeUndefined()
  expect(textOf(page, '#corrections-empty')).toBe('还没有提交过更正申请。')
  expect(textOf(page, '#identity-unverified')).toContain('你还没有完成实名认证')
  const { account } = await callAs(backend.cloud, openid, 'account', 'getProfile', {})
  expect(textOf(page, '#profile-nickname')).toBe(account.nickname)
  expect(textOf(page, '#profile-avatar')).toBe('未设置')
  // Nothing is exported before the user asks for it.
  expect(page.querySelector('#export-result')).toBeUndefined()
  expect(textOf(page, '#export-warning')).toContain('个人信息')

  page.querySelector('#open-me')?.dispatchEvent('tap')
  page.querySelector('#open-security')?.dispatchEvent('tap')
  page.querySelector('#open-privacy')?.dispatchEvent('tap')
  page.querySelector('#open-verify')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })
  expect(navigateTo.mock.calls.map(([options]) => options.url)).toEqual([
    '/packageAccount/pages/security/index',
    '/pages/privacy/index',
    '/packageAccount/pages/verify/index',
  ])
})

test('the copy of my data lists every section with the backend’s counts, shows records readably, saves the exact JSON as a file and copies it', async () => {
  // Something in several sections: a correction request, and the staff's answer in the inbox.
  const { request } = await callAs(backend.cloud, openid, 'account', 'requestCorrection', { field: 'birthDate', note: '注册时出生年份选错了' })
  await callAs(backend.cloud, ADMIN, 'admin', 'resolveCorrection', { requestId: request.id, decision: 'rejected', reason: '请补充户口本照片后再申请' })
  const { messages } = await callAs(backend.cloud, openid, 'inbox', 'list', { limit: 50 })
  expect(messages.length).toBeGreaterThan(0)

  const page = await openReadyPage()
  await tap(page, '#export-button', () => page.data.exportStatus !== 'loading')
  expect(page.data.exportStatus).toBe('ready')

  const received = await exportThePageReceived()
  const fresh = (await callAs(backend.cloud, openid, 'account', 'exportData', {})).document
  expect(fresh.sections.map((s) => s.domain)).toEqual(received.sections.map((s) => s.domain))
  for (const section of fresh.sections) {
    expect(textOf(page, `#section-toggle-${section.domain}`)).toContain(section.title)
    expect(textOf(page, `#section-count-${section.domain}`)).toBe(`${section.records.length} 条`)
    if (section.note) expect(textOf(page, `#section-note-${section.domain}`)).toBe(section.note)
  }
  expect(textOf(page, '#section-count-inbox')).toBe(`${messages.length} 条`)
  expect(textOf(page, '#section-count-corrections')).toBe('1 条')
  expect(textOf(page, '#exported-at')).toMatch(/^生成时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/)

  // A section opens to its records as label/value lines.
  await tap(page, '#section-toggle-inbox', () => page.querySelector('#section-records-inbox') !== undefined)
  const inboxText = textOf(page, '#section-records-inbox') ?? ''
  for (const message of messages) expect(inboxText).toContain(message.title)
  expect(inboxText).toContain('标题')
  expect(attrOf(page, '#section-toggle-inbox', 'aria-expanded')).toBe('true')
  await tap(page, '#section-toggle-corrections', () => page.querySelector('#section-records-corrections') !== undefined)
  expect(page.querySelector('#section-records-inbox')).toBeUndefined()
  const correctionText = textOf(page, '#section-records-corrections') ?? ''
  expect(correctionText).toContain('处理说明请补充户口本照片后再申请')
  expect(correctionText).toContain('更正项目出生日期')
  await tap(page, '#section-toggle-cards', () => page.querySelector('#section-records-cards') !== undefined)
  expect(textOf(page, '#section-empty-cards')).toBe('这一类没有保存你的信息。')

  // Saved as lechat-export-YYYYMMDD.json in the app's own storage: the very document the backend sent, and offered to a chat.
  await tap(page, '#save-export', () => page.data.fileBusy === false && shareFileMessage.mock.calls.length === 1)
  const written = writeFile.mock.calls[0]?.[0]
  const fileName = expectedFileName(received.exportedAt)
  expect(written?.filePath).toBe(`${wx.env.USER_DATA_PATH.replace(/\/+$/, '')}/${fileName}`)
  expect(written?.encoding).toBe('utf8')
  const parsed = JSON.parse(written?.data ?? '{}') as ExportDocument
  expect(parsed).toEqual(received)
  expect(parsed.format).toBe('lechat-export/1')
  expect(shareFileMessage.mock.calls[0]?.[0]).toMatchObject({ filePath: written?.filePath, fileName })
  expect(textOf(page, '#export-notice')).toContain(`已发送 ${fileName}`)

  await tap(page, '#copy-export', () => setClipboardData.mock.calls.length === 1)
  expect(JSON.parse(setClipboardData.mock.calls[0]?.[0].data ?? '{}')).toEqual(received)
  expect(textOf(page, '#export-notice')).toContain('已复制全部内容')
})

test('without file sharing the copy is still saved, and a failed export says why and can be tried again', async () => {
  const page = await openReadyPage()
  backend.setNetworkDown(true)
  await tap(page, '#export-button', () => page.data.exportStatus !== 'loading')
  expect(textOf(page, '#export-error')).toBe(`生成失败：${NETWORK_ERROR_MESSAGE}`)
  expect(page.querySelector('#export-result')).toBeUndefined()

  backend.setNetworkDown(false)
  await tap(page, '#export-button', () => page.data.exportStatus === 'ready')
  Reflect.deleteProperty(wx, 'shareFileMessage')
  try {
    await tap(page, '#save-export', () => page.data.fileBusy === false && page.data.exportNotice !== '')
    expect(writeFile).toHaveBeenCalledTimes(1)
    expect(textOf(page, '#export-notice')).toMatch(/^已保存为 lechat-export-\d{8}\.json。当前微信版本不能直接发送文件/)
  } finally {
    Object.assign(wx, { shareFileMessage })
  }
})

test('a correction request is checked, sent and listed; a second for the same field is pending; the staff’s answer is shown', async () => {
  const page = await openReadyPage()

  // Checked before sending.
  await tap(page, '#correction-submit', () => page.querySelector('#correction-field-error') !== undefined)
  expect(textOf(page, '#correction-field-error')).toBe('请选择要更正的信息')
  await change(page, '#correction-field', '0')
  expect(textOf(page, '#correction-field-value')).toBe('真实姓名')
  await type(page, '#correction-note', ' 错了 ')
  expect(textOf(page, '#correction-counter')).toBe('2/300')
  await tap(page, '#correction-submit', () => page.querySelector('#correction-note-error') !== undefined)
  expect(textOf(page, '#correction-note-error')).toContain('至少5个字')
  expect((await callAs(backend.cloud, openid, 'account', 'corrections', {})).requests).toEqual([])

  await type(page, '#correction-note', '名字中间的字应为“晓”，不是“小”')
  await tap(page, '#correction-submit', () => page.querySelector('#correction-notice') !== undefined)
  const [sent] = (await callAs(backend.cloud, openid, 'account', 'corrections', {})).requests
  if (!sent) throw new Error('the request did not reach the backend')
  expect(sent).toMatchObject({ field: 'realName', status: 'open', note: '名字中间的字应为“晓”，不是“小”' })
  expect(textOf(page, `#correction-status-${sent.id}`)).toBe('处理中')
  expect(textOf(page, `#correction-${sent.id}`)).toContain('我的说明：名字中间的字应为“晓”，不是“小”')
  expect(page.data.note).toBe('')

  // The same field again: the page says it is waiting and does not send.
  expect(textOf(page, '#correction-pending')).toContain('「真实姓名」已有一条处理中的更正申请')
  expect(attrOf(page, '#correction-submit', 'disabled')).toBe('true')
  await type(page, '#correction-note', '再说明一次名字的问题')
  page.querySelector('#correction-submit')?.dispatchEvent('tap')
  await simulate.sleep(20)
  expect((await callAs(backend.cloud, openid, 'account', 'corrections', {})).requests).toHaveLength(1)
  expect(page.querySelector('#correction-message')).toBeUndefined()

  // A request sent from elsewhere: the backend refuses the page's, the page says so and lists the waiting one.
  const { request: elsewhere } = await callAs(backend.cloud, openid, 'account', 'requestCorrection', { field: 'idNumber', note: '身份证号最后一位应为X' })
  await change(page, '#correction-field', '1')
  expect(page.querySelector('#correction-pending')).toBeUndefined()
  await type(page, '#correction-note', '身份证号有一位数字记错了')
  await tap(page, '#correction-submit', () => page.querySelector(`#correction-${elsewhere.id}`) !== undefined)
  expect(textOf(page, '#correction-message')).toBe(ERROR_MESSAGES.CORRECTION_PENDING)
  expect(textOf(page, '#correction-pending')).toContain('「身份证号」已有一条处理中的更正申请')
  expect((await callAs(backend.cloud, openid, 'account', 'corrections', {})).requests).toHaveLength(2)

  // Staff answer; the page shows the decision and the statement of reasons.
  await callAs(backend.cloud, ADMIN, 'admin', 'resolveCorrection', { requestId: sent.id, decision: 'accepted', reason: '已核对身份证照片，请重新完成实名认证' })
  await callAs(backend.cloud, ADMIN, 'admin', 'resolveCorrection', { requestId: elsewhere.id, decision: 'rejected', reason: '照片模糊，无法核对号码' })
  const reopened = await openReadyPage()
  expect(textOf(reopened, `#correction-status-${sent.id}`)).toBe('已同意更正')
  expect(textOf(reopened, `#correction-resolution-${sent.id}`)).toContain('处理说明：已核对身份证照片，请重新完成实名认证')
  expect(textOf(reopened, `#correction-status-${elsewhere.id}`)).toBe('未予更正')
  expect(textOf(reopened, `#correction-resolution-${elsewhere.id}`)).toContain('处理说明：照片模糊，无法核对号码')
  // Resolved, the field can be asked about again.
  await change(reopened, '#correction-field', '0')
  expect(reopened.querySelector('#correction-pending')).toBeUndefined()
  expect(attrOf(reopened, '#correction-submit', 'disabled')).toBe('false')
})

test('the access log shows each staff look by role, action, Beijing time and reason, and pages with 加载更多', async () => {
  const id = await accountId()
  const views = LOG_PAGE + 1
  for (let i = 1; i <= views; i += 1) {
    backend.cloud.clock.advance(60_000)
    await callAs(backend.cloud, ADMIN, 'admin', 'getAccount', { accountId: id, reason: `第${i}次核查举报` })
  }
  const all = await callAs(backend.cloud, openid, 'account', 'accessLog', { limit: 50 })
  expect(all.entries).toHaveLength(views)

  const page = await openReadyPage()
  expect(page.querySelector('#log-empty')).toBeUndefined()
  const newest = all.entries[0]
  if (!newest) throw new Error('no entries')
  const newestText = textOf(page, `#log-entry-${newest.id}`) ?? ''
  expect(newestText).toContain('管理员查看了你的账号资料')
  expect(newestText).toContain(`理由：第${views}次核查举报`)
  const beijing = new Date(Date.parse(newest.at) + 8 * 3600 * 1000).toISOString()
  expect(newestText).toContain(`${beijing.slice(0, 10)} ${beijing.slice(11, 16)}`)
  // The staff member's identity never shows.
  expect(page.dom?.textContent).not.toContain(ADMIN)

  const firstPage = all.entries.slice(0, LOG_PAGE)
  expect(firstPage.every((e) => page.querySelector(`#log-entry-${e.id}`) !== undefined)).toBe(true)
  const oldest = all.entries[views - 1]
  if (!oldest) throw new Error('no oldest entry')
  expect(page.querySelector(`#log-entry-${oldest.id}`)).toBeUndefined()

  await tap(page, '#log-more', () => page.querySelector(`#log-entry-${oldest.id}`) !== undefined)
  expect(textOf(page, `#log-entry-${oldest.id}`)).toContain('理由：第1次核查举报')
  expect((page.data.logEntries as Array<{ id: string }>).map((e) => e.id)).toEqual(all.entries.map((e) => e.id))
  expect(page.querySelector('#log-more')).toBeUndefined()
})

test('when the first load fails the page shows the error state, and retry loads it', async () => {
  backend.setNetworkDown(true)
  const page = render(pageId)
  await waitFor('the error state', () => page.data.status === 'error')
  expect(page.dom?.textContent).toContain(NETWORK_ERROR_MESSAGE)

  backend.setNetworkDown(false)
  page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
  await waitFor('the page after retry', () => page.data.status === 'ready' && page.data.profileStatus === 'ready' && page.data.identityStatus === 'ready')
  expect(textOf(page, '#log-empty')).toBe(EMPTY_LOG_TEXT)
  expect(page.querySelector('#profile-error')).toBeUndefined()
})

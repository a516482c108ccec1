/**
 * 违规记录与申诉 (packageAccount/pages/conduct/index) against the real backend:
 * decisions with their statement of reasons, strikes and appeals (also while
 * suspended), my reports and what came of them; loading, empty and error states.
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { load, modalAnswer, tap, textOf, textsOf, type, waitFor, type Page } from './helpers'
import { cardOf, removedCard, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'conduct-reviewer'
const REPORTER = 'conduct-reporter'
const DAY = 24 * 3600 * 1000

let backend: Backend
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(confirmAnswer))
const showToast = jest.fn((_options: { title: string }) => undefined)
const stopPullDownRefresh = jest.fn(() => undefined)

const pageId = load('packageAccount/pages/conduct/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  await cardOf(backend.cloud, REPORTER)
  Object.assign(wx, { showModal, showToast, stopPullDownRefresh })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  confirmAnswer = true
  showModal.mockClear()
  showToast.mockClear()
})

async function opened(query: Record<string, string> = {}): Promise<Page> {
  const page = openPage(pageId, query)
  await waitFor('the record to load', () => page.data.status !== 'loading')
  return page
}

test('nothing on record: each tab says so', async () => {
  await acceptCurrentTerms(backend.cloud, 'conduct-clean')
  backend.signIn('conduct-clean')
  const page = await opened()
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#page-state')).toBe('没有违规处理记录。')
  await tap(page, '#tab-reports', () => page.data.status !== 'loading')
  expect(textOf(page, '#page-state')).toBe('你还没有举报过内容。')
})

test('a decision reads with its reasons and strike; appealing asks first, then shows 复核中', async () => {
  const decision = await removedCard(backend.cloud, 'conduct-author', REPORTER, REVIEWER)
  backend.signIn('conduct-author')
  const page = await opened()
  expect(page.data.status).toBe('ready')
  expect(textOf(page, '#strikes')).toContain('生效中的违规记录：1 条')
  const row = `#decision-${decision.id}`
  expect(textOf(page, row)).toContain('名片：删除/屏蔽')
  expect(textsOf(page, `${row} .conduct__text`)).toEqual(
    expect.arrayContaining(['删除/屏蔽', '警告', '广告或垃圾信息', '《用户协议》第四条：骚扰他人，或者大量发送广告、垃圾信息', '名片简介中反复出现引流广告', '用户举报，经工作人员审核确认']),
  )
  expect(textOf(page, `#strike-${decision.id}`)).toContain('违规记录 · 生效中')

  await tap(page, `#open-appeal-${decision.id}`)
  await type(page, '#appeal-text', '太短')
  await tap(page, '#appeal-submit')
  expect(textOf(page, '#appeal-error')).toBe('请说明申诉理由（至少5个字）')

  await type(page, '#appeal-text', '简介是公司业务的正常介绍，没有引流')
  confirmAnswer = false
  await tap(page, '#appeal-submit', () => showModal.mock.calls.length === 1)
  expect(await backend.cloud.store.collection('review_appeals').count({ decisionId: decision.id })).toBe(0)
  confirmAnswer = true
  await tap(page, '#appeal-submit', () => textOf(page, `#appeal-${decision.id}`) !== null, 'the appeal to show')
  expect(showModal.mock.calls[1]?.[0].content).toContain('只能申诉一次')
  expect(textOf(page, `#appeal-${decision.id}`)).toContain('复核中')
  expect(page.querySelector(`#open-appeal-${decision.id}`)).toBeUndefined()
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '申诉已提交' }))
})

test('a suspended person still reads the record and appeals', async () => {
  const until = new Date(backend.cloud.clock.now().getTime() + 30 * DAY).toISOString()
  const decision = await removedCard(backend.cloud, 'conduct-suspended', REPORTER, REVIEWER, { accountAction: 'suspend', until, deviationReason: '大量发布广告' })
  backend.signIn('conduct-suspended')
  const page = await opened()
  expect(textOf(page, `#decision-${decision.id}`)).toContain('暂停使用至')
  await tap(page, `#open-appeal-${decision.id}`)
  await type(page, '#appeal-text', '我只发过一次，不是大量发布')
  await tap(page, '#appeal-submit', () => textOf(page, `#appeal-${decision.id}`) !== null, 'the appeal to show')
  expect(textOf(page, `#appeal-${decision.id}`)).toContain('复核中')
})

test('my reports show what came of them, never what was done to the other person', async () => {
  const card = await cardOf(backend.cloud, 'conduct-reported')
  await callAs(backend.cloud, 'conduct-reports-reporter', 'account', 'login', {})
  await acceptCurrentTerms(backend.cloud, 'conduct-reports-reporter')
  const { report } = await callAs(backend.cloud, 'conduct-reports-reporter', 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'fraud', comment: '要求先付定金' })
  backend.signIn('conduct-reports-reporter')
  const page = await opened({ tab: 'reports' })
  expect(textOf(page, `#report-${report.id}`)).toContain('名片 · 诈骗')
  expect(textOf(page, `#report-${report.id}`)).toContain('处理中')
  expect(textOf(page, `#report-${report.id}`)).toContain('要求先付定金')
})

test('a failed load says why and tries again', async () => {
  backend.signIn('conduct-author')
  backend.setNetworkDown(true)
  const page = await opened()
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#page-state')).toContain('网络连接失败')
  backend.setNetworkDown(false)
  page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
  await waitFor('the retry', () => page.data.status === 'ready')
})

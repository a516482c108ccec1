/**
 * 账号 (packageAdmin/pages/account) against the real backend: looking an
 * account up by number or by a card's QR scene, for a reason the person sees,
 * and acting on it after confirming — a penalty with its statement of reasons.
 */
import type { AppConfig } from '../../miniprogram/config'
import { encodeCardScene } from '../../shared/cards'
import { callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { change, load, modalAnswer, tap, textOf, type, type Page } from './helpers'
import { cardOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'admin-account-reviewer'
const PERSON = 'admin-account-person'

let backend: Backend
let cardId = ''
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(confirmAnswer))
const showToast = jest.fn((_options: { title: string }) => undefined)
const pageId = load('packageAdmin/pages/account/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  cardId = (await cardOf(backend.cloud, PERSON)).id
  Object.assign(wx, { showModal, showToast })
  backend.signIn(REVIEWER)
})
afterAll(async () => {
  await backend.close()
})

async function lookedUp(scene: string): Promise<Page> {
  const page = openPage(pageId)
  await tap(page, '#by-card')
  await type(page, '#lookup', scene)
  await tap(page, '#lookup-button', () => !page.data.looking, 'the look-up')
  return page
}

test('asks for something to look up, and says when nothing is found', async () => {
  const page = openPage(pageId)
  await tap(page, '#lookup-button')
  expect(textOf(page, '#lookup-error')).toBe('请填写账号编号')
  await type(page, '#lookup', 'no-such-account')
  await tap(page, '#lookup-button', () => !page.data.looking, 'the look-up')
  expect(textOf(page, '#lookup-form-error')).toBe('账号不存在或已注销')
})

test('finds the owner of a scanned card, and the person sees the look in their access log', async () => {
  const page = await lookedUp(encodeURIComponent(encodeCardScene(cardId)))
  expect(textOf(page, '#account-nickname')).toBeTruthy()
  expect(textOf(page, '#account-state')).toBe('正常')
  const { entries } = await callAs(backend.cloud, PERSON, 'account', 'accessLog', {})
  expect(entries[0]).toMatchObject({ action: 'admin.getAccount', reason: '处理审核队列中的事项' })
})

test('restricts publishing after confirming, with a statement the person reads', async () => {
  const page = await lookedUp(cardId)
  await tap(page, '#act')
  expect(textOf(page, '#action-error')).toContain('至少4个字')
  await change(page, '#category', '0')
  await type(page, '#statement', '连续发布引流广告名片')
  confirmAnswer = false
  await tap(page, '#act', () => showModal.mock.calls.length === 1)
  expect(showModal.mock.calls[0]?.[0].content).toContain('限制部分功能 7 天')
  confirmAnswer = true
  await tap(page, '#act', () => showToast.mock.calls.length > 0, 'the action')
  expect(textOf(page, '#account-state')).toBe('部分功能受限')
  const { decisions } = await callAs(backend.cloud, PERSON, 'moderation', 'myDecisions', {})
  expect(decisions[0]).toMatchObject({ outcome: 'sanction', statement: { categoryLabel: '广告或垃圾信息', facts: '连续发布引流广告名片' }, appeal: { canAppeal: true } })
})

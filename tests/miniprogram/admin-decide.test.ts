/**
 * 处理 (packageAdmin/pages/decide) against the real backend: approving held
 * content, removing with a statement of reasons, the ladder's suggestion and
 * the reason for choosing otherwise, confirmation before account actions, and
 * the server's refusals shown on the form.
 */
import type { AppConfig } from '../../miniprogram/config'
import type { ItemView } from '../../shared/contract/moderation'
import { hub } from '../../miniprogram/utils/hub'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { change, load, modalAnswer, tap, textOf, type, waitFor, type Page } from './helpers'
import { cardOf, itemIdOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'admin-decide-reviewer'
const ADMIN = 'admin-decide-admin'
const REPORTER = 'admin-decide-reporter'

let backend: Backend
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(confirmAnswer))
const navigateBack = jest.fn((_options: { delta: number }) => undefined)
const showToast = jest.fn((_options: { title: string }) => undefined)
const pageId = load('packageAdmin/pages/decide/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  await staffMember(backend.cloud, ADMIN, 'admin')
  await acceptCurrentTerms(backend.cloud, REPORTER)
  Object.assign(wx, { showModal, navigateBack, showToast })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  backend.signIn(REVIEWER)
  confirmAnswer = true
  for (const mock of [showModal, navigateBack, showToast]) mock.mockClear()
})

async function lookedAt(reviewableId: string): Promise<ItemView> {
  return (await callAs(backend.cloud, REVIEWER, 'moderation', 'item', { reviewableId, reason: '处理审核队列中的事项' })).item
}

async function sheetFor(reviewableId: string, handOver = true): Promise<Page> {
  hub().reviewItem = handOver ? await lookedAt(reviewableId) : null
  const page = openPage(pageId, { id: reviewableId })
  await waitFor('the sheet', () => page.data.status !== 'loading')
  return page
}

async function reported(author: string): Promise<{ cardId: string; itemId: string }> {
  const card = await cardOf(backend.cloud, author)
  await callAs(backend.cloud, REPORTER, 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam' })
  return { cardId: card.id, itemId: await itemIdOf(backend.cloud, 'card', card.id) }
}

test('approving content the gate held publishes it, without a confirmation, and goes back to the queue', async () => {
  const card = await cardOf(backend.cloud, 'admin-decide-held', { intro: '欢迎合作，沙箱待审' })
  const page = await sheetFor(await itemIdOf(backend.cloud, 'card', card.id))
  expect(textOf(page, '.card__title')).toBe('名片 · 其他')
  expect(page.querySelector('#account-card')).toBeUndefined()
  await tap(page, '#submit', () => navigateBack.mock.calls.length > 0, 'going back')
  expect(showModal).not.toHaveBeenCalled()
  expect(navigateBack).toHaveBeenCalledWith({ delta: 2 })
  const view = await callAs(backend.cloud, 'admin-decide-stranger', 'cards', 'view', { cardId: card.id })
  expect(view.card.name).toBe('王小明')
})

test('removing needs the facts; the ladder’s step is chosen; another step asks why; account actions are confirmed', async () => {
  const { cardId, itemId } = await reported('admin-decide-removed')
  const page = await sheetFor(itemId)
  await change(page, '#outcome', '1')
  expect(textOf(page, '#suggested')).toContain('建议：警告')
  expect(page.data.actions[page.data.actionIndex]?.key).toBe('warn')
  await tap(page, '#submit')
  expect(textOf(page, '#facts-error')).toContain('至少4个字')

  await type(page, '#facts', '名片简介中反复出现引流微信号')
  await change(page, '#action', String(page.data.actions.findIndex((a: { key: string }) => a.key === 'suspend')))
  expect(page.querySelector('#duration')).toBeDefined()
  await tap(page, '#submit')
  expect(textOf(page, '#deviation-error')).toBe('选择了与建议不同的处理，请写明理由')
  await type(page, '#deviation', '短时间内大量发布')

  confirmAnswer = false
  await tap(page, '#submit', () => showModal.mock.calls.length === 1)
  expect(showModal.mock.calls[0]?.[0].content).toContain('暂停使用 7 天')
  expect(await backend.cloud.store.collection('review_decisions').count({ reviewableId: itemId })).toBe(0)
  confirmAnswer = true
  await tap(page, '#submit', () => navigateBack.mock.calls.length > 0, 'the decision')
  const decision = await backend.cloud.store.collection('review_decisions').findOne({ reviewableId: itemId })
  expect(decision).toMatchObject({ outcome: 'remove', deviationReason: '短时间内大量发布', statement: { category: 'spam', facts: '名片简介中反复出现引流微信号' } })
  const author = await backend.cloud.store.collection<{ _id: string; openid: string; state: string }>('accounts').findOne({ openid: 'admin-decide-removed' })
  expect(author?.state).toBe('suspended')
  await expect(callAs(backend.cloud, 'admin-decide-stranger', 'cards', 'view', { cardId })).rejects.toThrow('CARD_HIDDEN')
})

test('opened on its own it looks the item up; the server’s refusals show on the form', async () => {
  const { card: adminCard } = await callAs(backend.cloud, ADMIN, 'cards', 'create', { name: '王小明', title: '平台管理员' })
  await callAs(backend.cloud, REPORTER, 'moderation', 'report', { kind: 'card', targetId: adminCard.id, category: 'spam' })
  const page = await sheetFor(await itemIdOf(backend.cloud, 'card', adminCard.id), false)
  expect(page.data.status).toBe('ready')
  await change(page, '#outcome', '1')
  await type(page, '#facts', '管理员名片含有广告')
  await tap(page, '#submit', () => textOf(page, '#form-error') !== null, 'the refusal')
  expect(textOf(page, '#form-error')).toContain('审核员不能处理工作人员的账号或内容')
  expect(navigateBack).not.toHaveBeenCalled()
})

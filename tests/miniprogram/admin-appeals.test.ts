/**
 * 申诉 (packageAdmin/pages/appeals) against the real backend: open appeals,
 * the appeal beside the decision and its reasons, the decider kept from
 * ruling on their own decision, and overturning after confirming.
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { change, load, modalAnswer, tap, textOf, type, waitFor, type Page } from './helpers'
import { itemIdOf, removedCard, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const DECIDER = 'admin-appeals-decider'
const OTHER = 'admin-appeals-other'
const REPORTER = 'admin-appeals-reporter'

let backend: Backend
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(true))
const showToast = jest.fn((_options: { title: string }) => undefined)
const pageId = load('packageAdmin/pages/appeals/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, DECIDER, 'reviewer')
  await staffMember(backend.cloud, OTHER, 'reviewer')
  await acceptCurrentTerms(backend.cloud, REPORTER)
  Object.assign(wx, { showModal, showToast, stopPullDownRefresh: () => undefined })
})
afterAll(async () => {
  await backend.close()
})

async function opened(query: Record<string, string> = {}): Promise<Page> {
  const page = openPage(pageId, query)
  await waitFor('the appeals', () => page.data.status !== 'loading')
  return page
}

async function appealed(author: string): Promise<string> {
  const decision = await removedCard(backend.cloud, author, REPORTER, DECIDER)
  const { appeal } = await callAs(backend.cloud, author, 'moderation', 'appeal', { decisionId: decision.id, text: '名片内容是正常的业务介绍' })
  return itemIdOf(backend.cloud, 'appeal', appeal.id)
}

test('no appeal waiting: the page says so', async () => {
  backend.signIn(OTHER)
  const page = await opened()
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#page-state')).toBe('没有待复核的申诉')
})

test('the reviewer who decided cannot rule on the appeal; another overturns it after confirming, and the card is back', async () => {
  const itemId = await appealed('admin-appeals-author')
  backend.signIn(DECIDER)
  const own = await opened({ id: itemId })
  await waitFor('the appeal', () => own.data.open !== null)
  expect(textOf(own, '#cannot-decide')).toBe('你作出了原决定，不能复核这项申诉')
  expect(own.querySelector('#submit')).toBeUndefined()

  backend.signIn(OTHER)
  const page = await opened()
  await tap(page, `#row-${itemId}`, () => page.data.open !== null, 'the appeal')
  expect(textOf(page, '#appeal-text')).toBe('名片内容是正常的业务介绍')
  expect(textOf(page, '#appeal-decision')).toContain('名片：删除/屏蔽')
  await change(page, '#outcome', 'overturn')
  await tap(page, '#submit')
  expect(textOf(page, '#reason-error')).toContain('至少4个字')
  await type(page, '#ruling-reason', '简介为正常的业务介绍')
  await tap(page, '#submit', () => showToast.mock.calls.length > 0, 'the ruling')
  expect(showModal.mock.calls.at(-1)?.[0].title).toBe('撤销原决定')
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤销原决定' }))
  expect(page.data.status).toBe('empty')
  const appeal = await backend.cloud.store.collection<{ _id: string; decisionId: string }>('review_appeals').findOne({ appellant: 'admin-appeals-author' })
  expect(appeal).toMatchObject({ state: 'overturned', reason: '简介为正常的业务介绍' })
  const decision = await backend.cloud.store.collection<{ _id: string; targetId: string }>('review_decisions').byId(String(appeal?.decisionId))
  const view = await callAs(backend.cloud, 'admin-appeals-stranger', 'cards', 'view', { cardId: decision?.targetId ?? '' })
  expect(view.card.name).toBe('王小明')
})

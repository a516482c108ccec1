/**
 * 详情 (packageAdmin/pages/item) against the real backend: the reason asked
 * first (and shown to the person), the content as published, reports with
 * pseudonymous reporters, the person's record, claiming, and the way on to 处理.
 */
import type { AppConfig } from '../../miniprogram/config'
import { hub } from '../../miniprogram/utils/hub'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { change, load, tap, textOf, type, type Page } from './helpers'
import { cardOf, itemIdOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'admin-item-reviewer'
const OTHER = 'admin-item-other-reviewer'
const AUTHOR = 'admin-item-author'

let backend: Backend
let itemId = ''
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const pageId = load('packageAdmin/pages/item/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  await staffMember(backend.cloud, OTHER, 'reviewer')
  const card = await cardOf(backend.cloud, AUTHOR)
  for (const who of ['admin-item-r1', 'admin-item-r2']) {
    await acceptCurrentTerms(backend.cloud, who)
    await callAs(backend.cloud, who, 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'fraud', comment: who === 'admin-item-r1' ? '冒充客服要求转账' : '' })
  }
  itemId = await itemIdOf(backend.cloud, 'card', card.id)
  Object.assign(wx, { navigateTo })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  backend.signIn(REVIEWER)
  navigateTo.mockClear()
})

async function viewed(id: string = itemId): Promise<Page> {
  const page = openPage(pageId, { id })
  await tap(page, '#view', () => page.data.asked && page.data.status !== 'loading', 'the item')
  return page
}

test('asks why before showing anything; a written reason must say something', async () => {
  const page = openPage(pageId, { id: itemId })
  expect(textOf(page, '#reason-form')).toContain('当事人能在')
  await change(page, '#reason-picker', String(page.data.reasons.length - 1))
  await type(page, '#custom-reason', '看')
  await tap(page, '#view')
  expect(textOf(page, '#reason-error')).toContain('至少4个字')
  expect(backend.callFunction).not.toHaveBeenCalledWith(expect.objectContaining({ data: expect.objectContaining({ action: 'item' }) }))
})

test('shows the content as published, the reports without who filed them, the person’s record — and the person sees the look', async () => {
  const page = await viewed()
  expect(page.data.status).toBe('ready')
  expect(textOf(page, '#content')).toContain('13812345678')
  expect(textOf(page, '#reports')).toContain('举报人 1')
  expect(textOf(page, '#reports')).toContain('冒充客服要求转账')
  expect(textOf(page, '#reports')).not.toContain('admin-item-r1')
  expect(textOf(page, '#subject')).toContain('生效中的违规记录0 条')
  expect(textOf(page, '#suggested')).toBe('建议处理：警告')
  const { entries } = await callAs(backend.cloud, AUTHOR, 'account', 'accessLog', {})
  expect(entries[0]).toMatchObject({ action: 'moderation.item', reason: '处理审核队列中的事项', role: 'reviewer' })
})

test('shows each lexicon hit as written beside how the scanner read it', async () => {
  // Traditional characters of the demo lexicon's review term: held for a person, with the hit recorded.
  const card = await cardOf(backend.cloud, 'admin-item-folded', { intro: '今天测一下：測試復審詞' })
  const page = await viewed(await itemIdOf(backend.cloud, 'card', card.id))
  expect(textOf(page, '#findings')).toContain('原文“測試復審詞” → 读作“测试复审词” · 词条“测试复审词”')
})

test('claims for 15 minutes and gives the claim up; another reviewer sees it taken', async () => {
  const page = await viewed()
  await tap(page, '#claim', () => !page.data.busy)
  expect(textOf(page, '#claim-state')).toBe('你已认领')
  backend.signIn(OTHER)
  const other = await viewed()
  expect(textOf(other, '#cannot-decide')).toBe('另一位审核员已认领这一项')
  expect(other.querySelector('#decide')).toBeUndefined()
  backend.signIn(REVIEWER)
  await tap(page, '#release', () => !page.data.busy)
  expect(page.querySelector('#claim')).toBeDefined()
})

test('处理 opens the decision sheet with the item handed over', async () => {
  const page = await viewed()
  await tap(page, '#decide')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageAdmin/pages/decide/index?id=${itemId}` })
  expect(hub().reviewItem?.reviewable.id).toBe(itemId)
})

test('an item that does not exist says so, and a person who is not staff is refused', async () => {
  const missing = await viewed('no-such-item')
  expect(missing.data.status).toBe('error')
  expect(textOf(missing, '#page-state')).toContain('待审核事项不存在')
  backend.signIn(AUTHOR)
  const refused = await viewed()
  expect(textOf(refused, '#page-state')).toContain('没有权限')
})

/**
 * 我的名片 (packageCards/pages/mine) against the real backend: the list with
 * the default first and each card's standing, switching the default, deleting
 * after a confirmation, the QR code, sharing, the empty state and what is
 * missing before a card can be made or shown.
 */
import type { AppConfig } from '../../miniprogram/config'
import { CARD_LIMIT } from '../../shared/cards'
import { grantConsents, SAMPLE_CARD, verifiedPublisher } from '../../local/testing'
import { callAs, connectBackend, type Backend } from './backend'
import { cardOwner, member } from './card-helpers'
import { attrOf, load, modalAnswer, render, tap, textOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
let openid = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(confirmAnswer))

const pageId = load('packageCards/pages/mine/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, showModal })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `mine-user-${seq}`
  backend.signIn(openid)
  confirmAnswer = true
  for (const mock of [navigateTo, showModal]) mock.mockClear()
})

async function openMine(): Promise<Page> {
  const page = render(pageId)
  await waitFor('my cards to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

function listedIds(page: Page): string[] {
  return (page.data.cards as Array<{ id: string }>).map((c) => c.id)
}

test('no cards yet: the empty state and the way to create one', async () => {
  await verifiedPublisher(backend.cloud, openid)
  await grantConsents(backend.cloud, openid, ['publicCard'])
  const page = await openMine()
  expect(textOf(page, '#mine-empty')).toContain('你还没有名片')
  expect(page.querySelector('#verify-notice')).toBeUndefined()
  expect(page.querySelector('#consent-notice')).toBeUndefined()
  expect(textOf(page, '#card-count')).toBe(`已有 0 张，最多 ${CARD_LIMIT} 张`)
  await tap(page, '#create-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageCards/pages/editor/index' })
  await tap(page, '#open-holder', () => navigateTo.mock.calls.length === 2)
  await tap(page, '#open-visitors', () => navigateTo.mock.calls.length === 3)
  expect(navigateTo.mock.calls.map(([o]) => o.url).slice(1)).toEqual(['/packageCards/pages/holder/index', '/packageCards/pages/visitors/index'])
})

test('before verification and the public-display consent, the page says what is missing and leads there', async () => {
  await member(backend.cloud, openid)
  const page = await openMine()
  expect(textOf(page, '#verify-notice')).toContain('创建名片需要先完成实名认证')
  expect(textOf(page, '#consent-notice')).toContain('名片还不能公开展示')
  await tap(page, '#verify-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/verify/index' })
})

test('the default card first; switching the default reorders the list and the backend agrees', async () => {
  const first = await cardOwner(backend.cloud, openid)
  const { card: second } = await callAs(backend.cloud, openid, 'cards', 'create', { ...SAMPLE_CARD, name: '王小明（兼职）', company: '乐聊咨询' })
  const page = await openMine()
  expect(listedIds(page)).toEqual([first.id, second.id])
  expect(textOf(page, `#default-${first.id}`)).toBe('默认')
  expect(page.querySelector(`#default-${second.id}`)).toBeUndefined()
  expect(page.querySelector(`#set-default-${first.id}`)).toBeUndefined()
  expect(textOf(page, `#moderation-${first.id}`)).toBe('已发布')
  expect(textOf(page, `#shown-${first.id}`)).toBe('他人可见')
  expect(attrOf(page, `#card-${second.id}`, 'aria-label')).toBe('王小明（兼职），产品经理 · 乐聊咨询，已发布，他人可见')

  await tap(page, `#set-default-${second.id}`, () => page.data.busy === '' && page.data.message !== '')
  expect(textOf(page, '#mine-message')).toContain('「王小明（兼职）」已设为默认名片')
  expect(listedIds(page)).toEqual([second.id, first.id])
  expect(textOf(page, `#default-${second.id}`)).toBe('默认')
  const { cards } = await callAs(backend.cloud, openid, 'cards', 'mine', {})
  expect(cards.find((c) => c.isDefault)?.id).toBe(second.id)
})

test('deleting asks first; cancelled keeps the card, confirmed deletes it and the other becomes default', async () => {
  const first = await cardOwner(backend.cloud, openid)
  const { card: second } = await callAs(backend.cloud, openid, 'cards', 'create', { ...SAMPLE_CARD, name: '第二张' })
  const page = await openMine()

  confirmAnswer = false
  await tap(page, `#remove-${first.id}`, () => showModal.mock.calls.length === 1)
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '删除名片「王小明」？' })
  expect(showModal.mock.calls[0]?.[0].content).toContain('默认名片')
  expect(listedIds(page)).toEqual([first.id, second.id])
  expect((await callAs(backend.cloud, openid, 'cards', 'mine', {})).cards).toHaveLength(2)

  confirmAnswer = true
  await tap(page, `#remove-${first.id}`, () => page.data.busy === '' && page.data.message !== '')
  expect(textOf(page, '#mine-message')).toBe('已删除名片「王小明」')
  expect(listedIds(page)).toEqual([second.id])
  expect(textOf(page, `#default-${second.id}`)).toBe('默认')
  const { cards } = await callAs(backend.cloud, openid, 'cards', 'mine', {})
  expect(cards.map((c) => [c.id, c.isDefault])).toEqual([[second.id, true]])

  // The last one: the empty state again.
  await tap(page, `#remove-${second.id}`, () => page.data.busy === '' && page.data.cards.length === 0)
  expect(page.querySelector('#mine-empty')).toBeDefined()
})

test('the QR code is the backend’s image of the card’s scene, shown in a sheet; sharing sends the card page', async () => {
  const card = await cardOwner(backend.cloud, openid)
  const page = await openMine()
  await tap(page, `#qr-${card.id}`, () => page.data.busy === '' && page.data.qr !== null)
  const qr = await callAs(backend.cloud, openid, 'cards', 'qrCode', { cardId: card.id })
  expect(qr.scene).toBe(`c=${card.id}`)
  expect(attrOf(page, '#qr-image', 'src')).toBe(`data:image/png;base64,${qr.imageBase64}`)
  expect(attrOf(page, '#qr-sheet', 'aria-label')).toBe('王小明的名片码')
  expect(textOf(page, '#qr-sandbox')).toContain('本地开发环境')
  await tap(page, '#qr-close', () => page.data.qr === null)

  const instance = page.instance as unknown as { onShareAppMessage(o: { from: string; target?: unknown }): { title: string; path: string } }
  expect(instance.onShareAppMessage({ from: 'button', target: { dataset: { id: card.id } } })).toEqual({ title: '王小明的名片', path: `/pages/card/index?id=${card.id}` })
  expect(attrOf(page, `#share-${card.id}`, 'open-type')).toBe('share')

  // 预览 opens the landing page as a stranger sees the card, not the owner's own view.
  expect(attrOf(page, `#open-${card.id}`, 'aria-label')).toBe('以陌生人身份预览名片王小明')
  await tap(page, `#open-${card.id}`, () => navigateTo.mock.calls.length === 1)
  await tap(page, `#edit-${card.id}`, () => navigateTo.mock.calls.length === 2)
  await tap(page, `#visitors-${card.id}`, () => navigateTo.mock.calls.length === 3)
  expect(navigateTo.mock.calls.map(([o]) => o.url)).toEqual([
    `/pages/card/index?id=${card.id}&preview=public`,
    `/packageCards/pages/editor/index?cardId=${card.id}`,
    `/packageCards/pages/visitors/index?cardId=${card.id}`,
  ])
})

test('a card held for review shows its state, reason and that others cannot see it', async () => {
  await cardOwner(backend.cloud, openid, { input: { ...SAMPLE_CARD, intro: '沙箱待审的简介' } })
  const page = await openMine()
  const [row] = page.data.cards as Array<{ id: string }>
  const id = row?.id ?? ''
  expect(textOf(page, `#moderation-${id}`)).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textOf(page, `#reasons-${id}`)).toContain('需人工复审')
  expect(textOf(page, `#shown-${id}`)).toBe('他人看不到')
  expect(textOf(page, `#hidden-${id}`)).toContain('审核')
})

test('granting「公开展示我的名片」from the page shows my hidden card to others', async () => {
  const card = await cardOwner(backend.cloud, openid, { publicCard: false })
  const page = await openMine()
  expect(textOf(page, `#shown-${card.id}`)).toBe('他人看不到')
  expect(textOf(page, `#hidden-${card.id}`)).toContain('你尚未同意「公开展示我的名片」')
  await tap(page, '#grant-consent-button', () => page.data.busy === '' && page.data.publicConsent)
  expect(page.querySelector('#consent-notice')).toBeUndefined()
  expect(textOf(page, `#shown-${card.id}`)).toBe('他人可见')
  expect(textOf(page, '#mine-message')).toContain('已同意「公开展示我的名片」')
})

test(`at ${CARD_LIMIT} cards, creating another says why instead of opening the editor`, async () => {
  await cardOwner(backend.cloud, openid)
  for (let i = 1; i < CARD_LIMIT; i++) await callAs(backend.cloud, openid, 'cards', 'create', { name: `第${i + 1}张` })
  const page = await openMine()
  expect(page.data.atLimit).toBe(true)
  await tap(page, '#create-button', () => page.data.message !== '')
  expect(textOf(page, '#mine-message')).toBe(`最多可以有 ${CARD_LIMIT} 张名片，请先删除不用的名片`)
  expect(navigateTo).not.toHaveBeenCalled()
})

test('without an account: registration is offered', async () => {
  const page = await openMine()
  expect(textOf(page, '#register-offer')).toContain('注册后即可创建名片')
  await tap(page, '#register-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/consent/register' })
})

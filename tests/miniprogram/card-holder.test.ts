/**
 * 名片夹 (packageCards/pages/holder) against the real backend: saved cards
 * newest first and paged, search and tag filters, notes and tags, removal
 * after a confirmation, cards that became hidden, and exchange requests
 * received (accept, decline) and sent (withdraw).
 */
import type { AppConfig } from '../../miniprogram/config'
import type { OwnCardView } from '../../shared/contract/cards'
import { grantConsents, SAMPLE_CARD, verifiedPublisher } from '../../local/testing'
import { callAs, connectBackend, type Backend } from './backend'
import { cardOwner, member } from './card-helpers'
import { attrOf, load, modalAnswer, render, tap, textOf, type, waitFor, type Page } from './helpers'
import simulate from 'miniprogram-simulate'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

/** The page asks for this many saved cards at a time. */
const PAGE_SIZE = 20

let backend: Backend
let openid = ''
/** Three people with public cards, made once. */
const people: Array<{ openid: string; card: OwnCardView }> = []

const navigateTo = jest.fn((_options: { url: string }) => undefined)
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(confirmAnswer))

const pageId = load('packageCards/pages/holder/index')
const cardPageId = load('pages/card/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, showModal })
  const inputs = [
    { ...SAMPLE_CARD, name: '张设计', title: '设计师', company: '青山设计' },
    { ...SAMPLE_CARD, name: '李律师', title: '律师', company: '明理律所' },
    { ...SAMPLE_CARD, name: '王工程', title: '工程师', company: '青山科技' },
  ]
  for (const [index, input] of inputs.entries()) {
    const id = `holder-person-${index}`
    // Verified under the card's name: the card then carries the 已实名 badge.
    people.push({ openid: id, card: await cardOwner(backend.cloud, id, { input, name: input.name }) })
  }
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `holder-user-${seq}`
  backend.signIn(openid)
  confirmAnswer = true
  for (const mock of [navigateTo, showModal]) mock.mockClear()
})

async function openHolder(): Promise<Page> {
  const page = render(pageId)
  await waitFor('the holder to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

/** Saves the three cards, a second apart (the list is newest first). */
async function saveAll(): Promise<void> {
  for (const person of people) {
    await callAs(backend.cloud, openid, 'cards', 'holderSave', { cardId: person.card.id })
    backend.cloud.clock.advance(1000)
  }
}

function names(page: Page): string[] {
  return (page.data.list.items as Array<{ name: string }>).map((i) => i.name)
}

async function search(page: Page, q: string): Promise<void> {
  await type(page, '#search-input', q)
  await tap(page, '#search-button', () => page.data.listStatus === 'ready')
}

test('an empty holder and no requests: empty states that say how cards get here', async () => {
  await member(backend.cloud, openid)
  const page = await openHolder()
  expect(textOf(page, '#holder-empty')).toContain('名片夹还是空的')
  expect(page.querySelector('#pending-count')).toBeUndefined()
  await tap(page, '#tab-incoming', () => page.data.exchangeStatus === 'ready')
  expect(textOf(page, '#exchange-empty')).toBe('还没有人向你发起交换名片。')
  await tap(page, '#tab-outgoing', () => page.data.exchangeStatus === 'ready')
  expect(textOf(page, '#exchange-empty')).toContain('你还没有发出交换名片的请求')
})

test('saved cards newest first, searched by what I can see, and cleared', async () => {
  await member(backend.cloud, openid)
  await saveAll()
  const page = await openHolder()
  expect(names(page)).toEqual(['王工程', '李律师', '张设计'])
  const first = people[2]?.card.id ?? ''
  expect(textOf(page, `#item-name-${first}`)).toBe('王工程')
  expect(attrOf(page, `#item-${first} .holder__item-main`, 'aria-label')).toBe('王工程，已实名，工程师 · 青山科技')
  // Strangers do not get the phone: nor does the holder.
  expect(JSON.stringify(page.data)).not.toContain(SAMPLE_CARD.phone)

  await search(page, '青山')
  expect(names(page)).toEqual(['王工程', '张设计'])
  expect(textOf(page, '#search-summary')).toContain('搜索「青山」')
  await search(page, '律师')
  expect(names(page)).toEqual(['李律师'])
  // The phone number is not visible to me, so it does not match.
  await search(page, SAMPLE_CARD.phone ?? '')
  expect(names(page)).toEqual([])
  expect(textOf(page, '#holder-empty')).toBe('没有找到匹配的名片，换个关键词试试。')
  await tap(page, '#clear-search', () => page.data.listStatus === 'ready' && page.data.list.items.length === 3)

  await tap(page, `#item-${first} .holder__item-main`, () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/card/index?id=${first}` })
})

test('notes and tags: edited in a sheet, saved, searchable, and tags filter the list', async () => {
  await member(backend.cloud, openid)
  await saveAll()
  const page = await openHolder()
  const lawyer = people[1]?.card.id ?? ''

  await tap(page, `#edit-${lawyer}`, () => page.data.editing === lawyer)
  expect(attrOf(page, '#edit-sheet', 'aria-label')).toBe('李律师的备注和标签')
  await type(page, '#note-input', '展会上认识，合同审核')
  await type(page, '#tag-input', '客户，北京、客户')
  await tap(page, '#tag-add', () => page.data.editTags.length === 2)
  expect(page.data.editTags).toEqual(['客户', '北京'])
  await tap(page, '#edit-tag-1', () => page.data.editTags.length === 1)
  // Typed but not added yet: saving adds it.
  await type(page, '#tag-input', '法律')
  await tap(page, '#edit-save', () => !page.data.editBusy && page.data.editing === '')
  expect(textOf(page, `#item-note-${lawyer}`)).toBe('备注：展会上认识，合同审核')
  expect(textOf(page, `#item-tags-${lawyer}`)).toContain('客户')
  expect(textOf(page, `#item-tags-${lawyer}`)).toContain('法律')
  expect(textOf(page, '#holder-message')).toBe('已保存备注和标签')

  const { items, tags } = await callAs(backend.cloud, openid, 'cards', 'holderList', {})
  expect(items.find((i) => i.cardId === lawyer)).toMatchObject({ note: '展会上认识，合同审核', tags: ['客户', '法律'] })
  expect(tags).toEqual(expect.arrayContaining(['客户', '法律']))
  await waitFor('the tag chips', () => page.data.tags.length === 2)

  // Tag chips filter; tapping again clears.
  await tap(page, '#tag-filter-0', () => page.data.listStatus === 'ready' && page.data.activeTag !== '')
  expect(names(page)).toEqual(['李律师'])
  expect(attrOf(page, '#tag-filter-0', 'aria-pressed')).toBe('true')
  await tap(page, '#tag-filter-0', () => page.data.listStatus === 'ready' && page.data.activeTag === '')
  expect(names(page)).toHaveLength(3)

  // My note is searchable.
  await search(page, '展会')
  expect(names(page)).toEqual(['李律师'])

  // A tag that is too long is refused before sending.
  await tap(page, `#edit-${lawyer}`, () => page.data.editing === lawyer)
  await type(page, '#tag-input', '这是一个超过十个字的很长很长标签')
  await tap(page, '#edit-save', () => page.data.editErrors.tags !== '')
  expect(textOf(page, '#tags-error')).toBe('每个标签最多 10 个字')
  await tap(page, '#edit-cancel', () => page.data.editing === '')
})

test('removing asks first; cancelled keeps the card, confirmed removes it', async () => {
  await member(backend.cloud, openid)
  await saveAll()
  const page = await openHolder()
  const designer = people[0]?.card.id ?? ''

  confirmAnswer = false
  await tap(page, `#remove-${designer}`, () => showModal.mock.calls.length === 1)
  expect(showModal.mock.calls[0]?.[0].title).toBe('从名片夹移除「张设计」？')
  expect(names(page)).toHaveLength(3)

  confirmAnswer = true
  await tap(page, `#remove-${designer}`, () => page.data.busy === '' && page.data.list.items.length === 2)
  expect(textOf(page, '#holder-message')).toBe('已移除「张设计」')
  const { items } = await callAs(backend.cloud, openid, 'cards', 'holderList', {})
  expect(items.map((i) => i.cardId)).not.toContain(designer)
})

test('a saved card that was hidden since stays in the list, marked, with my note', async () => {
  await member(backend.cloud, openid)
  const owner = `${openid}-hides`
  const card = await cardOwner(backend.cloud, owner, { input: { ...SAMPLE_CARD, name: '韩隐藏' } })
  await callAs(backend.cloud, openid, 'cards', 'holderSave', { cardId: card.id, note: '老同学' })
  await callAs(backend.cloud, owner, 'consent', 'withdraw', { purpose: 'publicCard' })
  const page = await openHolder()
  expect(textOf(page, `#item-unavailable-${card.id}`)).toBe('名片暂不公开')
  expect(textOf(page, `#item-note-${card.id}`)).toBe('备注：老同学')
  expect(page.dom?.textContent).not.toContain('韩隐藏')
})

test('more than a page of saved cards loads the rest on request', async () => {
  await member(backend.cloud, openid)
  const owners = ['holder-many-a', 'holder-many-b', 'holder-many-c', 'holder-many-d', 'holder-many-e']
  const ids: string[] = []
  for (const owner of owners) {
    await verifiedPublisher(backend.cloud, owner)
    await grantConsents(backend.cloud, owner, ['publicCard'])
    for (let i = 0; i < 5; i++) ids.push((await callAs(backend.cloud, owner, 'cards', 'create', { name: `${owner.slice(-1)}${i}` })).card.id)
  }
  for (const id of ids) {
    await callAs(backend.cloud, openid, 'cards', 'holderSave', { cardId: id })
    backend.cloud.clock.advance(1000)
  }
  const page = await openHolder()
  expect(page.data.list.items).toHaveLength(PAGE_SIZE)
  await tap(page, '#more', () => !page.data.list.loadingMore)
  expect(page.data.list.items).toHaveLength(ids.length)
  expect(page.querySelector('#more')).toBeUndefined()
  expect(new Set((page.data.list.items as Array<{ cardId: string }>).map((i) => i.cardId))).toEqual(new Set(ids))
  // Saves more than a page of cards through the handlers first: seconds alone, more on a loaded machine.
}, 30_000)

test('exchange requests: the count on the tab, accept (both cards saved, exchanged fields visible), decline, and withdraw my own', async () => {
  const mine = await cardOwner(backend.cloud, openid, { input: { ...SAMPLE_CARD, name: '我自己' } })
  const [a, b, c] = people
  if (!a || !b || !c) throw new Error('setup')
  await callAs(backend.cloud, a.openid, 'cards', 'exchangeRequest', { myCardId: a.card.id, theirCardId: mine.id, message: '展会上见过' })
  await callAs(backend.cloud, b.openid, 'cards', 'exchangeRequest', { myCardId: b.card.id, theirCardId: mine.id })
  const { exchange: sent } = await callAs(backend.cloud, openid, 'cards', 'exchangeRequest', { myCardId: mine.id, theirCardId: c.card.id })

  const page = await openHolder()
  expect(textOf(page, '#pending-count')).toBe('2')
  expect(attrOf(page, '#tab-incoming', 'aria-label')).toBe('收到的交换请求，2条待处理')
  await tap(page, '#tab-incoming', () => page.data.exchangeStatus === 'ready')
  const rows = page.data.exchanges.items as Array<{ id: string; theirName: string }>
  const fromA = rows.find((x) => x.theirName === '张设计')?.id ?? ''
  const fromB = rows.find((x) => x.theirName === '李律师')?.id ?? ''
  expect(textOf(page, `#exchange-status-${fromA}`)).toBe('等待你回应')
  expect(textOf(page, `#exchange-${fromA}`)).toContain('留言：展会上见过')

  await tap(page, `#accept-${fromA}`, () => page.data.busy === '' && page.data.message !== '')
  expect(textOf(page, `#exchange-status-${fromA}`)).toBe('已交换')
  expect(textOf(page, '#pending-count')).toBe('1')
  expect(textOf(page, '#holder-message')).toContain('已交换名片')
  // Each side now has the other's card, with the exchanged-only fields.
  const { items } = await callAs(backend.cloud, openid, 'cards', 'holderList', {})
  expect(items.find((i) => i.cardId === a.card.id)).toMatchObject({ exchanged: true, card: { phone: SAMPLE_CARD.phone } })
  const theirs = await callAs(backend.cloud, a.openid, 'cards', 'view', { cardId: mine.id })
  expect(theirs.relation).toBe('exchanged')
  expect(theirs.card.phone).toBe(SAMPLE_CARD.phone)

  page.setData({ message: '' })
  await tap(page, `#decline-${fromB}`, () => page.data.busy === '' && page.data.message !== '')
  expect(textOf(page, `#exchange-status-${fromB}`)).toBe('对方已婉拒')
  expect(page.querySelector('#pending-count')).toBeUndefined()

  // Ending an accepted exchange asks first.
  confirmAnswer = false
  await tap(page, `#end-${fromA}`, () => showModal.mock.calls.length === 1)
  expect(textOf(page, `#exchange-status-${fromA}`)).toBe('已交换')

  // My own request: withdrawn after a confirmation.
  confirmAnswer = true
  await tap(page, '#tab-outgoing', () => page.data.exchangeStatus === 'ready')
  expect(textOf(page, `#exchange-status-${sent.id}`)).toBe('等待对方回应')
  page.setData({ message: '' })
  await tap(page, `#end-${sent.id}`, () => page.data.busy === '' && page.data.message !== '')
  expect(showModal.mock.calls[1]?.[0].title).toBe('撤回交换请求？')
  expect(textOf(page, `#exchange-status-${sent.id}`)).toBe('已撤回')
})

test('without an account: registration is offered', async () => {
  const page = await openHolder()
  expect(textOf(page, '#register-offer')).toContain('注册后即可使用名片夹')
})

/** `owners` people with `perOwner` public cards each (names <last letter of the owner><n>), made through the backend. */
async function manyCards(prefix: string, owners: number, perOwner: number): Promise<Array<{ openid: string; cardId: string }>> {
  const made: Array<{ openid: string; cardId: string }> = []
  for (let o = 0; o < owners; o++) {
    const owner = `${prefix}-${o}`
    await verifiedPublisher(backend.cloud, owner)
    await grantConsents(backend.cloud, owner, ['publicCard'])
    for (let i = 0; i < perOwner; i++) made.push({ openid: owner, cardId: (await callAs(backend.cloud, owner, 'cards', 'create', { name: `${'甲乙丙丁戊'[o] ?? '己'}${i}` })).card.id })
  }
  return made
}

type CallParam = Parameters<Backend['callFunction']>[0]

/** The next call that `matches` waits for the returned release; other calls go through. */
function holdNext(matches: (param: CallParam) => boolean): () => void {
  const real = backend.callFunction.getMockImplementation()
  if (!real) throw new Error('no callFunction implementation')
  let release = (): void => undefined
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let held = false
  backend.callFunction.mockImplementation(async (param) => {
    if (!held && matches(param)) {
      held = true
      backend.callFunction.mockImplementation(real)
      await gate
    }
    return real(param)
  })
  return release
}

function isHolderList(param: CallParam, q?: string): boolean {
  const data = param.data as { action?: string; input?: { q?: string } } | undefined
  return param.name === 'cards' && data?.action === 'holderList' && (q === undefined || data.input?.q === q)
}

test('?tab=incoming (where the request message leads) opens the requests I received', async () => {
  const mine = await cardOwner(backend.cloud, openid, { input: { ...SAMPLE_CARD, name: '收请求的人' } })
  const [a] = people
  if (!a) throw new Error('setup')
  await callAs(backend.cloud, a.openid, 'cards', 'exchangeRequest', { myCardId: a.card.id, theirCardId: mine.id })
  const page = render(pageId, { tab: 'incoming' })
  await waitFor('the requests', () => page.data.status === 'ready' && page.data.exchangeStatus === 'ready')
  expect(page.data.current).toBe('incoming')
  expect(attrOf(page, '#tab-incoming', 'aria-selected')).toBe('true')
  expect(page.querySelector('#holder-panel')).toBeUndefined()
  expect(textOf(page, '#exchange-list')).toContain('张设计')
})

test('a failed 加载更多 on a request tab says why under the list and keeps the rows; trying again continues', async () => {
  const mine = await cardOwner(backend.cloud, openid, { input: { ...SAMPLE_CARD, name: '很多请求' } })
  const askers = await manyCards(`${openid}-ask`, 5, 5)
  for (const asker of askers) {
    await callAs(backend.cloud, asker.openid, 'cards', 'exchangeRequest', { myCardId: asker.cardId, theirCardId: mine.id })
    backend.cloud.clock.advance(1000)
  }
  const page = await openHolder()
  await tap(page, '#tab-incoming', () => page.data.exchangeStatus === 'ready')
  expect(page.data.exchanges.items).toHaveLength(PAGE_SIZE)
  backend.setNetworkDown(true)
  try {
    await tap(page, '#exchange-more', () => !page.data.exchanges.loadingMore && page.data.exchanges.moreError !== '')
  } finally {
    backend.setNetworkDown(false)
  }
  expect(textOf(page, '#exchange-more-error')).toContain('网络连接失败')
  expect(attrOf(page, '#exchange-more-error', 'aria-role')).toBe('alert')
  expect(page.data.exchanges.items).toHaveLength(PAGE_SIZE)
  expect(page.querySelector('#exchange-error')).toBeUndefined()
  await tap(page, '#exchange-more', () => !page.data.exchanges.loadingMore && page.data.exchanges.items.length === askers.length)
  expect(page.querySelector('#exchange-more-error')).toBeUndefined()
  expect(page.querySelector('#exchange-more')).toBeUndefined()
})

test('撤回请求 and 解除交换 name the person for screen readers', async () => {
  const mine = await cardOwner(backend.cloud, openid, { input: { ...SAMPLE_CARD, name: '读屏用户' } })
  const [a, b] = people
  if (!a || !b) throw new Error('setup')
  const { exchange: sent } = await callAs(backend.cloud, openid, 'cards', 'exchangeRequest', { myCardId: mine.id, theirCardId: a.card.id })
  const { exchange: received } = await callAs(backend.cloud, b.openid, 'cards', 'exchangeRequest', { myCardId: b.card.id, theirCardId: mine.id })
  await callAs(backend.cloud, openid, 'cards', 'exchangeRespond', { exchangeId: received.id, accept: true })
  const page = await openHolder()
  await tap(page, '#tab-outgoing', () => page.data.exchangeStatus === 'ready')
  expect(attrOf(page, `#end-${sent.id}`, 'aria-label')).toBe('撤回发给张设计的交换请求')
  await tap(page, '#tab-incoming', () => page.data.exchangeStatus === 'ready' && page.data.exchangeBox === 'incoming')
  expect(attrOf(page, `#end-${received.id}`, 'aria-label')).toBe('解除与李律师的名片交换')
})

test('a late answer for an earlier search is dropped: the list shows the latest search', async () => {
  await member(backend.cloud, openid)
  await saveAll()
  const page = await openHolder()
  const release = holdNext((param) => isHolderList(param, '青山'))
  await type(page, '#search-input', '青山')
  page.querySelector('#search-button')?.dispatchEvent('tap')
  await simulate.sleep(5)
  await search(page, '律师')
  expect(names(page)).toEqual(['李律师'])
  release()
  await waitFor('the held answer', () => backend.callFunction.mock.results.every((r) => r.type !== 'incomplete'))
  await simulate.sleep(20)
  expect(names(page)).toEqual(['李律师'])
  expect(page.data.listQuery).toEqual({ q: '律师', tag: '' })
})

test('加载更多 asked before a new search does not add rows of the old list to the new one', async () => {
  await member(backend.cloud, openid)
  const cards = await manyCards(`${openid}-many`, 5, 5)
  for (const { cardId } of cards) {
    await callAs(backend.cloud, openid, 'cards', 'holderSave', { cardId })
    backend.cloud.clock.advance(1000)
  }
  const page = await openHolder()
  expect(page.data.list.items).toHaveLength(PAGE_SIZE)
  const release = holdNext((param) => isHolderList(param) && (param.data as { input?: { cursor?: string } }).input?.cursor !== undefined)
  page.querySelector('#more')?.dispatchEvent('tap')
  await waitFor('加载更多 to start', () => page.data.list.loadingMore)
  // Names are <甲乙丙丁戊><0-4>: 甲 finds the five cards of the first owner.
  await search(page, '甲')
  expect(names(page).sort()).toEqual(['甲0', '甲1', '甲2', '甲3', '甲4'])
  release()
  await simulate.sleep(50)
  expect(names(page).sort()).toEqual(['甲0', '甲1', '甲2', '甲3', '甲4'])
  expect(page.querySelector('#more')).toBeUndefined()
})

test('coming back keeps the list as it is; after a card was saved on a card page it is read again', async () => {
  await member(backend.cloud, openid)
  const [a, b] = people
  if (!a || !b) throw new Error('setup')
  await callAs(backend.cloud, openid, 'cards', 'holderSave', { cardId: a.card.id })
  backend.cloud.clock.advance(1000)
  const page = await openHolder()
  expect(names(page)).toEqual(['张设计'])
  const showHolder = (): void => (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')

  // Opened a card and came back without changing anything: nothing is read again.
  const calls = backend.callFunction.mock.calls.length
  showHolder()
  await simulate.sleep(20)
  expect(backend.callFunction.mock.calls.length).toBe(calls)

  // Saved a card on its page, then back: the list shows it.
  const cardPage = render(cardPageId)
  ;(cardPage.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ id: b.card.id })
  await waitFor('the card page', () => cardPage.data.status === 'ready')
  await tap(cardPage, '#save-button', () => cardPage.data.saved)
  showHolder()
  await waitFor('the list to be read again', () => names(page).length === 2)
  expect(names(page)).toEqual(['李律师', '张设计'])
})

/**
 * 访客 (packageCards/pages/visitors) against the real backend: who viewed my
 * cards (with their card when they chose to share it), the 30-day chart whose
 * bars carry the backend's daily counts, one card or all, my own visit
 * setting, and the empty states.
 */
import type { AppConfig } from '../../miniprogram/config'
import { grantConsents, SAMPLE_CARD } from '../../local/testing'
import { callAs, connectBackend, DAY, type Backend } from './backend'
import { cardOwner, member } from './card-helpers'
import { attrOf, load, render, reportSheetOf, tap, textOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
let openid = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)

const pageId = load('packageCards/pages/visitors/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, showToast: () => undefined })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `visitors-owner-${seq}`
  backend.signIn(openid)
  navigateTo.mockClear()
})

async function openVisitors(cardId?: string): Promise<Page> {
  const page = render(pageId, cardId ? { cardId } : {})
  await waitFor('the visitors to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

async function visit(viewer: string, cardId: string): Promise<void> {
  await callAs(backend.cloud, viewer, 'cards', 'view', { cardId })
}

/** 2024-06-01 → 6月1日, worked out here rather than with the page's helper. */
function chinese(date: string): string {
  const [, month, day] = date.split('-')
  return `${Number(month)}月${Number(day)}日`
}

test('visitors and the chart: recorded visitors (one with their card), anonymous views, a bar per day with the backend’s counts', async () => {
  const card = await cardOwner(backend.cloud, openid)
  const sharer = `${openid}-sharer`
  const plain = `${openid}-plain`
  const noConsent = `${openid}-no-consent`
  const sharerCard = await cardOwner(backend.cloud, sharer, { input: { ...SAMPLE_CARD, name: '附名片的人', title: '销售总监', company: '远方贸易' } })
  await grantConsents(backend.cloud, sharer, ['personalization'])
  await callAs(backend.cloud, sharer, 'cards', 'updateVisitSettings', { shareCardOnVisit: true })
  await member(backend.cloud, plain, { personalization: true })
  await member(backend.cloud, noConsent)

  // Two days ago: the sharer and someone without an account. Today: the plain member twice (one record), one without consent.
  await visit(sharer, card.id)
  await visit(`${openid}-anon`, card.id)
  backend.cloud.clock.advance(2 * DAY)
  await visit(plain, card.id)
  await visit(plain, card.id)
  await visit(noConsent, card.id)

  const stats = await callAs(backend.cloud, openid, 'cards', 'visitStats', {})
  const page = await openVisitors()
  expect(page.data.bars).toHaveLength(stats.days.length)
  expect(stats.days).toHaveLength(30)
  for (const day of stats.days) {
    const total = day.visitors + day.anonymous
    const expected =
      total === 0
        ? `${chinese(day.date)}：没有访问`
        : `${chinese(day.date)}：${day.visitors} 位访客${day.anonymous > 0 ? `，${day.anonymous} 次匿名浏览` : ''}`
    expect(attrOf(page, `#bar-${day.date}`, 'aria-label')).toBe(expected)
  }
  const busy = stats.days.filter((d) => d.visitors + d.anonymous > 0)
  expect(busy.map((d) => [d.visitors, d.anonymous])).toEqual([
    [1, 1],
    [1, 1],
  ])
  // The busiest days fill the chart; empty days have no bar.
  const heights = (page.data.bars as Array<{ date: string; heightPercent: number }>).map((b) => [b.date, b.heightPercent])
  for (const [date, height] of heights) expect(height).toBe(busy.some((d) => d.date === date) ? 100 : 0)
  expect(textOf(page, '#total-visitors')).toBe(String(stats.totalVisitors))
  expect(textOf(page, '#total-anonymous')).toBe(String(stats.totalAnonymous))
  expect(stats.totalVisitors).toBe(2)
  expect(stats.totalAnonymous).toBe(2)
  expect(textOf(page, '#chart-summary')).toContain('共 4 次访问，单日最多 2 次')

  // Newest first; the sharer's card shown and opened, the plain visitor's not.
  const { visitors } = await callAs(backend.cloud, openid, 'cards', 'visitors', {})
  expect(visitors).toHaveLength(2)
  const [latest, earlier] = visitors
  expect((page.data.visitors as Array<{ id: string }>).map((v) => v.id)).toEqual([latest?.id, earlier?.id])
  expect(page.querySelector(`#viewer-card-${latest?.id}`)).toBeUndefined()
  expect(textOf(page, `#visitor-name-${latest?.id}`)).toBe(latest?.nickname)
  expect(textOf(page, `#viewer-card-${earlier?.id}`)).toContain('附名片的人')
  expect(textOf(page, `#viewer-card-${earlier?.id}`)).toContain('销售总监 · 远方贸易')
  await tap(page, `#viewer-card-${earlier?.id}`, () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/card/index?id=${sharerCard.id}` })
})

test('one card or all: the chart and list follow the chosen card', async () => {
  const first = await cardOwner(backend.cloud, openid)
  const { card: second } = await callAs(backend.cloud, openid, 'cards', 'create', { ...SAMPLE_CARD, name: '第二张名片' })
  await visit(`${openid}-anon-1`, first.id)
  await visit(`${openid}-anon-2`, second.id)
  await visit(`${openid}-anon-3`, second.id)

  const page = await openVisitors(second.id)
  expect(page.data.selected).toBe(second.id)
  expect(attrOf(page, `#choice-${second.id}`, 'aria-selected')).toBe('true')
  expect(textOf(page, '#total-anonymous')).toBe('2')

  await tap(page, `#choice-${first.id}`, () => page.data.partStatus === 'ready' && page.data.selected === first.id)
  expect(textOf(page, '#total-anonymous')).toBe('1')
  await tap(page, '#choice-all', () => page.data.partStatus === 'ready' && page.data.selected === '')
  expect(textOf(page, '#total-anonymous')).toBe('3')
})

test('nobody yet: the chart says so and the list explains anonymous views', async () => {
  await cardOwner(backend.cloud, openid)
  const page = await openVisitors()
  expect(textOf(page, '#chart-summary')).toContain('还没有人看过这张名片')
  expect(textOf(page, '#visitors-empty')).toContain('只计入匿名浏览次数')
  expect((page.data.bars as Array<{ heightPercent: number }>).every((b) => b.heightPercent === 0)).toBe(true)
})

test('my own visit setting: attaching my default card, only when my visits are recorded', async () => {
  await cardOwner(backend.cloud, openid)
  const page = await openVisitors()
  expect(attrOf(page, '#share-switch', 'disabled')).toBe('true')
  expect(textOf(page, '#settings-notice')).toContain('只计入匿名浏览次数')

  await grantConsents(backend.cloud, openid, ['personalization'])
  const again = await openVisitors()
  expect(attrOf(again, '#share-switch', 'disabled')).toBe('false')
  again.querySelector('#share-switch')?.dispatchEvent('change', { detail: { value: true } })
  await waitFor('the setting to save', () => again.data.settings?.shareCardOnVisit === true && !again.data.settingsBusy)
  expect(textOf(again, '#settings-notice')).toContain('能看到你的昵称、头像和默认名片')
  expect((await callAs(backend.cloud, openid, 'cards', 'visitSettings', {})).shareCardOnVisit).toBe(true)
})

test('no cards: the page offers to create one', async () => {
  await member(backend.cloud, openid)
  const page = await openVisitors()
  expect(textOf(page, '#no-cards')).toContain('你还没有名片')
  await tap(page, '#create-card', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageCards/pages/editor/index' })
})

test('a setting that fails to save puts the switch back to what is stored, with the reason', async () => {
  await cardOwner(backend.cloud, openid)
  await grantConsents(backend.cloud, openid, ['personalization'])
  const page = await openVisitors()
  expect(attrOf(page, '#share-switch', 'checked')).toBe('false')
  let release = (): void => undefined
  backend.hold(
    new Promise<void>((resolve) => {
      release = resolve
    }),
  )
  page.querySelector('#share-switch')?.dispatchEvent('change', { detail: { value: true } })
  await waitFor('the save to start', () => page.data.settingsBusy)
  // While saving, the page follows the switch…
  expect(attrOf(page, '#share-switch', 'checked')).toBe('true')
  backend.setNetworkDown(true)
  backend.hold(null)
  release()
  try {
    await waitFor('the save to fail', () => !page.data.settingsBusy)
  } finally {
    backend.setNetworkDown(false)
  }
  // …and after the failure it is put back: a change the view renders, so the switch flips back.
  expect(page.data.settings?.shareCardOnVisit).toBe(false)
  expect(attrOf(page, '#share-switch', 'checked')).toBe('false')
  expect(textOf(page, '#settings-error')).toContain('网络连接失败')
  expect((await callAs(backend.cloud, openid, 'cards', 'visitSettings', {})).shareCardOnVisit).toBe(false)
})

test('a visitor’s profile can be reported from the list', async () => {
  const card = await cardOwner(backend.cloud, openid)
  const viewer = `${openid}-rude`
  await member(backend.cloud, viewer, { personalization: true })
  await visit(viewer, card.id)
  const page = await openVisitors()
  const row = page.data.visitors[0] as { id: string; accountId: string }
  await tap(page, `#report-visitor-${row.id}`)
  const sheet = reportSheetOf(page)
  expect(textOf(sheet, '.report-sheet__title')).toBe('举报这位访客')
  await tap(sheet, '#category-abuse')
  await tap(sheet, '#report-submit', () => page.data.reportAbout === '', 'the sheet to close')
  const filed = await backend.cloud.store.collection('moderation_reports').findOne({ reporterOpenid: openid })
  expect(filed).toMatchObject({ targetKind: 'account', targetId: row.accountId, category: 'abuse', subject: viewer })
})

/**
 * The ways into the card pages: 首页's entries and 我的's menu item, and the
 * landing page in the main package (a QR code must open it without loading a
 * subpackage first), the other card pages in the cards subpackage.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { CARD_PAGE } from '../../shared/cards'
import { acceptCurrentTerms, connectBackend, type Backend } from './backend'
import { attrOf, load, MINIPROGRAM_ROOT, render, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

const homeId = load('pages/home/index')
const meId = load('pages/me/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, switchTab })
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  navigateTo.mockClear()
  switchTab.mockClear()
})

interface AppJson {
  pages: string[]
  subpackages: Array<{ root: string; name: string; pages: string[] }>
}

test('app.json: the landing page in the main package, the others in the cards subpackage', () => {
  const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson
  expect(app.pages).toContain(CARD_PAGE)
  const cards = app.subpackages.find((p) => p.root === 'packageCards')
  expect(cards).toMatchObject({ name: 'cards' })
  expect(cards?.pages).toEqual(['pages/mine/index', 'pages/editor/index', 'pages/holder/index', 'pages/visitors/index'])
})

test('首页 links to 我的名片 and 名片夹', async () => {
  const page = render(homeId)
  expect(textOf(page, '#open-cards')).toContain('我的名片')
  expect(attrOf(page, '#open-cards', 'aria-role')).toBe('link')
  page.querySelector('#open-cards')?.dispatchEvent('tap')
  page.querySelector('#open-holder')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo.mock.calls.map(([o]) => o.url)).toEqual(['/packageCards/pages/mine/index', '/packageCards/pages/holder/index'])
})

test('我的 has a 我的名片 menu item', async () => {
  backend.signIn('entries-me')
  await acceptCurrentTerms(backend.cloud, 'entries-me')
  const page = render(meId)
  await waitFor('我的 to load', () => page.data.status === 'ready')
  expect(textOf(page, '#open-cards')).toContain('我的名片')
  expect(attrOf(page, '#open-cards', 'aria-role')).toBe('link')
  page.querySelector('#open-cards')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageCards/pages/mine/index' })
})

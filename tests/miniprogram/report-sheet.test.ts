/**
 * 举报 (components/report-sheet) on the card landing page, against the real
 * backend. The activity and article pages' 举报 are tested with those pages
 * (miniprogram-simulate loads a component once per test file).
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, connectBackend, type Backend } from './backend'
import { cardOwner } from './card-helpers'
import { load, render, reportSheetOf, tap, textOf, type, waitFor, type Page } from './helpers'
import type { OwnCardView } from '../../shared/contract/cards'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const OWNER = 'report-owner'
const READER = 'report-reader'

let backend: Backend
let card: OwnCardView
const showToast = jest.fn((_options: { title: string }) => undefined)
const navigateTo = jest.fn((_options: { url: string }) => undefined)

const cardPage = load('pages/card/index')

beforeAll(async () => {
  backend = await connectBackend()
  card = await cardOwner(backend.cloud, OWNER)
  await acceptCurrentTerms(backend.cloud, READER)
  Object.assign(wx, { showToast, navigateTo, setNavigationBarTitle: () => undefined })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  backend.signIn(READER)
  showToast.mockClear()
  navigateTo.mockClear()
})

async function openCard(): Promise<Page> {
  const page = render(cardPage)
  ;(page.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ id: card.id })
  await waitFor('the card to load', () => page.data.status !== 'loading')
  return page
}


async function reportsBy(openid: string): Promise<Array<{ targetKind: string; targetId: string; category: string; comment: string }>> {
  return backend.cloud.store.collection<{ _id: string; targetKind: string; targetId: string; category: string; comment: string }>('moderation_reports').find({ reporterOpenid: openid }, { limit: 20 })
}

test('a stranger reports a card: a category is needed, a comment may go with it, the sheet closes with thanks', async () => {
  const page = await openCard()
  expect(textOf(reportSheetOf(page), '.report-sheet')).toBeNull()
  await tap(page, '#report-card')
  const sheet = reportSheetOf(page)
  expect(textOf(sheet, '.report-sheet__title')).toBe('举报这张名片')
  expect(sheet.querySelectorAll('.report-sheet__choice').map((n) => n.dom?.textContent)).toContain('广告或垃圾信息')

  await tap(sheet, '#report-submit')
  expect(textOf(sheet, '#report-error')).toBe('请选择举报原因')
  await tap(sheet, '#category-fraud')
  await type(sheet, '#report-comment', '让我先转账再发货')
  await tap(sheet, '#report-submit', () => showToast.mock.calls.length > 0, 'the thanks')
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已收到你的举报' }))
  await waitFor('the sheet to close', () => page.data.reportAbout === '')
  expect(await reportsBy(READER)).toEqual([expect.objectContaining({ targetKind: 'card', targetId: card.id, category: 'fraud', comment: '让我先转账再发货' })])
})

test('the owner is not offered 举报 on their own card; a person can be reported instead of the card', async () => {
  backend.signIn(OWNER)
  const own = await openCard()
  expect(own.querySelector('#report-card')).toBeUndefined()

  backend.signIn(READER)
  const page = await openCard()
  await tap(page, '#report-person')
  const sheet = reportSheetOf(page)
  expect(textOf(sheet, '.report-sheet__title')).toBe('举报名片主人')
  await tap(sheet, '#category-impersonation')
  await tap(sheet, '#report-submit', () => page.data.reportAbout === '', 'the sheet to close')
  expect((await reportsBy(READER)).map((r) => r.targetKind)).toContain('account')
})

test('without an account the sheet says to sign in first, and takes the visitor there', async () => {
  backend.signIn('report-visitor-no-account')
  const page = await openCard()
  await tap(page, '#report-card')
  const sheet = reportSheetOf(page)
  await tap(sheet, '#category-spam')
  await tap(sheet, '#report-submit', () => sheet.querySelector('#report-sign-in') !== undefined, 'the sign-in offer')
  expect(textOf(sheet, '#report-error')).toBe('登录并同意用户协议后才能举报')
  await tap(sheet, '#report-sign-in')
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/consent/register' })
})

test('a refused comment is shown under the comment box, and the network failing says so', async () => {
  const page = await openCard()
  await tap(page, '#report-card')
  const sheet = reportSheetOf(page)
  await tap(sheet, '#category-spam')
  await type(sheet, '#report-comment', '他写了沙箱违规的话')
  await tap(sheet, '#report-submit', () => textOf(sheet, '#comment-error') !== null, 'the comment refusal')
  expect(textOf(sheet, '#comment-error')).toContain('违规')
  backend.setNetworkDown(true)
  await type(sheet, '#report-comment', '')
  await tap(sheet, '#report-submit', () => textOf(sheet, '#report-error') !== null, 'the network error')
  expect(textOf(sheet, '#report-error')).toBe('网络连接失败，请检查网络后重试')
  backend.setNetworkDown(false)
})

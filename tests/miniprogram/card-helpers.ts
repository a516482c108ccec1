/** Shared by the card page tests: people with cards made through the real backend, and page plumbing. */
import simulate from 'miniprogram-simulate'
import { grantConsents, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { CardInput, OwnCardView } from '../../shared/contract/cards'
import { acceptCurrentTerms, callAs } from './backend'
import { waitFor } from './helpers'

export { grantConsents, verifiedPublisher }

export const SAMPLE: CardInput = {
  name: '王小明',
  title: '产品经理',
  company: '乐聊科技',
  phone: '13812345678',
  email: 'xiaoming@example.com',
  wechatId: 'wxm_2024',
  address: '北京市海淀区中关村大街1号',
  intro: '专注企业服务产品十年。',
  links: [{ label: '公司官网', url: 'https://example.com' }],
}

/** A verified adult with「公开展示我的名片」(unless publicCard is false) and one card (published, default). */
export async function cardOwner(
  cloud: TestCloud,
  openid: string,
  options: { input?: CardInput; publicCard?: boolean; name?: string } = {},
): Promise<OwnCardView> {
  await verifiedPublisher(cloud, openid, options.name ? { name: options.name } : {})
  if (options.publicCard !== false) await grantConsents(cloud, openid, ['publicCard'])
  const { card } = await callAs(cloud, openid, 'cards', 'create', options.input ?? SAMPLE)
  return card
}

/** A registered (terms accepted) user without a card; with personalization, their visits are recorded. */
export async function member(cloud: TestCloud, openid: string, options: { personalization?: boolean } = {}): Promise<void> {
  await acceptCurrentTerms(cloud, openid)
  if (options.personalization) await grantConsents(cloud, openid, ['personalization'])
}

/** Two people whose cards are exchanged (a asked, b accepted). */
export async function exchange(cloud: TestCloud, a: { openid: string; cardId: string }, b: { openid: string; cardId: string }): Promise<void> {
  const { exchange: request } = await callAs(cloud, a.openid, 'cards', 'exchangeRequest', { myCardId: a.cardId, theirCardId: b.cardId })
  await callAs(cloud, b.openid, 'cards', 'exchangeRespond', { exchangeId: request.id, accept: true })
}

export type Page = ReturnType<typeof simulate.render>

export function open(pageId: string, properties?: Record<string, unknown>): Page {
  const page = simulate.render(pageId, properties)
  page.attach(document.createElement('parent-wrapper'))
  return page
}

/** Taps `selector` and waits until `settled`. */
export async function tap(page: Page, selector: string, settled: () => boolean, what = `${selector} to finish`): Promise<void> {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('tap')
  await simulate.sleep(0)
  await waitFor(what, settled)
}

/** Types into an input or textarea (the `input` event with its value). */
export async function type(page: Page, selector: string, value: string): Promise<void> {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('input', { detail: { value } })
  await simulate.sleep(0)
}

/** A modal answer as wx.showModal resolves it. */
export function modalAnswer(confirm: boolean): { confirm: boolean; cancel: boolean; errMsg: string } {
  return { confirm, cancel: !confirm, errMsg: 'showModal:ok' }
}

/** Helpers for the cards tests: every call goes through the real dispatcher, the real SDK and the local database. */
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { grantConsents, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { CardInput, OwnCardView } from '../../shared/contract/cards'
import type { ApiResult } from '../../shared/errors'
import { ok } from './helpers'

export type Call = (action: string, input?: unknown) => Promise<ApiResult<unknown>>

export function cardsAs(cloud: TestCloud, openid: string): Call {
  return (action, input) => cloud.call('cards', { action, input }, openid)
}

/** A verified adult who may publish and has granted「公开展示我的名片」. */
export async function publisher(cloud: TestCloud, openid: string, options: { publicCard?: boolean; name?: string } = {}): Promise<Call> {
  await verifiedPublisher(cloud, openid, options.name ? { name: options.name } : {})
  if (options.publicCard !== false) await grantConsents(cloud, openid, ['publicCard'])
  return cardsAs(cloud, openid)
}

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

export async function createCard(call: Call, input: CardInput = SAMPLE): Promise<OwnCardView> {
  return ok<{ card: OwnCardView }>(await call('create', input)).card
}

export async function accountIdOf(cloud: TestCloud, openid: string): Promise<string> {
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}`)
  return account._id
}

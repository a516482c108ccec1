/** Helpers for the cards tests: every call goes through the real dispatcher, the real SDK and the local database. */
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { cardPublisher, SAMPLE_CARD, type TestCloud } from '../../local/testing'
import type { CardInput, OwnCardView } from '../../shared/contract/cards'
import type { ApiResult } from '../../shared/errors'
import { ok } from './helpers'

export type Call = (action: string, input?: unknown) => Promise<ApiResult<unknown>>

export function cardsAs(cloud: TestCloud, openid: string): Call {
  return (action, input) => cloud.call('cards', { action, input }, openid)
}

/** A verified adult who may publish and (unless publicCard is false) has granted「公开展示我的名片」. */
export async function publisher(cloud: TestCloud, openid: string, options: { publicCard?: boolean; name?: string } = {}): Promise<Call> {
  await cardPublisher(cloud, openid, options)
  return cardsAs(cloud, openid)
}


export async function createCard(call: Call, input: CardInput = SAMPLE_CARD): Promise<OwnCardView> {
  return ok<{ card: OwnCardView }>(await call('create', input)).card
}

export async function accountIdOf(cloud: TestCloud, openid: string): Promise<string> {
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}`)
  return account._id
}

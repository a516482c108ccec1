/** Shared by the card page tests: people with cards made through the real backend. */
import { cardPublisher, grantConsents, SAMPLE_CARD, uploadsOf, type TestCloud } from '../../local/testing'
import type { CardInput, OwnCardView } from '../../shared/contract/cards'
import { acceptCurrentTerms, callAs } from './backend'

/**
 * A verified adult with「公开展示我的名片」(unless publicCard is false) and one card (published, default).
 * `ownAvatar`: an image of theirs (its name in their upload folder) as the card's avatar.
 */
export async function cardOwner(
  cloud: TestCloud,
  openid: string,
  options: { input?: CardInput; publicCard?: boolean; name?: string; ownAvatar?: string } = {},
): Promise<OwnCardView> {
  await cardPublisher(cloud, openid, options)
  const input = options.input ?? SAMPLE_CARD
  const avatar = options.ownAvatar === undefined ? {} : { avatarUrl: (await uploadsOf(cloud, openid))(options.ownAvatar) }
  const { card } = await callAs(cloud, openid, 'cards', 'create', { ...input, ...avatar })
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

/**
 * How a person stands to cards: exchanges (card ↔ person: once an exchange of
 * card X for card Y is accepted, Y's owner sees X's「交换名片后可见」fields and
 * X's owner sees Y's — each only while their own card of the exchange still
 * exists and is shown to others) and the holder.
 */
import type { Context } from '../context'
import { PAGE_MAX, type Where } from '../db'
import { cardsById, exchanges, holder, type ExchangeDoc } from './store'
import { displayOf } from './view'

/** Card ids per exchange query: each id may have many exchanges, so results are paged as well. */
const IDS_PER_QUERY = 50

/** Exchanges between `openid` and any of `cardIds` (cards of others), any status. */
export async function exchangesWith(ctx: Context, openid: string, cardIds: readonly string[]): Promise<ExchangeDoc[]> {
  if (cardIds.length === 0) return []
  const ids = [...new Set(cardIds)]
  const { cmd } = ctx.db
  const found: ExchangeDoc[] = []
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const batch = ids.slice(i, i + IDS_PER_QUERY)
    const where = cmd.or({ fromOpenid: openid, toCardId: cmd.in(batch) }, { toOpenid: openid, fromCardId: cmd.in(batch) })
    // A card may have been exchanged with several of mine (and with cards I have since removed): page by _id.
    let lastId = ''
    for (;;) {
      const query: Where = lastId ? cmd.and(where, { _id: cmd.gt(lastId) }) : where
      const page = await exchanges(ctx.db).find(query, { orderBy: [['_id', 'asc']], limit: PAGE_MAX })
      found.push(...page)
      const last = page.at(-1)
      if (page.length < PAGE_MAX || !last) break
      lastId = last._id
    }
  }
  return found
}

/** The other side's card of an exchange, seen from `openid`. */
export function theirCardOf(exchange: ExchangeDoc, openid: string): string {
  return exchange.fromOpenid === openid ? exchange.toCardId : exchange.fromCardId
}

/** `openid`'s own card of an exchange. */
export function myCardOf(exchange: ExchangeDoc, openid: string): string {
  return exchange.fromOpenid === openid ? exchange.fromCardId : exchange.toCardId
}

/**
 * The accepted exchanges among `list` that still open the other card's
 * 「交换名片后可见」fields to `openid`: those whose card of `openid` exists and
 * is shown to others now. A removed card ends its exchanges (endExchangesOf);
 * a card hidden for now (moderation, consent, account) opens nothing meanwhile.
 */
export async function liveExchanges(ctx: Context, openid: string, list: readonly ExchangeDoc[]): Promise<ExchangeDoc[]> {
  const accepted = list.filter((e) => e.status === 'accepted')
  if (accepted.length === 0) return []
  const mine = await cardsById(ctx.db, accepted.map((e) => myCardOf(e, openid)))
  const shown = new Set((await displayOf(ctx, [...mine.values()].filter((c) => c.ownerOpenid === openid))).filter((d) => d.hidden === null).map((d) => d.card._id))
  return accepted.filter((e) => shown.has(myCardOf(e, openid)))
}

/** The cards among `cardIds` whose「交换名片后可见」fields `openid` may see. */
export async function exchangedCards(ctx: Context, openid: string, cardIds: readonly string[]): Promise<Set<string>> {
  const live = await liveExchanges(ctx, openid, await exchangesWith(ctx, openid, cardIds))
  return new Set(live.map((e) => theirCardOf(e, openid)))
}

/**
 * A removed card's exchanges end with it: accepted ones are ended, pending ones
 * withdrawn (sent with it) or declined (asked for it). Each step is conditional
 * on the state it ends, like every other move of an exchange.
 */
export async function endExchangesOf(ctx: Context, cardId: string): Promise<number> {
  const store = exchanges(ctx.db)
  const patch = (status: ExchangeDoc['status']) => ({ status, decidedAt: ctx.now, updatedAt: ctx.now })
  const ended = await Promise.all([
    store.updateWhere({ fromCardId: cardId, status: 'accepted' }, patch('ended')),
    store.updateWhere({ toCardId: cardId, status: 'accepted' }, patch('ended')),
    store.updateWhere({ fromCardId: cardId, status: 'pending' }, patch('cancelled')),
    store.updateWhere({ toCardId: cardId, status: 'pending' }, patch('declined')),
  ])
  return ended.reduce((sum, n) => sum + n, 0)
}

export async function holderEntry(ctx: Context, openid: string, cardId: string) {
  return holder(ctx.db).findOne({ ownerOpenid: openid, cardId })
}

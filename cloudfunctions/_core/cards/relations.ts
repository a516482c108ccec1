/**
 * How a person stands to cards: exchanges (card ↔ person: once an exchange of
 * card X for card Y is accepted, Y's owner sees X's「交换名片后可见」fields and
 * X's owner sees Y's) and the holder.
 */
import type { Context } from '../context'
import { exchanges, holder, type ExchangeDoc } from './store'

/** Exchanges between `openid` and any of `cardIds` (cards of others), any status. */
export async function exchangesWith(ctx: Context, openid: string, cardIds: readonly string[]): Promise<ExchangeDoc[]> {
  if (cardIds.length === 0) return []
  const ids = [...new Set(cardIds)]
  const { cmd } = ctx.db
  const found: ExchangeDoc[] = []
  for (let i = 0; i < ids.length; i += 50) {
    const batch = ids.slice(i, i + 50)
    found.push(
      ...(await exchanges(ctx.db).find(cmd.or({ fromOpenid: openid, toCardId: cmd.in(batch) }, { toOpenid: openid, fromCardId: cmd.in(batch) }), {
        limit: 100,
      })),
    )
  }
  return found
}

/** The other side's card of an exchange, seen from `openid`. */
export function theirCardOf(exchange: ExchangeDoc, openid: string): string {
  return exchange.fromOpenid === openid ? exchange.toCardId : exchange.fromCardId
}

/** The cards among `cardIds` whose「交换名片后可见」fields `openid` may see. */
export async function exchangedCards(ctx: Context, openid: string, cardIds: readonly string[]): Promise<Set<string>> {
  const found = await exchangesWith(ctx, openid, cardIds)
  return new Set(found.filter((e) => e.status === 'accepted').map((e) => theirCardOf(e, openid)))
}

export async function holderEntry(ctx: Context, openid: string, cardId: string) {
  return holder(ctx.db).findOne({ ownerOpenid: openid, cardId })
}

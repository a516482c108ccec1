/**
 * The card landing page (what a scanned QR code or a shared card opens). Works
 * without an account. Others than the owner get CARD_HIDDEN for a card that
 * exists but is not shown now (under moderation, without the public-card
 * consent, or its owner's account hides content) and NOT_FOUND for one that
 * does not exist — the page says which, and the first is no secret worth
 * keeping (the code was handed out by the owner).
 */
import { isUsable } from '../../../shared/account'
import { CARD_HIDDEN_REASON_LABELS } from '../../../shared/cards'
import type { OutputOf } from '../../../shared/contract'
import { findAccount, stateOf, type AccountDoc } from '../accounts'
import type { Context } from '../context'
import { fail } from '../errors'
import { viewOfModeration } from '../moderation/gate'
import { exchangesWith, liveExchanges } from './relations'
import { cards, holder } from './store'
import { displayOf, faceOf, type Relation } from './view'
import { recordVisit, viewerChoices } from './visits'

type Landing = OutputOf<'cards', 'view'>

async function usableAccount(ctx: Context): Promise<AccountDoc | null> {
  const account = await findAccount(ctx.db, ctx.openid)
  return account && isUsable(stateOf(account, ctx.now)) ? account : null
}

export async function landing(ctx: Context, cardId: string): Promise<Landing> {
  const [card, viewer] = await Promise.all([cards(ctx.db).byId(cardId), usableAccount(ctx)])
  if (!card) fail('NOT_FOUND', '名片不存在或已被删除')
  const isOwner = card.ownerOpenid === ctx.openid
  // What the viewer's side needs is read alongside whether the card is shown (one round trip less).
  const reading =
    viewer && !isOwner
      ? Promise.all([
          exchangesWith(ctx, viewer.openid, [card._id]),
          holder(ctx.db).count({ ownerOpenid: viewer.openid, cardId: card._id }),
          viewerChoices(ctx, viewer),
        ])
      : null
  reading?.catch(() => undefined)
  const [shown] = await displayOf(ctx, [card])
  if (!shown) fail('INTERNAL')
  if (!isOwner && shown.hidden !== null) fail('CARD_HIDDEN')

  if (isOwner) {
    return {
      card: faceOf(card, 'owner', shown.verified),
      relation: 'owner',
      own: {
        moderation: viewOfModeration(card.moderation),
        shownToOthers: shown.hidden === null,
        hiddenNotice: shown.hidden ? CARD_HIDDEN_REASON_LABELS[shown.hidden] : null,
      },
      saved: false,
      exchange: null,
      visit: await recordVisit(ctx, card, viewer, 'owner', null),
    }
  }

  const [between, saved, choices] = reading ? await reading : [[], 0, null]
  // An accepted exchange opens the「交换名片后可见」fields only while my card of it exists and is shown.
  const live = viewer ? await liveExchanges(ctx, viewer.openid, between) : []
  const accepted = live[0] ?? between.find((e) => e.status === 'accepted')
  const pending = between.find((e) => e.status === 'pending')
  const relation: Relation = !viewer ? 'visitor' : live.length > 0 ? 'exchanged' : 'member'
  const visit = await recordVisit(ctx, card, viewer, relation, choices)
  const current = accepted ?? pending
  return {
    card: faceOf(card, relation, shown.verified),
    relation,
    own: null,
    saved: saved > 0,
    exchange: current && viewer ? { id: current._id, status: current.status, outgoing: current.fromOpenid === viewer.openid } : null,
    visit,
  }
}

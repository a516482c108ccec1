/**
 * Exchanging cards: I offer my card X for your card Y; you accept or decline.
 * One document per pair of cards (`_id` = the two ids sorted), so a pair has
 * one state; every status change is conditional on the state it starts from,
 * so two concurrent answers cannot both win. Accepting saves each card into
 * the other's holder (when there is room) and lets each side see the other
 * card's「交换名片后可见」fields; ending the exchange takes that back.
 * The request's message is shown to the addressee, so it passes the moderation
 * gate first (kind `exchangeMessage`): anything but a clean pass refuses the
 * request, and nothing is stored but the decision.
 * Requests reach someone's inbox, so they are rationed: EXCHANGE_DAILY_LIMIT
 * per requester per Beijing day (a conditional counter), and none for the same
 * pair within EXCHANGE_RETRY_HOURS of the requester's last one being declined
 * or withdrawn. Requests from accounts that hide content now (dormant, frozen,
 * pending deletion …) are left out of the addressee's lists and cannot be accepted.
 */
import { EXCHANGE_DAILY_LIMIT, EXCHANGE_RETRY_HOURS, EXCHANGE_STATUS_LABELS } from '../../../shared/cards'
import type { ExchangeView } from '../../../shared/contract/cards'
import { beijingDateTime } from '../clock'
import { requireConsent } from '../consent/gate'
import type { AccountContext } from '../context'
import { PAGE_MAX, type Where } from '../db'
import { fail, isDuplicateKey } from '../errors'
import { notify } from '../inbox'
import { requireFeature } from '../lifecycle/features'
import { moderate } from '../moderation/gate'
import { after, decodeCursor, newestFirst, nextOf, PAGE_DEFAULT } from '../cursor'
import { keep } from './holder'
import { beijingDay, cards, cardsById, cardSettings, exchangeIdOf, exchanges, type CardDoc, type ExchangeDoc } from './store'
import { displayOf, summaryOf, visibleOwners } from './view'

/** The holder opened on the tab of requests I received, where I accept or decline. */
const INCOMING_REQUESTS_PAGE = '/packageCards/pages/holder/index?tab=incoming'

/** The card landing page (what the requester can now see in full). */
function cardPage(cardId: string): string {
  return `/pages/card/index?id=${encodeURIComponent(cardId)}`
}

/** The addressee hears of a request; one message per request (a renewed request is a new one). */
async function tellAddressee(ctx: AccountContext, exchange: ExchangeDoc, fromCard: CardDoc): Promise<void> {
  await notify(ctx, {
    recipient: exchange.toOpenid,
    type: 'cardExchange',
    title: '收到名片交换请求',
    body: `「${fromCard.name}」想和你交换名片。同意后，双方可以看到对方设为“交换后可见”的信息，并互存名片。`,
    link: INCOMING_REQUESTS_PAGE,
    dedupeKey: `exchange:${exchange._id}:${exchange.createdAt.getTime()}`,
  })
}

/** The requester hears that the other side accepted. */
async function tellRequester(ctx: AccountContext, exchange: ExchangeDoc): Promise<void> {
  await notify(ctx, {
    recipient: exchange.fromOpenid,
    type: 'cardExchange',
    title: '对方同意了交换名片',
    body: '名片已互存到双方的名片夹，现在可以看到对方“交换后可见”的信息。',
    // The card I asked for: now with its「交换后可见」fields.
    link: cardPage(exchange.toCardId),
    dedupeKey: `exchange:${exchange._id}:${exchange.createdAt.getTime()}:accepted`,
  })
}

async function viewsOf(ctx: AccountContext, list: readonly ExchangeDoc[]): Promise<ExchangeView[]> {
  const byId = await cardsById(ctx.db, list.flatMap((e) => [e.fromCardId, e.toCardId]))
  const theirs = list.map((e) => byId.get(e.fromOpenid === ctx.openid ? e.toCardId : e.fromCardId)).filter((c): c is CardDoc => c !== undefined)
  const shown = new Map((await displayOf(ctx, theirs)).filter((d) => d.hidden === null).map((d) => [d.card._id, d]))
  return list.map((e) => {
    const outgoing = e.fromOpenid === ctx.openid
    const myCardId = outgoing ? e.fromCardId : e.toCardId
    const their = shown.get(outgoing ? e.toCardId : e.fromCardId)
    return {
      id: e._id,
      status: e.status,
      statusLabel: outgoing || e.status !== 'pending' ? EXCHANGE_STATUS_LABELS[e.status] : '等待你回应',
      outgoing,
      myCardId,
      myCardName: byId.get(myCardId)?.name ?? '（已删除的名片）',
      theirCard: their ? summaryOf(their.card, their.verified) : null,
      message: e.message,
      createdAt: e.createdAt.toISOString(),
      decidedAt: e.decidedAt ? e.decidedAt.toISOString() : null,
    }
  })
}

async function viewOf(ctx: AccountContext, exchange: ExchangeDoc): Promise<ExchangeView> {
  const [view] = await viewsOf(ctx, [exchange])
  if (!view) fail('INTERNAL')
  return view
}

/** Moves the exchange from `from` to the patch's state; CONFLICT when someone else moved it first. */
async function move(ctx: AccountContext, exchange: ExchangeDoc, from: ExchangeDoc['status'], patch: Partial<ExchangeDoc>): Promise<ExchangeDoc> {
  const changed = await exchanges(ctx.db).updateWhere({ _id: exchange._id, status: from, updatedAt: exchange.updatedAt }, { ...patch, updatedAt: ctx.now })
  if (changed === 0) fail('CONFLICT', '这条交换请求刚刚有了变化，请刷新后重试')
  return { ...exchange, ...patch, updatedAt: ctx.now }
}

async function accept(ctx: AccountContext, exchange: ExchangeDoc): Promise<ExchangeDoc> {
  const accepted = await move(ctx, exchange, 'pending', { status: 'accepted', decidedAt: ctx.now })
  // Each side keeps the other's card; a full holder simply does not get it (the exchange still stands).
  await keep(ctx, accepted.toOpenid, accepted.fromCardId)
  await keep(ctx, accepted.fromOpenid, accepted.toCardId)
  return accepted
}

const RETRY_MS = EXCHANGE_RETRY_HOURS * 3600_000

/** RATE_LIMITED when I ask again for a pair whose last request of mine was declined or withdrawn within EXCHANGE_RETRY_HOURS. */
function refuseTooSoon(ctx: AccountContext, existing: ExchangeDoc): void {
  if (existing.fromOpenid !== ctx.openid || (existing.status !== 'declined' && existing.status !== 'cancelled') || !existing.decidedAt) return
  const retryAt = new Date(existing.decidedAt.getTime() + RETRY_MS)
  if (retryAt.getTime() <= ctx.now.getTime()) return
  const why = existing.status === 'declined' ? '对方婉拒了你的交换请求' : '你撤回了交换请求'
  fail('RATE_LIMITED', `${why}，${EXCHANGE_RETRY_HOURS} 小时内不能再向这张名片发起交换，请于 ${beijingDateTime(retryAt)}（北京时间）后再试`, undefined, retryAt)
}

/**
 * Takes one of today's EXCHANGE_DAILY_LIMIT requests, atomically (like the
 * identity starts): an increment that only matches today and below the limit,
 * or a reset that only matches another day. Concurrent requests cannot overshoot.
 */
async function takeDailyRequest(ctx: AccountContext): Promise<void> {
  const settings = cardSettings(ctx.db)
  const { cmd } = ctx.db
  const day = beijingDay(ctx.now)
  for (let round = 0; round < 4; round++) {
    if ((await settings.updateWhere({ ownerOpenid: ctx.openid, exchangeDay: day, exchangeRequests: cmd.lt(EXCHANGE_DAILY_LIMIT) }, { exchangeRequests: cmd.inc(1) })) > 0) return
    if ((await settings.updateWhere({ ownerOpenid: ctx.openid, exchangeDay: cmd.neq(day) }, { exchangeDay: day, exchangeRequests: 1 })) > 0) return
    const doc = await settings.findOne({ ownerOpenid: ctx.openid })
    if (doc) {
      if (doc.exchangeDay === day && (doc.exchangeRequests ?? 0) >= EXCHANGE_DAILY_LIMIT) {
        // The next Beijing midnight.
        const retryAt = new Date(Date.parse(`${day}T00:00:00+08:00`) + 24 * 3600_000)
        fail('RATE_LIMITED', `每天最多发出 ${EXCHANGE_DAILY_LIMIT} 个交换名片请求，今天的已经用完，请于 ${beijingDateTime(retryAt)}（北京时间）后再试`, undefined, retryAt)
      }
      continue
    }
    try {
      await settings.add({ ownerOpenid: ctx.openid, shareCardOnVisit: false, updatedAt: ctx.now, exchangeDay: day, exchangeRequests: 1 })
      return
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  fail('CONFLICT')
}

export async function requestExchange(ctx: AccountContext, myCardId: string, theirCardId: string, message: string): Promise<ExchangeView> {
  requireFeature(ctx, 'exchange')
  const [mine, theirs] = await Promise.all([cards(ctx.db).byId(myCardId), cards(ctx.db).byId(theirCardId)])
  if (!mine || mine.ownerOpenid !== ctx.openid) fail('NOT_FOUND')
  if (!theirs) fail('NOT_FOUND')
  if (theirs.ownerOpenid === ctx.openid) fail('FORBIDDEN', '不能和自己的名片交换')
  if (mine.moderation?.state !== 'published') fail('NOT_PUBLISHED', '你的这张名片还没有通过审核，通过后才能用来交换')
  // The other side will see my card: the same rule as showing it to anyone.
  await requireConsent(ctx, 'publicCard')
  const [shownMine, shownTheirs] = await displayOf(ctx, [mine, theirs])
  if (shownMine?.hidden === 'account') fail('ACCOUNT_UNAVAILABLE')
  if (!shownTheirs || shownTheirs.hidden !== null) fail('CARD_HIDDEN')

  const id = exchangeIdOf(myCardId, theirCardId)
  const before = await exchanges(ctx.db).byId(id)
  if (before) refuseTooSoon(ctx, before)
  // A request that will reach the addressee counts against today's; so does one whose message the gate then refuses.
  if (!before || (before.status !== 'accepted' && before.status !== 'pending')) await takeDailyRequest(ctx)
  // Refused (CONTENT_REFUSED, an issue on `message`) before anything is written or anyone told.
  if (message.trim().length > 0) await moderate(ctx, { kind: 'exchangeMessage', targetId: id, texts: { message } })
  /** A request from me, new or in place of an earlier declined, withdrawn or ended one. */
  const request: Omit<ExchangeDoc, '_id' | 'updatedAt'> = {
    fromOpenid: ctx.openid,
    fromCardId: myCardId,
    toOpenid: theirs.ownerOpenid,
    toCardId: theirCardId,
    status: 'pending',
    message,
    createdAt: ctx.now,
    decidedAt: null,
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await exchanges(ctx.db).byId(id)
    if (!existing) {
      const doc: ExchangeDoc = { _id: id, ...request, updatedAt: ctx.now }
      try {
        await exchanges(ctx.db).add(doc)
        await tellAddressee(ctx, doc, mine)
        return viewOf(ctx, doc)
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        continue // a concurrent request created it: answer from what it holds
      }
    }
    // Already exchanged, or already asked: nothing to do.
    if (existing.status === 'accepted' || (existing.status === 'pending' && existing.fromOpenid === ctx.openid)) return viewOf(ctx, existing)
    // They asked me for the same pair: asking back is accepting.
    if (existing.status === 'pending') {
      const accepted = await accept(ctx, existing)
      await tellRequester(ctx, accepted)
      return viewOf(ctx, accepted)
    }
    // Declined, withdrawn or ended before: a new request from me (unless it is too soon).
    refuseTooSoon(ctx, existing)
    const renewed = await move(ctx, existing, existing.status, request)
    await tellAddressee(ctx, renewed, mine)
    return viewOf(ctx, renewed)
  }
  fail('CONFLICT')
}

async function exchangeOfMine(ctx: AccountContext, exchangeId: string): Promise<ExchangeDoc> {
  const exchange = await exchanges(ctx.db).byId(exchangeId)
  // Other people's exchanges do not exist for me.
  if (!exchange || (exchange.fromOpenid !== ctx.openid && exchange.toOpenid !== ctx.openid)) fail('NOT_FOUND')
  return exchange
}

export async function respondExchange(ctx: AccountContext, exchangeId: string, acceptIt: boolean): Promise<ExchangeView> {
  const exchange = await exchangeOfMine(ctx, exchangeId)
  if (exchange.toOpenid !== ctx.openid) fail('FORBIDDEN', '只有收到请求的一方可以回应')
  if (exchange.status !== 'pending') fail('CONFLICT', `这条交换请求${EXCHANGE_STATUS_LABELS[exchange.status]}，无需再回应`)
  if (!acceptIt) return viewOf(ctx, await move(ctx, exchange, 'pending', { status: 'declined', decidedAt: ctx.now }))
  requireFeature(ctx, 'exchange')
  // Accepting shows each side the other's card: the requester's must be shown to others now
  // (the same rule as asking for it), which also refuses requests from accounts that hide content.
  const fromCard = await cards(ctx.db).byId(exchange.fromCardId)
  const [requester] = fromCard ? await displayOf(ctx, [fromCard]) : []
  if (!requester || requester.hidden !== null) fail('CARD_HIDDEN', '对方的名片目前不对他人展示，不能同意这条请求；你可以婉拒')
  const accepted = await accept(ctx, exchange)
  await tellRequester(ctx, accepted)
  return viewOf(ctx, accepted)
}

export async function endExchange(ctx: AccountContext, exchangeId: string): Promise<ExchangeView> {
  const exchange = await exchangeOfMine(ctx, exchangeId)
  if (exchange.status === 'pending' && exchange.fromOpenid === ctx.openid) {
    return viewOf(ctx, await move(ctx, exchange, 'pending', { status: 'cancelled', decidedAt: ctx.now }))
  }
  if (exchange.status === 'accepted') return viewOf(ctx, await move(ctx, exchange, 'accepted', { status: 'ended', decidedAt: ctx.now }))
  fail('CONFLICT', exchange.status === 'pending' ? '收到的请求请选择同意或婉拒' : `这条交换请求${EXCHANGE_STATUS_LABELS[exchange.status]}`)
}

/** A request waiting for my answer. */
function waitingOnMe(ctx: AccountContext, exchange: ExchangeDoc): boolean {
  return exchange.status === 'pending' && exchange.toOpenid === ctx.openid
}

/** Requests waiting for my answer from requesters whose accounts show content now (every one, by _id pages). */
async function pendingIncomingCount(ctx: AccountContext): Promise<number> {
  const { cmd } = ctx.db
  const where = { toOpenid: ctx.openid, status: 'pending' }
  const byRequester = new Map<string, number>()
  let lastId = ''
  for (;;) {
    const query: Where = lastId ? cmd.and(where, { _id: cmd.gt(lastId) }) : where
    const page = await exchanges(ctx.db).find(query, { orderBy: [['_id', 'asc']], limit: PAGE_MAX, fields: { _id: true, fromOpenid: true } })
    for (const e of page) byRequester.set(e.fromOpenid, (byRequester.get(e.fromOpenid) ?? 0) + 1)
    const last = page.at(-1)
    if (page.length < PAGE_MAX || !last) break
    lastId = last._id
  }
  const visible = await visibleOwners(ctx, [...byRequester.keys()])
  let count = 0
  for (const [openid, n] of byRequester) if (visible.has(openid)) count += n
  return count
}

export async function exchangePage(
  ctx: AccountContext,
  input: { box: 'incoming' | 'outgoing'; status?: ExchangeDoc['status'] | undefined; cursor?: string | null | undefined; limit?: number | undefined },
): Promise<{ exchanges: ExchangeView[]; nextCursor: string | null; pendingIncoming: number }> {
  const limit = input.limit ?? PAGE_DEFAULT
  const where: Record<string, unknown> = input.box === 'incoming' ? { toOpenid: ctx.openid } : { fromOpenid: ctx.openid }
  if (input.status) where.status = input.status
  const [page, pendingIncoming] = await Promise.all([
    exchanges(ctx.db).find(after(ctx.db, where, 'updatedAt', decodeCursor(input.cursor)), { orderBy: newestFirst('updatedAt'), limit }),
    pendingIncomingCount(ctx),
  ])
  // Requests from accounts that hide content now are left out (the cursor still moves past them).
  const visible = await visibleOwners(ctx, page.filter((e) => waitingOnMe(ctx, e)).map((e) => e.fromOpenid))
  const shown = page.filter((e) => !waitingOnMe(ctx, e) || visible.has(e.fromOpenid))
  return { exchanges: await viewsOf(ctx, shown), nextCursor: nextOf(page, limit, (e) => e.updatedAt), pendingIncoming }
}

/**
 * Card visits. A registered viewer who granted「个性化与访问记录」
 * (personalization: "浏览与访问记录", optional, opt-in) is recorded once per
 * card per Beijing day — a unique index on (cardId, viewerOpenid, day) makes
 * repeated and concurrent visits one record. Everyone else (no account, or no
 * such consent) only adds one to the card's anonymous view count of the day:
 * no identifier is stored. Withdrawing the consent deletes the viewer's records
 * (consent/effects.ts). Owners see recorded visitors with nickname and avatar,
 * and the visitor's default card only when the visitor chose to share it
 * (`card_settings.shareCardOnVisit`, off by default).
 *
 * Kept no longer than needed (the cards function's daily `purgeVisits` timer):
 * named visit records for VISIT_RETENTION_DAYS Beijing days, the daily counts
 * for the STATS_DAYS the chart shows.
 */
import type { VisitorView } from '../../../shared/contract/cards'
import { accounts, type AccountDoc } from '../accounts'
import type { AccountContext, Context } from '../context'
import { isDuplicateKey } from '../errors'
import { after, decodeCursor, newestFirst, nextOf, PAGE_DEFAULT } from '../cursor'
import { beijingDay, cards, cardSettings, findIn, visitCountIdOf, visitCounts, visits, type CardDoc, type CardSettingsDoc } from './store'
import { consentGranted, displayOf, summaryOf, visibleOwners, type Relation } from './view'

export const STATS_DAYS = 30
/** Beijing days (today included) a named visit record is kept; the owner's visitor list goes back this far. */
export const VISIT_RETENTION_DAYS = 180

export const VISIT_NOTICES = {
  own: '这是你自己的名片，查看不会计入访问。',
  recorded: '你的这次访问已被记录：名片主人可以看到你的昵称和头像。不想被记录，可在「我的 → 隐私设置」撤回「个性化与访问记录」，已有的记录会一并删除。',
  recordedWithCard:
    '你的这次访问已被记录：名片主人可以看到你的昵称、头像和你的默认名片。不想附上名片可在访问设置中关闭；不想被记录，可在「我的 → 隐私设置」撤回「个性化与访问记录」，已有的记录会一并删除。',
  anonymous: '你的这次访问只计入匿名浏览次数，不会记录你是谁。',
  visitor: '你尚未注册，这次访问只计入匿名浏览次数，不会记录你是谁。',
} as const

/** Adds one to a counter of the card's day, creating the day's document on its first visit. */
async function bump(ctx: Context, card: CardDoc, day: string, field: 'visitors' | 'anonymous'): Promise<void> {
  const id = visitCountIdOf(card._id, day)
  const counts = visitCounts(ctx.db)
  if (await counts.update(id, { [field]: ctx.db.cmd.inc(1) })) return
  try {
    await counts.add({ _id: id, cardId: card._id, ownerOpenid: card.ownerOpenid, day, visitors: field === 'visitors' ? 1 : 0, anonymous: field === 'anonymous' ? 1 : 0 })
  } catch (error) {
    // Created by a concurrent first visit: count on it.
    if (!isDuplicateKey(error)) throw error
    await counts.update(id, { [field]: ctx.db.cmd.inc(1) })
  }
}

export async function settingsOf(ctx: Context, openid: string): Promise<CardSettingsDoc | null> {
  return cardSettings(ctx.db).findOne({ ownerOpenid: openid })
}

export interface VisitOutcome {
  recorded: boolean
  counted: boolean
  notice: string
}

/** What decides how a viewer's visit is kept; read in parallel with the rest of the landing page. */
export interface ViewerChoices {
  /** The「个性化与访问记录」consent is granted (current notice). */
  recordable: boolean
  /** The viewer shares their default card with visits. */
  shareCard: boolean
}

export async function viewerChoices(ctx: Context, viewer: AccountDoc): Promise<ViewerChoices> {
  const [recordable, settings] = await Promise.all([consentGranted(ctx, viewer, 'personalization'), settingsOf(ctx, viewer.openid)])
  return { recordable, shareCard: settings?.shareCardOnVisit ?? false }
}

/** `viewer` is the caller's usable account, or null for visitors without one. */
export async function recordVisit(ctx: Context, card: CardDoc, viewer: AccountDoc | null, relation: Relation, choices: ViewerChoices | null): Promise<VisitOutcome> {
  if (relation === 'owner') return { recorded: false, counted: false, notice: VISIT_NOTICES.own }
  const day = beijingDay(ctx.now)
  if (!viewer || !choices?.recordable) {
    await bump(ctx, card, day, 'anonymous')
    return { recorded: false, counted: true, notice: viewer ? VISIT_NOTICES.anonymous : VISIT_NOTICES.visitor }
  }
  try {
    await visits(ctx.db).add({ cardId: card._id, ownerOpenid: card.ownerOpenid, viewerOpenid: viewer.openid, day, visitedAt: ctx.now })
    await bump(ctx, card, day, 'visitors')
  } catch (error) {
    // Already recorded today: one record per viewer per card per day.
    if (!isDuplicateKey(error)) throw error
  }
  return { recorded: true, counted: false, notice: choices.shareCard ? VISIT_NOTICES.recordedWithCard : VISIT_NOTICES.recorded }
}

export async function visitorsPage(
  ctx: AccountContext,
  input: { cardId?: string | undefined; cursor?: string | null | undefined; limit?: number | undefined },
): Promise<{ visitors: VisitorView[]; nextCursor: string | null }> {
  const limit = input.limit ?? PAGE_DEFAULT
  const where: Record<string, unknown> = { ownerOpenid: ctx.openid }
  if (input.cardId) where.cardId = input.cardId
  const page = await visits(ctx.db).find(after(ctx.db, where, 'visitedAt', decodeCursor(input.cursor)), {
    orderBy: newestFirst('visitedAt'),
    limit,
  })
  const viewers = [...new Set(page.map((v) => v.viewerOpenid))]
  const [found, visible, sharing] = await Promise.all([
    findIn(ctx.db, accounts(ctx.db), 'openid', viewers),
    visibleOwners(ctx, viewers),
    findIn(ctx.db, cardSettings(ctx.db), 'ownerOpenid', viewers, { where: { shareCardOnVisit: true } }),
  ])
  const sharers = sharing.map((s) => s.ownerOpenid).filter((openid) => visible.has(openid))
  const defaults = await findIn(ctx.db, cards(ctx.db), 'ownerOpenid', sharers, { where: { isDefault: true } })
  const shown = (await displayOf(ctx, defaults)).filter((d) => d.hidden === null)
  const viewerCards = new Map(shown.map((d) => [d.card.ownerOpenid, summaryOf(d.card, d.verified)]))
  const byOpenid = new Map(found.map((a) => [a.openid, a]))

  const list: VisitorView[] = []
  for (const visit of page) {
    const viewer = byOpenid.get(visit.viewerOpenid)
    // Visitors whose accounts no longer show (dormant, pending deletion …) are left out.
    if (!viewer || !visible.has(viewer.openid)) continue
    list.push({
      id: visit._id,
      cardId: visit.cardId,
      day: visit.day,
      visitedAt: visit.visitedAt.toISOString(),
      nickname: viewer.nickname,
      avatarUrl: viewer.avatarUrl,
      accountId: viewer._id,
      viewerCard: viewerCards.get(viewer.openid) ?? null,
    })
  }
  return { visitors: list, nextCursor: nextOf(page, limit, (v) => v.visitedAt) }
}

/** The last `STATS_DAYS` Beijing days, oldest first, ending today. */
export function lastDays(now: Date, count = STATS_DAYS): string[] {
  const today = Date.parse(`${beijingDay(now)}T00:00:00Z`)
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10))
}

export async function visitStats(
  ctx: AccountContext,
  cardId: string | undefined,
): Promise<{ days: Array<{ date: string; visitors: number; anonymous: number }>; totalVisitors: number; totalAnonymous: number }> {
  const days = lastDays(ctx.now)
  const first = days[0] ?? beijingDay(ctx.now)
  const where: Record<string, unknown> = { ownerOpenid: ctx.openid, day: ctx.db.cmd.gte(first) }
  if (cardId) where.cardId = cardId
  const totals = new Map(days.map((d) => [d, { date: d, visitors: 0, anonymous: 0 }]))
  let lastId = ''
  for (;;) {
    const page = await visitCounts(ctx.db).find(lastId ? ctx.db.cmd.and(where, { _id: ctx.db.cmd.gt(lastId) }) : where, { orderBy: [['_id', 'asc']], limit: 100 })
    for (const doc of page) {
      const day = totals.get(doc.day)
      if (!day) continue
      day.visitors += doc.visitors
      day.anonymous += doc.anonymous
    }
    if (page.length < 100) break
    lastId = page.at(-1)?._id ?? ''
  }
  const list = [...totals.values()]
  return {
    days: list,
    totalVisitors: list.reduce((sum, d) => sum + d.visitors, 0),
    totalAnonymous: list.reduce((sum, d) => sum + d.anonymous, 0),
  }
}

export async function saveSettings(ctx: AccountContext, shareCardOnVisit: boolean): Promise<void> {
  const store = cardSettings(ctx.db)
  if (await store.updateWhere({ ownerOpenid: ctx.openid }, { shareCardOnVisit, updatedAt: ctx.now })) return
  const existing = await settingsOf(ctx, ctx.openid)
  if (existing) return // unchanged (the SDK counts only documents that changed)
  try {
    await store.add({ ownerOpenid: ctx.openid, shareCardOnVisit, updatedAt: ctx.now })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    await store.updateWhere({ ownerOpenid: ctx.openid }, { shareCardOnVisit, updatedAt: ctx.now })
  }
}

/** The `purgeVisits` timer: named visits older than VISIT_RETENTION_DAYS, daily counts older than the chart's STATS_DAYS. */
export async function purgeVisits(ctx: Context): Promise<{ visits: number; counts: number }> {
  const _ = ctx.db.cmd
  const [keepVisitsFrom] = lastDays(ctx.now, VISIT_RETENTION_DAYS)
  const [keepCountsFrom] = lastDays(ctx.now, STATS_DAYS)
  const removed = {
    visits: keepVisitsFrom ? await visits(ctx.db).removeWhere({ day: _.lt(keepVisitsFrom) }) : 0,
    counts: keepCountsFrom ? await visitCounts(ctx.db).removeWhere({ day: _.lt(keepCountsFrom) }) : 0,
  }
  ctx.log.info('card visits purged', { requestId: ctx.requestId, ...removed })
  return removed
}

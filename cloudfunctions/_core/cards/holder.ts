/**
 * The card holder (名片夹): cards I saved, with my own notes and tags. A saved
 * card is shown as its owner lets me see it now (hidden or deleted cards stay
 * in the list, marked, so my notes are not lost). Search looks only at what I
 * can see: the visible name, title and company, and my notes and tags.
 */
import { HOLDER_LIMIT } from '../../../shared/cards'
import type { HolderItem } from '../../../shared/contract/cards'
import type { AccountContext } from '../context'
import { fail, isDuplicateKey } from '../errors'
import { after, decodeCursor, encodeCursor, newestFirst, nextOf, PAGE_DEFAULT } from '../cursor'
import { exchangedCards, holderEntry } from './relations'
import { cards, cardsById, cardSettings, holder, type HolderDoc } from './store'
import { displayOf, faceOf } from './view'

/** The entries as items, in order, with each card as I may see it now. */
export async function itemsOf(ctx: AccountContext, entries: readonly HolderDoc[]): Promise<HolderItem[]> {
  const byId = await cardsById(ctx.db, entries.map((e) => e.cardId))
  const [displayed, exchanged] = await Promise.all([displayOf(ctx, [...byId.values()]), exchangedCards(ctx, ctx.openid, [...byId.keys()])])
  const shown = new Map(displayed.map((d) => [d.card._id, d]))
  return entries.map((entry) => {
    const d = shown.get(entry.cardId)
    const visible = d && d.hidden === null
    return {
      cardId: entry.cardId,
      card: visible ? faceOf(d.card, exchanged.has(entry.cardId) ? 'exchanged' : 'member', d.verified) : null,
      unavailable: d ? (visible ? null : 'hidden') : 'deleted',
      note: entry.note,
      tags: entry.tags,
      exchanged: exchanged.has(entry.cardId),
      savedAt: entry.savedAt.toISOString(),
    }
  })
}

/**
 * A count that has not moved for this long has no reservation in flight (a
 * call reserves and writes within one function run): only then may a recount
 * correct it — downwards, after a run died between reserving and writing.
 */
const RECOUNT_QUIET_MS = 10 * 60 * 1000

/**
 * Starts `openid`'s holder count from the entries there now: on their first
 * save since the count was kept, and never over a count that exists (when a
 * concurrent call starts it first, theirs stands).
 */
async function startHolderCount(ctx: AccountContext, openid: string): Promise<void> {
  const settings = cardSettings(ctx.db)
  const current = await settings.findOne({ ownerOpenid: openid })
  if (current && typeof current.holderCount === 'number') return
  const holderCount = await holder(ctx.db).count({ ownerOpenid: openid })
  if (current) {
    await settings.updateWhere({ ownerOpenid: openid, holderCount: ctx.db.cmd.exists(false) }, { holderCount, holderCountAt: ctx.now })
    return
  }
  try {
    await settings.add({ ownerOpenid: openid, shareCardOnVisit: false, updatedAt: ctx.now, holderCount, holderCountAt: ctx.now })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

/**
 * Takes one place in `openid`'s holder, atomically: an increment that only
 * matches below HOLDER_LIMIT, so concurrent saves (a burst of accepted
 * exchanges, two devices) cannot pass the limit. False when the holder is full.
 */
async function reserveHolderPlace(ctx: AccountContext, openid: string): Promise<boolean> {
  const settings = cardSettings(ctx.db)
  const { cmd } = ctx.db
  const take = async (): Promise<boolean> =>
    (await settings.updateWhere({ ownerOpenid: openid, holderCount: cmd.lt(HOLDER_LIMIT) }, { holderCount: cmd.inc(1), holderCountAt: ctx.now })) > 0
  if (await take()) return true
  const doc = await settings.findOne({ ownerOpenid: openid })
  if (!doc || typeof doc.holderCount !== 'number') {
    await startHolderCount(ctx, openid)
    return take()
  }
  // Full by the count: correct a count left too high by an interrupted run, once it has been still for a while.
  const quiet = doc.holderCountAt === undefined || doc.holderCountAt.getTime() <= ctx.now.getTime() - RECOUNT_QUIET_MS
  if (!quiet) return false
  const actual = await holder(ctx.db).count({ ownerOpenid: openid })
  if (actual >= doc.holderCount) return false
  const still = doc.holderCountAt === undefined ? cmd.exists(false) : doc.holderCountAt
  if ((await settings.updateWhere({ ownerOpenid: openid, holderCount: doc.holderCount, holderCountAt: still }, { holderCount: actual, holderCountAt: ctx.now })) === 0) return false
  return take()
}

/** Gives places back (an entry removed, or a reserved place not used). */
async function releaseHolderPlaces(ctx: AccountContext, openid: string, count: number): Promise<void> {
  if (count <= 0) return
  const { cmd } = ctx.db
  await cardSettings(ctx.db).updateWhere({ ownerOpenid: openid, holderCount: cmd.gte(count) }, { holderCount: cmd.inc(-count), holderCountAt: ctx.now })
}

/**
 * Saves without checks beyond the limit (an accepted exchange saves both
 * cards); false when the holder is full. The place is reserved before the
 * entry is written (reserveHolderPlace), and given back if it is not needed.
 */
export async function keep(ctx: AccountContext, openid: string, cardId: string, extra: { note?: string | undefined; tags?: string[] | undefined } = {}): Promise<HolderDoc | false> {
  const existing = await holderEntry(ctx, openid, cardId)
  if (existing) {
    const patch: Partial<HolderDoc> = {}
    if (extra.note !== undefined) patch.note = extra.note
    if (extra.tags !== undefined) patch.tags = [...new Set(extra.tags)]
    if (Object.keys(patch).length === 0) return existing
    await holder(ctx.db).update(existing._id, { ...patch, updatedAt: ctx.now })
    return { ...existing, ...patch, updatedAt: ctx.now }
  }
  if (!(await reserveHolderPlace(ctx, openid))) return false
  const doc: Omit<HolderDoc, '_id'> = {
    ownerOpenid: openid,
    cardId,
    note: extra.note ?? '',
    tags: [...new Set(extra.tags ?? [])],
    savedAt: ctx.now,
    updatedAt: ctx.now,
  }
  try {
    const id = await holder(ctx.db).add(doc)
    return { _id: id, ...doc }
  } catch (error) {
    await releaseHolderPlaces(ctx, openid, 1)
    // Saved by a concurrent call: one entry per card.
    if (!isDuplicateKey(error)) throw error
    const saved = await holderEntry(ctx, openid, cardId)
    if (!saved) throw error
    return saved
  }
}

export async function saveToHolder(ctx: AccountContext, cardId: string, extra: { note?: string | undefined; tags?: string[] | undefined }): Promise<HolderItem> {
  const card = await cards(ctx.db).byId(cardId)
  if (!card) fail('NOT_FOUND')
  if (card.ownerOpenid === ctx.openid) fail('FORBIDDEN', '这是你自己的名片，无需保存到名片夹')
  const [shown] = await displayOf(ctx, [card])
  if (!shown || shown.hidden !== null) fail('CARD_HIDDEN')
  const entry = await keep(ctx, ctx.openid, cardId, extra)
  if (!entry) fail('HOLDER_FULL', `名片夹最多保存 ${HOLDER_LIMIT} 张名片，请先移除不需要的名片`)
  const [item] = await itemsOf(ctx, [entry])
  if (!item) fail('INTERNAL')
  return item
}

export async function updateHolder(ctx: AccountContext, cardId: string, extra: { note?: string | undefined; tags?: string[] | undefined }): Promise<HolderItem> {
  const existing = await holderEntry(ctx, ctx.openid, cardId)
  if (!existing) fail('NOT_FOUND', '名片夹中没有这张名片')
  const entry = await keep(ctx, ctx.openid, cardId, extra)
  if (!entry) fail('INTERNAL')
  const [item] = await itemsOf(ctx, [entry])
  if (!item) fail('INTERNAL')
  return item
}

export async function removeFromHolder(ctx: AccountContext, cardId: string): Promise<boolean> {
  const removed = await holder(ctx.db).removeWhere({ ownerOpenid: ctx.openid, cardId })
  await releaseHolderPlaces(ctx, ctx.openid, removed)
  return removed > 0
}

/** Every entry of mine (≤ HOLDER_LIMIT), newest first. */
async function allEntries(ctx: AccountContext, where: Record<string, unknown>): Promise<HolderDoc[]> {
  const all: HolderDoc[] = []
  let position: { at: number; id: string } | null = null
  for (;;) {
    const page: HolderDoc[] = await holder(ctx.db).find(after(ctx.db, where, 'savedAt', position), { orderBy: newestFirst('savedAt'), limit: 100 })
    all.push(...page)
    const last = page.at(-1)
    if (page.length < 100 || !last) return all
    position = { at: last.savedAt.getTime(), id: last._id }
  }
}

function matches(item: HolderItem, needle: string): boolean {
  const hay = [item.card?.name, item.card?.title, item.card?.company, item.note, ...item.tags]
  return hay.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle))
}

export async function holderPage(
  ctx: AccountContext,
  input: { q?: string | undefined; tag?: string | undefined; cursor?: string | null | undefined; limit?: number | undefined },
): Promise<{ items: HolderItem[]; nextCursor: string | null; tags: string[] }> {
  const limit = input.limit ?? PAGE_DEFAULT
  const position = decodeCursor(input.cursor)
  const where: Record<string, unknown> = { ownerOpenid: ctx.openid }
  if (input.tag) where.tags = input.tag
  const tagsOf = async (): Promise<string[]> => {
    const entries = await allEntries(ctx, { ownerOpenid: ctx.openid })
    return [...new Set(entries.flatMap((e) => e.tags))].sort((a, b) => a.localeCompare(b, 'zh-CN'))
  }

  const needle = input.q?.toLowerCase() ?? ''
  if (needle.length === 0) {
    const [page, tags] = await Promise.all([
      holder(ctx.db).find(after(ctx.db, where, 'savedAt', position), { orderBy: newestFirst('savedAt'), limit }),
      tagsOf(),
    ])
    return { items: await itemsOf(ctx, page), nextCursor: nextOf(page, limit, (e) => e.savedAt), tags }
  }

  // Search: the holder is bounded (HOLDER_LIMIT), and what matches depends on what I may see of each card now.
  const [entries, tags] = await Promise.all([allEntries(ctx, where), tagsOf()])
  const items = await itemsOf(ctx, entries)
  const hits: Array<{ item: HolderItem; entry: HolderDoc }> = []
  entries.forEach((entry, index) => {
    const item = items[index]
    if (item && matches(item, needle)) hits.push({ item, entry })
  })
  const start = position
    ? hits.findIndex(({ entry }) => entry.savedAt.getTime() < position.at || (entry.savedAt.getTime() === position.at && entry._id < position.id))
    : 0
  const slice = start < 0 ? [] : hits.slice(start, start + limit)
  const last = slice.at(-1)
  const more = start >= 0 && start + limit < hits.length
  return { items: slice.map((h) => h.item), nextCursor: more && last ? encodeCursor(last.entry.savedAt, last.entry._id) : null, tags }
}

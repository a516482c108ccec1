/**
 * The cards domain's documents and collections. Every document that belongs
 * to a person names them as `ownerOpenid` (erasure and export find them by it);
 * exchanges have two parties, `fromOpenid` and `toOpenid`.
 */
import { randomBytes } from 'node:crypto'
import { CARD_CODE_ALPHABET, CARD_CODE_LENGTH, type CardTexts, type ExchangeStatus, type FieldVisibility, type VisibilityField } from '../../../shared/cards'
import { COLLECTIONS } from '../collections'
import { PAGE_MAX, type Collection, type Doc, type Store } from '../db'
import type { ContentModeration, PublishedRequest } from '../moderation/gate'

export interface CardLinkDoc {
  label: string
  url: string
}

export interface CardDoc extends Doc, CardTexts {
  ownerOpenid: string
  /**
   * One of the owner's CARD_LIMIT slots, `${ownerOpenid}:${slot}` under a unique
   * index: concurrent creates cannot exceed the limit.
   */
  slot: number
  slotKey: string
  isDefault: boolean
  /**
   * `ownerOpenid` on the default card, `${ownerOpenid}:${_id}` on the others,
   * under a unique index: never two defaults (always written, never null, so the
   * index works as a plain unique index in the cloud too).
   */
  defaultKey: string
  avatarUrl: string | null
  links: CardLinkDoc[]
  visibility: Record<VisibilityField, FieldVisibility>
  moderation: ContentModeration
  /** Set when the owner's「公开展示我的名片」consent is missing (at save, or by its withdrawal effect). */
  consentHidden: boolean
  createdAt: Date
  updatedAt: Date
}

/** A card in someone's holder (名片夹). The note and tags are the holder's own. */
export interface HolderDoc extends Doc {
  /** The holder (whose 名片夹 this is). */
  ownerOpenid: string
  cardId: string
  note: string
  tags: string[]
  savedAt: Date
  updatedAt: Date
}

/** One exchange per pair of cards: `_id` is the two card ids, sorted, joined by `_`. */
export interface ExchangeDoc extends Doc {
  fromOpenid: string
  fromCardId: string
  toOpenid: string
  toCardId: string
  status: ExchangeStatus
  message: string
  createdAt: Date
  updatedAt: Date
  decidedAt: Date | null
}

/** A registered viewer's visit, once per viewer per card per Beijing day (unique index). */
export interface VisitDoc extends Doc {
  cardId: string
  ownerOpenid: string
  viewerOpenid: string
  /** YYYY-MM-DD, Beijing. */
  day: string
  visitedAt: Date
}

/** Per card per Beijing day: recorded visitors and anonymous views (no identifiers). `_id` = `${cardId}_${day}`. */
export interface VisitCountDoc extends Doc {
  cardId: string
  ownerOpenid: string
  day: string
  visitors: number
  anonymous: number
}

/**
 * A person's one document of the cards domain (unique `ownerOpenid`): their
 * choices about visits to others' cards, and the counters that hold limits
 * under concurrency (conditional increments). Counters are missing on
 * documents written before them, and counted afresh on first use.
 */
export interface CardSettingsDoc extends Doc {
  ownerOpenid: string
  shareCardOnVisit: boolean
  updatedAt: Date
  /** Entries in my holder, reserved before each is written (holder.ts keep): never past HOLDER_LIMIT. */
  holderCount?: number
  /** When `holderCount` last changed: a recount only corrects a count that has been still for a while. */
  holderCountAt?: Date
  /** The Beijing day (YYYY-MM-DD) `exchangeRequests` counts for. */
  exchangeDay?: string
  /** Exchange requests I sent on `exchangeDay` (exchange.ts): never past EXCHANGE_DAILY_LIMIT. */
  exchangeRequests?: number
}

export const CARD_COLLECTIONS = {
  cards: COLLECTIONS.cards,
  holder: COLLECTIONS.cardHolder,
  exchanges: COLLECTIONS.cardExchanges,
  visits: COLLECTIONS.cardVisits,
  visitCounts: COLLECTIONS.cardVisitCounts,
  settings: COLLECTIONS.cardSettings,
} as const

export const cards = (db: Store): Collection<CardDoc> => db.collection<CardDoc>(CARD_COLLECTIONS.cards)
export const holder = (db: Store): Collection<HolderDoc> => db.collection<HolderDoc>(CARD_COLLECTIONS.holder)
export const exchanges = (db: Store): Collection<ExchangeDoc> => db.collection<ExchangeDoc>(CARD_COLLECTIONS.exchanges)
export const visits = (db: Store): Collection<VisitDoc> => db.collection<VisitDoc>(CARD_COLLECTIONS.visits)
export const visitCounts = (db: Store): Collection<VisitCountDoc> => db.collection<VisitCountDoc>(CARD_COLLECTIONS.visitCounts)
export const cardSettings = (db: Store): Collection<CardSettingsDoc> => db.collection<CardSettingsDoc>(CARD_COLLECTIONS.settings)

/**
 * The documents whose `field` is one of `values` (a unique field: at most one
 * document each, plus `where`), looked up PAGE_MAX values at a time: a query
 * may not ask for more (cloudfunctions/_core/db.ts), and lists like the holder
 * (HOLDER_LIMIT) name far more.
 */
export async function findIn<T extends Doc>(
  db: Store,
  collection: Collection<T>,
  field: string,
  values: readonly string[],
  options: { where?: Record<string, unknown>; fields?: Record<string, boolean> } = {},
): Promise<T[]> {
  const unique = [...new Set(values)]
  const found: T[] = []
  for (let i = 0; i < unique.length; i += PAGE_MAX) {
    const batch = unique.slice(i, i + PAGE_MAX)
    found.push(...(await collection.find({ ...options.where, [field]: db.cmd.in(batch) }, { limit: batch.length, ...(options.fields ? { fields: options.fields } : {}) })))
  }
  return found
}

/** Cards by id (missing ones are left out). */
export async function cardsById(db: Store, ids: readonly string[]): Promise<Map<string, CardDoc>> {
  return new Map((await findIn(db, cards(db), '_id', ids)).map((card) => [card._id, card]))
}

/**
 * What the gate reads of a card: every text shown to others that can carry
 * words — the free texts, each link's label and address, and the e-mail
 * address (its shape is checked by the contract, but a mailbox name is still
 * text). Phone and WeChat id are checked by format alone: a number or an id in
 * those fields is the point of a card. The avatar, uploaded (cloud://) or a
 * WeChat profile picture, is shown to others and goes to the image check.
 */
export function cardModerationRequest(
  cardId: string,
  card: Pick<CardDoc, 'name' | 'title' | 'company' | 'email' | 'address' | 'intro' | 'links' | 'avatarUrl'>,
): PublishedRequest {
  const texts: Record<string, string> = {
    name: card.name,
    title: card.title,
    company: card.company,
    email: card.email,
    address: card.address,
    intro: card.intro,
  }
  card.links.forEach((link, index) => {
    texts[`links.${index}.label`] = link.label
    texts[`links.${index}.url`] = link.url
  })
  return { kind: 'card', targetId: cardId, texts, images: card.avatarUrl ? [card.avatarUrl] : [] }
}

/** A fresh 10-character card code (50 random bits). */
export function newCardCode(): string {
  const bytes = randomBytes(CARD_CODE_LENGTH)
  let code = ''
  for (const byte of bytes) code += CARD_CODE_ALPHABET[byte % CARD_CODE_ALPHABET.length]
  return code
}

export function exchangeIdOf(a: string, b: string): string {
  return a < b ? `${a}_${b}` : `${b}_${a}`
}

export function visitCountIdOf(cardId: string, day: string): string {
  return `${cardId}_${day}`
}

/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

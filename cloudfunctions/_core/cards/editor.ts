/**
 * Creating, editing, removing my cards and choosing the default. Saves pass the
 * publishing rule (verified, not banned from publishing) and the moderation
 * gate; the public-card consent decides whether others see the result.
 */
import { CARD_LIMIT, DEFAULT_VISIBILITY, type VisibilityField } from '../../../shared/cards'
import type { cardInput, OwnCardView } from '../../../shared/contract/cards'
import type * as z from 'zod/mini'
import { consentsInForce } from '../consent/gate'
import type { AccountContext } from '../context'
import { fail, isDuplicateKey } from '../errors'
import { moderate } from '../moderation/gate'
import { requirePublisher } from '../publishing'
import { takeDailyAllowance } from '../rate-limit'
import { endExchangesOf } from './relations'
import { cardModerationRequest, cards, newCardCode, visitCounts, visits, type CardDoc } from './store'
import { displayOf, ownViewOf } from './view'

export type CardInput = z.output<typeof cardInput>

/** Ids are random; a clash is retried with a new one (50 bits: practically never). */
const ID_ATTEMPTS = 3

function fieldsOf(input: CardInput): Pick<
  CardDoc,
  'name' | 'title' | 'company' | 'phone' | 'email' | 'wechatId' | 'address' | 'intro' | 'avatarUrl' | 'links' | 'visibility'
> {
  const visibility = { ...DEFAULT_VISIBILITY }
  for (const [field, value] of Object.entries(input.visibility ?? {})) if (value) visibility[field as VisibilityField] = value
  return {
    name: input.name,
    title: input.title ?? '',
    company: input.company ?? '',
    phone: input.phone ?? '',
    email: input.email ?? '',
    wechatId: input.wechatId ?? '',
    address: input.address ?? '',
    intro: input.intro ?? '',
    avatarUrl: input.avatarUrl ?? null,
    links: (input.links ?? []).map(({ label, url }) => ({ label, url })),
    visibility,
  }
}

/** The gate on the card (cards.ts cardModerationRequest); each save spends one of the owner's daily allowance. */
async function moderateCard(ctx: AccountContext, cardId: string, fields: ReturnType<typeof fieldsOf>): Promise<CardDoc['moderation']> {
  await takeDailyAllowance(ctx, 'card')
  return moderate(ctx, cardModerationRequest(cardId, fields))
}

export async function myCards(ctx: AccountContext): Promise<CardDoc[]> {
  const list = await cards(ctx.db).find({ ownerOpenid: ctx.openid }, { orderBy: [['createdAt', 'asc'], ['slot', 'asc']], limit: CARD_LIMIT + 5 })
  // Default first, then by age.
  return list.sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
}

export async function ownView(ctx: AccountContext, card: CardDoc): Promise<OwnCardView> {
  const [shown] = await displayOf(ctx, [card])
  if (!shown) fail('INTERNAL')
  return ownViewOf(shown)
}

/**
 * After a save: the consent read before it may have been withdrawn while the
 * checks ran, and the withdrawal's effect (flagging the owner's cards) may have
 * run before this card was written. Looked at again now, and flagged if gone.
 * A save never clears the flag: only settling the consent does (view.ts).
 */
async function flagIfConsentGone(ctx: AccountContext, cardId: string): Promise<boolean> {
  if (await consentsInForce(ctx, ['publicCard'])) return false
  await cards(ctx.db).update(cardId, { consentHidden: true })
  return true
}

export async function ownCard(ctx: AccountContext, cardId: string): Promise<CardDoc> {
  const card = await cards(ctx.db).byId(cardId)
  if (!card || card.ownerOpenid !== ctx.openid) fail('NOT_FOUND')
  return card
}

export async function createCard(ctx: AccountContext, input: CardInput): Promise<OwnCardView> {
  requirePublisher(ctx)
  const existing = await myCards(ctx)
  if (existing.length >= CARD_LIMIT) fail('CARD_LIMIT', `每人最多保存 ${CARD_LIMIT} 张名片，请先删除不用的名片`)
  const fields = fieldsOf(input)
  const cardId = newCardCode()
  const [moderation, consentOk] = await Promise.all([moderateCard(ctx, cardId, fields), consentsInForce(ctx, ['publicCard'])])
  const used = new Set(existing.map((c) => c.slot))
  const hasDefault = existing.some((c) => c.isDefault)

  // Claim a free slot (unique `slotKey`): two concurrent creates cannot both take the last one.
  for (let slot = 0; slot < CARD_LIMIT; slot++) {
    if (used.has(slot)) continue
    for (let attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
      const id = attempt === 1 ? cardId : newCardCode()
      const isDefault = !hasDefault
      const doc: CardDoc = {
        _id: id,
        ownerOpenid: ctx.openid,
        slot,
        slotKey: `${ctx.openid}:${slot}`,
        isDefault,
        defaultKey: isDefault ? ctx.openid : `${ctx.openid}:${id}`,
        ...fields,
        moderation,
        consentHidden: !consentOk,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      }
      try {
        await cards(ctx.db).add(doc)
        return ownView(ctx, (await flagIfConsentGone(ctx, id)) ? { ...doc, consentHidden: true } : doc)
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        const clash = await cards(ctx.db).findOne({ slotKey: doc.slotKey })
        if (clash) break // the slot went to a concurrent create: try the next one
        if (isDefault && (await cards(ctx.db).findOne({ defaultKey: ctx.openid }))) {
          // A concurrent first card became the default: this one is not.
          return createAsNonDefault(ctx, doc)
        }
        // Otherwise the id clashed: retry with a fresh one.
      }
    }
  }
  fail('CARD_LIMIT', `每人最多保存 ${CARD_LIMIT} 张名片，请先删除不用的名片`)
}

async function createAsNonDefault(ctx: AccountContext, doc: CardDoc): Promise<OwnCardView> {
  const next: CardDoc = { ...doc, isDefault: false, defaultKey: `${ctx.openid}:${doc._id}` }
  try {
    await cards(ctx.db).add(next)
  } catch (error) {
    if (isDuplicateKey(error)) fail('CONFLICT')
    throw error
  }
  return ownView(ctx, (await flagIfConsentGone(ctx, next._id)) ? { ...next, consentHidden: true } : next)
}

export async function updateCard(ctx: AccountContext, cardId: string, input: CardInput): Promise<OwnCardView> {
  requirePublisher(ctx)
  const card = await ownCard(ctx, cardId)
  const fields = fieldsOf(input)
  const moderation = await moderateCard(ctx, cardId, fields)
  // No consentHidden here: a save must not undo a withdrawal that landed while the checks ran.
  const patch = { ...fields, moderation, updatedAt: ctx.now }
  await cards(ctx.db).update(cardId, patch)
  const flagged = await flagIfConsentGone(ctx, cardId)
  return ownView(ctx, { ...card, ...patch, consentHidden: flagged || card.consentHidden })
}

/**
 * Removes the card with its visit records and ends its exchanges (what it let
 * each side see goes with it); a removed default passes to the oldest other card.
 */
export async function removeCard(ctx: AccountContext, cardId: string): Promise<string | null> {
  await ownCard(ctx, cardId)
  await cards(ctx.db).remove(cardId)
  await Promise.all([visits(ctx.db).removeWhere({ cardId }), visitCounts(ctx.db).removeWhere({ cardId }), endExchangesOf(ctx, cardId)])
  const rest = await myCards(ctx)
  const current = rest.find((c) => c.isDefault)
  if (current) return current._id
  const [oldest] = [...rest].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.slot - b.slot)
  if (!oldest) return null
  await makeDefault(ctx, oldest)
  return oldest._id
}

async function makeDefault(ctx: AccountContext, card: CardDoc): Promise<void> {
  try {
    await cards(ctx.db).update(card._id, { isDefault: true, defaultKey: ctx.openid, updatedAt: ctx.now })
  } catch (error) {
    // Another call made a different card the default meanwhile: theirs stands.
    if (!isDuplicateKey(error)) throw error
  }
}

/**
 * The old default gives up its key first, then the new one takes it. A
 * concurrent setDefault can only fail on the unique key (CONFLICT), never leave two defaults.
 */
export async function setDefaultCard(ctx: AccountContext, cardId: string): Promise<OwnCardView> {
  const card = await ownCard(ctx, cardId)
  if (!card.isDefault) {
    const formers = await cards(ctx.db).find({ ownerOpenid: ctx.openid, isDefault: true, _id: ctx.db.cmd.neq(cardId) }, { limit: CARD_LIMIT + 5 })
    for (const former of formers) await cards(ctx.db).update(former._id, { isDefault: false, defaultKey: `${ctx.openid}:${former._id}` })
    try {
      await cards(ctx.db).update(cardId, { isDefault: true, defaultKey: ctx.openid, updatedAt: ctx.now })
    } catch (error) {
      if (isDuplicateKey(error)) fail('CONFLICT')
      throw error
    }
  }
  return ownView(ctx, { ...card, isDefault: true, defaultKey: ctx.openid })
}

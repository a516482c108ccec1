/**
 * The cards function: my cards, the landing page, QR codes, the holder,
 * exchanges and visitors. The logic lives in _core/cards/; this file maps the
 * contract's actions onto it and names the owner of owner-only resources.
 */
import { CARD_LIMIT, CARD_PAGE, encodeCardScene } from '../../shared/cards'
import { PURPOSES } from '../../shared/consent'
import { consentsInForce } from '../_core/consent/gate'
import type { AccountContext } from '../_core/context'
import { defineFunction } from '../_core/define'
import { createCard, myCards, ownCard, ownView, removeCard, setDefaultCard, updateCard } from '../_core/cards/editor'
import { endExchange, exchangePage, requestExchange, respondExchange } from '../_core/cards/exchange'
import { holderPage, removeFromHolder, saveToHolder, updateHolder } from '../_core/cards/holder'
import { landing } from '../_core/cards/landing'
import { cards } from '../_core/cards/store'
import { displayOf, ownViewOf } from '../_core/cards/view'
import { purgeVisits, saveSettings, settingsOf, visitorsPage, visitStats } from '../_core/cards/visits'
import { fail } from '../_core/errors'
import { cards as cardsContract } from '../../shared/contract/cards'

/** Owner-only actions on a card: the dispatcher compares this with the caller. */
async function cardOwner(input: { cardId: string }, ctx: AccountContext): Promise<string | null> {
  return (await cards(ctx.db).byId(input.cardId))?.ownerOpenid ?? null
}

async function visitSettingsView(ctx: AccountContext) {
  const [settings, recording] = await Promise.all([settingsOf(ctx, ctx.openid), consentsInForce(ctx, ['personalization'])])
  const shareCardOnVisit = settings?.shareCardOnVisit ?? false
  const notice = recording
    ? shareCardOnVisit
      ? '你访问他人名片时会被记录，名片主人能看到你的昵称、头像和默认名片。'
      : '你访问他人名片时会被记录，名片主人能看到你的昵称和头像，看不到你的名片。'
    : `你没有同意「${PURPOSES.personalization.title}」，访问他人名片只计入匿名浏览次数，不会记录你是谁。`
  return { shareCardOnVisit, recording, notice }
}

export const cardsFunction = defineFunction('cards', cardsContract, {
  async mine(_input, ctx) {
    const list = await myCards(ctx)
    const [displayed, publicConsent] = await Promise.all([displayOf(ctx, list), consentsInForce(ctx, ['publicCard'])])
    return {
      cards: displayed.map(ownViewOf),
      limit: CARD_LIMIT,
      verified: ctx.account.verifiedAt !== null,
      publicConsent,
    }
  },
  get: {
    ownerOf: cardOwner,
    async run(input, ctx) {
      return { card: await ownView(ctx, await ownCard(ctx, input.cardId)) }
    },
  },
  async create(input, ctx) {
    return { card: await createCard(ctx, input) }
  },
  update: {
    ownerOf: cardOwner,
    async run(input, ctx) {
      return { card: await updateCard(ctx, input.cardId, input.card) }
    },
  },
  remove: {
    ownerOf: cardOwner,
    async run(input, ctx) {
      return { removed: true as const, defaultCardId: await removeCard(ctx, input.cardId) }
    },
  },
  setDefault: {
    ownerOf: cardOwner,
    async run(input, ctx) {
      return { card: await setDefaultCard(ctx, input.cardId) }
    },
  },
  qrCode: {
    ownerOf: cardOwner,
    async run(input, ctx) {
      const scene = encodeCardScene(input.cardId)
      let image
      try {
        image = await ctx.openApi.wxacode.getUnlimited({ scene, page: CARD_PAGE, ...(input.width ? { width: input.width } : {}) })
      } catch (error) {
        ctx.log.error('wxacode.getUnlimited failed', { requestId: ctx.requestId, error: String(error) })
        fail('INTERNAL', '小程序码生成失败，请稍后再试')
      }
      return { scene, page: CARD_PAGE, contentType: image.contentType, imageBase64: image.buffer.toString('base64'), sandbox: ctx.openApi.provider === 'sandbox' }
    },
  },
  async view(input, ctx) {
    return landing(ctx, input.cardId)
  },

  async holderSave(input, ctx) {
    return { item: await saveToHolder(ctx, input.cardId, { note: input.note, tags: input.tags }) }
  },
  async holderUpdate(input, ctx) {
    return { item: await updateHolder(ctx, input.cardId, { note: input.note, tags: input.tags }) }
  },
  async holderRemove(input, ctx) {
    return { removed: await removeFromHolder(ctx, input.cardId) }
  },
  async holderList(input, ctx) {
    return holderPage(ctx, input)
  },

  exchangeRequest: {
    async ownerOf(input, ctx) {
      return (await cards(ctx.db).byId(input.myCardId))?.ownerOpenid ?? null
    },
    async run(input, ctx) {
      return { exchange: await requestExchange(ctx, input.myCardId, input.theirCardId, input.message ?? '') }
    },
  },
  async exchangeRespond(input, ctx) {
    return { exchange: await respondExchange(ctx, input.exchangeId, input.accept) }
  },
  async exchangeEnd(input, ctx) {
    return { exchange: await endExchange(ctx, input.exchangeId) }
  },
  async exchangeList(input, ctx) {
    return exchangePage(ctx, input)
  },

  async visitors(input, ctx) {
    if (input.cardId) await ownCard(ctx, input.cardId)
    return visitorsPage(ctx, input)
  },
  async visitStats(input, ctx) {
    if (input.cardId) await ownCard(ctx, input.cardId)
    return visitStats(ctx, input.cardId)
  },
  async visitSettings(_input, ctx) {
    return visitSettingsView(ctx)
  },
  async updateVisitSettings(input, ctx) {
    await saveSettings(ctx, input.shareCardOnVisit)
    return visitSettingsView(ctx)
  },
}, {
  /** Daily: visit records and counts past their keeping time (visits.ts). */
  async purgeVisits(ctx) {
    await purgeVisits(ctx)
  },
})

/**
 * 我的名片 (/packageCards/pages/mine/index): my cards, the default first, each
 * with where it stands (moderation, whether others can see it and why not),
 * and what I can do with it: edit, make default, show its QR code, save a
 * poster, share to a chat, preview it as a stranger sees it (the landing
 * page in 以陌生人身份预览 mode), delete (after asking).
 * Creating is offered up to the limit; before real-name verification and
 * without「公开展示我的名片」the page says what is missing and how to fix it.
 */
import type { OutputOf } from '../../../../shared/contract'
import type { OwnCardView } from '../../../../shared/contract/cards'
import { ApiCallError, call, messageOf } from '../../../api'
import { grantPublicCard, openPrivacySettings, publicCardNoticeUrl } from '../../../utils/card-consent'
import { canMakePoster, POSTER_MESSAGES, saveCardPoster, writeQrFile } from '../../../utils/card-poster'
import { cardPageUrl, cardPreviewUrl, editorUrl, HOLDER_URL, VERIFY_URL, visitorsUrl } from '../../../utils/cards'
import { markChanged } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { REGISTER_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { isRegisterRefusal } from '../../../utils/refusal'

interface MineRow {
  id: string
  name: string
  headline: string
  isDefault: boolean
  verified: boolean
  moderationState: OwnCardView['moderation']['state']
  moderationLabel: string
  reasons: string[]
  shownToOthers: boolean
  hiddenNotice: string
  ariaLabel: string
}

function rowOf(card: OwnCardView): MineRow {
  const headline = [card.title, card.company].filter((s) => s.trim()).join(' · ')
  const visibility = card.shownToOthers ? '他人可见' : '他人看不到'
  return {
    id: card.id,
    name: card.name,
    headline,
    isDefault: card.isDefault,
    verified: card.verified,
    moderationState: card.moderation.state,
    moderationLabel: card.moderation.label,
    reasons: card.moderation.reasons,
    shownToOthers: card.shownToOthers,
    hiddenNotice: card.hiddenNotice ?? '',
    ariaLabel: `${card.name}${card.isDefault ? '，默认名片' : ''}${headline ? `，${headline}` : ''}，${card.moderation.label}，${visibility}`,
  }
}

type CardEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>

interface QrSheet {
  cardId: string
  name: string
  src: string
  sandbox: boolean
}

/** Full cards by id, for the poster (kept off the page data). */
const fullCards = new WeakMap<object, Map<string, OwnCardView>>()

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    cards: [] as MineRow[],
    limit: 0,
    atLimit: false,
    verified: false,
    publicConsent: false,
    needRegister: false,
    /** `<action>:<card id>` of the button at work, '' when none. */
    busy: '',
    message: '',
    messageIsError: false,
    qr: null as QrSheet | null,
    consentToPrivacy: false,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back from the editor, verification or the privacy settings.
      if (this.data.status === 'ready') void this.refresh()
    },
  },
  methods: {
    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        async () => {
          try {
            return await call('cards', 'mine', {})
          } catch (error) {
            if (isRegisterRefusal(error)) return null
            throw error
          }
        },
        { toData: (mine) => this.dataOf(mine) },
      )
    },

    dataOf(mine: OutputOf<'cards', 'mine'> | null): Record<string, unknown> {
      if (!mine) return { needRegister: true, cards: [] }
      fullCards.set(this, new Map(mine.cards.map((c) => [c.id, c])))
      return {
        needRegister: false,
        cards: mine.cards.map(rowOf),
        limit: mine.limit,
        atLimit: mine.cards.length >= mine.limit,
        verified: mine.verified,
        publicConsent: mine.publicConsent,
      }
    },

    async refresh() {
      try {
        const mine = await call('cards', 'mine', {})
        this.setData(this.dataOf(mine))
      } catch (error) {
        if (isRegisterRefusal(error)) this.setData(this.dataOf(null))
      }
    },

    onRetry() {
      void this.load()
    },

    say(message: string, isError: boolean) {
      this.setData({ message, messageIsError: isError })
    },

    rowById(id: string): MineRow | undefined {
      return this.data.cards.find((c) => c.id === id)
    },

    onCreate() {
      if (this.data.atLimit) {
        this.say(`最多可以有 ${this.data.limit} 张名片，请先删除不用的名片`, true)
        return
      }
      wx.navigateTo({ url: editorUrl() })
    },

    onEdit(e: CardEvent) {
      wx.navigateTo({ url: editorUrl(e.currentTarget.dataset.id) })
    },

    /** 预览: the landing page in 以陌生人身份预览 mode, the card as others see it. */
    onOpen(e: CardEvent) {
      wx.navigateTo({ url: cardPreviewUrl(e.currentTarget.dataset.id) })
    },

    onVisitors(e: CardEvent) {
      wx.navigateTo({ url: visitorsUrl(e.currentTarget.dataset.id) })
    },

    onOpenHolder() {
      wx.navigateTo({ url: HOLDER_URL })
    },

    onOpenAllVisitors() {
      wx.navigateTo({ url: visitorsUrl() })
    },

    onVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onRegister() {
      wx.navigateTo({ url: REGISTER_URL })
    },

    async onSetDefault(e: CardEvent) {
      const row = this.rowById(e.currentTarget.dataset.id)
      if (!row || row.isDefault || this.data.busy) return
      this.setData({ busy: `default:${row.id}`, message: '' })
      try {
        await call('cards', 'setDefault', { cardId: row.id })
        await this.refresh()
        this.setData({ busy: '' })
        this.say(`「${row.name}」已设为默认名片，交换名片和访问他人名片时使用它`, false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    async onRemove(e: CardEvent) {
      const row = this.rowById(e.currentTarget.dataset.id)
      if (!row || this.data.busy) return
      const ok = await confirmed({
        title: `删除名片「${row.name}」？`,
        content: row.isDefault
          ? '删除后他人扫码将无法再查看这张名片，交换关系也会解除。它是你的默认名片，删除后最早创建的另一张会成为默认名片。'
          : '删除后他人扫码将无法再查看这张名片，交换关系也会解除。此操作无法撤销。',
        confirmText: '删除',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: `remove:${row.id}`, message: '' })
      try {
        await call('cards', 'remove', { cardId: row.id })
        // Its exchanges ended: the holder's request tabs show that.
        markChanged('holder')
        await this.refresh()
        this.setData({ busy: '' })
        this.say(`已删除名片「${row.name}」`, false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    async onShowQr(e: CardEvent) {
      const row = this.rowById(e.currentTarget.dataset.id)
      if (!row || this.data.busy) return
      this.setData({ busy: `qr:${row.id}`, message: '' })
      try {
        const qr = await call('cards', 'qrCode', { cardId: row.id })
        // <image> shows a data URL; only the poster needs the image as a file.
        const src = `data:${qr.contentType};base64,${qr.imageBase64}`
        this.setData({ busy: '', qr: { cardId: row.id, name: row.name, src, sandbox: qr.sandbox } })
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    onCloseQr() {
      this.setData({ qr: null })
    },

    /** Keeps the page under the sheet from scrolling. */
    noop() {},

    async onPoster(e: CardEvent) {
      const id = e.currentTarget.dataset.id
      const card = fullCards.get(this)?.get(id)
      if (!card || this.data.busy) return
      if (!canMakePoster()) {
        this.say(POSTER_MESSAGES.unsupported, true)
        return
      }
      this.setData({ busy: `poster:${id}`, message: '' })
      try {
        const qr = await call('cards', 'qrCode', { cardId: id })
        const qrPath = await writeQrFile(id, qr.imageBase64, qr.contentType)
        // The poster shows the card as a stranger sees it (utils/cards.ts posterFace).
        const outcome = await saveCardPoster(card, qrPath)
        this.setData({ busy: '' })
        this.say(POSTER_MESSAGES[outcome], outcome !== 'saved')
      } catch (error) {
        this.setData({ busy: '' })
        this.say(error instanceof ApiCallError ? messageOf(error) : POSTER_MESSAGES.failed, true)
      }
    },

    async onGrantConsent() {
      if (this.data.busy) return
      this.setData({ busy: 'consent', message: '' })
      const outcome = await grantPublicCard()
      if (outcome.granted) {
        await this.refresh()
        this.setData({ busy: '', consentToPrivacy: false })
        this.say(outcome.message, false)
        return
      }
      this.setData({ busy: '', consentToPrivacy: outcome.openPrivacy })
      if (outcome.message) this.say(outcome.message, true)
    },

    onReadConsentNotice() {
      wx.navigateTo({ url: publicCardNoticeUrl() })
    },

    onOpenPrivacy() {
      openPrivacySettings()
    },

    onShareAppMessage(options: WechatMiniprogram.Page.IShareAppMessageOption) {
      const target = options.target as { dataset?: { id?: string } } | undefined
      const id = options.from === 'button' ? target?.dataset?.id : this.data.cards[0]?.id
      const row = id ? this.rowById(id) : undefined
      if (!row) return { title: '乐聊名片', path: '/pages/home/index' }
      return { title: `${row.name}的名片`, path: cardPageUrl(row.id) }
    },
  },
})

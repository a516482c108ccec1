/**
 * 名片落地页 (pages/card/index, main package): what a card's QR code
 * (`scene` = c%3D<id>) and a card shared to a chat (`?id=<id>`) open. Works
 * before registration: cards.view answers anyone, with the fields this viewer
 * may see (public ones for strangers and visitors without an account, the
 * 「交换名片后可见」ones too after an exchange), the verified badge, and what
 * happened to this visit (recorded for the owner or only counted) with how to
 * change it.
 *
 * Actions: 保存到名片夹 and 交换名片 need an account (the backend's
 * ACCOUNT_REQUIRED / TERMS_NOT_ACCEPTED turn into an offer to register);
 * 存入手机通讯录 (the visible fields only); share to a chat; for the owner, a
 * poster with the QR code saved to the album (the card as a stranger sees
 * it: utils/cards.ts posterFace) and 以陌生人身份预览 (`?preview=public`, as
 * 我的名片's 预览 opens it), which shows the card with its public fields only.
 * The owner's page is read again each time it shows (back from the editor).
 * A hidden or unknown card is an empty state that says so.
 */
import { EXCHANGE_STATUS_LABELS, type ExchangeStatus } from '../../../shared/cards'
import type { OutputOf } from '../../../shared/contract'
import type { CardFace } from '../../../shared/contract/cards'
import { ApiCallError, call, messageOf } from '../../api'
import { grantPublicCard, openPrivacySettings, publicCardNoticeUrl } from '../../utils/card-consent'
import { markChanged } from '../../utils/changes'
import { canMakePoster, POSTER_MESSAGES, saveCardPoster, writeQrFile } from '../../utils/card-poster'
import {
  cardIdFromQuery,
  cardPageUrl,
  cardViewModel,
  editorUrl,
  EMPTY_CARD_VIEW,
  HOLDER_URL,
  MY_CARDS_URL,
  phoneContactOf,
  strangerFace,
  visitorsUrl,
  type CardViewModel,
} from '../../utils/cards'
import { PRIVACY_URL, REGISTER_URL } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'
import { isRegisterRefusal } from '../../utils/refusal'
import { reporting } from '../../utils/reporting'

type ViewOutput = OutputOf<'cards', 'view'>
type Relation = ViewOutput['relation']

const RELATION_LABELS: Record<Relation, string> = {
  owner: '这是你的名片',
  exchanged: '你们已交换名片',
  member: '',
  visitor: '',
}

const NO_CARD_MESSAGE = '没有找到这张名片：二维码或链接可能不完整，请让对方重新分享'
const HIDDEN_MESSAGE = '这张名片暂不公开：名片主人可能撤回了公开展示、名片正在审核，或已删除。'

/** Refusals that mean "register (or finish registering) first". */
type Busy = '' | 'save' | 'exchange' | 'accept' | 'decline' | 'contact' | 'poster' | 'consent' | 'preview'

interface ExchangeState {
  id: string
  status: ExchangeStatus
  outgoing: boolean
  label: string
}

interface OwnState {
  label: string
  reasons: string[]
  shownToOthers: boolean
  hiddenNotice: string
}

function exchangeStateOf(exchange: ViewOutput['exchange']): ExchangeState | null {
  if (!exchange) return null
  const label =
    exchange.status === 'pending'
      ? exchange.outgoing
        ? '已发出交换请求，等待对方回应'
        : '对方想和你交换名片'
      : EXCHANGE_STATUS_LABELS[exchange.status]
  return { id: exchange.id, status: exchange.status, outgoing: exchange.outgoing, label }
}

/** The page query's request for the stranger's view (我的名片 → 预览). */
function wantsPreview(value: string | undefined): boolean {
  return value === 'public'
}

function viewData(view: ViewOutput): Record<string, unknown> {
  const own: OwnState | null = view.own
    ? {
        label: view.own.moderation.label,
        reasons: view.own.moderation.reasons,
        shownToOthers: view.own.shownToOthers,
        hiddenNotice: view.own.hiddenNotice ?? '',
      }
    : null
  return {
    face: view.card,
    card: cardViewModel(view.card),
    relation: view.relation,
    relationLabel: RELATION_LABELS[view.relation],
    own,
    saved: view.saved,
    exchange: exchangeStateOf(view.exchange),
    visitNotice: view.visit.notice,
    visitRecorded: view.visit.recorded,
    canManageVisits: view.relation === 'member' || view.relation === 'exchanged',
  }
}

Component({
  behaviors: [reporting],
  properties: {
    /** The QR code's scene (page query); `id` comes through onLoad. */
    scene: { type: String, value: '' },
    /** `public`: open the owner's card as a stranger sees it (以陌生人身份预览). */
    preview: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    cardId: '',
    started: false,
    face: null as CardFace | null,
    card: EMPTY_CARD_VIEW,
    relation: 'visitor' as Relation,
    relationLabel: '',
    own: null as OwnState | null,
    saved: false,
    exchange: null as ExchangeState | null,
    visitNotice: '',
    visitRecorded: false,
    canManageVisits: false,
    busy: '' as Busy,
    /** The last action's result or refusal. */
    message: '',
    messageIsError: false,
    /** The viewer has no account (or has not accepted the terms): saving and exchanging start with registration. */
    needRegister: false,
    /** Exchanging needs a card of my own. */
    needCard: false,
    /** My card cannot be shown to others until I grant「公开展示我的名片」. */
    needConsent: false,
    consentToPrivacy: false,
    /** The owner looks at the card as a stranger sees it. */
    previewing: false,
  },
  lifetimes: {
    attached() {
      // Properties carry the query when the page is created; onLoad covers a shared link's `id`.
      if (this.data.scene) this.start(cardIdFromQuery({ scene: this.data.scene }))
    },
  },
  pageLifetimes: {
    show() {
      if (!this.data.started || this.data.status !== 'ready') return
      // The owner, back from the editor (or anywhere): show the card as it is now.
      if (this.data.relation === 'owner') {
        void this.refresh()
        return
      }
      // Back from registration, the editor or the privacy settings: what this viewer may do has changed.
      if (this.data.needRegister || this.data.needCard || this.data.needConsent) {
        this.setData({ needRegister: false, needCard: false, needConsent: false, message: '' })
        void this.refresh()
      }
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (wantsPreview(query.preview) && !this.data.preview) this.setData({ preview: 'public' })
      if (this.data.started) return
      this.start(cardIdFromQuery(query))
    },

    start(cardId: string | null) {
      if (this.data.started) return
      this.setData({ started: true, cardId: cardId ?? '' })
      if (typeof wx.showShareMenu === 'function') wx.showShareMenu({ menus: ['shareAppMessage', 'shareTimeline'], fail: () => undefined })
      if (!cardId) {
        this.setData({ status: 'empty', error: NO_CARD_MESSAGE })
        return
      }
      void this.load()
    },

    async load() {
      const cardId = this.data.cardId
      if (!cardId) return
      let emptyMessage = ''
      const result = await runLoad(
        (patch) => this.setData(emptyMessage ? { ...patch, error: emptyMessage } : patch),
        async () => {
          try {
            return await call('cards', 'view', { cardId })
          } catch (error) {
            if (error instanceof ApiCallError && (error.code === 'CARD_HIDDEN' || error.code === 'NOT_FOUND')) {
              emptyMessage = error.code === 'CARD_HIDDEN' ? HIDDEN_MESSAGE : NO_CARD_MESSAGE
              return null
            }
            throw error
          }
        },
        { toData: (view) => (view ? { ...viewData(view), previewing: false } : {}), isEmpty: (view) => view === null },
      )
      if (!result) return
      this.setTitle(result.card.name)
      if (result.relation === 'owner' && wantsPreview(this.data.preview)) await this.showStrangerView()
    },

    /** Loads again without the loading state (after an action changed what I may see, or the owner edited the card). */
    async refresh() {
      try {
        const view = await call('cards', 'view', { cardId: this.data.cardId })
        const data = { ...viewData(view), previewing: false }
        if (this.data.previewing && view.relation === 'owner') {
          // Still previewing: the stranger's view of the card as it is now (the owner's own view if it cannot be had).
          const stranger = await this.strangerView()
          if (stranger) Object.assign(data, { card: stranger, previewing: true })
        }
        this.setData(data)
      } catch (error) {
        if (error instanceof ApiCallError && (error.code === 'CARD_HIDDEN' || error.code === 'NOT_FOUND')) {
          this.setData({ status: 'empty', error: error.code === 'CARD_HIDDEN' ? HIDDEN_MESSAGE : NO_CARD_MESSAGE })
        }
        // Otherwise the page keeps what it shows.
      }
    },

    setTitle(name: string) {
      if (typeof wx.setNavigationBarTitle === 'function' && name) wx.setNavigationBarTitle({ title: `${name}的名片`, fail: () => undefined })
    },

    onRetry() {
      void this.load()
    },

    say(message: string, isError: boolean) {
      this.setData({ message, messageIsError: isError })
    },

    /** A refusal, told in words; registration, a missing card or a missing consent get their own way forward. */
    refused(error: unknown) {
      if (isRegisterRefusal(error)) {
        this.setData({ busy: '', needRegister: true, message: '', messageIsError: false })
        return
      }
      if (error instanceof ApiCallError && error.code === 'CONSENT_REQUIRED') {
        this.setData({ busy: '', needConsent: true, message: error.message, messageIsError: true })
        return
      }
      this.setData({ busy: '', message: messageOf(error), messageIsError: true })
    },

    async onSave() {
      if (this.data.busy || this.data.saved) return
      this.setData({ busy: 'save', message: '' })
      try {
        await call('cards', 'holderSave', { cardId: this.data.cardId })
        markChanged('holder')
        this.setData({ busy: '', saved: true })
        this.say('已保存到名片夹，可以在名片夹中添加备注和标签', false)
      } catch (error) {
        this.refused(error)
      }
    },

    async onExchange() {
      if (this.data.busy) return
      this.setData({ busy: 'exchange', message: '', needCard: false, needConsent: false })
      try {
        const mine = await call('cards', 'mine', {})
        const myCard = mine.cards.find((c) => c.isDefault) ?? mine.cards[0]
        if (!myCard) {
          this.setData({ busy: '', needCard: true })
          return
        }
        const { exchange } = await call('cards', 'exchangeRequest', { myCardId: myCard.id, theirCardId: this.data.cardId })
        markChanged('holder')
        this.setData({ busy: '', exchange: exchangeStateOf(exchange) })
        this.say(`已用「${myCard.name}」发出交换请求，对方同意后你们可以看到彼此「交换名片后可见」的信息`, false)
      } catch (error) {
        if (error instanceof ApiCallError && error.code === 'CONFLICT') {
          // Already asked (maybe from another device): show where it stands.
          this.setData({ busy: '' })
          this.say(error.message, true)
          void this.refresh()
          return
        }
        this.refused(error)
      }
    },

    async onRespond(e: WechatMiniprogram.BaseEvent<Record<string, never>, { accept: string }>) {
      const exchange = this.data.exchange
      if (this.data.busy || !exchange) return
      const accept = e.currentTarget.dataset.accept === 'true'
      this.setData({ busy: accept ? 'accept' : 'decline', message: '' })
      try {
        await call('cards', 'exchangeRespond', { exchangeId: exchange.id, accept })
        markChanged('holder')
        this.setData({ busy: '' })
        this.say(accept ? '已交换名片，对方的名片已保存到你的名片夹' : '已婉拒交换请求', false)
        await this.refresh()
      } catch (error) {
        this.refused(error)
      }
    },

    onRegister() {
      wx.navigateTo({ url: REGISTER_URL })
    },

    onCreateCard() {
      wx.navigateTo({ url: editorUrl() })
    },

    async onGrantConsent() {
      if (this.data.busy) return
      this.setData({ busy: 'consent' })
      const outcome = await grantPublicCard()
      if (outcome.granted) {
        this.setData({ busy: '', needConsent: false, consentToPrivacy: false })
        this.say(`${outcome.message}。现在可以交换名片了`, false)
        return
      }
      this.setData({ busy: '', consentToPrivacy: outcome.openPrivacy })
      if (outcome.message) this.say(outcome.message, true)
    },

    onReadConsentNotice() {
      wx.navigateTo({ url: publicCardNoticeUrl() })
    },

    onOpenPrivacy() {
      if (this.data.consentToPrivacy) openPrivacySettings()
      else wx.navigateTo({ url: PRIVACY_URL })
    },

    onAddContact() {
      const face = this.data.face
      if (!face || this.data.busy) return
      if (typeof wx.addPhoneContact !== 'function') {
        this.say('当前微信版本不支持存入通讯录，请升级微信后再试', true)
        return
      }
      this.setData({ busy: 'contact', message: '' })
      wx.addPhoneContact({
        ...phoneContactOf(face),
        success: () => {
          this.setData({ busy: '' })
          this.say('已存入手机通讯录', false)
        },
        fail: (error: { errMsg: string }) => {
          this.setData({ busy: '' })
          if (/cancel/.test(error.errMsg)) return
          this.say(/auth|permission/.test(error.errMsg) ? '没有通讯录权限：请在手机设置中允许微信访问通讯录后再试' : '存入通讯录失败，请稍后重试', true)
        },
      })
    },

    async onPoster() {
      if (this.data.busy || this.data.relation !== 'owner') return
      if (!canMakePoster()) {
        this.say(POSTER_MESSAGES.unsupported, true)
        return
      }
      this.setData({ busy: 'poster', message: '' })
      try {
        // A poster is passed on to anyone: it shows the card as a stranger sees it, never the owner's own view.
        const [{ card }, qr] = await Promise.all([call('cards', 'get', { cardId: this.data.cardId }), call('cards', 'qrCode', { cardId: this.data.cardId })])
        const qrPath = await writeQrFile(this.data.cardId, qr.imageBase64, qr.contentType)
        const outcome = await saveCardPoster(card, qrPath)
        this.setData({ busy: '' })
        this.say(POSTER_MESSAGES[outcome], outcome !== 'saved')
      } catch (error) {
        this.setData({ busy: '' })
        this.say(error instanceof ApiCallError ? messageOf(error) : POSTER_MESSAGES.failed, true)
      }
    },

    /** The owner's card as a stranger sees it (what they made public, and which fields an exchange would show); null when it cannot be read. */
    async strangerView(): Promise<CardViewModel | null> {
      try {
        const { card } = await call('cards', 'get', { cardId: this.data.cardId })
        return cardViewModel(strangerFace(card))
      } catch {
        return null
      }
    },

    async showStrangerView() {
      this.setData({ busy: 'preview', message: '' })
      const stranger = await this.strangerView()
      if (stranger) {
        this.setData({ busy: '', previewing: true, card: stranger })
        return
      }
      this.setData({ busy: '' })
      this.say('暂时无法预览陌生人看到的名片，请稍后重试', true)
    },

    onTogglePreview() {
      if (this.data.busy || this.data.relation !== 'owner') return
      if (this.data.previewing) {
        const face = this.data.face
        this.setData({ previewing: false, message: '', ...(face ? { card: cardViewModel(face) } : {}) })
        return
      }
      void this.showStrangerView()
    },

    onEdit() {
      wx.navigateTo({ url: editorUrl(this.data.cardId) })
    },

    onOpenMine() {
      wx.navigateTo({ url: MY_CARDS_URL })
    },

    onOpenHolder() {
      wx.navigateTo({ url: HOLDER_URL })
    },

    onOpenVisitors() {
      wx.navigateTo({ url: visitorsUrl(this.data.cardId) })
    },

    onGoHome() {
      // 首页 is a tab page.
      wx.switchTab({ url: '/pages/home/index' })
    },

    onShareAppMessage() {
      const name = this.data.card.name
      return {
        title: name ? `${name}的名片` : '乐聊名片',
        path: this.data.cardId ? cardPageUrl(this.data.cardId) : '/pages/home/index',
      }
    },

    onShareTimeline() {
      const name = this.data.card.name
      return { title: name ? `${name}的名片` : '乐聊名片', query: this.data.cardId ? `id=${this.data.cardId}` : '' }
    },
  },
})

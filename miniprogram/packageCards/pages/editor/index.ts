/**
 * 新建 / 编辑名片 (/packageCards/pages/editor/index[?cardId=…]): every field
 * of the card with its visibility (公开 / 交换名片后可见 / 仅自己可见), links,
 * an avatar (WeChat's chooseAvatar or the album through chooseMedia, uploaded
 * to cloud storage), and a LIVE PREVIEW of the card as a stranger or an
 * exchanged contact will see it, redrawn on every keystroke.
 *
 * Saving (cards.create / cards.update) goes through the moderation gate: the
 * card's state is shown with its reasons (published, held for review or for
 * the image check); a refusal puts each field's reason beside the field.
 * Refusals that need something else first say what and offer the way:
 * VERIFICATION_REQUIRED → real-name verification, missing「公开展示我的名片」→
 * grant it here, FEATURE_RESTRICTED and CARD_LIMIT → the reason.
 *
 * While there are unsaved changes, leaving the page asks first
 * (utils/unsaved.ts). A broken link or a card that is gone is an empty state
 * with 返回.
 */
import {
  ADDRESS_MAX,
  CARD_FIELD_LABELS,
  COMPANY_MAX,
  EMAIL_MAX,
  INTRO_MAX,
  LINK_LABEL_MAX,
  LINK_LIMIT,
  LINK_URL_MAX,
  isCardCode,
  NAME_MAX,
  PHONE_MAX,
  TITLE_MAX,
  WECHAT_ID_MAX,
  type CardTextField,
  type FieldVisibility,
  type VisibilityField,
} from '../../../../shared/cards'
import type { OwnCardView } from '../../../../shared/contract/cards'
import { ApiCallError, call, fieldErrors, messageOf } from '../../../api'
import { config } from '../../../config'
import { persistCardAvatar } from '../../../utils/avatar'
import { grantPublicCard, openPrivacySettings, publicCardNoticeUrl } from '../../../utils/card-consent'
import {
  AUDIENCE_LABELS,
  cardPageUrl,
  cardViewModel,
  draftOf,
  draftProblems,
  emptyDraft,
  fieldKeyOf,
  inputOf,
  isFieldVisibility,
  isVisibilityField,
  MY_CARDS_URL,
  previewFace,
  VERIFY_URL,
  VISIBILITY_CHOICES,
  type Audience,
  type CardDraft,
  type CardViewModel,
} from '../../../utils/cards'
import { pickImage } from '../../../utils/cloud-image'
import { REGISTER_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { decodedParam, goBack } from '../../../utils/query'
import { isRegisterRefusal } from '../../../utils/refusal'
import { guardUnsaved } from '../../../utils/unsaved'

interface FieldSpec {
  key: CardTextField
  label: string
  max: number
  placeholder: string
  /** The name is always shown with the card: it has no visibility choice. */
  hasVisibility: boolean
  multiline: boolean
}

const FIELDS: FieldSpec[] = [
  { key: 'name', label: CARD_FIELD_LABELS.name, max: NAME_MAX, placeholder: '名片上显示的姓名（必填）', hasVisibility: false, multiline: false },
  { key: 'title', label: CARD_FIELD_LABELS.title, max: TITLE_MAX, placeholder: '如：产品经理', hasVisibility: true, multiline: false },
  { key: 'company', label: CARD_FIELD_LABELS.company, max: COMPANY_MAX, placeholder: '公司或机构名称', hasVisibility: true, multiline: false },
  { key: 'phone', label: CARD_FIELD_LABELS.phone, max: PHONE_MAX, placeholder: '手机或座机号码', hasVisibility: true, multiline: false },
  { key: 'email', label: CARD_FIELD_LABELS.email, max: EMAIL_MAX, placeholder: 'name@example.com', hasVisibility: true, multiline: false },
  { key: 'wechatId', label: CARD_FIELD_LABELS.wechatId, max: WECHAT_ID_MAX, placeholder: '6–20 位，以字母开头', hasVisibility: true, multiline: false },
  { key: 'address', label: CARD_FIELD_LABELS.address, max: ADDRESS_MAX, placeholder: '办公地址', hasVisibility: true, multiline: false },
  { key: 'intro', label: CARD_FIELD_LABELS.intro, max: INTRO_MAX, placeholder: '一句话介绍你自己或你的业务', hasVisibility: true, multiline: true },
]

interface LinkErrors {
  label: string
  url: string
}

/**
 * Problems by path (`name`, `links.1.url` …) → the page's two maps: per field
 * (no dots: setData paths), and per link, aligned with the links.
 */
function placeErrors(problems: Record<string, string>, linkCount: number): { errors: Record<string, string>; linkErrors: LinkErrors[] } {
  const errors: Record<string, string> = {}
  const linkErrors: LinkErrors[] = Array.from({ length: linkCount }, () => ({ label: '', url: '' }))
  for (const [key, message] of Object.entries(problems)) {
    const link = /^links\.(\d+)\.(label|url)$/.exec(key)
    const slot = link ? linkErrors[Number(link[1])] : undefined
    if (link && slot) {
      if (!slot[link[2] === 'url' ? 'url' : 'label']) slot[link[2] === 'url' ? 'url' : 'label'] = message
    } else if (!(key in errors)) {
      errors[link ? 'links' : key] = message
    }
  }
  return { errors, linkErrors }
}

function noLinkErrors(count: number): LinkErrors[] {
  return Array.from({ length: count }, () => ({ label: '', url: '' }))
}

function isTextField(value: string): value is CardTextField {
  return FIELDS.some((f) => f.key === value)
}

type RefusalKind = '' | 'verify' | 'consent' | 'restricted' | 'limit' | 'register' | 'content' | 'other'

const BAD_LINK_MESSAGE = '没有找到这张名片：链接可能不完整，请返回后重新打开'
const GONE_MESSAGE = '没有找到这张名片：它可能已被删除'

/** What saving would send, to tell unsaved changes from saved ones. */
function savedFormOf(draft: CardDraft): string {
  return JSON.stringify(inputOf(draft))
}

interface CardState {
  moderationState: OwnCardView['moderation']['state']
  moderationLabel: string
  reasons: string[]
  shownToOthers: boolean
  hiddenReason: string
  hiddenNotice: string
}

function cardStateOf(card: OwnCardView): CardState {
  return {
    moderationState: card.moderation.state,
    moderationLabel: card.moderation.label,
    reasons: card.moderation.reasons,
    shownToOthers: card.shownToOthers,
    hiddenReason: card.hiddenReason ?? '',
    hiddenNotice: card.hiddenNotice ?? '',
  }
}

const SAVED_NOTICES: Record<OwnCardView['moderation']['state'], string> = {
  published: '已保存，名片已通过审核',
  pendingReview: '已保存，名片需要人工复审，通过前只有你能看到',
  pendingImages: '已保存，图片安全检查完成前只有你能看到名片',
  reported: '已保存，名片因被举报暂时隐藏，等待人工审核',
  rejected: '已保存，但名片未通过审核，他人看不到',
}

type FieldEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>
type ChoiceEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { field: string; value: string }>
type LinkEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { index: number; part: string }>

Component({
  properties: {
    /** Page query: the card to edit; empty for a new card. */
    cardId: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    started: false,
    fields: FIELDS,
    choices: VISIBILITY_CHOICES,
    linkLimit: LINK_LIMIT,
    linkLabelMax: LINK_LABEL_MAX,
    linkUrlMax: LINK_URL_MAX,
    draft: emptyDraft(),
    verified: true,
    publicConsent: true,
    atLimit: false,
    limit: 0,
    /** The saved card's standing; null before the first save. */
    saved: null as CardState | null,
    audience: 'public' as Audience,
    audienceLabel: AUDIENCE_LABELS.public,
    preview: cardViewModel(previewFace(emptyDraft(), { id: '', verified: false, audience: 'public' })) as CardViewModel,
    /** Field key (name, phone …, avatarUrl, links) → message. */
    errors: {} as Record<string, string>,
    /** Per link, aligned with draft.links. */
    linkErrors: [] as LinkErrors[],
    refusal: '' as RefusalKind,
    formError: '',
    saving: false,
    avatarBusy: false,
    consentBusy: false,
    consentToPrivacy: false,
    notice: '',
    /** The draft as last loaded or saved (savedFormOf): anything else is unsaved. */
    savedForm: savedFormOf(emptyDraft()),
    /** Counts loads: a load's answers count only while it is the latest (a broken link ends them all). */
    loadRun: 0,
  },
  lifetimes: {
    attached() {
      // Properties carry the query when the page is created; onLoad covers base libraries that set them later.
      this.start()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const id = decodedParam(query.cardId)
      if (id === null) {
        // A broken link: nothing to load, whatever started.
        this.setData({ cardId: '', started: true, loadRun: this.data.loadRun + 1, status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      if (id && id !== this.data.cardId) {
        this.setData({ cardId: id, started: false })
        this.start()
      }
    },

    start() {
      if (this.data.started) return
      this.setData({ started: true })
      if (this.data.cardId && !isCardCode(this.data.cardId)) {
        this.setData({ status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      if (typeof wx.setNavigationBarTitle === 'function') {
        wx.setNavigationBarTitle({ title: this.data.cardId ? '编辑名片' : '新建名片', fail: () => undefined })
      }
      void this.load()
    },

    async load() {
      const cardId = this.data.cardId
      const run = this.data.loadRun + 1
      this.setData({ loadRun: run })
      let gone = false
      await runLoad(
        (patch) => {
          // A load for another card (or before a broken link) no longer speaks for the page.
          if (this.data.loadRun !== run) return
          this.setData(gone && patch.status === 'empty' ? { ...patch, error: GONE_MESSAGE } : patch)
        },
        async () => {
          try {
            const [mine, got] = await Promise.all([call('cards', 'mine', {}), cardId ? call('cards', 'get', { cardId }) : Promise.resolve(null)])
            return { mine, card: got?.card ?? null }
          } catch (error) {
            if (isRegisterRefusal(error)) return null
            if (error instanceof ApiCallError && error.code === 'NOT_FOUND') {
              gone = true
              return 'gone' as const
            }
            throw error
          }
        },
        {
          isEmpty: (value) => value === 'gone',
          toData: (value) => {
            if (value === 'gone') return {}
            if (!value) return { refusal: 'register', formError: '' }
            const { mine, card } = value
            const draft = card ? draftOf(card) : emptyDraft()
            return {
              verified: mine.verified,
              publicConsent: mine.publicConsent,
              limit: mine.limit,
              atLimit: !card && mine.cards.length >= mine.limit,
              draft,
              savedForm: savedFormOf(draft),
              linkErrors: noLinkErrors(draft.links.length),
              saved: card ? cardStateOf(card) : null,
              preview: this.previewOf(draft, this.data.audience, card?.verified ?? mine.verified),
            }
          },
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onBack() {
      goBack(MY_CARDS_URL)
    },

    /** Leaving asks first while the draft differs from what is saved. */
    trackUnsaved() {
      guardUnsaved(this, savedFormOf(this.data.draft) !== this.data.savedForm)
    },

    previewOf(draft: CardDraft, audience: Audience, verified?: boolean): CardViewModel {
      return cardViewModel(previewFace(draft, { id: this.data.cardId, verified: verified ?? this.data.verified, audience }))
    },

    /** Applies a change to the draft and redraws the preview in the same setData. */
    change(draft: CardDraft, patch: Record<string, unknown>) {
      this.setData({ ...patch, draft, preview: this.previewOf(draft, this.data.audience), notice: '' })
      this.trackUnsaved()
    },

    onFieldInput(e: FieldEvent) {
      const field = e.currentTarget.dataset.field
      if (!isTextField(field)) return
      const draft: CardDraft = { ...this.data.draft, [field]: e.detail.value }
      this.change(draft, { [`errors.${field}`]: '' })
    },

    onVisibility(e: ChoiceEvent) {
      const { field, value } = e.currentTarget.dataset
      if (!isVisibilityField(field) || !isFieldVisibility(value)) return
      const visibility: Record<VisibilityField, FieldVisibility> = { ...this.data.draft.visibility, [field]: value }
      this.change({ ...this.data.draft, visibility }, {})
    },

    onAudience(e: WechatMiniprogram.BaseEvent<Record<string, never>, { audience: Audience }>) {
      const audience = e.currentTarget.dataset.audience
      this.setData({ audience, audienceLabel: AUDIENCE_LABELS[audience], preview: this.previewOf(this.data.draft, audience) })
    },

    onAddLink() {
      if (this.data.draft.links.length >= LINK_LIMIT) return
      this.change({ ...this.data.draft, links: [...this.data.draft.links, { label: '', url: 'https://' }] }, { linkErrors: [...this.data.linkErrors, { label: '', url: '' }] })
    },

    onRemoveLink(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const index = Number(e.currentTarget.dataset.index)
      const links = this.data.draft.links.filter((_l, i) => i !== index)
      this.change({ ...this.data.draft, links }, { linkErrors: this.data.linkErrors.filter((_l, i) => i !== index), 'errors.links': '' })
    },

    onLinkInput(e: LinkEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const part = e.currentTarget.dataset.part === 'url' ? 'url' : 'label'
      const links = this.data.draft.links.map((l, i) => (i === index ? { ...l, [part]: e.detail.value } : l))
      this.change({ ...this.data.draft, links }, { [`linkErrors[${index}].${part}`]: '', 'errors.links': '' })
    },

    async useAvatar(tempPath: string) {
      if (!tempPath || this.data.avatarBusy) return
      this.setData({ avatarBusy: true, 'errors.avatarUrl': '' })
      try {
        const url = await persistCardAvatar(tempPath, config)
        this.setData({ avatarBusy: false })
        this.change({ ...this.data.draft, avatarUrl: url }, {})
      } catch (error) {
        this.setData({ avatarBusy: false, 'errors.avatarUrl': fieldErrors(error).avatarUrl ?? messageOf(error) })
      }
    },

    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      void this.useAvatar(e.detail.avatarUrl)
    },

    async onChooseImage() {
      if (typeof wx.chooseMedia !== 'function') {
        this.setData({ 'errors.avatarUrl': '当前微信版本不支持从相册选择，请使用「微信头像」' })
        return
      }
      let picked: { path: string } | null
      try {
        picked = await pickImage()
      } catch (error) {
        this.setData({ 'errors.avatarUrl': messageOf(error) })
        return
      }
      if (picked) await this.useAvatar(picked.path)
    },

    onRemoveAvatar() {
      this.change({ ...this.data.draft, avatarUrl: '' }, { 'errors.avatarUrl': '' })
    },

    async onSave() {
      if (this.data.saving) return
      const problems = draftProblems(this.data.draft)
      if (Object.keys(problems).length > 0) {
        this.setData({ ...placeErrors(problems, this.data.draft.links.length), formError: '请检查标出的内容', refusal: '', notice: '' })
        return
      }
      this.setData({ saving: true, errors: {}, linkErrors: noLinkErrors(this.data.draft.links.length), formError: '', refusal: '', notice: '' })
      const input = inputOf(this.data.draft)
      try {
        const { card } = this.data.cardId ? await call('cards', 'update', { cardId: this.data.cardId, card: input }) : await call('cards', 'create', input)
        const created = !this.data.cardId
        const draft = draftOf(card)
        this.setData({
          saving: false,
          cardId: card.id,
          saved: cardStateOf(card),
          draft,
          savedForm: savedFormOf(draft),
          linkErrors: noLinkErrors(draft.links.length),
          verified: card.verified,
          publicConsent: card.hiddenReason === 'consent' ? false : this.data.publicConsent,
          notice: SAVED_NOTICES[card.moderation.state],
        })
        this.setData({ preview: this.previewOf(draft, this.data.audience, card.verified) })
        this.trackUnsaved()
        if (created && typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: '编辑名片', fail: () => undefined })
      } catch (error) {
        this.setData({ saving: false, ...this.refusalOf(error) })
      }
    },

    refusalOf(error: unknown): Record<string, unknown> {
      if (!(error instanceof ApiCallError)) return { refusal: 'other', formError: messageOf(error) }
      switch (error.code) {
        case 'VERIFICATION_REQUIRED':
          return { refusal: 'verify', verified: false, formError: error.message }
        case 'CONSENT_REQUIRED':
          return { refusal: 'consent', publicConsent: false, formError: error.message }
        case 'FEATURE_RESTRICTED':
          return { refusal: 'restricted', formError: error.message }
        case 'CARD_LIMIT':
          return { refusal: 'limit', atLimit: true, formError: error.message }
        case 'CONTENT_REFUSED':
        case 'INVALID_INPUT': {
          const problems: Record<string, string> = {}
          for (const [path, message] of Object.entries(fieldErrors(error))) {
            const key = fieldKeyOf(path)
            if (key !== 'form' && !(key in problems)) problems[key] = message
          }
          const placed = Object.keys(problems).length > 0
          const { errors, linkErrors } = placeErrors(problems, this.data.draft.links.length)
          const formError =
            error.code === 'CONTENT_REFUSED'
              ? placed
                ? '内容未通过安全审核，请修改标出的内容后再保存'
                : error.message
              : placed
                ? '请检查标出的内容'
                : error.message
          return { refusal: error.code === 'CONTENT_REFUSED' ? 'content' : 'other', errors, linkErrors, formError }
        }
        default:
          if (isRegisterRefusal(error)) return { refusal: 'register', formError: '' }
          return { refusal: 'other', formError: error.message }
      }
    },

    onVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onRegister() {
      wx.navigateTo({ url: REGISTER_URL })
    },

    onReadConsentNotice() {
      wx.navigateTo({ url: publicCardNoticeUrl() })
    },

    onOpenPrivacy() {
      openPrivacySettings()
    },

    async onGrantConsent() {
      if (this.data.consentBusy) return
      this.setData({ consentBusy: true })
      const outcome = await grantPublicCard()
      if (!outcome.granted) {
        this.setData({ consentBusy: false, consentToPrivacy: outcome.openPrivacy, formError: outcome.message || this.data.formError })
        return
      }
      this.setData({ consentBusy: false, publicConsent: true, consentToPrivacy: false, refusal: '', formError: '', notice: outcome.message })
      // The saved card may be shown to others now.
      if (this.data.cardId) {
        try {
          const { card } = await call('cards', 'get', { cardId: this.data.cardId })
          this.setData({ saved: cardStateOf(card) })
        } catch {
          // What the page shows is still right about the consent.
        }
      }
    },

    onOpenCard() {
      if (this.data.cardId) wx.navigateTo({ url: cardPageUrl(this.data.cardId) })
    },

    onDone() {
      const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : []
      if (pages.length > 1) wx.navigateBack({ delta: 1 })
      else wx.redirectTo({ url: MY_CARDS_URL })
    },
  },
})

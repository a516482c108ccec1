/**
 * Business cards (名片): my cards, the landing page a QR code opens, the card
 * holder (名片夹), exchanges and visitors. Card ids are 10-character codes
 * (shared/cards.ts), the QR scene is `c=<id>`.
 *
 * Who sees what: the owner sees everything, with the moderation status and why
 * others may not see the card; others see a card only when it is published
 * (moderation), its owner granted「公开展示我的名片」and the owner's account
 * shows content — otherwise CARD_HIDDEN. Of a shown card, strangers and
 * visitors without an account get the public fields, people who exchanged
 * cards with this card also the「交换名片后可见」fields; hidden fields only
 * the owner. A field not shown to the viewer is null (or [] for links).
 */
import * as z from 'zod/mini'
import {
  ADDRESS_MAX,
  CARD_HIDDEN_REASONS,
  CARD_LIMIT,
  COMPANY_MAX,
  EMAIL_MAX,
  EXCHANGE_DAILY_LIMIT,
  EXCHANGE_MESSAGE_MAX,
  EXCHANGE_RETRY_HOURS,
  EXCHANGE_STATUSES,
  FIELD_VISIBILITIES,
  HOLDER_LIMIT,
  INTRO_MAX,
  isCardCode,
  LINK_LABEL_MAX,
  LINK_LIMIT,
  LINK_URL_MAX,
  NAME_MAX,
  NOTE_MAX,
  PHONE_MAX,
  SEARCH_MAX,
  TAG_LIMIT,
  TAG_MAX,
  TITLE_MAX,
  VISIBILITY_FIELDS,
  WECHAT_ID_MAX,
} from '../cards'
import { hasInvisibleCharacters, visibleLength } from '../rules/text'
import { id, isoDateTime, nextCursor, pageInput, profileImageUrl } from './common'
import { moderationView } from './content'
import { action } from './define'

/** A card id (10-character card code). */
export const cardId = z.string().check(z.refine(isCardCode, '名片编号格式不正确'))

function text(label: string, max: number) {
  return z.string().check(
    z.trim(),
    z.refine((s) => visibleLength(s) <= max, `${label}最多 ${max} 个字`),
    z.refine((s) => !hasInvisibleCharacters(s.replace(/[\n\r]/g, '')), `${label}不能包含不可见字符`),
  )
}

function singleLine(label: string, max: number) {
  return text(label, max).check(z.refine((s) => !/[\n\r]/.test(s), `${label}不能换行`))
}

export const cardName = singleLine('姓名', NAME_MAX).check(z.refine((s) => s.length > 0, '请填写姓名'))

/** Mainland mobile or landline, or an international number: digits with optional +, spaces, dashes; 7–15 digits. */
export const phone = z.string().check(
  z.trim(),
  z.maxLength(PHONE_MAX, '电话号码过长'),
  z.refine((s) => s === '' || (/^\+?[0-9][0-9 -]*[0-9]$/.test(s) && (s.match(/[0-9]/g)?.length ?? 0) >= 7 && (s.match(/[0-9]/g)?.length ?? 0) <= 15), '请填写正确的电话号码'),
)

/**
 * An ASCII address of the usual shape: a local part of letters, digits and
 * . _ % + - (no dot at either end or twice in a row), @, then host labels of
 * letters, digits and inner hyphens, ending in a letter TLD or an IDN's
 * punycode (xn--…). Anything else — Chinese text, spaces, quotes — is no address
 * and would be free text shown to others.
 */
const EMAIL_PATTERN = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/
const EMAIL_LOCAL_MAX = 64

export function isEmailAddress(value: string): boolean {
  return EMAIL_PATTERN.test(value) && value.indexOf('@') <= EMAIL_LOCAL_MAX
}

export const email = z.string().check(
  z.trim(),
  z.maxLength(EMAIL_MAX, '邮箱过长'),
  z.refine((s) => s === '' || isEmailAddress(s), '请填写正确的邮箱'),
)

/** WeChat ids: 6–WECHAT_ID_MAX letters, digits, - or _, starting with a letter. */
const WECHAT_ID_PATTERN = new RegExp(`^[a-zA-Z][-_a-zA-Z0-9]{5,${WECHAT_ID_MAX - 1}}$`)
export const wechatId = z.string().check(
  z.trim(),
  z.refine((s) => s === '' || WECHAT_ID_PATTERN.test(s), `微信号为 6–${WECHAT_ID_MAX} 位字母、数字、-或_，以字母开头`),
)

/**
 * A card's avatar: a file uploaded to cloud storage (what the editor sends), or
 * a WeChat profile picture on its own hosts. Any other https address would show
 * others an image from a server that can change it after the check, and learn
 * who looked at the card.
 */
export const cardAvatarUrl = profileImageUrl('名片头像')

export const cardLink = z.strictObject({
  label: singleLine('链接名称', LINK_LABEL_MAX).check(z.refine((s) => s.length > 0, '请填写链接名称')),
  url: z.string().check(z.trim(), z.maxLength(LINK_URL_MAX, '链接过长'), z.refine((s) => /^https:\/\/[^\s/$.?#][^\s]*$/.test(s), '链接必须以 https:// 开头')),
})
export type CardLink = z.infer<typeof cardLink>

export const fieldVisibility = z.enum(FIELD_VISIBILITIES)

export const visibilityView = z.object({
  title: fieldVisibility,
  company: fieldVisibility,
  phone: fieldVisibility,
  email: fieldVisibility,
  wechatId: fieldVisibility,
  address: fieldVisibility,
  intro: fieldVisibility,
  avatarUrl: fieldVisibility,
  links: fieldVisibility,
})
export type VisibilityView = z.infer<typeof visibilityView>

/** Omitted fields keep their default (shared/cards.ts DEFAULT_VISIBILITY). */
export const visibilityInput = z.partial(z.strictObject(visibilityView.shape))

/** A link as shown: the input (cardLink) after its checks. */
const linkView = z.object({ label: z.string(), url: z.string() })

/**
 * The whole card as the editor sends it (create and update replace every
 * field; an omitted text field is empty). There is no `verified` field: the
 * badge comes from the owner's real-name verification, never from input.
 */
export const cardInput = z.strictObject({
  name: cardName,
  title: z.optional(singleLine('职位', TITLE_MAX)),
  company: z.optional(singleLine('公司', COMPANY_MAX)),
  phone: z.optional(phone),
  email: z.optional(email),
  wechatId: z.optional(wechatId),
  address: z.optional(singleLine('地址', ADDRESS_MAX)),
  intro: z.optional(text('简介', INTRO_MAX)),
  avatarUrl: z.optional(z.nullable(cardAvatarUrl)),
  links: z.optional(z.array(cardLink).check(z.maxLength(LINK_LIMIT, `最多 ${LINK_LIMIT} 个链接`))),
  visibility: z.optional(visibilityInput),
})
export type CardInput = z.input<typeof cardInput>

/** My own card, everything in it. */
export const ownCardView = z.object({
  id: z.string(),
  isDefault: z.boolean(),
  name: z.string(),
  title: z.string(),
  company: z.string(),
  phone: z.string(),
  email: z.string(),
  wechatId: z.string(),
  address: z.string(),
  intro: z.string(),
  avatarUrl: z.nullable(z.string()),
  links: z.array(linkView),
  visibility: visibilityView,
  /**
   * The 已实名 badge others see on this card: my account is real-name verified
   * and the card's name is my verified legal name (compared by keyed reference,
   * ignoring spaces). Not editable.
   */
  verified: z.boolean(),
  /**
   * My account is real-name verified, whatever name the card carries. With
   * `verified` false the card's name is not my verified legal name, so others
   * see no badge (or, for a verification from before names were compared, not
   * until the identity function has filled in its reference — at most a day).
   */
  ownerVerified: z.boolean(),
  moderation: moderationView,
  /** Whether others can see this card now. */
  shownToOthers: z.boolean(),
  /** Why not, when not (the first that applies), with a sentence to show. */
  hiddenReason: z.nullable(z.enum(CARD_HIDDEN_REASONS)),
  hiddenNotice: z.nullable(z.string()),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
})
export type OwnCardView = z.infer<typeof ownCardView>

/** A card as someone else sees it: fields not shown to the viewer are null ([] for links). */
export const cardFace = z.object({
  id: z.string(),
  name: z.string(),
  /** The 已实名 badge: the owner is real-name verified and this name is their verified legal name. */
  verified: z.boolean(),
  avatarUrl: z.nullable(z.string()),
  title: z.nullable(z.string()),
  company: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  email: z.nullable(z.string()),
  wechatId: z.nullable(z.string()),
  address: z.nullable(z.string()),
  intro: z.nullable(z.string()),
  links: z.array(linkView),
  /** Filled fields the viewer would see after exchanging cards (to say「交换名片后可见」). */
  exchangeOnly: z.array(z.enum(VISIBILITY_FIELDS)),
})
export type CardFace = z.infer<typeof cardFace>

/** A one-line summary (visitor lists, exchange requests): public fields only. */
export const cardSummary = z.pick(cardFace, { id: true, name: true, verified: true, avatarUrl: true, title: true, company: true })
export type CardSummary = z.infer<typeof cardSummary>

export const VIEWER_RELATIONS = ['owner', 'exchanged', 'member', 'visitor'] as const

export const exchangeView = z.object({
  id: z.string(),
  status: z.enum(EXCHANGE_STATUSES),
  statusLabel: z.string(),
  /** Whether I sent the request. */
  outgoing: z.boolean(),
  /** My card in the exchange (as I see it). */
  myCardId: z.string(),
  myCardName: z.string(),
  /** The other side's card as I may see it now; null when it is hidden or gone. Requests waiting on me from accounts that hide content are not listed. */
  theirCard: z.nullable(cardSummary),
  message: z.string(),
  createdAt: isoDateTime,
  decidedAt: z.nullable(isoDateTime),
})
export type ExchangeView = z.infer<typeof exchangeView>

export const holderItem = z.object({
  cardId: z.string(),
  /** The card as I may see it now; null when it is hidden or was deleted (see `unavailable`). */
  card: z.nullable(cardFace),
  unavailable: z.nullable(z.enum(['hidden', 'deleted'])),
  note: z.string(),
  tags: z.array(z.string()),
  exchanged: z.boolean(),
  savedAt: isoDateTime,
})
export type HolderItem = z.infer<typeof holderItem>

export const tag = singleLine('标签', TAG_MAX).check(z.refine((s) => s.length > 0, '标签不能为空'))

/** My note and tags on a saved card; an omitted one is left as it is (empty on a first save). */
const holderNoteInput = z.strictObject({
  cardId,
  note: z.optional(text('备注', NOTE_MAX)),
  tags: z.optional(z.array(tag).check(z.maxLength(TAG_LIMIT, `最多 ${TAG_LIMIT} 个标签`))),
})

export const visitorView = z.object({
  /** The visit record (for list keys). */
  id: z.string(),
  cardId: z.string(),
  /** Beijing calendar day of the visit, YYYY-MM-DD. */
  day: z.string(),
  visitedAt: isoDateTime,
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  /** The visitor's account, to report their profile (举报) by. */
  accountId: z.string(),
  /** The visitor's default card, only when they chose to share it with visits and it is shown to others. */
  viewerCard: z.nullable(cardSummary),
})
export type VisitorView = z.infer<typeof visitorView>

export const visitDay = z.object({
  date: z.string(),
  /** Registered visitors recorded that day (one per visitor per card per day). */
  visitors: z.number(),
  /** Views not recorded to a person (no account, or no「个性化与访问记录」consent): a plain count. */
  anonymous: z.number(),
})

export const visitSettingsView = z.object({
  /** When I visit a card, show its owner my default card next to my nickname. */
  shareCardOnVisit: z.boolean(),
  /** Whether my visits are recorded at all (the「个性化与访问记录」consent is granted). */
  recording: z.boolean(),
  notice: z.string(),
})

export const qrCodeView = z.object({
  scene: z.string(),
  page: z.string(),
  /** WeChat answers with a JPEG 小程序码 (PNG when transparent); the sandbox with a PNG QR code. */
  contentType: z.enum(['image/png', 'image/jpeg']),
  /** The image, base64 without a data: prefix; write it to a temp file (wx.getFileSystemManager) to show, save or draw on a poster. */
  imageBase64: z.string(),
  /** True when made locally by the sandbox (a plain QR code of the scene, not a WeChat 小程序码). */
  sandbox: z.boolean(),
})

export const cards = {
  mine: action({
    summary: '我的名片（默认名片在前）',
    access: 'signedIn',
    input: z.strictObject({}),
    output: z.object({ cards: z.array(ownCardView), limit: z.number(), verified: z.boolean(), publicConsent: z.boolean() }),
    errors: [],
  }),
  get: action({
    summary: '我的一张名片（编辑用）',
    access: 'owner',
    input: z.strictObject({ cardId }),
    output: z.object({ card: ownCardView }),
    errors: [],
  }),
  create: action({
    summary: `新建名片（需实名认证；最多 ${CARD_LIMIT} 张，第一张为默认名片；经内容审核）`,
    access: 'verified',
    input: cardInput,
    output: z.object({ card: ownCardView }),
    errors: ['CARD_LIMIT', 'CONTENT_REFUSED', 'FEATURE_RESTRICTED'],
  }),
  update: action({
    summary: '修改名片（整张替换；需实名认证；经内容审核）',
    access: 'owner',
    input: z.strictObject({ cardId, card: cardInput }),
    output: z.object({ card: ownCardView }),
    errors: ['VERIFICATION_REQUIRED', 'CONTENT_REFUSED', 'FEATURE_RESTRICTED'],
  }),
  remove: action({
    summary: '删除名片（删除默认名片时，最早的另一张成为默认）',
    access: 'owner',
    input: z.strictObject({ cardId }),
    output: z.object({ removed: z.literal(true), defaultCardId: z.nullable(z.string()) }),
    errors: [],
  }),
  setDefault: action({
    summary: '设为默认名片',
    access: 'owner',
    input: z.strictObject({ cardId }),
    output: z.object({ card: ownCardView }),
    errors: [],
  }),
  qrCode: action({
    summary: '名片小程序码（wxacode.getUnlimited，scene 为 c=<名片编号>）',
    access: 'owner',
    input: z.strictObject({ cardId, width: z.optional(z.number().check(z.int(), z.minimum(280), z.maximum(1280))) }),
    output: qrCodeView,
    errors: [],
  }),
  view: action({
    summary: '名片落地页：按访客身份显示可见字段，并记录访问（无需注册）',
    access: 'anonymous',
    input: z.strictObject({ cardId }),
    output: z.object({
      card: cardFace,
      /** owner: my own card; exchanged: we exchanged cards; member: signed-in stranger; visitor: no account. */
      relation: z.enum(VIEWER_RELATIONS),
      /** For the owner only: the moderation status and why others may not see it. */
      own: z.nullable(z.object({ moderation: moderationView, shownToOthers: z.boolean(), hiddenNotice: z.nullable(z.string()) })),
      /** In my holder already. */
      saved: z.boolean(),
      /** A pending exchange between me and this card, if any. */
      exchange: z.nullable(z.object({ id: z.string(), status: z.enum(EXCHANGE_STATUSES), outgoing: z.boolean() })),
      visit: z.object({
        /** Recorded with my nickname for the owner (once a day). */
        recorded: z.boolean(),
        /** Counted only as an anonymous view. */
        counted: z.boolean(),
        /** What happened to this visit and how to change it, in Chinese, to show on the page. */
        notice: z.string(),
      }),
    }),
    errors: ['CARD_HIDDEN'],
  }),

  holderSave: action({
    summary: `保存名片到我的名片夹（最多 ${HOLDER_LIMIT} 张）`,
    access: 'signedIn',
    input: holderNoteInput,
    output: z.object({ item: holderItem }),
    errors: ['CARD_HIDDEN', 'HOLDER_FULL'],
  }),
  holderUpdate: action({
    summary: '修改名片夹中名片的备注和标签',
    access: 'signedIn',
    input: holderNoteInput,
    output: z.object({ item: holderItem }),
    errors: [],
  }),
  holderRemove: action({
    summary: '从名片夹移除',
    access: 'signedIn',
    input: z.strictObject({ cardId }),
    output: z.object({ removed: z.boolean() }),
    errors: [],
  }),
  holderList: action({
    summary: '我的名片夹（最近保存在前；可按姓名、公司、职位、备注、标签搜索，只搜我能看到的内容）',
    access: 'signedIn',
    input: z.strictObject({
      ...pageInput,
      q: z.optional(z.string().check(z.trim(), z.maxLength(SEARCH_MAX, `搜索词最多 ${SEARCH_MAX} 个字`))),
      tag: z.optional(tag),
    }),
    output: z.object({ items: z.array(holderItem), nextCursor, tags: z.array(z.string()) }),
    errors: [],
  }),

  exchangeRequest: action({
    summary: `用我的名片请求交换对方的名片（留言须通过内容安全审核，未通过则不发出请求；每天最多 ${EXCHANGE_DAILY_LIMIT} 个请求，被婉拒或撤回后 ${EXCHANGE_RETRY_HOURS} 小时内不能再向同一张名片发起）`,
    access: 'owner',
    input: z.strictObject({ myCardId: cardId, theirCardId: cardId, message: z.optional(singleLine('留言', EXCHANGE_MESSAGE_MAX)) }),
    output: z.object({ exchange: exchangeView }),
    errors: ['CARD_HIDDEN', 'NOT_PUBLISHED', 'CONSENT_REQUIRED', 'FEATURE_RESTRICTED', 'CONFLICT', 'CONTENT_REFUSED', 'RATE_LIMITED'],
  }),
  exchangeRespond: action({
    summary: '同意或婉拒交换名片请求（同意后双方互相可见「交换名片后可见」的字段，并保存到各自名片夹；对方名片不对他人展示时不能同意）',
    access: 'signedIn',
    input: z.strictObject({ exchangeId: id, accept: z.boolean() }),
    output: z.object({ exchange: exchangeView }),
    errors: ['CONFLICT', 'FEATURE_RESTRICTED', 'CARD_HIDDEN'],
  }),
  exchangeEnd: action({
    summary: '撤回我发出的交换请求，或解除已交换的名片',
    access: 'signedIn',
    input: z.strictObject({ exchangeId: id }),
    output: z.object({ exchange: exchangeView }),
    errors: ['CONFLICT'],
  }),
  exchangeList: action({
    summary: '交换名片请求（收到的 / 发出的，最新在前）',
    access: 'signedIn',
    input: z.strictObject({ ...pageInput, box: z.enum(['incoming', 'outgoing']), status: z.optional(z.enum(EXCHANGE_STATUSES)) }),
    output: z.object({ exchanges: z.array(exchangeView), nextCursor, pendingIncoming: z.number() }),
    errors: [],
  }),

  visitors: action({
    summary: '谁看过我的名片（已登记的访客，最新在前）',
    access: 'signedIn',
    input: z.strictObject({ ...pageInput, cardId: z.optional(cardId) }),
    output: z.object({ visitors: z.array(visitorView), nextCursor }),
    errors: [],
  }),
  visitStats: action({
    summary: '名片近 30 天每日访问量（北京时间，无访问的日子为 0）',
    access: 'signedIn',
    input: z.strictObject({ cardId: z.optional(cardId) }),
    output: z.object({ days: z.array(visitDay), totalVisitors: z.number(), totalAnonymous: z.number() }),
    errors: [],
  }),
  visitSettings: action({
    summary: '我的访问设置：访问他人名片时是否附上我的默认名片',
    access: 'signedIn',
    input: z.strictObject({}),
    output: visitSettingsView,
    errors: [],
  }),
  updateVisitSettings: action({
    summary: '修改访问设置',
    access: 'signedIn',
    input: z.strictObject({ shareCardOnVisit: z.boolean() }),
    output: visitSettingsView,
    errors: [],
  }),
}

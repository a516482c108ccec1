/**
 * Business cards: the fields, who may see each, the limits, and the QR scene.
 * Pure and shared: the cloud function enforces it, the mini-program shows it
 * and decodes the scene a scanned QR code opens the card page with.
 */

/** Cards one person may keep (e.g. two jobs). */
export const CARD_LIMIT = 5
/** Cards one person may keep in the holder (名片夹). */
export const HOLDER_LIMIT = 1000
/** Links on one card. */
export const LINK_LIMIT = 5
/** Tags on one saved card. */
export const TAG_LIMIT = 10

// ---- Text limits (characters as people count them, shared/rules/text visibleLength) ----

export const NAME_MAX = 20
export const TITLE_MAX = 30
export const COMPANY_MAX = 50
export const ADDRESS_MAX = 100
export const INTRO_MAX = 500
export const LINK_LABEL_MAX = 20
/** The holder's note on a saved card. */
export const NOTE_MAX = 500
/** One tag on a saved card. */
export const TAG_MAX = 10
export const EXCHANGE_MESSAGE_MAX = 100
/** The holder's search words. */
export const SEARCH_MAX = 50
/** Fields checked by their format: the most that may be typed. */
export const PHONE_MAX = 24
export const EMAIL_MAX = 100
export const WECHAT_ID_MAX = 20
export const LINK_URL_MAX = 300

/** The card's text fields, as stored and as edited ('' when empty). */
export const CARD_TEXT_FIELDS = ['name', 'title', 'company', 'phone', 'email', 'wechatId', 'address', 'intro'] as const
export type CardTextField = (typeof CARD_TEXT_FIELDS)[number]
export type CardTexts = Record<CardTextField, string>

/** The text fields of `card` alone, each through `map` (e.g. trimming). */
export function cardTextsOf(card: Readonly<CardTexts>, map: (value: string) => string = (value) => value): CardTexts {
  return {
    name: map(card.name),
    title: map(card.title),
    company: map(card.company),
    phone: map(card.phone),
    email: map(card.email),
    wechatId: map(card.wechatId),
    address: map(card.address),
    intro: map(card.intro),
  }
}

/** Fields whose visibility the owner chooses. The name is always shown with the card. */
export const VISIBILITY_FIELDS = ['title', 'company', 'phone', 'email', 'wechatId', 'address', 'intro', 'avatarUrl', 'links'] as const
export type VisibilityField = (typeof VISIBILITY_FIELDS)[number]

/**
 * - public: everyone who can see the card (also visitors without an account);
 * - exchanged: only people I exchanged cards with (this card);
 * - hidden: only me.
 */
export const FIELD_VISIBILITIES = ['public', 'exchanged', 'hidden'] as const
export type FieldVisibility = (typeof FIELD_VISIBILITIES)[number]

export const FIELD_VISIBILITY_LABELS: Record<FieldVisibility, string> = {
  public: '公开',
  exchanged: '交换名片后可见',
  hidden: '仅自己可见',
}

export const CARD_FIELD_LABELS: Record<VisibilityField | 'name', string> = {
  name: '姓名',
  title: '职位',
  company: '公司',
  phone: '电话',
  email: '邮箱',
  wechatId: '微信号',
  address: '地址',
  intro: '简介',
  avatarUrl: '头像',
  links: '链接',
}

/** Contact details are for people I exchanged cards with unless I say otherwise. */
export const DEFAULT_VISIBILITY: Record<VisibilityField, FieldVisibility> = {
  title: 'public',
  company: 'public',
  phone: 'exchanged',
  email: 'exchanged',
  wechatId: 'exchanged',
  address: 'exchanged',
  intro: 'public',
  avatarUrl: 'public',
  links: 'public',
}

/** Who looks at a card: its owner, someone who exchanged cards with it, or anyone else (signed in or not). */
export type CardViewer = 'owner' | 'exchanged' | 'public'

/** Whether `viewer` sees a field its owner gave this visibility. */
export function shownTo(visibility: FieldVisibility, viewer: CardViewer): boolean {
  if (viewer === 'owner') return true
  if (viewer === 'exchanged') return visibility !== 'hidden'
  return visibility === 'public'
}

/**
 * The filled fields `viewer` would see only after exchanging cards (what the
 * card says「交换名片后可见」about); none for the owner and who exchanged.
 */
export function exchangeOnlyFields(
  visibility: Readonly<Record<VisibilityField, FieldVisibility>>,
  viewer: CardViewer,
  filled: (field: VisibilityField) => boolean,
): VisibilityField[] {
  if (viewer !== 'public') return []
  return VISIBILITY_FIELDS.filter((field) => visibility[field] === 'exchanged' && filled(field))
}

/** Why others do not see a card now (the owner is told; others get CARD_HIDDEN). */
export const CARD_HIDDEN_REASONS = ['consent', 'moderation', 'account'] as const
export type CardHiddenReason = (typeof CARD_HIDDEN_REASONS)[number]

export const CARD_HIDDEN_REASON_LABELS: Record<CardHiddenReason, string> = {
  consent: '你尚未同意「公开展示我的名片」，名片已保存，但他人看不到。同意后即可公开。',
  moderation: '名片正在审核或未通过审核，通过前只有你能看到。',
  account: '你的账号当前状态下，名片对他人隐藏。',
}

/** Exchange requests one person may send per Beijing day (each one reaches someone's inbox). */
export const EXCHANGE_DAILY_LIMIT = 30
/** After a request is declined or withdrawn, hours before the same requester may ask for the same pair of cards again. */
export const EXCHANGE_RETRY_HOURS = 24

export const EXCHANGE_STATUSES = ['pending', 'accepted', 'declined', 'cancelled', 'ended'] as const
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number]

export const EXCHANGE_STATUS_LABELS: Record<ExchangeStatus, string> = {
  pending: '等待对方回应',
  accepted: '已交换',
  declined: '对方已婉拒',
  cancelled: '已撤回',
  ended: '已解除交换',
}

// ---- The card code and the QR scene -------------------------------------------------

/** Card ids are 10 characters of this alphabet (lower-case Crockford base32), short enough for a QR scene. */
export const CARD_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
export const CARD_CODE_LENGTH = 10
export const CARD_CODE_PATTERN = /^[0-9a-hjkmnp-tv-z]{10}$/

/** The page a card's QR code opens (wxacode.getUnlimited `page`, no leading slash). */
export const CARD_PAGE = 'pages/card/index'

/** wxacode.getUnlimited accepts at most 32 visible ASCII characters as the scene. */
export const SCENE_MAX = 32

export function isCardCode(value: string): boolean {
  return CARD_CODE_PATTERN.test(value)
}

/** `c=<card code>`: 12 characters, well within the 32 allowed. */
export function encodeCardScene(cardId: string): string {
  if (!isCardCode(cardId)) throw new Error('not a card code')
  return `c=${cardId}`
}

/**
 * The card code in a scene as the card page receives it: `options.scene` is
 * URL-encoded by WeChat (`c%3D…`), a raw `c=…` is accepted too. Null when it
 * is not a card scene.
 */
export function decodeCardScene(scene: string | undefined | null): string | null {
  if (typeof scene !== 'string' || scene.length === 0 || scene.length > SCENE_MAX * 3) return null
  let decoded: string
  try {
    decoded = decodeURIComponent(scene)
  } catch {
    return null
  }
  const match = /^c=([0-9a-z]{10})$/.exec(decoded)
  return match?.[1] !== undefined && isCardCode(match[1]) ? match[1] : null
}

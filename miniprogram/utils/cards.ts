/**
 * Business cards on the mini-program side: the pages' paths, what a card looks
 * like to someone (the landing page, the holder and the editor's live preview
 * all render the same view model through components/card-view), phone
 * contacts, and the editor's draft. Pure: no wx calls, no zod (only types come
 * from shared/contract/cards.ts; the limits and the visibility rules are
 * shared/cards.ts's, the same the backend applies).
 */
import {
  CARD_FIELD_LABELS,
  cardTextsOf,
  DEFAULT_VISIBILITY,
  exchangeOnlyFields,
  FIELD_VISIBILITIES,
  FIELD_VISIBILITY_LABELS,
  NAME_MAX,
  shownTo,
  VISIBILITY_FIELDS,
  decodeCardScene,
  isCardCode,
  type CardTexts,
  type CardViewer,
  type FieldVisibility,
  type VisibilityField,
} from '../../shared/cards'
import type { CardFace, CardInput, CardLink, OwnCardView, VisibilityView } from '../../shared/contract/cards'

// ---- Paths ------------------------------------------------------------------------------

/** The landing page (main package): what a QR code and a shared chat card open. */
export function cardPageUrl(cardId: string): string {
  return `/pages/card/index?id=${encodeURIComponent(cardId)}`
}

/** The landing page opened for its owner in 以陌生人身份预览 mode: the card as a stranger sees it. */
export function cardPreviewUrl(cardId: string): string {
  return `${cardPageUrl(cardId)}&preview=public`
}

export const MY_CARDS_URL = '/packageCards/pages/mine/index'
export const HOLDER_URL = '/packageCards/pages/holder/index'
export const VERIFY_URL = '/packageAccount/pages/verify/index'

export function editorUrl(cardId?: string): string {
  return cardId ? `/packageCards/pages/editor/index?cardId=${encodeURIComponent(cardId)}` : '/packageCards/pages/editor/index'
}

export function visitorsUrl(cardId?: string): string {
  return cardId ? `/packageCards/pages/visitors/index?cardId=${encodeURIComponent(cardId)}` : '/packageCards/pages/visitors/index'
}

/**
 * The card a page was opened for: the QR scene (`c%3D<id>` as WeChat passes it, or
 * a raw `c=<id>`) wins over `id` (a shared link). Null when neither is a card code.
 */
export function cardIdFromQuery(query: { scene?: string; id?: string } | undefined): string | null {
  if (!query) return null
  const fromScene = decodeCardScene(query.scene)
  if (fromScene) return fromScene
  const id = typeof query.id === 'string' ? safeDecode(query.id) : ''
  return isCardCode(id) ? id : null
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return ''
  }
}

// ---- What a card looks like -----------------------------------------------------------

export type RowAction = 'call' | 'copy'

export interface CardRow {
  key: VisibilityField
  label: string
  value: string
  action: RowAction
}

export interface LinkRow {
  key: string
  label: string
  url: string
}

/** What components/card-view renders. */
export interface CardViewModel {
  id: string
  name: string
  /** Shown in place of a missing avatar. */
  initial: string
  verified: boolean
  avatarUrl: string
  title: string
  company: string
  /** 职位 · 公司, or one of them. */
  headline: string
  /** Contact rows: phone, e-mail, WeChat id, address (only those shown and filled). */
  rows: CardRow[]
  intro: string
  links: LinkRow[]
  /** 「电话、邮箱交换名片后可见」, or ''. */
  exchangeOnlyText: string
  /** Everything read aloud at once by a screen reader. */
  ariaLabel: string
}

const CONTACT_FIELDS = ['phone', 'email', 'wechatId', 'address'] as const

function shown(value: string | null | undefined): string {
  return typeof value === 'string' ? value.trim() : ''
}

export function initialOf(name: string): string {
  return Array.from(name.trim())[0] ?? '名'
}

/** The fields that become visible after exchanging, in words. */
export function exchangeOnlyText(fields: readonly VisibilityField[]): string {
  if (fields.length === 0) return ''
  return `${fields.map((f) => CARD_FIELD_LABELS[f]).join('、')}交换名片后可见`
}

export function cardViewModel(face: CardFace): CardViewModel {
  const title = shown(face.title)
  const company = shown(face.company)
  const rows: CardRow[] = []
  for (const key of CONTACT_FIELDS) {
    const value = shown(face[key])
    if (value) rows.push({ key, label: CARD_FIELD_LABELS[key], value, action: key === 'phone' ? 'call' : 'copy' })
  }
  const links = face.links
    .filter((l) => shown(l.url))
    .map((l, index) => ({ key: String(index), label: shown(l.label) || shown(l.url), url: shown(l.url) }))
  const headline = [title, company].filter(Boolean).join(' · ')
  const exchangeOnly = exchangeOnlyText(face.exchangeOnly)
  const name = shown(face.name)
  const spoken = [
    `${name || '未填写姓名'}的名片`,
    face.verified ? '已实名认证' : '',
    headline,
    ...rows.map((r) => `${r.label}${r.value}`),
    exchangeOnly,
  ].filter(Boolean)
  return {
    id: face.id,
    name,
    initial: initialOf(name),
    verified: face.verified,
    avatarUrl: shown(face.avatarUrl),
    title,
    company,
    headline,
    rows,
    intro: shown(face.intro),
    links,
    exchangeOnlyText: exchangeOnly,
    ariaLabel: spoken.join('，'),
  }
}

export const EMPTY_CARD_VIEW: CardViewModel = {
  id: '',
  name: '',
  initial: '',
  verified: false,
  avatarUrl: '',
  title: '',
  company: '',
  headline: '',
  rows: [],
  intro: '',
  links: [],
  exchangeOnlyText: '',
  ariaLabel: '',
}

// ---- The editor's draft and its live preview ------------------------------------------

export interface CardDraft extends CardTexts {
  /** cloud:// or https:// once uploaded; '' for none. */
  avatarUrl: string
  links: CardLink[]
  visibility: VisibilityView
}

export function emptyDraft(): CardDraft {
  return {
    name: '',
    title: '',
    company: '',
    phone: '',
    email: '',
    wechatId: '',
    address: '',
    intro: '',
    avatarUrl: '',
    links: [],
    visibility: { ...DEFAULT_VISIBILITY },
  }
}

export function draftOf(card: OwnCardView): CardDraft {
  return {
    ...cardTextsOf(card),
    avatarUrl: card.avatarUrl ?? '',
    links: card.links.map((l) => ({ label: l.label, url: l.url })),
    visibility: { ...card.visibility },
  }
}

/** What the editor sends (create and update replace every field). */
export function inputOf(draft: CardDraft): CardInput {
  return {
    ...cardTextsOf(draft, (value) => value.trim()),
    avatarUrl: draft.avatarUrl ? draft.avatarUrl : null,
    links: draft.links.map((l) => ({ label: l.label.trim(), url: l.url.trim() })),
    visibility: { ...draft.visibility },
  }
}

/** Who the preview shows the card to. */
export type Audience = CardViewer

export const AUDIENCE_LABELS: Record<Audience, string> = {
  public: '陌生人看到的',
  exchanged: '交换名片后看到的',
  owner: '我自己看到的',
}

/**
 * The card as `audience` would see it, by the rules the backend applies
 * (shared/cards.ts): public fields for everyone, 交换名片后可见 fields once
 * exchanged, hidden ones only for me.
 */
export function previewFace(draft: CardDraft, options: { id: string; verified: boolean; audience: Audience }): CardFace {
  const { audience } = options
  const text = (field: Exclude<VisibilityField, 'links'>): string | null => {
    const value = field === 'avatarUrl' ? draft.avatarUrl : draft[field]
    return shownTo(draft.visibility[field], audience) && shown(value) ? shown(value) : null
  }
  const exchangeOnly = exchangeOnlyFields(draft.visibility, audience, (f) =>
    f === 'links' ? draft.links.some((l) => shown(l.url)) : shown(f === 'avatarUrl' ? draft.avatarUrl : draft[f]) !== '',
  )
  return {
    id: options.id,
    name: draft.name.trim(),
    verified: options.verified,
    avatarUrl: text('avatarUrl'),
    title: text('title'),
    company: text('company'),
    phone: text('phone'),
    email: text('email'),
    wechatId: text('wechatId'),
    address: text('address'),
    intro: text('intro'),
    links: shownTo(draft.visibility.links, audience) ? draft.links.filter((l) => shown(l.url)) : [],
    exchangeOnly,
  }
}

/** My card as a stranger sees it (public fields only), from the card as I own it. */
export function strangerFace(card: OwnCardView): CardFace {
  return previewFace(draftOf(card), { id: card.id, verified: card.verified, audience: 'public' })
}

/**
 * What every poster of a card shows: the stranger's face (a poster is passed
 * on to anyone), without links (a picture cannot open them) and without the
 * 「交换名片后可见」line. Never the owner's own view: phone, e-mail, WeChat id
 * and address are on a poster only when the owner made them public.
 */
export function posterFace(card: OwnCardView): CardFace {
  return { ...strangerFace(card), links: [], exchangeOnly: [] }
}

export interface VisibilityChoice {
  value: FieldVisibility
  label: string
}

export const VISIBILITY_CHOICES: VisibilityChoice[] = FIELD_VISIBILITIES.map((value) => ({ value, label: FIELD_VISIBILITY_LABELS[value] }))

export function isVisibilityField(value: string): value is VisibilityField {
  return (VISIBILITY_FIELDS as readonly string[]).includes(value)
}

export function isFieldVisibility(value: string): value is FieldVisibility {
  return (FIELD_VISIBILITIES as readonly string[]).includes(value)
}

/** Problems the page can see before sending; the server checks everything again. */
export function draftProblems(draft: CardDraft): Record<string, string> {
  const problems: Record<string, string> = {}
  if (!draft.name.trim()) problems.name = '请填写姓名'
  else if (Array.from(draft.name.trim()).length > NAME_MAX) problems.name = `姓名最多 ${NAME_MAX} 个字`
  draft.links.forEach((link, index) => {
    if (!link.label.trim()) problems[`links.${index}.label`] = '请填写链接名称'
    if (!/^https:\/\/\S+$/.test(link.url.trim())) problems[`links.${index}.url`] = '链接必须以 https:// 开头'
  })
  return problems
}

/**
 * Server issue paths → the editor's field keys: `card.name` (update) and `name`
 * (create) both become `name`; `links.1.url` stays; anything under `visibility`
 * goes to the form.
 */
export function fieldKeyOf(path: string): string {
  const bare = path.replace(/^card\./, '')
  if (bare === '' || bare.startsWith('visibility')) return 'form'
  if (/^links\.\d+\.(label|url)$/.test(bare)) return bare
  if (bare.startsWith('links')) return 'links'
  const head = bare.split('.')[0] ?? ''
  return head === 'avatarUrl' || head === 'name' || isVisibilityField(head) ? head : 'form'
}

/** Splits what the user typed into tags: by commas, 、, spaces; trimmed, distinct, non-empty. */
export function parseTags(text: string): string[] {
  const tags: string[] = []
  for (const raw of text.split(/[,，、\s]+/)) {
    const tag = raw.trim()
    if (tag && !tags.includes(tag)) tags.push(tag)
  }
  return tags
}

// ---- Phone contacts --------------------------------------------------------------------

/** wx.addPhoneContact with the fields the viewer can see (nothing else leaves the page). */
export function phoneContactOf(face: CardFace): WechatMiniprogram.AddPhoneContactOption {
  const contact: WechatMiniprogram.AddPhoneContactOption = { firstName: shown(face.name) }
  const set = (key: 'mobilePhoneNumber' | 'email' | 'weChatNumber' | 'organization' | 'title' | 'workAddressStreet' | 'remark' | 'url', value: string | null | undefined) => {
    const v = shown(value)
    if (v) contact[key] = v
  }
  set('mobilePhoneNumber', face.phone)
  set('email', face.email)
  set('weChatNumber', face.wechatId)
  set('organization', face.company)
  set('title', face.title)
  set('workAddressStreet', face.address)
  set('url', face.links[0]?.url)
  set('remark', '来自乐聊名片')
  return contact
}

/**
 * Who sees what of a card. The pure part: which fields a viewer of a given
 * relation sees. The reading part: whether others may see a card at all now
 * (published, the owner's「公开展示我的名片」consent for the notice in effect,
 * the owner's account shows content) and whether the card gets the 已实名
 * badge (its owner is verified and it carries their verified legal name) —
 * read per owner, in batches.
 */
import {
  CARD_HIDDEN_REASON_LABELS,
  cardTextsOf,
  DEFAULT_VISIBILITY,
  exchangeOnlyFields,
  shownTo,
  type CardHiddenReason,
  type CardViewer,
  type FieldVisibility,
  type VisibilityField,
} from '../../../shared/cards'
import type { CardFace, CardSummary, OwnCardView } from '../../../shared/contract/cards'
import { accounts, type AccountDoc } from '../accounts'
import { ageClassOf, isSatisfied, ledgerOf, standingOf } from '../consent/gate'
import { NO_DECISION } from '../consent/ledger'
import type { Context } from '../context'
import { PAGE_MAX } from '../db'
import { identities, nameRefOf } from '../identity/records'
import { documentCatalogue } from '../legal'
import { viewOfModeration } from '../moderation/gate'
import { visibleAuthors } from '../publishing'
import { cards, findIn, type CardDoc } from './store'

/** How the viewer stands to the card. */
export type Relation = 'owner' | 'exchanged' | 'member' | 'visitor'

/** Members and visitors are the public of shared/cards.ts's visibility rules. */
function viewerOf(relation: Relation): CardViewer {
  return relation === 'owner' || relation === 'exchanged' ? relation : 'public'
}

function filled(card: CardDoc, field: VisibilityField): boolean {
  const value = card[field]
  if (field === 'links') return Array.isArray(value) && value.length > 0
  return typeof value === 'string' && value.length > 0
}

/** Older or hand-made documents may lack fields: read them with the defaults. */
export function visibilityOf(card: CardDoc): Record<VisibilityField, FieldVisibility> {
  return { ...DEFAULT_VISIBILITY, ...(card.visibility ?? {}) }
}

function textOf(card: CardDoc, field: Exclude<VisibilityField, 'links' | 'avatarUrl'>): string {
  const value = card[field]
  return typeof value === 'string' ? value : ''
}

/** The card as a viewer of `relation` sees it: what they may not see is null ([] for links). */
export function faceOf(card: CardDoc, relation: Relation, verified: boolean): CardFace {
  const visibility = visibilityOf(card)
  const viewer = viewerOf(relation)
  const show = (field: Exclude<VisibilityField, 'links' | 'avatarUrl'>): string | null => {
    const value = textOf(card, field)
    return value.length > 0 && shownTo(visibility[field], viewer) ? value : null
  }
  return {
    id: card._id,
    name: card.name,
    verified,
    avatarUrl: card.avatarUrl && shownTo(visibility.avatarUrl, viewer) ? card.avatarUrl : null,
    title: show('title'),
    company: show('company'),
    phone: show('phone'),
    email: show('email'),
    wechatId: show('wechatId'),
    address: show('address'),
    intro: show('intro'),
    links: shownTo(visibility.links, viewer) ? (card.links ?? []).map(({ label, url }) => ({ label, url })) : [],
    exchangeOnly: exchangeOnlyFields(visibility, viewer, (field) => filled(card, field)),
  }
}

/** Public fields only, for lists (visitors, exchange requests). */
export function summaryOf(card: CardDoc, verified: boolean): CardSummary {
  const face = faceOf(card, 'member', verified)
  return { id: face.id, name: face.name, verified, avatarUrl: face.avatarUrl, title: face.title, company: face.company }
}

export interface OwnerFacts {
  /** The account is real-name verified. */
  verified: boolean
  /** The keyed reference of the verified legal name; null when unverified, or verified before references were kept. */
  nameRef: string | null
  /** The owner's account shows content (not dormant, frozen by staff, pending deletion …). */
  visible: boolean
  /** 「公开展示我的名片」is granted for the version of its notice in effect (read only for `consentOf` owners). */
  publicCard: boolean
  /** The account's birth date (under-14s grant through a guardian): for judging the consent again. */
  birthDate: string | null
}

/** Owners' consents are read this many at a time (one ledger query each). */
const CONSENT_READS_AT_ONCE = 20

/** The owners among `openids` whose content others may see: visibleAuthors, PAGE_MAX owners per query. */
export async function visibleOwners(ctx: Context, openids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(openids)]
  const visible = new Set<string>()
  for (let i = 0; i < unique.length; i += PAGE_MAX) for (const openid of await visibleAuthors(ctx, unique.slice(i, i + PAGE_MAX))) visible.add(openid)
  return visible
}

/**
 * Per owner, read once however many of their cards are shown: verification and
 * the name reference (the badge), whether their content is shown, and — for the
 * owners in `consentOf` — the public-card consent for the current notice.
 */
export async function ownerFacts(ctx: Context, openids: readonly string[], consentOf: ReadonlySet<string> = new Set()): Promise<Map<string, OwnerFacts>> {
  const unique = [...new Set(openids)]
  const facts = new Map<string, OwnerFacts>()
  if (unique.length === 0) return facts
  const [found, visible, named] = await Promise.all([
    findIn(ctx.db, accounts(ctx.db), 'openid', unique, { fields: { openid: true, verifiedAt: true, birthDate: true } }),
    visibleOwners(ctx, unique),
    findIn(ctx.db, identities(ctx.db), 'openid', unique, { fields: { openid: true, nameRef: true } }),
  ])
  const nameRefs = new Map(named.map((identity) => [identity.openid, identity.nameRef ?? null]))
  const asking = found.filter((account) => consentOf.has(account.openid))
  const granted = new Set<string>()
  for (let i = 0; i < asking.length; i += CONSENT_READS_AT_ONCE) {
    await Promise.all(
      asking.slice(i, i + CONSENT_READS_AT_ONCE).map(async (account) => {
        if (await consentGranted(ctx, { openid: account.openid, birthDate: account.birthDate ?? null }, 'publicCard')) granted.add(account.openid)
      }),
    )
  }
  for (const account of found) {
    const verified = account.verifiedAt !== null && account.verifiedAt !== undefined
    facts.set(account.openid, {
      verified,
      nameRef: verified ? (nameRefs.get(account.openid) ?? null) : null,
      visible: visible.has(account.openid),
      publicCard: granted.has(account.openid),
      birthDate: account.birthDate ?? null,
    })
  }
  return facts
}

/** Whether `subject` has granted `purpose` for the version in effect (the same test as the consent gate). */
export async function consentGranted(ctx: Context, subject: Pick<AccountDoc, 'openid' | 'birthDate'>, purpose: 'publicCard' | 'personalization'): Promise<boolean> {
  const [decisions, catalogue] = await Promise.all([ledgerOf(ctx).decisions(subject.openid, [purpose]), documentCatalogue(ctx.db)])
  const standing = standingOf(purpose, decisions.get(purpose) ?? NO_DECISION, catalogue, ctx.now)
  return isSatisfied(standing, ageClassOf(subject, ctx.now) === 'under14')
}

/**
 * The `consentHidden` flags of owners who have granted the consent again are
 * cleared (the flag records that the consent went missing: at a save without
 * it, or by its withdrawal). Only this path clears it, and it looks again after
 * clearing: a withdrawal that landed meanwhile sets the flags back. What
 * others see never rests on the flag alone: displayOf judges the consent itself.
 */
export async function settleConsentFlags(ctx: Context, owners: readonly Pick<AccountDoc, 'openid' | 'birthDate'>[]): Promise<void> {
  await Promise.all(
    owners.map(async (owner) => {
      const cleared = await cards(ctx.db).updateWhere({ ownerOpenid: owner.openid, consentHidden: true }, { consentHidden: false })
      if (cleared > 0 && !(await consentGranted(ctx, owner, 'publicCard'))) {
        await cards(ctx.db).updateWhere({ ownerOpenid: owner.openid }, { consentHidden: true })
      }
    }),
  )
}

/** Why others cannot see the card now, or null when they can. */
export function hiddenReasonOf(card: CardDoc, owner: OwnerFacts | undefined, consentOk: boolean): CardHiddenReason | null {
  if (card.moderation?.state !== 'published') return 'moderation'
  if (!consentOk) return 'consent'
  if (!owner?.visible) return 'account'
  return null
}

export interface Displayed {
  card: CardDoc
  /** The 已实名 badge: the owner is verified and the card carries their verified legal name. */
  verified: boolean
  /** The owner is verified, whatever name the card carries (for the owner's own views). */
  ownerVerified: boolean
  hidden: CardHiddenReason | null
}

/** The badge: a verified owner's card whose name is their verified legal name (compared by keyed reference). */
export function badgeOf(ctx: Pick<Context, 'config'>, card: Pick<CardDoc, 'name'>, owner: OwnerFacts | undefined): boolean {
  return owner?.verified === true && owner.nameRef !== null && owner.nameRef === nameRefOf(ctx.config, card.name)
}

/**
 * For each card (in order): the owner's badge and whether others may see it
 * now. The public-card consent is judged for every owner of a published card
 * against the notice in effect — the same rule as exchangeRequest's
 * requireConsent — so a new version of the notice hides cards until it is
 * granted again, flagged or not.
 */
export async function displayOf(ctx: Context, list: readonly CardDoc[]): Promise<Displayed[]> {
  const published = new Set(list.filter((c) => c.moderation?.state === 'published').map((c) => c.ownerOpenid))
  const facts = await ownerFacts(ctx, list.map((c) => c.ownerOpenid), published)
  const settled = new Map<string, Pick<AccountDoc, 'openid' | 'birthDate'>>()
  for (const card of list) {
    const owner = facts.get(card.ownerOpenid)
    if (card.consentHidden && owner?.publicCard) settled.set(card.ownerOpenid, { openid: card.ownerOpenid, birthDate: owner.birthDate })
  }
  await settleConsentFlags(ctx, [...settled.values()])
  return list.map((card) => {
    const owner = facts.get(card.ownerOpenid)
    return {
      card,
      verified: badgeOf(ctx, card, owner),
      ownerVerified: owner?.verified ?? false,
      hidden: hiddenReasonOf(card, owner, owner?.publicCard ?? false),
    }
  })
}

export function ownViewOf({ card, verified, ownerVerified, hidden }: Displayed): OwnCardView {
  return {
    id: card._id,
    isDefault: card.isDefault,
    ...cardTextsOf(card),
    avatarUrl: card.avatarUrl,
    links: card.links.map(({ label, url }) => ({ label, url })),
    visibility: visibilityOf(card),
    verified,
    ownerVerified,
    moderation: viewOfModeration(card.moderation),
    shownToOthers: hidden === null,
    hiddenReason: hidden,
    hiddenNotice: hidden ? CARD_HIDDEN_REASON_LABELS[hidden] : null,
    createdAt: card.createdAt.toISOString(),
    updatedAt: card.updatedAt.toISOString(),
  }
}

/**
 * Who sees what of a card. The pure part: which fields a viewer of a given
 * relation sees. The reading part: whether others may see a card at all now
 * (published, the owner's「公开展示我的名片」consent, the owner's account shows
 * content) and whether its owner is verified — read per owner, in batches.
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
import { accounts, normalizeAccount, type AccountDoc } from '../accounts'
import { ageClassOf, isSatisfied, ledgerOf, standingOf } from '../consent/gate'
import { NO_DECISION } from '../consent/ledger'
import type { Context } from '../context'
import { documentCatalogue } from '../legal'
import { viewOfModeration } from '../moderation/gate'
import { visibleAuthors } from '../publishing'
import { cards, type CardDoc } from './store'

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
  verified: boolean
  /** The owner's account shows content (not dormant, frozen by staff, pending deletion …). */
  visible: boolean
}

/** Per owner: verified (the badge) and whether their content is shown (visibleAuthors). */
export async function ownerFacts(ctx: Context, openids: readonly string[]): Promise<Map<string, OwnerFacts>> {
  const unique = [...new Set(openids)]
  const facts = new Map<string, OwnerFacts>()
  if (unique.length === 0) return facts
  const [found, visible] = await Promise.all([
    accounts(ctx.db).find({ openid: ctx.db.cmd.in(unique) }, { limit: unique.length, fields: { openid: true, verifiedAt: true } }),
    visibleAuthors(ctx, unique),
  ])
  for (const account of found) facts.set(account.openid, { verified: account.verifiedAt !== null && account.verifiedAt !== undefined, visible: visible.has(account.openid) })
  return facts
}

/** Whether `subject` has granted `purpose` for the version in effect (the same test as the consent gate). */
export async function consentGranted(ctx: Context, subject: Pick<AccountDoc, 'openid' | 'birthDate'>, purpose: 'publicCard' | 'personalization'): Promise<boolean> {
  const [decisions, catalogue] = await Promise.all([ledgerOf(ctx).decisions(subject.openid, [purpose]), documentCatalogue(ctx.db)])
  const standing = standingOf(purpose, decisions.get(purpose) ?? NO_DECISION, catalogue, ctx.now)
  return isSatisfied(standing, ageClassOf(subject, ctx.now) === 'under14')
}

/**
 * Consent on read: a card flagged `consentHidden` (saved without the consent,
 * or hidden by its withdrawal) is shown again as soon as the owner has granted
 * it — the flag is then cleared on all the owner's cards. Unflagged cards are
 * trusted: withdrawal flags them at once.
 */
export async function settleConsent(ctx: Context, flaggedOwners: readonly string[]): Promise<Set<string>> {
  const granted = new Set<string>()
  const unique = [...new Set(flaggedOwners)]
  if (unique.length === 0) return granted
  const owners = await accounts(ctx.db).find({ openid: ctx.db.cmd.in(unique) }, { limit: unique.length })
  await Promise.all(
    owners.map(async (doc) => {
      const owner = normalizeAccount(doc)
      if (!(await consentGranted(ctx, owner, 'publicCard'))) return
      granted.add(owner.openid)
      await cards(ctx.db).updateWhere({ ownerOpenid: owner.openid, consentHidden: true }, { consentHidden: false })
    }),
  )
  return granted
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
  verified: boolean
  hidden: CardHiddenReason | null
}

/** For each card (in order): the owner's badge and whether others may see it now. */
export async function displayOf(ctx: Context, list: readonly CardDoc[]): Promise<Displayed[]> {
  const [facts, granted] = await Promise.all([
    ownerFacts(ctx, list.map((c) => c.ownerOpenid)),
    settleConsent(
      ctx,
      list.filter((c) => c.consentHidden && c.moderation?.state === 'published').map((c) => c.ownerOpenid),
    ),
  ])
  return list.map((card) => {
    const owner = facts.get(card.ownerOpenid)
    const consentOk = !card.consentHidden || granted.has(card.ownerOpenid)
    return { card, verified: owner?.verified ?? false, hidden: hiddenReasonOf(card, owner, consentOk) }
  })
}

export function ownViewOf(card: CardDoc, verified: boolean, hidden: CardHiddenReason | null): OwnCardView {
  return {
    id: card._id,
    isDefault: card.isDefault,
    ...cardTextsOf(card),
    avatarUrl: card.avatarUrl,
    links: card.links.map(({ label, url }) => ({ label, url })),
    visibility: visibilityOf(card),
    verified,
    moderation: viewOfModeration(card.moderation),
    shownToOthers: hidden === null,
    hiddenReason: hidden,
    hiddenNotice: hidden ? CARD_HIDDEN_REASON_LABELS[hidden] : null,
    createdAt: card.createdAt.toISOString(),
    updatedAt: card.updatedAt.toISOString(),
  }
}

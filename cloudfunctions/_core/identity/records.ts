/**
 * What real-name verification keeps, and nothing more: sealed name and ID
 * number, the blind index that makes one person one account, the provider's
 * verification id, outcome and time. No face image, template or score is ever
 * received or stored.
 */
import type { PurposeId } from '../../../shared/consent'
import type { IdentityProviderId } from '../../../shared/contract/identity'
import { COLLECTIONS } from '../collections'
import type { Config } from '../config'
import type { Context } from '../context'
import type { Collection, Doc, Store } from '../db'
import { keyedRef, type Sealed } from './crypto'

export interface IdentityDoc extends Doc {
  /** Unique: one identity per account. */
  openid: string
  nameSealed: Sealed
  idNumberSealed: Sealed
  /** Blind index of the ID number, unique: one account per person. */
  idIndex: string
  provider: IdentityProviderId
  verificationId: string
  result: 'passed'
  /** The provider's own code, for operators. */
  providerCode: string
  verifiedAt: Date
  /** YYYY-MM-DD from the ID number; also written to the account as the verified birth date. */
  birthDate: string
  /**
   * The masked forms (王*明, 1101**********123X), made once at binding so that
   * functions without the keyring (the export) can show the owner what is held.
   */
  maskedName?: string
  maskedIdNumber?: string
  /**
   * The `legal-name` keyed reference of the verified name (nameRefOf), made at
   * binding so that functions without the keyring can tell whether a card
   * carries the legal name (the 已实名 badge) without ever opening it. Missing
   * on identities bound before it was kept: the identity function fills it in
   * (identity.status, and its daily timer); until then no card gets the badge.
   */
  nameRef?: string
}

/**
 * A person's name as compared for the badge: Unicode NFKC (full-width letters,
 * compatibility forms), no whitespace at all, every middle-dot variant of
 * minority and foreign names (·・•‧∙⋅) as one「·」, Latin letters lower-cased.
 * 王 小明 and 王小明 are the same name; 王小明 and 王晓明 are not.
 */
export function normalizePersonName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/[\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65]/gu, '\u00b7')
    .toLowerCase()
}

/**
 * The keyed reference of a name (HMAC under the product's blind-index key, its
 * own `legal-name` domain): the identity function stores it for the verified
 * name, the cards function computes it for a card's name; equal references
 * mean equal names, and neither reveals the name to anyone without the key.
 */
export function nameRefOf(config: Pick<Config, 'blindIndexKey'>, name: string): string {
  return keyedRef(config.blindIndexKey, 'legal-name', normalizePersonName(name))
}

export type AttemptResult = 'passed' | 'failed' | 'bound' | 'invalid'

/** The three separate consents real-name verification rests on (PIPL Art. 23, 29). */
export const VERIFICATION_PURPOSES: readonly PurposeId[] = ['idNumber', 'face', 'partnerSharing']

/**
 * `verify` binds a new identity; `recheck` proves that the verified owner is the
 * one holding the phone before a step that is hard to undo. Older documents
 * without the field are verifications.
 */
export type AttemptPurpose = 'verify' | 'recheck'

/** How long a passed re-check may be spent (once) on unfreezing or deletion. */
export const RECHECK_VALID_MS = 10 * 60 * 1000

/** A verification between start and complete. */
export interface IdentityAttemptDoc extends Doc {
  openid: string
  /** Unique; the provider's id, given to the client. */
  verificationId: string
  /** Name and ID number as entered, sealed for the result call; dropped once used or expired. */
  subject: { name: Sealed; idNumber: Sealed } | null
  provider: IdentityProviderId
  createdAt: Date
  expiresAt: Date
  /** Set once, atomically, by the one complete that settles the attempt. */
  usedAt: Date | null
  result: AttemptResult | null
  providerCode: string | null
  /** With result 'bound': the account that already holds the ID (for staff, never shown to the caller). */
  boundTo: string | null
  purpose?: AttemptPurpose
  /** A passed re-check is spent once, by the step it was asked for. */
  consumedAt?: Date | null
}

/** The staff queue of impersonation reports (冒用申诉). */
export interface ImpersonationReportDoc extends Doc {
  reporter: string
  /** The account holding the ID the reporter proved with their face. */
  holder: string
  /** Unique: one report per refused verification. */
  verificationId: string
  reason: string
  status: 'open' | 'resolved' | 'rejected'
  createdAt: Date
}

/** The start counter of one account: `count` starts since `windowStart`. */
export interface StartCounterDoc extends Doc {
  openid: string
  windowStart: Date
  count: number
}

export function identities(db: Store): Collection<IdentityDoc> {
  return db.collection<IdentityDoc>(COLLECTIONS.identities)
}

export function identityAttempts(db: Store): Collection<IdentityAttemptDoc> {
  return db.collection<IdentityAttemptDoc>(COLLECTIONS.identityAttempts)
}

export function impersonationReports(db: Store): Collection<ImpersonationReportDoc> {
  return db.collection<ImpersonationReportDoc>(COLLECTIONS.impersonationReports)
}

export function startCounters(db: Store): Collection<StartCounterDoc> {
  return db.collection<StartCounterDoc>(COLLECTIONS.counters)
}

export function startCounterId(openid: string): string {
  return `identity-start:${openid}`
}

/**
 * Spends a passed re-check of `openid` for one step: true once, while it is
 * fresh; a conditional update, so two steps racing cannot both spend it.
 */
export async function spendRecheck(ctx: Pick<Context, 'db' | 'now'>, openid: string, verificationId: string): Promise<boolean> {
  const { cmd } = ctx.db
  const spent = await identityAttempts(ctx.db).updateWhere(
    {
      verificationId,
      openid,
      purpose: 'recheck',
      result: 'passed',
      usedAt: cmd.gte(new Date(ctx.now.getTime() - RECHECK_VALID_MS)),
      consumedAt: null,
    },
    { consumedAt: ctx.now },
  )
  return spent > 0
}

/**
 * Removes a person's identity and every pending verification (which holds
 * their sealed name and ID number). Used when a real-name consent is withdrawn
 * and when the account is erased; idempotent. Returns how many identities went.
 */
export async function removeIdentityData(ctx: Pick<Context, 'db'>, openid: string): Promise<number> {
  const removed = await identities(ctx.db).removeWhere({ openid })
  await identityAttempts(ctx.db).removeWhere({ openid })
  return removed
}

/**
 * Everything of real-name verification held about a person, for account
 * erasure: identity, pending verifications, the start counter, and the
 * impersonation reports they filed. Reports filed against them lose the link
 * to the erased account. Idempotent.
 */
export async function eraseIdentityData(ctx: Pick<Context, 'db'>, openid: string): Promise<void> {
  await removeIdentityData(ctx, openid)
  await startCounters(ctx.db).remove(startCounterId(openid))
  await impersonationReports(ctx.db).removeWhere({ reporter: openid })
  await impersonationReports(ctx.db).updateWhere({ holder: openid }, { holder: 'erased' })
}

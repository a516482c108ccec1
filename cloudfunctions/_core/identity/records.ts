/**
 * What real-name verification keeps, and nothing more: sealed name and ID
 * number, the blind index that makes one person one account, the provider's
 * verification id, outcome and time. No face image, template or score is ever
 * received or stored.
 */
import type { IdentityProviderId } from '../../../shared/contract/identity'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Collection, Doc, Store } from '../db'
import type { Sealed } from './crypto'

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
}

export type AttemptResult = 'passed' | 'failed' | 'bound' | 'invalid'

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

import type { AccountState } from '../../shared/account'
import { pendingSteps, type PendingStep } from '../../shared/account'
import type { Role } from '../../shared/access'
import type { AccountView } from '../../shared/contract/account'
import { effectiveState, type FeatureBan, type TimedFacts } from '../../shared/rules/lifecycle'
import { COLLECTIONS } from './collections'
import type { Collection, Doc, Store } from './db'

export interface AccountDoc extends Doc {
  /** The WeChat openid; on erasure, a keyed pseudonym (`erased:…`) so a returning user starts fresh. */
  openid: string
  /** The stored state: timed states may have ended already (see `effectiveState`). */
  state: AccountState
  roles: Role[]
  nickname: string
  avatarUrl: string | null
  createdAt: Date
  updatedAt: Date
  lastActiveAt: Date
  /** Last `account.login`: re-confirmation of sensitive actions asks for a recent one. */
  lastLoginAt: Date | null
  /** YYYY-MM-DD (Beijing); decides the age class. Agreement acceptance is not stored here: the consent ledger is its truth. */
  birthDate: string | null
  /** Declared once at registration (not re-declarable), or read from a verified ID number. */
  birthDateSource: 'declared' | 'verified' | null
  verifiedAt: Date | null

  /** The statement of reasons of the transition into the current state. */
  stateReason: string | null
  /** End of a suspension, or of the last feature ban of a restriction. */
  stateUntil: Date | null
  stateChangedAt: Date | null
  /** Incremented by every transition: the condition of the next one, so two staff actions cannot interleave. */
  stateVersion: number
  bans: FeatureBan[]
  /** Other domains hide this person's published content while set (dormant, pending deletion, frozen by staff …). */
  contentHidden: boolean
  deletionRequestedAt: Date | null
  /** Erasure begins at this time unless cancelled. */
  deletionDueAt: Date | null
  /** `running` from the moment erasure claims the account until its tombstone is written. */
  erasure: 'running' | 'done' | null
  /** Dormancy notices (days before) sent for the inactivity that began at `dormancyNoticeBasis`. */
  dormancyNoticesSent: number[]
  dormancyNoticeBasis: Date | null
  lastDormancyNoticeAt: Date | null
}

/** The nickname an account starts with, and goes back to when staff reset a profile. */
export function defaultNickname(id: string): string {
  return `乐聊用户${id.slice(-4).toUpperCase()}`
}

/** The lifecycle fields of a new account. */
export function freshLifecycle(): Pick<
  AccountDoc,
  | 'lastLoginAt'
  | 'stateReason'
  | 'stateUntil'
  | 'stateChangedAt'
  | 'stateVersion'
  | 'bans'
  | 'contentHidden'
  | 'deletionRequestedAt'
  | 'deletionDueAt'
  | 'erasure'
  | 'dormancyNoticesSent'
  | 'dormancyNoticeBasis'
  | 'lastDormancyNoticeAt'
> {
  return {
    lastLoginAt: null,
    stateReason: null,
    stateUntil: null,
    stateChangedAt: null,
    stateVersion: 0,
    bans: [],
    contentHidden: false,
    deletionRequestedAt: null,
    deletionDueAt: null,
    erasure: null,
    dormancyNoticesSent: [],
    dormancyNoticeBasis: null,
    lastDormancyNoticeAt: null,
  }
}

/** Accounts written before the lifecycle fields existed read as if they had the defaults. */
export function normalizeAccount(doc: AccountDoc): AccountDoc {
  const stored = doc as Partial<AccountDoc> & AccountDoc
  return { ...freshLifecycle(), ...stored, bans: Array.isArray(stored.bans) ? stored.bans : [], stateVersion: stored.stateVersion ?? 0 }
}

export function accounts(db: Store): Collection<AccountDoc> {
  return db.collection<AccountDoc>(COLLECTIONS.accounts)
}

export async function findAccount(db: Store, openid: string): Promise<AccountDoc | null> {
  const doc = await accounts(db).findOne({ openid })
  return doc ? normalizeAccount(doc) : null
}

export async function accountById(db: Store, id: string): Promise<AccountDoc | null> {
  const doc = await accounts(db).byId(id)
  return doc ? normalizeAccount(doc) : null
}

export function timedFacts(doc: AccountDoc): TimedFacts {
  return { state: doc.state, stateUntil: doc.stateUntil, bans: doc.bans }
}

/** The state as the person experiences it now (an ended suspension is over even before the timer tidies it). */
export function stateOf(doc: AccountDoc, now: Date): AccountState {
  return effectiveState(timedFacts(doc), now)
}

export function toAccountView(doc: AccountDoc, now?: Date): AccountView {
  return {
    id: doc._id,
    state: now ? stateOf(doc, now) : doc.state,
    roles: doc.roles,
    nickname: doc.nickname,
    avatarUrl: doc.avatarUrl,
    verified: doc.verifiedAt !== null,
    createdAt: doc.createdAt.toISOString(),
  }
}

/** `agreementAccepted` comes from the consent gate (the ledger), never from the account document. */
export function pendingOf(doc: AccountDoc, agreementAccepted: boolean): PendingStep[] {
  return pendingSteps({ agreementAccepted, verified: doc.verifiedAt !== null })
}

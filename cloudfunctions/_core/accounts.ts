import type { AccountState } from '../../shared/account'
import { pendingSteps, type PendingStep } from '../../shared/account'
import type { Role } from '../../shared/access'
import type { AccountView } from '../../shared/contract/account'
import { COLLECTIONS } from './collections'
import type { Collection, Doc, Store } from './db'

export interface AccountDoc extends Doc {
  openid: string
  state: AccountState
  roles: Role[]
  nickname: string
  avatarUrl: string | null
  createdAt: Date
  updatedAt: Date
  lastActiveAt: Date
  /** YYYY-MM-DD (Beijing); decides the age class. Agreement acceptance is not stored here: the consent ledger is its truth. */
  birthDate: string | null
  /** Declared once at registration (not re-declarable), or read from a verified ID number. */
  birthDateSource: 'declared' | 'verified' | null
  verifiedAt: Date | null
}

export function accounts(db: Store): Collection<AccountDoc> {
  return db.collection<AccountDoc>(COLLECTIONS.accounts)
}

export function findAccount(db: Store, openid: string): Promise<AccountDoc | null> {
  return accounts(db).findOne({ openid })
}

export function toAccountView(doc: AccountDoc): AccountView {
  return {
    id: doc._id,
    state: doc.state,
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

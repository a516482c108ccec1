/** Requests to correct fields locked by real-name verification (PIPL Art. 46): a staff queue. */
import type { CorrectionField, CorrectionStatus } from '../../shared/account'
import type { CorrectionView } from '../../shared/contract/account'
import type { StaffCorrectionView } from '../../shared/contract/admin'
import { COLLECTIONS } from './collections'
import type { Collection, Doc, Store } from './db'

export interface CorrectionRequestDoc extends Doc {
  /** The person's openid; a pseudonym after erasure. */
  subject: string
  accountId: string
  field: CorrectionField
  /** The person's explanation. */
  note: string
  status: CorrectionStatus
  createdAt: Date
  resolvedAt: Date | null
  /** The staff member's statement of reasons. */
  resolution: string | null
  /** Unique: `<accountId>:<field>` while open (one open request per field), `…:<id>` once resolved. */
  openKey: string
}

export function correctionRequests(db: Store): Collection<CorrectionRequestDoc> {
  return db.collection<CorrectionRequestDoc>(COLLECTIONS.correctionRequests)
}

export function toCorrectionView(doc: CorrectionRequestDoc): CorrectionView {
  return {
    id: doc._id,
    field: doc.field,
    note: doc.note,
    status: doc.status,
    createdAt: doc.createdAt.toISOString(),
    resolvedAt: doc.resolvedAt?.toISOString() ?? null,
    resolution: doc.resolution,
  }
}

export function toStaffCorrectionView(doc: CorrectionRequestDoc): StaffCorrectionView {
  return { ...toCorrectionView(doc), accountId: doc.accountId }
}

/** Only one open request per field: the key is unique while open and made unique per request once resolved. */
export function openKeyOf(accountId: string, field: string): string {
  return `${accountId}:${field}`
}

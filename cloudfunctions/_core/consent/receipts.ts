/**
 * Consent receipts a person can download and keep, and the operator's proof of
 * what someone had agreed to at a given time — both read from the ledger.
 */
import { randomUUID } from 'node:crypto'
import { LOGIN_SHARING, PURPOSE_IDS, PURPOSES, type DocumentId, type PurposeId, type PurposeState } from '../../../shared/consent'
import type { ConsentReceipt } from '../../../shared/contract/consent'
import type { Config } from '../config'
import type { DocumentCatalogue } from '../legal'
import type { ConsentRecordDoc } from './ledger'
import { subjectRefOf } from './ledger'
import { STATE_AFTER } from './status'

export function buildReceipt(config: Config, catalogue: DocumentCatalogue, subject: string, records: readonly ConsentRecordDoc[], now: Date): ConsentReceipt {
  const { operator } = config
  return {
    receiptVersion: 'lechat-consent-receipt/1',
    receiptId: randomUUID(),
    issuedAt: now.toISOString(),
    jurisdiction: 'CN',
    legalFramework: 'PIPL',
    controller: { name: operator.name, contact: [operator.email, operator.contact, operator.address].filter(Boolean).join('；') },
    subject: { reference: records[0]?.subjectRef ?? subjectRefOf(config, subject) },
    records: records.map((r) => {
      const purpose = PURPOSES[r.purpose]
      return {
        recordId: r._id,
        seq: r.seq,
        purpose: r.purpose,
        ...(r.recipient ? { recipient: r.recipient } : {}),
        purposeTitle: purpose.title,
        legalBasis: purpose.basis,
        categories: [...purpose.categories],
        sensitive: purpose.sensitive,
        notice: { docId: r.docId, title: catalogue.titleOf(r.docId, r.version), version: r.version, hash: r.hash },
        action: r.action,
        stateAfter: STATE_AFTER[r.action],
        method: r.method,
        guardian: r.guardian,
        at: r.at.toISOString(),
        prevHash: r.prevHash,
        recordHash: r.recordHash,
      }
    }),
  }
}

export interface ProvenPurpose {
  purpose: PurposeId
  state: PurposeState
  docId: DocumentId | null
  version: string | null
  hash: string | null
  at: string | null
}

/** Each purpose's state as of `at`, replayed from the records alone (oldest first). */
export function replayAsOf(records: readonly ConsentRecordDoc[], at: Date): ProvenPurpose[] {
  const last = new Map<PurposeId, ConsentRecordDoc>()
  // Login-service sharing is decided per organization: the grants view (oidc.grants) shows it, not this replay.
  for (const record of records) if (record.at <= at && record.purpose !== LOGIN_SHARING) last.set(record.purpose, record)
  return PURPOSE_IDS.map((purpose) => {
    const r = last.get(purpose)
    return r
      ? { purpose, state: STATE_AFTER[r.action], docId: r.docId, version: r.version, hash: r.hash, at: r.at.toISOString() }
      : { purpose, state: 'none', docId: null, version: null, hash: null, at: null }
  })
}

/**
 * The consent ledger: one append-only, hash-chained sequence of decisions per
 * person. Every grant, refusal and withdrawal is a new record naming the exact
 * document version and hash shown; nothing is ever updated or removed through
 * this module, and `verifyChain` finds any record changed behind its back.
 *
 * Account erasure keeps these records but replaces `subject` (the openid)
 * with `erased:<subjectRef>:<accountId>` (`consentErasure`, the one write here
 * that is not an append; the account id keeps a returning person's second
 * ledger apart from the first). What stays is the minimum needed to
 * prove consent: purpose, action, method, document id + version + hash, time,
 * the guardian's relation, masked name and keyed reference (already minimized),
 * the keyed pseudonym `subjectRef`, and the chain hashes. The hash covers
 * `subjectRef`, not the openid, so the chain still verifies after erasure.
 */
import type { ConsentAction, ConsentMethod, DocumentId, GuardianRelation, LedgerPurpose, PurposeId } from '../../../shared/consent'
import { COLLECTIONS } from '../collections'
import type { Config } from '../config'
import type { ErasureRule } from '../data-rules'
import { appendOnly, PAGE_MAX, type AppendOnlyCollection, type Doc, type Store } from '../db'
import { fail, isDuplicateKey } from '../errors'
import { keyedRef } from '../identity/crypto'
import { orderedId } from '../ids'
import { sha256Hex } from '../legal'

export interface GuardianFacts {
  relation: GuardianRelation
  /** 张* — never the full name. */
  maskedName: string
  /** The `guardian-id-number` keyed reference of the ID number — never the number itself. */
  identityRef: string
}

export interface ConsentRecordDoc extends Doc {
  /** The person's openid (what queries use); replaced by a pseudonym on erasure. */
  subject: string
  /** Keyed pseudonym of the person; the chain is computed over this, not the openid. */
  subjectRef: string
  /** 1, 2, 3 … per subject; unique with `subject`, which serializes concurrent appends. */
  seq: number
  purpose: LedgerPurpose
  /** Login-service sharing only: the organization that received the claims (part of the hash). */
  recipient?: Recipient | null
  action: ConsentAction
  method: ConsentMethod
  docId: DocumentId
  version: string
  /** Hash of the document version the person was shown. */
  hash: string
  /** Server time. */
  at: Date
  guardian: GuardianFacts | null
  prevHash: string
  recordHash: string
  /**
   * The person's decisions after this record, purpose by purpose: what a
   * replay of the ledger up to here gives, written by the same write that
   * appends the record, so the newest record alone says where things stand.
   * Not part of the hash (it follows from the records); absent on records
   * written before it existed, where `decisions` replays instead.
   */
  current?: ConsentProjection
}

/** A record as the projection keeps it: without the subject (replaced on erasure) and without a projection of its own. */
export type RecordCopy = Omit<ConsentRecordDoc, 'subject' | 'current'>

export type ConsentProjection = Partial<Record<LedgerPurpose, { latest: RecordCopy; activeGrants: RecordCopy[]; everGranted: boolean }>>

export interface Recipient {
  clientId: string
  organization: string
  claims: string[]
}

export type NewConsentRecord = Pick<ConsentRecordDoc, 'purpose' | 'action' | 'method' | 'docId' | 'version' | 'hash' | 'guardian' | 'recipient'>

export const GENESIS_HASH = '0'.repeat(64)
const RECORD_FORMAT = 'lechat-consent-record/1'
/** Concurrent appends by one person are rare (two taps, two devices); each retry re-reads the head. */
const APPEND_ATTEMPTS = 8

export interface ChainReport {
  ok: boolean
  records: number
  firstBrokenSeq: number | null
}

/** The keyed pseudonym of a person in the ledger and in receipts. */
export function subjectRefOf(config: Config, openid: string): string {
  return keyedRef(config.blindIndexKey, 'consent-subject', openid)
}

/**
 * A keyed reference to a guardian's ID number: links repeat guardians without
 * storing the number. Its own domain keeps it from ever equalling the blind
 * index of a verified person's ID number.
 */
export function identityRefOf(config: Config, normalizedIdNumber: string): string {
  return keyedRef(config.blindIndexKey, 'guardian-id-number', normalizedIdNumber)
}

type Hashed = Omit<ConsentRecordDoc, '_id' | 'subject' | 'recordHash'>

/** A fixed field order in a JSON array: unambiguous, and independent of how objects were built. */
export function recordHashOf(r: Hashed): string {
  const guardian = r.guardian ? [r.guardian.relation, r.guardian.maskedName, r.guardian.identityRef] : null
  const fields: unknown[] = [RECORD_FORMAT, r.subjectRef, r.seq, r.purpose, r.action, r.method, r.docId, r.version, r.hash, r.at.toISOString(), guardian, r.prevHash]
  // Only records with a recipient carry it, so every earlier record's hash stays what it was.
  if (r.recipient) fields.push([r.recipient.clientId, r.recipient.organization, r.recipient.claims])
  return sha256Hex(JSON.stringify(fields))
}

/** Per purpose, what the ledger says now. */
export interface PurposeDecision {
  latest: ConsentRecordDoc | null
  /** Grants since the last refusal or withdrawal, newest first (an early grant of an upcoming version is among them). */
  activeGrants: ConsentRecordDoc[]
  everGranted: boolean
}

/** A purpose the person never decided on. */
export const NO_DECISION: PurposeDecision = Object.freeze({ latest: null, activeGrants: [], everGranted: false })

function copyOf(record: ConsentRecordDoc): RecordCopy {
  const { subject: _subject, current: _current, ...copy } = record
  return copy
}

/** The projection after `record`, from the one before it: the replay's rules, one record at a time. */
export function foldProjection(before: ConsentProjection, record: ConsentRecordDoc): ConsentProjection {
  const copy = copyOf(record)
  const previous = before[record.purpose]
  const next =
    record.action === 'grant'
      ? { latest: copy, activeGrants: [copy, ...(previous?.activeGrants ?? [])], everGranted: true }
      : { latest: copy, activeGrants: [], everGranted: previous?.everGranted ?? false }
  return { ...before, [record.purpose]: next }
}

/** The decisions a projection records for `purposes`, as `Ledger.replay` would give them. */
function decisionsOfProjection(subject: string, projection: ConsentProjection, purposes: readonly PurposeId[]): Map<PurposeId, PurposeDecision> {
  const result = new Map<PurposeId, PurposeDecision>()
  for (const purpose of purposes) {
    const entry = projection[purpose]
    result.set(
      purpose,
      entry
        ? { latest: { subject, ...entry.latest }, activeGrants: entry.activeGrants.map((r) => ({ subject, ...r })), everGranted: entry.everGranted }
        : { latest: null, activeGrants: [], everGranted: false },
    )
  }
  return result
}

export class Ledger {
  private readonly records: AppendOnlyCollection<ConsentRecordDoc>

  constructor(
    private readonly db: Store,
    private readonly config: Config,
  ) {
    this.records = appendOnly(db.collection<ConsentRecordDoc>(COLLECTIONS.consentRecords))
  }

  private head(subject: string): Promise<ConsentRecordDoc | null> {
    return this.records.findOne({ subject }, [['seq', 'desc']])
  }

  /** Appends the entries in order at one time; returns the stored records. */
  async append(subject: string, at: Date, entries: readonly NewConsentRecord[]): Promise<ConsentRecordDoc[]> {
    const subjectRef = subjectRefOf(this.config, subject)
    const stored: ConsentRecordDoc[] = []
    let head = await this.head(subject)
    let current = await this.projectionAt(subject, head)
    for (const entry of entries) {
      for (let attempt = 1; ; attempt++) {
        const hashed: Hashed = {
          ...entry,
          subjectRef,
          seq: (head?.seq ?? 0) + 1,
          at,
          prevHash: head?.recordHash ?? GENESIS_HASH,
        }
        const record: Omit<ConsentRecordDoc, '_id'> = { subject, ...hashed, recordHash: recordHashOf(hashed) }
        const id = orderedId(at)
        const after = foldProjection(current, { _id: id, ...record })
        try {
          await this.records.add({ _id: id, ...record, current: after })
          head = { _id: id, ...record, current: after }
          current = after
          stored.push(head)
          break
        } catch (error) {
          // Someone appended this seq first: chain onto their record instead.
          if (!isDuplicateKey(error) || attempt >= APPEND_ATTEMPTS) {
            if (isDuplicateKey(error)) fail('CONFLICT')
            throw error
          }
          head = await this.head(subject)
          current = await this.projectionAt(subject, head)
        }
      }
    }
    return stored
  }

  async byId(subject: string, id: string): Promise<ConsentRecordDoc | null> {
    const record = await this.records.byId(id)
    return record && record.subject === subject ? record : null
  }

  /** Newest first, `beforeSeq` for paging. */
  page(subject: string, options: { purpose?: PurposeId; beforeSeq?: number; limit: number }): Promise<ConsentRecordDoc[]> {
    const where: Record<string, unknown> = { subject }
    if (options.purpose) where.purpose = options.purpose
    if (options.beforeSeq !== undefined) where.seq = this.cmd.lt(options.beforeSeq)
    return this.records.find(where, { orderBy: [['seq', 'desc']], limit: options.limit })
  }

  /** The whole history, oldest first. */
  async all(subject: string): Promise<ConsentRecordDoc[]> {
    const all: ConsentRecordDoc[] = []
    for (;;) {
      const last = all.at(-1)
      const where = last ? { subject, seq: this.cmd.gt(last.seq) } : { subject }
      const page = await this.records.find(where, { orderBy: [['seq', 'asc']], limit: PAGE_MAX })
      all.push(...page)
      if (page.length < PAGE_MAX) return all
    }
  }

  /** The projection as of `head` (replayed when `head` predates projections). */
  private async projectionAt(subject: string, head: ConsentRecordDoc | null): Promise<ConsentProjection> {
    if (!head) return {}
    if (head.current) return head.current
    let projection: ConsentProjection = {}
    for (const record of await this.all(subject)) projection = foldProjection(projection, record)
    return projection
  }

  /** The state of each purpose now: the newest record's projection, one read. */
  async decisions(subject: string, purposes: readonly PurposeId[]): Promise<Map<PurposeId, PurposeDecision>> {
    const head = await this.head(subject)
    if (!head) return decisionsOfProjection(subject, {}, purposes)
    if (head.current) return decisionsOfProjection(subject, head.current, purposes)
    return this.replay(subject, purposes)
  }

  /**
   * The state of each purpose replayed from the records, newest first:
   * usually one query (a person's whole history fits a page); pages further
   * back only while some purpose is still undecided. What the projection must
   * always equal (a test holds them together), and the way for ledgers written
   * before projections.
   */
  async replay(subject: string, purposes: readonly PurposeId[]): Promise<Map<PurposeId, PurposeDecision>> {
    const result = new Map<PurposeId, PurposeDecision>()
    const open = new Map<PurposeId, { closed: boolean }>()
    for (const purpose of purposes) {
      result.set(purpose, { latest: null, activeGrants: [], everGranted: false })
      open.set(purpose, { closed: false })
    }
    let beforeSeq: number | undefined
    while (open.size > 0) {
      const where: Record<string, unknown> = { subject, purpose: this.cmd.in([...open.keys()]) }
      if (beforeSeq !== undefined) where.seq = this.cmd.lt(beforeSeq)
      const page = await this.records.find(where, { orderBy: [['seq', 'desc']], limit: PAGE_MAX })
      for (const stored of page) {
        // Decisions hold the records themselves, not the projections they carry.
        const { current: _current, ...record } = stored
        // The query asked only for `purposes`.
        const purpose = record.purpose as PurposeId
        const decision = result.get(purpose)
        const state = open.get(purpose)
        if (!decision || !state) continue
        decision.latest ??= record
        if (record.action === 'grant') {
          decision.everGranted = true
          if (!state.closed) decision.activeGrants.push(record)
        } else {
          state.closed = true
        }
        // Settled: we know the active grants and whether any grant ever existed.
        if (state.closed && decision.everGranted) open.delete(purpose)
      }
      if (page.length < PAGE_MAX) break
      beforeSeq = page.at(-1)?.seq
    }
    return result
  }

  /** Recomputes every link; `records` when the caller already read the whole history. */
  async verifyChain(subject: string, records?: readonly ConsentRecordDoc[]): Promise<ChainReport> {
    records ??= await this.all(subject)
    const expectedRef = subject.startsWith('erased:') ? (subject.slice('erased:'.length).split(':')[0] ?? '') : subjectRefOf(this.config, subject)
    let prevHash = GENESIS_HASH
    for (const [index, record] of records.entries()) {
      const intact =
        record.seq === index + 1 &&
        record.prevHash === prevHash &&
        record.subjectRef === expectedRef &&
        record.at instanceof Date &&
        recordHashOf(record) === record.recordHash
      if (!intact) return { ok: false, records: records.length, firstBrokenSeq: index + 1 }
      prevHash = record.recordHash
    }
    return { ok: true, records: records.length, firstBrokenSeq: null }
  }

  private get cmd(): Store['cmd'] {
    return this.db.cmd
  }
}

/** Erasure keeps the ledger as proof of consent, with the openid replaced by the pseudonym; the chain still verifies. */
export const consentErasure: ErasureRule = {
  collection: COLLECTIONS.consentRecords,
  title: '同意记录（同意了哪份协议的哪个版本、何时）',
  treatment: 'pseudonymize',
  detail: '保留（平台须能证明曾依法取得同意），其中你的微信标识替换为无法还原的编号，记录链仍可校验。',
  count: (ctx, s) => ctx.db.collection<ConsentRecordDoc>(COLLECTIONS.consentRecords).count({ subject: s.openid }),
  async erase(ctx, s) {
    await ctx.db.collection<ConsentRecordDoc>(COLLECTIONS.consentRecords).updateWhere({ subject: s.openid }, { subject: s.pseudonym })
  },
}

import * as z from 'zod/mini'
import { CONSENT_ACTIONS, CONSENT_METHODS, GUARDIAN_RELATIONS, LEDGER_PURPOSE_IDS, PURPOSE_IDS } from '../consent'
import { normalizeIdNumber } from '../rules/id-number'
import { calendarDate, documentId, id, isoDateTime, nextCursor, pageInput, sha256Hex, version } from './common'
import { action } from './define'

export const purposeId = z.enum(PURPOSE_IDS)
const ageClassSchema = z.enum(['under14', 'minor14to17', 'adult', 'unknown'])
const purposeState = z.enum(['granted', 'refused', 'withdrawn', 'none'])

/** What the client showed: the server checks the hash against the stored version. */
const shownDocument = { purpose: purposeId, version, hash: sha256Hex }

/** A guardian consenting for a child under 14; the ID number becomes a keyed reference, never stored. */
export const guardianInput = z.strictObject({
  relation: z.enum(GUARDIAN_RELATIONS),
  name: z.string().check(z.trim(), z.minLength(2, '请填写监护人姓名'), z.maxLength(20)),
  idNumber: z.pipe(z.string().check(z.maxLength(20)), z.transform(normalizeIdNumber)),
})

const guardianView = z.object({ relation: z.enum(GUARDIAN_RELATIONS), maskedName: z.string(), identityRef: z.string() })

/** Whom a sharing record is about (login service): the organization, and what it received. */
export const recipientView = z.object({ clientId: z.string(), organization: z.string(), claims: z.array(z.string()) })

export const consentRecordView = z.object({
  id: z.string(),
  seq: z.number(),
  purpose: z.enum(LEDGER_PURPOSE_IDS),
  recipient: z.optional(z.nullable(recipientView)),
  action: z.enum(CONSENT_ACTIONS),
  method: z.enum(CONSENT_METHODS),
  docId: documentId,
  version,
  hash: sha256Hex,
  at: isoDateTime,
  guardian: z.nullable(guardianView),
})
export type ConsentRecordView = z.infer<typeof consentRecordView>

export const consentStatus = z.object({
  ageClass: ageClassSchema,
  /** Why signed-in features are refused right now, if they are. */
  blocked: z.nullable(z.enum(['TERMS_NOT_ACCEPTED', 'TERMS_UPDATED', 'GUARDIAN_CONSENT_REQUIRED'])),
  required: z.array(
    z.object({
      purpose: purposeId,
      docId: documentId,
      currentVersion: z.nullable(version),
      acceptedVersion: z.nullable(version),
      state: z.enum(['current', 'outdated', 'missing']),
    }),
  ),
  /** Announced versions not yet in effect: the dismissable popup and the inbox notice. */
  upcoming: z.array(
    z.object({ purpose: purposeId, docId: documentId, version, title: z.string(), summary: z.string(), effectiveAt: isoDateTime, accepted: z.boolean() }),
  ),
  purposes: z.array(
    z.object({
      purpose: purposeId,
      state: purposeState,
      version: z.nullable(version),
      at: z.nullable(isoDateTime),
      /** Granted, but for an older version than the one now in effect. */
      outdated: z.boolean(),
    }),
  ),
})
export type ConsentStatus = z.infer<typeof consentStatus>

/** In the spirit of ISO/IEC TS 27560 and the Kantara Consent Receipt v1.1. */
export const consentReceipt = z.object({
  receiptVersion: z.literal('lechat-consent-receipt/1'),
  receiptId: z.string(),
  issuedAt: isoDateTime,
  jurisdiction: z.literal('CN'),
  legalFramework: z.literal('PIPL'),
  controller: z.object({ name: z.string(), contact: z.string() }),
  subject: z.object({ reference: z.string() }),
  records: z.array(
    z.object({
      recordId: z.string(),
      seq: z.number(),
      purpose: z.enum(LEDGER_PURPOSE_IDS),
      /** Login-service sharing: the organization that received the claims. */
      recipient: z.optional(z.nullable(recipientView)),
      purposeTitle: z.string(),
      legalBasis: z.enum(['contract', 'separate', 'optional']),
      categories: z.array(z.string()),
      sensitive: z.boolean(),
      notice: z.object({ docId: documentId, title: z.string(), version, hash: sha256Hex }),
      action: z.enum(CONSENT_ACTIONS),
      stateAfter: purposeState,
      method: z.enum(CONSENT_METHODS),
      guardian: z.nullable(guardianView),
      at: isoDateTime,
      prevHash: z.string(),
      recordHash: sha256Hex,
    }),
  ),
})
export type ConsentReceipt = z.infer<typeof consentReceipt>

const chainReport = z.object({ ok: z.boolean(), records: z.number(), firstBrokenSeq: z.nullable(z.number()) })

export const consent = {
  status: action({
    summary: '我的同意状态：必需文档、待生效的新版本、每项单独与可选同意',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({}),
    output: z.object({ status: consentStatus }),
    errors: [],
  }),
  grant: action({
    summary: '同意一项或多项（注册同意、重新同意、单独同意、可选同意；未满14周岁由监护人同意）',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({
      items: z.array(z.strictObject(shownDocument)).check(z.minLength(1), z.maxLength(PURPOSE_IDS.length)),
      method: z.enum(CONSENT_METHODS),
      declaredBirthDate: z.optional(calendarDate),
      guardian: z.optional(guardianInput),
    }),
    output: z.object({ records: z.array(consentRecordView), status: consentStatus }),
    errors: ['DOCUMENT_OUTDATED', 'GUARDIAN_CONSENT_REQUIRED'],
  }),
  refuse: action({
    summary: '拒绝一项（记录在案；拒绝可选项不影响基本服务）',
    access: 'signedIn',
    terms: 'exempt',
    // A refusal needs no guardian's identity, so it is never recorded as the guardian method.
    input: z.strictObject({ ...shownDocument, method: z.enum(['checkbox', 'popup', 'settings']) }),
    output: z.object({ record: consentRecordView, status: consentStatus }),
    errors: ['DOCUMENT_OUTDATED'],
  }),
  withdraw: action({
    summary: '撤回一项单独或可选同意，立即生效',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({ purpose: purposeId }),
    output: z.object({ record: consentRecordView, effect: z.string(), status: consentStatus }),
    errors: ['WITHDRAW_VIA_DELETION', 'NOT_FOUND'],
  }),
  history: action({
    summary: '我的同意记录（最新在前）',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({ purpose: z.optional(purposeId), ...pageInput }),
    output: z.object({ records: z.array(consentRecordView), nextCursor }),
    errors: [],
  }),
  receipt: action({
    summary: '下载一条同意记录的回执（JSON）',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({ recordId: id }),
    output: z.object({ receipt: consentReceipt }),
    errors: ['NOT_FOUND'],
  }),
  receipts: action({
    summary: '下载我的全部同意记录回执（JSON）',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({}),
    output: z.object({ receipt: consentReceipt }),
    errors: [],
  }),
  verifyChain: action({
    summary: '校验我的同意记录链是否完整未被篡改',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({}),
    output: chainReport,
    errors: [],
  }),
  prove: action({
    summary: '运营方举证：某用户在某时刻同意了哪些文档的哪个版本（仅依据记录链）',
    access: 'admin',
    input: z.strictObject({
      openid: z.string().check(z.minLength(1), z.maxLength(64)),
      at: isoDateTime,
      reason: z.string().check(z.trim(), z.minLength(2, '请说明查询原因'), z.maxLength(200)),
    }),
    output: z.object({
      chain: chainReport,
      purposes: z.array(z.object({ purpose: purposeId, state: purposeState, docId: z.nullable(documentId), version: z.nullable(version), hash: z.nullable(sha256Hex), at: z.nullable(isoDateTime) })),
    }),
    errors: [],
  }),
}

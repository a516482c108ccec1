/**
 * Real-name verification (实名核验): name + resident ID number checked against
 * the person's face by a provider. Plain names and ID numbers travel only in
 * `start` (from the user) and in the audited admin `reveal`; everything else
 * shows masked values.
 */
import * as z from 'zod/mini'
import { normalizeIdNumber } from '../rules/id-number'
import { hasInvisibleCharacters, visibleLength } from '../rules/text'
import { calendarDate, isoDateTime, verificationId } from './common'

export { verificationId }
import { action } from './define'

export const LEGAL_NAME_MAX = 30
export const IMPERSONATION_REASON_MAX = 500

export const IDENTITY_PROVIDERS = ['sandbox', 'wechat-face', 'tencent-faceid'] as const
export type IdentityProviderId = (typeof IDENTITY_PROVIDERS)[number]

/** Middle-dot look-alikes people type in minority names (阿依古丽·买买提). */
const DOT_VARIANTS = /[•・．.\u2027\u2219\u22c5\u30fb\uff65]/g

function isHan(codePoint: number): boolean {
  return (
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3134f)
  )
}

/** Han characters with single middle dots between parts: how names are printed on a resident ID card. */
export function isLegalNameShape(name: string): boolean {
  const parts = name.split('·')
  return parts.every((part) => part.length > 0 && Array.from(part).every((char) => isHan(char.codePointAt(0) ?? 0)))
}

/** The name as printed on the ID card; spaces are dropped and dot variants become `·`. */
export const legalName = z.pipe(
  z.string().check(z.maxLength(LEGAL_NAME_MAX * 4, '姓名过长')),
  z.transform((s) => s.replace(/\s+/g, '').replace(DOT_VARIANTS, '·')),
).check(
  z.refine((s) => visibleLength(s) >= 2, '请填写身份证上的姓名'),
  z.refine((s) => visibleLength(s) <= LEGAL_NAME_MAX, `姓名最多 ${LEGAL_NAME_MAX} 个字`),
  z.refine((s) => !hasInvisibleCharacters(s) && isLegalNameShape(s), '请按身份证上的写法填写姓名（汉字，少数民族姓名用“·”分隔）'),
)

/**
 * Normalized only: the problem (shape, region, birth date, future, check digit)
 * is checked by the server against its own date and reported as a field issue
 * on `idNumber` with the message of `ID_NUMBER_PROBLEMS`.
 */
export const idNumberInput = z.pipe(z.string().check(z.maxLength(30, '身份证号应为18位')), z.transform(normalizeIdNumber))

/** An id issued by `start`; opaque to the client (WeChat's verify_id runs to 256 characters). */

/** What the mini-program does after `start` (mirrors the provider port's ClientAction). */
export const clientAction = z.discriminatedUnion('kind', [
  /** WeChat face verification 2.0: `wx.requestFacialVerify({ verifyId })`. */
  z.object({ kind: z.literal('wx.requestFacialVerify'), verifyId: z.string() }),
  /** Tencent FaceID mini-program SDK: `wx.startVerify({ data: { token: bizToken } })`. */
  z.object({ kind: z.literal('faceidSdk'), bizToken: z.string() }),
  /** Tencent FaceID H5, opened in a web-view. */
  z.object({ kind: z.literal('openUrl'), url: z.string() }),
  /** Local and test: nothing to capture; call `complete` straight away. */
  z.object({ kind: z.literal('sandbox'), notice: z.string() }),
])
export type ClientActionView = z.infer<typeof clientAction>

const ageClass = z.enum(['under14', 'minor14to17', 'adult', 'unknown'])

/** The verified identity as its owner sees it: masked, never the plain values. */
export const identityView = z.object({
  maskedName: z.string(),
  maskedIdNumber: z.string(),
  provider: z.enum(IDENTITY_PROVIDERS),
  verifiedAt: isoDateTime,
  birthDate: calendarDate,
  ageClass,
})
export type IdentityView = z.infer<typeof identityView>

export const identityStatus = z.object({
  state: z.enum(['unverified', 'pending', 'verified']),
  identity: z.nullable(identityView),
  /** The latest verification still waiting for `complete`, if any. */
  pending: z.nullable(z.object({ verificationId, provider: z.enum(IDENTITY_PROVIDERS), expiresAt: isoDateTime })),
  /** Starts left in the current window, and when the window frees up again (null while starts are left). */
  attempts: z.object({ limit: z.number(), remaining: z.number(), retryAt: z.nullable(isoDateTime) }),
})
export type IdentityStatus = z.infer<typeof identityStatus>

export const completeResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('passed'), identity: identityView }),
  /** The provider said no (mismatch, not the same person, cancelled …); start again to retry. */
  z.object({ outcome: z.literal('failed'), reason: z.string() }),
  /** Not decided yet: call `complete` again with the same id after `retryAfterSeconds`. */
  z.object({ outcome: z.literal('pending'), reason: z.string(), retryAfterSeconds: z.number() }),
])
export type CompleteResult = z.infer<typeof completeResult>

/**
 * A fresh face check of the verified owner, asked before steps that are hard to
 * undo (unfreezing, deletion). A passed re-check is good once, for a few minutes.
 */
export const recheckResult = z.discriminatedUnion('outcome', [
  /** Pass `verificationId` to account.unfreeze / account.requestDeletion before `validUntil`. */
  z.object({ outcome: z.literal('passed'), verificationId, validUntil: isoDateTime }),
  z.object({ outcome: z.literal('failed'), reason: z.string() }),
  z.object({ outcome: z.literal('pending'), reason: z.string(), retryAfterSeconds: z.number() }),
])
export type RecheckResult = z.infer<typeof recheckResult>

/** The states a re-check can be asked from: those from which unfreezing or deletion can be asked. */
export const RECHECK_STATES = ['active', 'restricted', 'frozenBySelf', 'dormant'] as const

export const identity = {
  start: action({
    summary: '发起实名核验：填写姓名和身份证号，之后按提示完成人脸核验',
    access: 'signedIn',
    input: z.strictObject({ name: legalName, idNumber: idNumberInput }),
    output: z.object({ verificationId, clientAction, expiresAt: isoDateTime }),
    // CONSENT_REQUIRED names the missing separate consents in its message and as issues `consents.<purpose>`;
    // RATE_LIMITED carries `retryAt`; ID problems are INVALID_INPUT issues on `idNumber`. Whether the ID is
    // already bound is only told by `complete`, after the face check (no probing of ID numbers).
    errors: ['CONSENT_REQUIRED', 'ALREADY_VERIFIED', 'RATE_LIMITED', 'IDENTITY_SERVICE_UNAVAILABLE'],
  }),
  complete: action({
    summary: '完成实名核验：取回人脸核验结果，通过后账号即为已实名',
    access: 'signedIn',
    input: z.strictObject({ verificationId }),
    output: completeResult,
    errors: [
      'NOT_FOUND',
      'VERIFICATION_USED',
      'VERIFICATION_EXPIRED',
      'ALREADY_VERIFIED',
      'ID_ALREADY_BOUND',
      'CONSENT_REQUIRED',
      'IDENTITY_SERVICE_UNAVAILABLE',
    ],
  }),
  recheck: action({
    summary: '本人复核：已实名的账号在解冻、注销前重新完成人脸核验（使用已保存的实名信息）',
    access: 'signedIn',
    terms: 'exempt',
    states: RECHECK_STATES,
    input: z.strictObject({}),
    output: z.object({ verificationId, clientAction, expiresAt: isoDateTime }),
    errors: ['VERIFICATION_REQUIRED', 'CONSENT_REQUIRED', 'RATE_LIMITED', 'IDENTITY_SERVICE_UNAVAILABLE'],
  }),
  completeRecheck: action({
    summary: '完成本人复核：取回人脸核验结果',
    access: 'signedIn',
    terms: 'exempt',
    states: RECHECK_STATES,
    input: z.strictObject({ verificationId }),
    output: recheckResult,
    errors: ['NOT_FOUND', 'VERIFICATION_USED', 'VERIFICATION_EXPIRED', 'VERIFICATION_REQUIRED', 'CONSENT_REQUIRED', 'IDENTITY_SERVICE_UNAVAILABLE'],
  }),
  status: action({
    summary: '我的实名状态（姓名和身份证号仅显示打码后的内容）',
    access: 'signedIn',
    input: z.strictObject({}),
    output: identityStatus,
    errors: [],
  }),
  reportImpersonation: action({
    summary: '身份证已被其他账号绑定时申诉冒用：提交给工作人员核查',
    access: 'signedIn',
    input: z.strictObject({
      /** The verification that passed but was refused with ID_ALREADY_BOUND. */
      verificationId,
      reason: z.string().check(
        z.trim(),
        z.minLength(5, '请简要说明情况（至少5个字）'),
        z.maxLength(IMPERSONATION_REASON_MAX, `说明最多 ${IMPERSONATION_REASON_MAX} 个字`),
      ),
    }),
    output: z.object({ reportId: z.string(), createdAt: isoDateTime, created: z.boolean() }),
    errors: ['NOT_FOUND'],
  }),
  reveal: action({
    summary: '运营方查看某账号的实名信息原文（仅限依法调取，记录原因并向本人公开）',
    access: 'admin',
    input: z.strictObject({
      /** The subject's openid: the dispatcher's audit record names it as the target. */
      openid: z.string().check(z.minLength(1), z.maxLength(64)),
      reason: z.string().check(z.trim(), z.minLength(10, '请写明调取依据（如执法机关协助调查函编号），至少10个字'), z.maxLength(200)),
    }),
    output: z.object({
      openid: z.string(),
      name: z.string(),
      idNumber: z.string(),
      provider: z.enum(IDENTITY_PROVIDERS),
      verifiedAt: isoDateTime,
    }),
    errors: ['NOT_FOUND'],
  }),
}

/** Requests to correct fields locked by real-name verification (PIPL Art. 46): a staff queue. */
import { CORRECTION_FIELD_LABELS, type CorrectionField, type CorrectionStatus } from '../../shared/account'
import type { CorrectionView } from '../../shared/contract/account'
import type { StaffCorrectionView } from '../../shared/contract/admin'
import { COLLECTIONS } from './collections'
import type { Collection, Doc, Store } from './db'
import { accounts, type AccountDoc } from './accounts'
import type { Context } from './context'
import { fail } from './errors'
import { removeIdentityData } from './identity/records'
import { notify } from './inbox'

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

export interface CorrectionRuling {
  decision: 'accepted' | 'rejected'
  /** The statement of reasons the person reads. */
  reason: string
  /** For an accepted birth-date correction of an account not yet verified: the checked date. */
  correctedBirthDate?: string | undefined
}

/** Refuses a ruling that cannot be applied to this request and account (nothing is written). */
export function checkCorrectionRuling(request: CorrectionRequestDoc, account: AccountDoc | null, ruling: CorrectionRuling): AccountDoc {
  if (request.status !== 'open') fail('CORRECTION_RESOLVED')
  if (!account || account.state === 'deleted') fail('NOT_FOUND', '账号不存在或已注销')
  if (ruling.correctedBirthDate !== undefined && (request.field !== 'birthDate' || ruling.decision !== 'accepted')) {
    fail('INVALID_INPUT', '只有同意出生日期的更正时才填写更正后的日期', [{ path: 'correctedBirthDate', message: '此处无需填写' }])
  }
  if (ruling.correctedBirthDate !== undefined && account.birthDateSource === 'verified') {
    // A verified birth date is read from the ID number: it changes only by verifying again.
    fail('INVALID_INPUT', '该账号的出生日期来自实名认证的身份证号，需要用户重新实名认证后更新', [{ path: 'correctedBirthDate', message: '已实名账号不能直接修改出生日期' }])
  }
  return account
}

/**
 * Resolves the request as ruled: the request first (conditionally: one ruling
 * wins), then its effect — a declared birth date corrected in place; what
 * verification sealed (name, ID number, a birth date read from it) corrected
 * only by verifying again: the wrong identity goes and the person is asked to
 * verify with the right card — then the person is told. A request already
 * resolved the same way is left as it is (a ruling finished by the sweep).
 */
export async function applyCorrectionRuling(ctx: Context, request: CorrectionRequestDoc, account: AccountDoc, ruling: CorrectionRuling): Promise<CorrectionRequestDoc> {
  const resolved: Partial<CorrectionRequestDoc> = { status: ruling.decision, resolvedAt: ctx.now, resolution: ruling.reason, openKey: `${request.openKey}:${request._id}` }
  const written = await correctionRequests(ctx.db).updateWhere({ _id: request._id, status: 'open' }, resolved)
  if (written === 0) {
    const now = await correctionRequests(ctx.db).byId(request._id)
    if (now && now.status === ruling.decision) return now
    fail('CORRECTION_RESOLVED')
  }
  const accepted = ruling.decision === 'accepted'
  const birthDate = accepted ? ruling.correctedBirthDate : undefined
  if (birthDate !== undefined) await accounts(ctx.db).update(account._id, { birthDate, birthDateSource: 'declared', updatedAt: ctx.now })
  const reverify = accepted && (request.field !== 'birthDate' || account.birthDateSource === 'verified') && account.verifiedAt !== null
  if (reverify) {
    await removeIdentityData(ctx, account.openid)
    await accounts(ctx.db).update(account._id, { verifiedAt: null, updatedAt: ctx.now })
  }
  const field = CORRECTION_FIELD_LABELS[request.field]
  const next = !accepted
    ? '如有异议，可以补充材料后重新提交申请。'
    : birthDate !== undefined
      ? `出生日期已更正为 ${birthDate}。`
      : reverify
        ? '原实名信息已删除，请在「我的 → 实名认证」用正确的身份证重新完成实名认证；完成前暂不能发布内容。'
        : '工作人员将按核实结果更新你的信息。'
  await notify(ctx, {
    recipient: request.subject,
    type: 'system',
    title: accepted ? `「${field}」更正申请已通过` : `「${field}」更正申请未通过`,
    body: `处理说明：${ruling.reason}\n${next}`,
    link: reverify ? '/packageAccount/pages/verify/index' : '/pages/me/index',
    dedupeKey: `correction:${request._id}:resolved`,
  })
  return { ...request, ...resolved }
}

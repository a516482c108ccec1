/**
 * Staff actions on accounts (the admin subpackage). Every action names its
 * reason; the dispatcher audits each call, and the person concerned sees it in
 * their access log (account.accessLog) by role, never by name.
 */
import * as z from 'zod/mini'
import { ACCOUNT_STATES, CORRECTION_STATUSES } from '../account'
import { ROLES } from '../access'
import { REPORT_CATEGORIES, RULE_IDS } from '../review'
import { FEATURES, PENALTY_TRANSITIONS, STAFF_TRANSITIONS } from '../rules/lifecycle'
import { calendarDate, id, isoDateTime, nextCursor, pageInput, staffReason } from './common'

export { staffReason }
import { action } from './define'
import { correctionView, lifecycleView } from './account-views'

export { PENALTY_TRANSITIONS, STAFF_TRANSITIONS, type StaffTransition } from '../rules/lifecycle'

/** The statement of reasons the person receives (and may appeal against). */

export const accountEventView = z.object({
  transition: z.string(),
  label: z.string(),
  from: z.enum(ACCOUNT_STATES),
  to: z.enum(ACCOUNT_STATES),
  actor: z.enum(['user', 'reviewer', 'admin', 'system']),
  reason: z.nullable(z.string()),
  until: z.nullable(isoDateTime),
  at: isoDateTime,
})
export type AccountEventView = z.infer<typeof accountEventView>

/** What staff see of an account: no openid, no real name or ID number (identity.reveal is the audited way to those). */
export const staffAccountView = z.object({
  id: z.string(),
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  roles: z.array(z.enum(ROLES)),
  verified: z.boolean(),
  /** 1990-**-** */
  maskedBirthDate: z.nullable(z.string()),
  ageClass: z.enum(['under14', 'minor14to17', 'adult', 'unknown']),
  createdAt: isoDateTime,
  lastActiveAt: isoDateTime,
  lifecycle: lifecycleView,
  /** Newest first, at most 20. */
  events: z.array(accountEventView),
})
export type StaffAccountView = z.infer<typeof staffAccountView>

export const staffCorrectionView = z.extend(correctionView, { accountId: z.string() })
export type StaffCorrectionView = z.infer<typeof staffCorrectionView>

/** Roles staff grant and revoke (every account is a user). */
export const STAFF_ROLE_CHOICES = ['reviewer', 'admin'] as const

export const staffMemberView = z.object({
  id: z.string(),
  nickname: z.string(),
  roles: z.array(z.enum(ROLES)),
  state: z.enum(ACCOUNT_STATES),
  stateLabel: z.string(),
  verified: z.boolean(),
  /** Whether the account can use staff pages now (its state is usable). */
  usable: z.boolean(),
})
export type StaffMemberView = z.infer<typeof staffMemberView>

const roleChange = z.strictObject({ accountId: id, role: z.enum(STAFF_ROLE_CHOICES), reason: staffReason })

export const admin = {
  transition: action({
    summary: '变更账号状态：限制功能、暂停、冻结、恢复、终止（须写明理由，通知用户）',
    access: 'reviewer',
    input: z
      .strictObject({
        accountId: id,
        transition: z.enum(STAFF_TRANSITIONS),
        reason: staffReason,
        /** End of a suspension or of the feature bans. */
        until: z.optional(isoDateTime),
        /** The features a restriction bans. */
        features: z.optional(z.array(z.enum(FEATURES)).check(z.minLength(1), z.maxLength(FEATURES.length))),
        /** For a penalty (restrict, suspend, freeze, terminate): the category and the clause of the statement of reasons. */
        category: z.optional(z.enum(REPORT_CATEGORIES)),
        rule: z.optional(z.enum(RULE_IDS)),
      })
      .check(
        z.refine((v) => v.transition !== 'restrict' || (v.features?.length ?? 0) > 0, { message: '请选择要限制的功能', path: ['features'] }),
        z.refine((v) => !PENALTY_TRANSITIONS.has(v.transition) || v.category !== undefined, { message: '请选择违规类别', path: ['category'] }),
        z.refine((v) => !PENALTY_TRANSITIONS.has(v.transition) || v.rule !== undefined, { message: '请选择违反的规则条款', path: ['rule'] }),
      ),
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'TRANSITION_NOT_ALLOWED', 'REASON_REQUIRED', 'END_TIME_REQUIRED', 'CONFLICT'],
  }),
  getAccount: action({
    summary: '查看账号资料（按账号编号或名片码查找；打码；记录查看原因，并向本人公开）',
    access: 'reviewer',
    input: z
      .strictObject({
        accountId: z.optional(id),
        /** A card code, or a card's QR scene (`c=…`): the card's owner. */
        card: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
        reason: staffReason,
      })
      .check(z.refine((v) => (v.accountId === undefined) !== (v.card === undefined), { message: '请填写账号编号或名片码（二选一）', path: ['accountId'] })),
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND'],
  }),
  grantRole: action({
    summary: '授予审核员或管理员角色（须写明理由；仅限已实名、状态正常的账号）',
    access: 'admin',
    input: roleChange,
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'VERIFICATION_REQUIRED'],
  }),
  revokeRole: action({
    summary: '撤销审核员或管理员角色（须写明理由；不能撤销唯一可用的管理员）',
    access: 'admin',
    input: roleChange,
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  listStaff: action({
    summary: '工作人员名单：审核员和管理员及其账号状态',
    access: 'admin',
    input: z.strictObject({}),
    output: z.object({ staff: z.array(staffMemberView) }),
    errors: [],
  }),
  claimFirstAdmin: action({
    summary: '首位管理员：尚无管理员时，用运营方设置的一次性口令（LECHAT_FIRST_ADMIN_CODE）把自己设为管理员',
    access: 'verified',
    input: z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(200)) }),
    output: z.object({ roles: z.array(z.enum(ROLES)) }),
    errors: ['FORBIDDEN', 'CONFLICT'],
  }),
  listCorrections: action({
    summary: '信息更正申请队列（默认待处理，最早的在前）',
    access: 'reviewer',
    input: z.strictObject({ status: z.optional(z.enum(CORRECTION_STATUSES)), ...pageInput }),
    output: z.object({ requests: z.array(staffCorrectionView), nextCursor }),
    errors: [],
  }),
  resolveCorrection: action({
    summary: '处理信息更正申请：同意或驳回（须写明理由，通知用户）',
    access: 'reviewer',
    input: z.strictObject({
      requestId: id,
      decision: z.enum(['accepted', 'rejected']),
      reason: staffReason,
      /** For an accepted birth-date correction of an account not yet verified: the checked date. */
      correctedBirthDate: z.optional(calendarDate),
    }),
    output: z.object({ request: staffCorrectionView }),
    errors: ['NOT_FOUND', 'CORRECTION_RESOLVED', 'INVALID_INPUT'],
  }),
}

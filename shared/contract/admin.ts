/**
 * Staff actions on accounts (the admin subpackage). Every action names its
 * reason; the dispatcher audits each call, and the person concerned sees it in
 * their access log (account.accessLog) by role, never by name.
 */
import * as z from 'zod/mini'
import { ACCOUNT_STATES, CORRECTION_STATUSES } from '../account'
import { ROLES } from '../access'
import { FEATURES } from '../rules/lifecycle'
import { calendarDate, id, isoDateTime, nextCursor, pageInput } from './common'
import { action } from './define'
import { correctionView, lifecycleView } from './account'

/** Transitions staff take through admin.transition (restore and terminate need an admin). */
export const STAFF_TRANSITIONS = ['restrict', 'liftRestrictions', 'suspend', 'freezeByStaff', 'restore', 'terminate'] as const
export type StaffTransition = (typeof STAFF_TRANSITIONS)[number]

/** The statement of reasons the person receives (and may appeal against). */
export const staffReason = z.string().check(z.trim(), z.minLength(4, '请写明理由（至少4个字），用户会看到这段说明'), z.maxLength(500, '理由最多500个字'))

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
      })
      .check(z.refine((v) => v.transition !== 'restrict' || (v.features?.length ?? 0) > 0, { message: '请选择要限制的功能', path: ['features'] })),
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'REASON_REQUIRED', 'END_TIME_REQUIRED', 'CONFLICT'],
  }),
  getAccount: action({
    summary: '查看账号资料（打码；记录查看原因，并向本人公开）',
    access: 'reviewer',
    input: z.strictObject({ accountId: id, reason: staffReason }),
    output: z.object({ account: staffAccountView }),
    errors: ['NOT_FOUND'],
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

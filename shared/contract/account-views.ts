/** Views of an account shared by the account function and the admin function's slices. */
import * as z from 'zod/mini'
import { ACCOUNT_STATES, CORRECTION_FIELDS, CORRECTION_STATUSES, SELF_SERVICE_ACTIONS } from '../account'
import { FEATURES } from '../rules/lifecycle'
import { isoDateTime } from './common'

export const banView = z.object({
  feature: z.enum(FEATURES),
  /** 发布内容, 评论 … */
  label: z.string(),
  until: isoDateTime,
  reason: z.string(),
})
export type BanView = z.infer<typeof banView>

/** My account's state as I experience it now (timed states that ended already show as ended). */
export const lifecycleView = z.object({
  state: z.enum(ACCOUNT_STATES),
  /** 正常, 暂停使用 … */
  label: z.string(),
  /** The statement of reasons of the decision that put the account in this state. */
  reason: z.nullable(z.string()),
  /** When a suspension ends by itself; null for states without an end. */
  until: z.nullable(isoDateTime),
  changedAt: z.nullable(isoDateTime),
  /** Feature bans in force (restricted accounts). */
  bans: z.array(banView),
  /** During the cooling-off period: when erasure begins unless cancelled. */
  deletionDueAt: z.nullable(isoDateTime),
  /** One sentence for the user, in Chinese. */
  notice: z.string(),
  /** How to appeal a staff decision, or null when the state was not imposed by staff. */
  appeal: z.nullable(z.string()),
  /** What I can do about it myself now. */
  available: z.array(z.enum(SELF_SERVICE_ACTIONS)),
})
export type LifecycleView = z.infer<typeof lifecycleView>

export const correctionView = z.object({
  id: z.string(),
  field: z.enum(CORRECTION_FIELDS),
  note: z.string(),
  status: z.enum(CORRECTION_STATUSES),
  createdAt: isoDateTime,
  resolvedAt: z.nullable(isoDateTime),
  /** The staff member's statement of reasons. */
  resolution: z.nullable(z.string()),
})
export type CorrectionView = z.infer<typeof correctionView>

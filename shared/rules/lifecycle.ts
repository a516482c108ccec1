/**
 * The account state machine: every transition named, with who may take it and
 * what it needs. Timed states (suspension, feature bans) end by themselves at
 * their end time; `effectiveState` applies that without waiting for the timer
 * that tidies the stored state.
 */
import type { AccountState } from '../account'

export type Actor = 'user' | 'reviewer' | 'admin' | 'system'

export const FEATURES = ['publish', 'comment', 'exchange', 'signUp'] as const
export type Feature = (typeof FEATURES)[number]

export const FEATURE_LABELS: Record<Feature, string> = {
  publish: '发布内容',
  comment: '评论',
  exchange: '交换名片',
  signUp: '报名活动',
}

export interface Transition {
  from: readonly AccountState[]
  to: AccountState
  actors: readonly Actor[]
  /** A statement of reasons is required (staff decisions, PIPL/platform rules). */
  needsReason: boolean
  /** The state ends at a given time. */
  needsUntil: boolean
  label: string
}

const STAFF: readonly Actor[] = ['reviewer', 'admin']

export const TRANSITIONS = {
  restrict: { from: ['active', 'restricted'], to: 'restricted', actors: STAFF, needsReason: true, needsUntil: true, label: '限制部分功能' },
  liftRestrictions: { from: ['restricted'], to: 'active', actors: ['reviewer', 'admin', 'system'], needsReason: false, needsUntil: false, label: '解除功能限制' },
  suspend: { from: ['active', 'restricted'], to: 'suspended', actors: STAFF, needsReason: true, needsUntil: true, label: '暂停使用' },
  endSuspension: { from: ['suspended'], to: 'active', actors: ['system'], needsReason: false, needsUntil: false, label: '暂停期满' },
  freezeSelf: { from: ['active', 'restricted'], to: 'frozenBySelf', actors: ['user'], needsReason: false, needsUntil: false, label: '自助冻结' },
  unfreezeSelf: { from: ['frozenBySelf'], to: 'active', actors: ['user'], needsReason: false, needsUntil: false, label: '解除自助冻结' },
  freezeByStaff: {
    from: ['active', 'restricted', 'suspended', 'frozenBySelf', 'dormant'],
    to: 'frozenByStaff',
    actors: STAFF,
    needsReason: true,
    needsUntil: false,
    label: '平台冻结',
  },
  overturn: {
    from: ['restricted', 'suspended', 'frozenByStaff'],
    to: 'active',
    actors: STAFF,
    needsReason: true,
    needsUntil: false,
    label: '申诉成立，撤销处罚',
  },
  restore: {
    from: ['restricted', 'suspended', 'frozenByStaff', 'terminated'],
    to: 'active',
    actors: ['admin'],
    needsReason: true,
    needsUntil: false,
    label: '恢复账号',
  },
  requestDeletion: {
    from: ['active', 'restricted', 'frozenBySelf', 'dormant'],
    to: 'pendingDeletion',
    actors: ['user'],
    needsReason: false,
    needsUntil: true,
    label: '申请注销',
  },
  cancelDeletion: { from: ['pendingDeletion'], to: 'active', actors: ['user'], needsReason: false, needsUntil: false, label: '撤销注销' },
  completeDeletion: { from: ['pendingDeletion'], to: 'deleted', actors: ['system'], needsReason: false, needsUntil: false, label: '完成注销' },
  markDormant: { from: ['active', 'restricted'], to: 'dormant', actors: ['system'], needsReason: false, needsUntil: false, label: '转为休眠' },
  wake: { from: ['dormant'], to: 'active', actors: ['user'], needsReason: false, needsUntil: false, label: '从休眠恢复' },
  terminate: {
    from: ['active', 'restricted', 'suspended', 'frozenBySelf', 'frozenByStaff', 'dormant', 'pendingDeletion'],
    to: 'terminated',
    actors: ['admin'],
    needsReason: true,
    needsUntil: false,
    label: '终止服务',
  },
} as const satisfies Record<string, Transition>

export type TransitionName = keyof typeof TRANSITIONS

/** Transitions staff take on the account page (admin.transition; restore and terminate need an admin). */
export const STAFF_TRANSITIONS = ['restrict', 'liftRestrictions', 'suspend', 'freezeByStaff', 'restore', 'terminate'] as const satisfies readonly TransitionName[]
export type StaffTransition = (typeof STAFF_TRANSITIONS)[number]

/** The transitions that are penalties: each is a decision with a statement of reasons, a strike, and an appeal. */
export const PENALTY_TRANSITIONS: ReadonlySet<StaffTransition> = new Set<StaffTransition>(['restrict', 'suspend', 'freezeByStaff', 'terminate'])

export type TransitionRefusal = 'NOT_ALLOWED_FROM_STATE' | 'NOT_ALLOWED_FOR_ACTOR' | 'REASON_REQUIRED' | 'END_TIME_REQUIRED'

export interface TransitionRequest {
  name: TransitionName
  actor: Actor
  reason?: string | null
  until?: Date | null
  now: Date
}

/** The state after the transition, or why it is refused. */
export function applyTransition(
  state: AccountState,
  request: TransitionRequest,
): { ok: true; to: AccountState } | { ok: false; refusal: TransitionRefusal } {
  const transition: Transition = TRANSITIONS[request.name]
  if (!transition.actors.includes(request.actor)) return { ok: false, refusal: 'NOT_ALLOWED_FOR_ACTOR' }
  if (!transition.from.includes(state)) return { ok: false, refusal: 'NOT_ALLOWED_FROM_STATE' }
  if (transition.needsReason && !request.reason?.trim()) return { ok: false, refusal: 'REASON_REQUIRED' }
  if (transition.needsUntil && (!request.until || request.until.getTime() <= request.now.getTime())) {
    return { ok: false, refusal: 'END_TIME_REQUIRED' }
  }
  return { ok: true, to: transition.to }
}

export interface FeatureBan {
  feature: Feature
  until: Date
  reason: string
}

export interface TimedFacts {
  state: AccountState
  /** End of a suspension. */
  stateUntil: Date | null
  bans: readonly FeatureBan[]
}

/** Bans still in force at `now`. */
export function activeBans(bans: readonly FeatureBan[], now: Date): FeatureBan[] {
  return bans.filter((ban) => ban.until.getTime() > now.getTime())
}

/** The state as the user experiences it at `now`: ended suspensions and expired bans no longer apply. */
export function effectiveState(facts: TimedFacts, now: Date): AccountState {
  if (facts.state === 'suspended' && facts.stateUntil && facts.stateUntil.getTime() <= now.getTime()) return 'active'
  if (facts.state === 'restricted' && activeBans(facts.bans, now).length === 0) return 'active'
  return facts.state
}

export function isBanned(facts: TimedFacts, feature: Feature, now: Date): boolean {
  return effectiveState(facts, now) === 'restricted' && activeBans(facts.bans, now).some((ban) => ban.feature === feature)
}

/**
 * States whose person's published content is hidden from others (cards,
 * articles …): other domains read the account's `contentHidden` flag, which
 * each transition sets from this. Data is kept; leaving the state shows it again.
 */
const HIDING_STATES: ReadonlySet<AccountState> = new Set(['dormant', 'pendingDeletion', 'frozenByStaff', 'terminated', 'deleted'])

export function hidesContent(state: AccountState): boolean {
  return HIDING_STATES.has(state)
}

/** Dormancy notices go out this many days before the dormant date, the last one at least this long before it takes effect. */
export const DORMANCY_NOTICE_DAYS = [30, 7] as const

const DAY_MS = 24 * 3600 * 1000

/** Calendar months later, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29), time of day kept. */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, lastDay))
  return d
}

export interface DormancyFacts {
  lastActiveAt: Date
  /** Notices (days before) already sent for this `lastActiveAt`. */
  noticesSent: readonly number[]
  lastNoticeAt: Date | null
}

export type DormancyStep =
  | { kind: 'none' }
  /** Send the notice for `days`; `covers` are all notices it stands for; the account becomes dormant at `dormantAt` at the earliest. */
  | { kind: 'notice'; days: number; covers: number[]; dormantAt: Date }
  | { kind: 'dormant' }

/**
 * What dormancy asks for now. Never dormant without the last notice having gone
 * out at least its number of days before (a missed run postpones dormancy
 * rather than skipping a warning).
 */
export function dormancyStep(facts: DormancyFacts, months: number, now: Date): DormancyStep {
  const dueAt = addMonths(facts.lastActiveAt, months)
  const last = Math.min(...DORMANCY_NOTICE_DAYS)
  const due = DORMANCY_NOTICE_DAYS.filter((days) => now.getTime() >= dueAt.getTime() - days * DAY_MS && !facts.noticesSent.includes(days))
  if (due.length > 0) {
    const days = Math.min(...due)
    const dormantAt = new Date(Math.max(dueAt.getTime(), now.getTime() + days * DAY_MS))
    return { kind: 'notice', days, covers: [...due], dormantAt }
  }
  const warned = facts.noticesSent.includes(last) && facts.lastNoticeAt !== null && now.getTime() >= facts.lastNoticeAt.getTime() + last * DAY_MS
  return now.getTime() >= dueAt.getTime() && warned ? { kind: 'dormant' } : { kind: 'none' }
}

import type { Role } from './access'

/** Account states; the named transitions between them are in rules/lifecycle.ts. */
export const ACCOUNT_STATES = [
  'active',
  'restricted',
  'suspended',
  'frozenBySelf',
  'frozenByStaff',
  'pendingDeletion',
  'deleted',
  'dormant',
  'terminated',
] as const
export type AccountState = (typeof ACCOUNT_STATES)[number]

export const ACCOUNT_STATE_LABELS: Record<AccountState, string> = {
  active: '正常',
  restricted: '部分功能受限',
  suspended: '暂停使用',
  frozenBySelf: '已自助冻结',
  frozenByStaff: '已被平台冻结',
  pendingDeletion: '注销冷静期中',
  deleted: '已注销',
  dormant: '休眠',
  terminated: '已终止服务',
}

/** States in which the account may use signed-in features (restrictions are per feature). */
const USABLE_STATES: ReadonlySet<AccountState> = new Set(['active', 'restricted'])

export function isUsable(state: AccountState): boolean {
  return USABLE_STATES.has(state)
}

/** What a new user still has to do before using everything. */
export const PENDING_STEPS = ['agreement', 'realName'] as const
export type PendingStep = (typeof PENDING_STEPS)[number]

export const PENDING_STEP_LABELS: Record<PendingStep, string> = {
  agreement: '阅读并同意用户协议和隐私政策',
  realName: '完成实名认证',
}

export interface AccountFacts {
  /** The current user agreement and privacy policy (and, under 14, the guardian's consent) are accepted. */
  agreementAccepted: boolean
  verified: boolean
}

export function pendingSteps(facts: AccountFacts): PendingStep[] {
  const steps: PendingStep[] = []
  if (!facts.agreementAccepted) steps.push('agreement')
  if (!facts.verified) steps.push('realName')
  return steps
}

export const DEFAULT_ROLES: readonly Role[] = ['user']

/** Every state a person with an account can be in (a deleted account is a tombstone nobody signs into). */
export const LIVING_STATES: readonly AccountState[] = ACCOUNT_STATES.filter((s) => s !== 'deleted')

/** What a person can do about their own account's state (offered by getState). */
export const SELF_SERVICE_ACTIONS = ['freeze', 'unfreeze', 'wake', 'requestDeletion', 'cancelDeletion'] as const
export type SelfServiceAction = (typeof SELF_SERVICE_ACTIONS)[number]

/**
 * The states a penalty can leave a person in, besides the usable ones: there
 * they can still read their inbox, their conduct record, and appeal.
 */
export const PENALTY_STATES: readonly AccountState[] = ['active', 'restricted', 'suspended', 'frozenByStaff', 'terminated']

/** Staff-imposed states a person can appeal against. */
export const APPEALABLE_STATES: ReadonlySet<AccountState> = new Set(['restricted', 'suspended', 'frozenByStaff', 'terminated'])

/** Fields locked after real-name verification: changed only through a correction request reviewed by staff. */
export const CORRECTION_FIELDS = ['realName', 'idNumber', 'birthDate'] as const
export type CorrectionField = (typeof CORRECTION_FIELDS)[number]

export const CORRECTION_FIELD_LABELS: Record<CorrectionField, string> = {
  realName: '真实姓名',
  idNumber: '身份证号',
  birthDate: '出生日期',
}

export const CORRECTION_STATUSES = ['open', 'accepted', 'rejected'] as const
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number]

/** Erasure within this many working days of the cooling-off period's end (the promise in the privacy policy). */
export const ERASURE_WORKING_DAYS = 15

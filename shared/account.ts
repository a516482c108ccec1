import type { Role } from './access'

/**
 * Account states. Only `active` is produced so far; the lifecycle (restrictions,
 * freezing, deletion, dormancy) adds its transitions on top of this list.
 */
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

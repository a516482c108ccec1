import type { Role } from '../shared/access'

/** Development identities: stand-ins for the OPENIDs WeChat would give, switchable in the local cloud. */
export interface DevIdentity {
  openid: string
  label: string
  roles: Role[]
}

export const DEV_IDENTITIES: readonly DevIdentity[] = [
  { openid: 'dev-alice', label: '张小乐（已实名用户）', roles: ['user'] },
  { openid: 'dev-bob', label: '李大聊（新用户）', roles: ['user'] },
  { openid: 'dev-reviewer', label: '审核员', roles: ['user', 'reviewer'] },
  { openid: 'dev-admin', label: '管理员', roles: ['user', 'admin'] },
]

export const DEFAULT_IDENTITY = 'dev-alice'

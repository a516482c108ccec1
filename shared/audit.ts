/** How staff actions on a person read in that person's access log (账号访问记录). */

export const STAFF_ROLES = ['reviewer', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  reviewer: '审核员',
  admin: '管理员',
}

/** Who appears in a person's access log: staff by role, and third-party applications that received their data through the login service. */
export const ACCESS_ROLES = [...STAFF_ROLES, 'client'] as const
export type AccessRole = (typeof ACCESS_ROLES)[number]

export const ACCESS_ROLE_LABELS: Record<AccessRole, string> = { ...STAFF_ROLE_LABELS, client: '第三方应用' }

/** `fn.action` → what the person is told happened (a guard test wants every staff action here or in IMPERSONAL_STAFF_ACTIONS). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'admin.getAccount': '查看了你的账号资料',
  'admin.transition': '处理了你的账号状态',
  'admin.resolveCorrection': '处理了你的信息更正申请',
  'identity.reveal': '查看了你的实名信息原文',
  'consent.prove': '调取了你的同意记录',
  'admin.listCorrections': '查看了你的信息更正申请',
  'admin.grantRole': '授予了你工作人员角色',
  'admin.revokeRole': '撤销了你的工作人员角色',
  'moderation.item': '查看了与你有关的审核事项（内容、举报和处理记录）',
  'moderation.decide': '对与你有关的事项作出了处理决定',
  'moderation.decideAppeal': '复核了你的申诉',
  'oidc.token': '通过乐聊名片登录获取了你同意提供的信息',
}

/** Staff actions that never concern one person, so they never appear in anyone's access log. */
export const IMPERSONAL_STAFF_ACTIONS: readonly string[] = [
  'legal.publish',
  'admin.listStaff',
  'moderation.putLexicon',
  'moderation.lexiconInfo',
  'moderation.queue',
  'moderation.claim',
  'moderation.release',
  'moderation.decisions',
  'oidc.clients',
  'oidc.saveClient',
  'oidc.setClientStatus',
  'oidc.rotateSecret',
]

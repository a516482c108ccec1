/** How staff actions on a person read in that person's access log (账号访问记录). */

export const STAFF_ROLES = ['reviewer', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  reviewer: '审核员',
  admin: '管理员',
}

/** `fn.action` → what the person is told happened; actions not listed show their contract summary. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'admin.getAccount': '查看了你的账号资料',
  'admin.transition': '处理了你的账号状态',
  'admin.resolveCorrection': '处理了你的信息更正申请',
  'identity.reveal': '查看了你的实名信息原文',
  'consent.prove': '调取了你的同意记录',
}

/**
 * Authorization between staff. Roles alone are not enough: nobody decides
 * about their own account or content, a reviewer takes no action against
 * another member of staff (an admin does), and no action may leave the
 * product without an admin who can still use it — or staff could lock each
 * other, and every admin, out.
 */
import { isUsable } from '../../shared/account'
import type { StaffRole } from '../../shared/audit'
import { accounts, normalizeAccount, stateOf, type AccountDoc } from './accounts'
import type { AccountContext, Context } from './context'
import { fail } from './errors'

export function staffRoleOf(account: Pick<AccountDoc, 'roles'>): StaffRole | null {
  return account.roles.includes('admin') ? 'admin' : account.roles.includes('reviewer') ? 'reviewer' : null
}

export function isStaff(account: Pick<AccountDoc, 'roles'>): boolean {
  return staffRoleOf(account) !== null
}

/** Admins whose accounts can be used now (however many there are, at most a page of them is read: staff are few). */
export async function usableAdmins(ctx: Context): Promise<AccountDoc[]> {
  const admins = await accounts(ctx.db).find({ roles: 'admin' }, { limit: 100 })
  return admins.map(normalizeAccount).filter((a) => a.roles.includes('admin') && isUsable(stateOf(a, ctx.now)))
}

/** Refuses when `account` is the only usable admin: `what` is the action that would take it out of use. */
export async function refuseIfLastAdmin(ctx: Context, account: AccountDoc, what: string): Promise<void> {
  if (!account.roles.includes('admin')) return
  const others = (await usableAdmins(ctx)).filter((a) => a._id !== account._id)
  if (others.length === 0) fail('FORBIDDEN', `这是唯一一位可用的管理员账号，不能${what}；请先为另一位已实名的用户授予管理员角色`)
}

/**
 * What a member of staff may do to `subject` (the account a decision or
 * action is about): never their own, and a reviewer nothing against staff.
 */
export function refuseStaffConflict(ctx: AccountContext, subject: Pick<AccountDoc, '_id' | 'roles'>): void {
  if (subject._id === ctx.account._id) fail('FORBIDDEN', '不能处理与自己有关的事项，请交给其他工作人员')
  if (!ctx.account.roles.includes('admin') && isStaff(subject)) fail('FORBIDDEN', '审核员不能处理工作人员的账号或内容，请交给管理员处理')
}

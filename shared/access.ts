/**
 * Who may call an action. Each level includes the checks of the levels above it
 * (except `anonymous`, which needs only a WeChat identity):
 * - anonymous: any WeChat user, no account needed (e.g. a visitor scanning a card);
 * - signedIn: an account in a usable state;
 * - verified: signedIn + real-name verification passed;
 * - owner: signedIn + the resource named in the input belongs to the caller;
 * - reviewer / admin: signedIn + the staff role (admins may do what reviewers do).
 */
export const ACCESS_LEVELS = ['anonymous', 'signedIn', 'verified', 'owner', 'reviewer', 'admin'] as const
export type Access = (typeof ACCESS_LEVELS)[number]

export const ROLES = ['user', 'reviewer', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function isStaffAccess(access: Access): boolean {
  return access === 'reviewer' || access === 'admin'
}

export function hasRole(roles: readonly Role[], needed: 'reviewer' | 'admin'): boolean {
  if (roles.includes('admin')) return true
  return needed === 'reviewer' && roles.includes('reviewer')
}

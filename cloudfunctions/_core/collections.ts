/** Collection names in one place; their indexes are declared in database/collections.json. */
export const COLLECTIONS = {
  accounts: 'accounts',
  auditLogs: 'audit_logs',
} as const

/** Collection names in one place; their indexes are declared in database/collections.json. */
export const COLLECTIONS = {
  accounts: 'accounts',
  auditLogs: 'audit_logs',
  legalDocuments: 'legal_documents',
  consentRecords: 'consent_records',
  inboxMessages: 'inbox_messages',
  subscriptions: 'subscriptions',
  identities: 'identities',
  identityAttempts: 'identity_attempts',
  impersonationReports: 'impersonation_reports',
  counters: 'counters',
  cards: 'cards',
  locations: 'locations',
  cardVisits: 'card_visits',
  accountEvents: 'account_events',
  correctionRequests: 'correction_requests',
} as const

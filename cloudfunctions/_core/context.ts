import type { Config } from './config'
import type { Clock } from './clock'
import type { Store } from './db'
import type { OpenApi } from './ports/openapi'
import type { AccountDoc } from './accounts'

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Everything a function needs from its surroundings; nothing below the entry reads globals. */
export interface Runtime {
  /** The caller, from the WeChat context in production or the local identity in development. */
  openid: string
  db: Store
  clock: Clock
  config: Config
  openApi: OpenApi
  log: Logger
}

export interface Context extends Runtime {
  requestId: string
  fn: string
  action: string
  /** Read once per call so that one call sees one time. */
  now: Date
  /** Set by the dispatcher for audited (staff) actions: see `noteAudit`. */
  audit?: AuditNote
}

/** The context of actions that require an account. */
export interface AccountContext extends Context {
  account: AccountDoc
}

/** Logs as one JSON line, the shape CloudBase's log search indexes well. Never log personal data. */
export const jsonLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined }

/** What an audited action tells the audit record about itself (see audit.ts noteAudit). */
export interface AuditNote {
  subject: string | null
  detail: string | null
  /** More people whose data the action showed (a list of several people's requests): each sees it in their access log. */
  others?: string[]
}

import { ERROR_MESSAGES, isErrorCode, type ErrorCode, type FieldIssue } from '../../shared/errors'

/** Server codes plus the one the client adds when the call never reached a function. */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR'

export const NETWORK_ERROR_MESSAGE = '网络连接失败，请检查网络后重试'

/** What every failed call throws: a stable code to branch on, a message for the user, and per-field problems. */
export class ApiCallError extends Error {
  readonly code: ClientErrorCode
  readonly issues: FieldIssue[]
  /** Technical detail for logs (never shown to users). */
  readonly detail: string
  /** With RATE_LIMITED and other waits: the earliest time (ISO 8601) a retry can succeed. */
  readonly retryAt: string | null

  constructor(code: ClientErrorCode, message: string, issues: FieldIssue[] = [], detail = '', retryAt: string | null = null) {
    super(message)
    this.name = 'ApiCallError'
    this.code = code
    this.issues = issues
    this.detail = detail
    this.retryAt = retryAt
    // Older base libraries compile classes down; keep instanceof working there too.
    Object.setPrototypeOf(this, ApiCallError.prototype)
  }
}

export function networkError(detail: string): ApiCallError {
  return new ApiCallError('NETWORK_ERROR', NETWORK_ERROR_MESSAGE, [], detail)
}

/** A reply that is not an ApiResult: the function or the local cloud misbehaved, not the network. */
export function badReplyError(detail: string): ApiCallError {
  return new ApiCallError('INTERNAL', ERROR_MESSAGES.INTERNAL, [], detail)
}

export function toClientCode(code: unknown): ErrorCode {
  // A newer server may send a code this build does not know: treat it as a generic failure.
  return isErrorCode(code) ? code : 'INTERNAL'
}

/** Field path → first message, for showing next to each input. Issues without a path go under ''. */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  if (!(error instanceof ApiCallError)) return result
  for (const issue of error.issues) {
    if (!(issue.path in result)) result[issue.path] = issue.message
  }
  return result
}

export const UNKNOWN_ERROR_MESSAGE = '出了点问题，请稍后重试'

/** The sentence to show for any failure. */
export function messageOf(error: unknown): string {
  return error instanceof ApiCallError ? error.message : UNKNOWN_ERROR_MESSAGE
}

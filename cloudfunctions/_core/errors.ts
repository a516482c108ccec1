import { apiError, type ApiError, type ErrorCode, type FieldIssue } from '../../shared/errors'

/** A refusal a handler means to give: becomes `{code, message}` for the caller, never a crash. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues: FieldIssue[] | undefined
  readonly userMessage: string | undefined
  readonly retryAt: Date | undefined

  constructor(code: ErrorCode, message?: string, issues?: FieldIssue[], retryAt?: Date) {
    super(message ?? code)
    this.name = 'AppError'
    this.code = code
    this.issues = issues
    this.userMessage = message
    this.retryAt = retryAt
  }

  toApiError(): ApiError {
    return apiError(this.code, this.userMessage, this.issues, this.retryAt)
  }
}

export function fail(code: ErrorCode, message?: string, issues?: FieldIssue[], retryAt?: Date): never {
  throw new AppError(code, message, issues, retryAt)
}

/** What the SDK reports for a unique-index violation, whatever the transport. */
export function isDuplicateKey(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as { message?: unknown })?.message ?? ''} ${(error as { errMsg?: unknown })?.errMsg ?? ''}`
  return /duplicate|E11000|DATABASE_DUPLICATE/i.test(text)
}

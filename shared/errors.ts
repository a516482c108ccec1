/**
 * Every refusal the backend can give: a stable code (clients branch on it)
 * and the Chinese message shown to users. Codes never change meaning once shipped.
 */
export const ERROR_MESSAGES = {
  INVALID_REQUEST: '请求格式不正确',
  UNKNOWN_ACTION: '不支持的操作',
  INVALID_INPUT: '填写的内容不符合要求，请检查后重试',
  UNAUTHENTICATED: '无法确认你的微信身份，请重新打开小程序',
  ACCOUNT_REQUIRED: '请先登录',
  ACCOUNT_UNAVAILABLE: '账号当前状态无法进行此操作',
  VERIFICATION_REQUIRED: '请先完成实名认证',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已被删除',
  CONFLICT: '数据已被修改，请刷新后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  TERMS_NOT_ACCEPTED: '请先阅读并同意用户协议和隐私政策',
  TERMS_UPDATED: '用户协议或隐私政策已更新，请阅读并同意后继续使用',
  GUARDIAN_CONSENT_REQUIRED: '未满14周岁的用户需要监护人同意后才能使用',
  CONSENT_REQUIRED: '这项功能需要你的单独同意',
  DOCUMENT_OUTDATED: '你看到的协议版本已不是最新，请刷新后重新阅读',
  WITHDRAW_VIA_DELETION: '用户协议和隐私政策无法单独撤回；不再同意可以注销账号',
  VERSION_EXISTS: '该文档版本已存在，已发布的版本不能修改',
  INTERNAL: '服务暂时不可用，请稍后再试',
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[]

/** One problem with one input field, in words a user understands. */
export interface FieldIssue {
  path: string
  message: string
}

export interface ApiError {
  code: ErrorCode
  message: string
  issues?: FieldIssue[]
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError }

export function apiError(code: ErrorCode, message?: string, issues?: FieldIssue[]): ApiError {
  const error: ApiError = { code, message: message ?? ERROR_MESSAGES[code] }
  if (issues && issues.length > 0) error.issues = issues
  return error
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_MESSAGES
}

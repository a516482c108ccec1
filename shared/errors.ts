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
  ALREADY_VERIFIED: '你的账号已完成实名认证，无需重复核验',
  ID_ALREADY_BOUND:
    '该身份证号已绑定另一个乐聊名片账号，一个人只能实名认证一个账号。如果那个账号不是你本人注册的，可以提交冒用申诉，我们会人工核查',
  VERIFICATION_USED: '这次核验已经完成过，请勿重复提交；如需重新核验请重新发起',
  VERIFICATION_EXPIRED: '这次核验已过期，请重新发起实名核验',
  IDENTITY_SERVICE_UNAVAILABLE: '实名核验服务暂时不可用，请稍后再试',
  TRANSITION_NOT_ALLOWED: '账号当前状态不能进行此操作',
  REASON_REQUIRED: '请写明处理理由',
  END_TIME_REQUIRED: '请设置结束时间，且须晚于当前时间',
  REAUTH_REQUIRED: '为确认是你本人操作，请重新进入小程序后再试',
  REVERIFICATION_REQUIRED: '为确认是你本人操作，请先重新完成人脸核验',
  FEATURE_RESTRICTED: '这项功能已被限制使用',
  CORRECTION_PENDING: '你已提交过这一项的更正申请，请等待处理结果',
  CORRECTION_RESOLVED: '这条更正申请已处理过了',
  CONTENT_REFUSED: '内容未通过安全审核，请修改后再发布',
  CARD_LIMIT: '名片数量已达上限',
  CARD_HIDDEN: '这张名片暂不公开',
  HOLDER_FULL: '名片夹已满，请先整理后再保存',
  ACTIVITY_FULL: '活动名额已满',
  SIGNUP_CLOSED: '活动报名已截止',
  ALREADY_SIGNED_UP: '你已报名这个活动',
  ACTIVITY_LOCKED: '活动已开始或已取消，不能再修改',
  NOT_PUBLISHED: '内容还没有发布，暂时不能进行此操作',
  DRAFT_LIMIT: '草稿数量已达上限，请先发布或删除一些草稿',
  APPEAL_CLOSED: '已超过申诉期限：处理决定作出后 14 天内可以申诉',
  ALREADY_APPEALED: '这项处理决定已经申诉过，每项决定只能申诉一次',
  SIGN_IN_EXPIRED: '这次登录请求已过期或已处理，请回到原网页或应用重新发起登录',
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
  /** With RATE_LIMITED and other waits: the earliest time (ISO 8601) a retry can succeed. */
  retryAt?: string
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError }

export function apiError(code: ErrorCode, message?: string, issues?: FieldIssue[], retryAt?: Date): ApiError {
  const error: ApiError = { code, message: message ?? ERROR_MESSAGES[code] }
  if (issues && issues.length > 0) error.issues = issues
  if (retryAt) error.retryAt = retryAt.toISOString()
  return error
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_MESSAGES
}

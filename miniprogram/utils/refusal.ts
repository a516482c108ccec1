/**
 * What a refused publish, edit or sign-up means for the user, and what they
 * can do about it: each refusal code gets its own explanation and, where there
 * is one, a way forward (verify, sign in). The server's message comes first:
 * it carries the specifics (FEATURE_RESTRICTED says until when and why,
 * CONTENT_REFUSED the category).
 *
 * TERMS_* and GUARDIAN_CONSENT_REQUIRED are handled app-wide (api onBlocked →
 * the terms popup or registration); the page only repeats the message.
 */
import { ApiCallError, fieldErrors, messageOf } from '../api/errors'

export const VERIFY_URL = '/packageAccount/pages/verify/index'
export const ME_URL = '/pages/me/index'

/** Where the refusal's button leads: real-name verification, or 我的 to sign in. */
export type RefusalAction = 'verify' | 'login' | ''

export interface Refusal {
  code: string
  /** The sentence saying what happened. */
  message: string
  /** What to do about it ('' when the message says it all). */
  hint: string
  action: RefusalAction
  /** The link's words, '' without an action. */
  actionText: string
}

export const NO_REFUSAL: Refusal = { code: '', message: '', hint: '', action: '', actionText: '' }

const HINTS: Readonly<Record<string, { hint: string; action?: RefusalAction; actionText?: string }>> = {
  VERIFICATION_REQUIRED: {
    hint: '为保证每条内容背后都是真实的人，发布前需要完成实名认证。认证只需几分钟，完成后回到这里再提交即可，已填写的内容不会丢失。',
    action: 'verify',
    actionText: '去实名认证',
  },
  FEATURE_RESTRICTED: {
    hint: '限制到期后会自动恢复，在此之前无法使用这项功能。处理通知和申诉方式已发到「消息」，可以在那里查看。',
  },
  CONTENT_REFUSED: {
    hint: '请按照各项下方标出的提示修改后再提交。',
  },
  ACTIVITY_FULL: {
    hint: '已经没有空位了。如果有人取消报名，名额会重新开放，可以稍后再来看看。',
  },
  SIGNUP_CLOSED: {
    hint: '报名已截止或活动已开始，报名名单不能再变动。如有需要，请直接联系组织者。',
  },
  ALREADY_SIGNED_UP: {
    hint: '你已经有一个名额了，不需要重复报名。',
  },
  ACTIVITY_LOCKED: {
    hint: '活动开始后或取消后就不能再修改了。如需调整，可以重新发布一个活动。',
  },
  NOT_PUBLISHED: {
    hint: '内容通过审核后才能进行这项操作，请稍后再试。',
  },
  ACCOUNT_REQUIRED: {
    hint: '登录后才能使用这项功能。',
    action: 'login',
    actionText: '去登录',
  },
  ACCOUNT_UNAVAILABLE: {
    hint: '可以在「我的 → 账号与安全」中查看账号状态。',
  },
  TERMS_NOT_ACCEPTED: { hint: '请在弹出的页面中阅读并同意后继续。' },
  TERMS_UPDATED: { hint: '请在弹出的窗口中阅读并同意新版本后继续。' },
  GUARDIAN_CONSENT_REQUIRED: { hint: '请在弹出的页面中按提示请监护人同意后继续。' },
}

export function refusalOf(error: unknown): Refusal {
  const code = error instanceof ApiCallError ? error.code : ''
  const known = HINTS[code]
  return {
    code,
    message: messageOf(error),
    hint: known?.hint ?? '',
    action: known?.action ?? '',
    actionText: known?.actionText ?? '',
  }
}

/** Opens where the refusal's action leads (nothing for refusals without one). */
export function followRefusal(action: RefusalAction): void {
  if (action === 'verify') wx.navigateTo({ url: VERIFY_URL })
  // 我的 is a tab page: navigateTo cannot open it.
  else if (action === 'login') wx.switchTab({ url: ME_URL })
}

/**
 * Splits a refusal's field issues between the form's fields and the rest:
 * `fields` maps each known field to its first message; issues on other paths
 * (or without one) come back in `other`.
 */
export function placeIssues<K extends string>(error: unknown, known: readonly K[]): { fields: Partial<Record<K, string>>; other: string[] } {
  const fields: Partial<Record<K, string>> = {}
  const other: string[] = []
  for (const [path, message] of Object.entries(fieldErrors(error))) {
    // Nested paths (e.g. coverImage.0) belong to their field.
    const head = path.split('.')[0] ?? ''
    const field = known.find((k) => k === head)
    if (field !== undefined && fields[field] === undefined) fields[field] = message
    else other.push(message)
  }
  return { fields, other }
}

/** A refused save as a form shows it. */
export interface FormRefusal<K extends string> {
  refusal: Refusal
  /** Each known field's issue beside it ('' for the others). */
  errors: Record<K, string>
  /** Issues without a field of their own. */
  otherIssues: string[]
}

export function formRefusalOf<K extends string>(error: unknown, known: readonly K[], noErrors: Readonly<Record<K, string>>): FormRefusal<K> {
  const { fields, other } = placeIssues(error, known)
  return { refusal: refusalOf(error), errors: { ...noErrors, ...fields }, otherIssues: other }
}

/** Refusals that registering (or accepting the current terms) resolves. */
const REGISTER_CODES: readonly string[] = ['ACCOUNT_REQUIRED', 'TERMS_NOT_ACCEPTED', 'TERMS_UPDATED', 'GUARDIAN_CONSENT_REQUIRED']

/** The card pages offer 注册 instead of an error for these. */
export function isRegisterRefusal(error: unknown): boolean {
  return error instanceof ApiCallError && REGISTER_CODES.includes(error.code)
}

/**
 * The login service (乐聊名片登录): what third parties may ask for, and the
 * limits of the sign-in. Declared once; the oidc function enforces it, the
 * mini-program shows it, the discovery document publishes it.
 */

/** A client id: 3–40 lower-case letters, digits or hyphens (also checked before any lookup by id). */
export const CLIENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,39}$/

/** Only public services may use the login service (user agreement, 本服务). */
export const CLIENT_ORG_TYPES = ['government', 'publicUtility', 'publicService'] as const
export type ClientOrgType = (typeof CLIENT_ORG_TYPES)[number]

export const CLIENT_ORG_TYPE_LABELS: Record<ClientOrgType, string> = {
  government: '政府部门',
  publicUtility: '公用事业单位',
  publicService: '公共服务机构',
}

/** Organizations that may receive the full ID number; others get it masked. */
export const FULL_ID_NUMBER_ORG_TYPES: readonly ClientOrgType[] = ['government', 'publicService']

export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'private_key_jwt'] as const
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number]

/** Scopes a client may be allowed and may ask for; `openid` is always there. */
export const OIDC_SCOPES = ['verified', 'age', 'profile', 'id_number'] as const
export type OidcScope = (typeof OIDC_SCOPES)[number]

export const OIDC_CLAIMS = [
  'real_name_verified',
  'verified_at',
  'age_over_14',
  'age_over_18',
  'name',
  'birthdate',
  'gender',
  'id_number',
] as const
export type OidcClaim = (typeof OIDC_CLAIMS)[number]

export interface ScopeSpec {
  label: string
  claims: readonly OidcClaim[]
  /** What the person is told the organization learns. */
  shows: string
  /** Sensitive personal information (PIPL Art. 28): shared only with its own, separate consent in the flow. */
  sensitive: boolean
}

export const SCOPE_SPECS: Record<OidcScope, ScopeSpec> = {
  verified: {
    label: '已实名认证',
    claims: ['real_name_verified', 'verified_at'],
    shows: '你已通过实名认证，以及认证的时间（不含姓名和证件号）',
    sensitive: false,
  },
  age: {
    label: '是否年满 14 / 18 周岁',
    claims: ['age_over_14', 'age_over_18'],
    shows: '你是否年满 14 周岁、是否年满 18 周岁（不含出生日期）',
    sensitive: false,
  },
  profile: {
    label: '姓名、出生日期和性别',
    claims: ['name', 'birthdate', 'gender'],
    shows: '你的法定姓名，以及由身份证号得出的出生日期和性别',
    sensitive: true,
  },
  id_number: {
    label: '身份证号',
    claims: ['id_number'],
    shows: '你的身份证号（政府部门和公共服务机构可得到完整号码，其他机构只得到隐去中间数字的号码）',
    sensitive: true,
  },
}

export function claimsOf(scopes: readonly OidcScope[]): OidcClaim[] {
  const claims: OidcClaim[] = []
  for (const scope of scopes) claims.push(...SCOPE_SPECS[scope].claims)
  return claims
}

export function isOidcScope(value: string): value is OidcScope {
  return (OIDC_SCOPES as readonly string[]).includes(value)
}

/** Lifetimes, in seconds. */
export const OIDC_TTL = {
  /** A pushed request (RFC 9126 recommends a short life). */
  pushed: 90,
  /** From the QR page to the person's decision. */
  signIn: 300,
  /** Authorization codes: single use, one minute. */
  code: 60,
  accessToken: 600,
  idToken: 600,
  /** Refresh tokens rotate on each use; a family lives at most this long without use. */
  refreshToken: 30 * 24 * 3600,
} as const

export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:'

/** The mini-program page a QR code or a PAR request opens (its own subpackage). */
export const AUTHORIZE_PAGE = 'packageOidc/pages/authorize/index'

/** The scene of a web sign-in's QR code: `o=<sign-in id>` (≤ 32 characters). */
export function signInScene(signInId: string): string {
  return `o=${signInId}`
}

export function signInIdOfScene(scene: string): string | null {
  const match = /^o=([\w-]{8,30})$/.exec(scene)
  return match?.[1] ?? null
}

/**
 * WeChat offers mini-programs no way to authenticate a person by their WeChat
 * Pay password, so the agreement's second way of signing in is not offered.
 */
export const PAY_PASSWORD_NOTE = '微信未向小程序开放以微信支付密码验证身份的能力，因此本服务只提供刷脸登录，不提供支付密码登录。'

/** A loopback address (RFC 8252 §7.3): development clients only; production refuses it when the client is saved. */
export const LOOPBACK_URL = /^http:\/\/(?:127\.0\.0\.1|localhost):\d{1,5}\/[^\s#]*$/

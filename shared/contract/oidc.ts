/**
 * The login service's mini-program and staff actions. The third party's side
 * (discovery, PAR, authorize, token, userinfo, revoke) is HTTP, served by the
 * same function through CloudBase's HTTP access service (cloudfunctions/oidc/http.ts).
 */
import * as z from 'zod/mini'
import { CLIENT_AUTH_METHODS, CLIENT_ID_PATTERN, CLIENT_ORG_TYPES, LOOPBACK_URL, OIDC_CLAIMS, OIDC_SCOPES, REQUEST_URI_PREFIX } from '../oidc'
import { isoDateTime, nextCursor, pageInput, staffReason, verificationId } from './common'
import { action } from './define'

export const clientId = z.string().check(z.regex(CLIENT_ID_PATTERN, '应用编号为 3–40 位小写字母、数字或连字符'))
const signInId = z.string().check(z.regex(/^[\w-]{8,30}$/, '登录请求编号格式不正确'))
const requestUri = z.string().check(z.maxLength(120), z.startsWith(REQUEST_URI_PREFIX, '不是本服务签发的请求地址'))

/** An https address with a host, no spaces (checked without URL, which the mini-program's typings lack). */
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?(?:\/[^\s#]*)?(?:#\S*)?$/i


/** Exact https redirect URIs (or loopback ones in development): no fragment, no wildcard. */
const redirectUri = z.string().check(
  z.maxLength(500),
  z.refine((value) => (HTTPS_URL.test(value) || LOOPBACK_URL.test(value)) && !value.includes('#') && !value.includes('*'), '回调地址须为完整的 https 地址（不含 # 和通配符）'),
)
const appId = z.string().check(z.regex(/^wx[0-9a-f]{16}$/, '小程序 AppID 格式不正确'))
const httpsUrl = z.string().check(z.maxLength(500), z.refine((value) => HTTPS_URL.test(value), '须为 https 地址'))

/** A client's public keys for private_key_jwt: EC P-256 or RSA, each with a kid, no private parts. */
const publicJwk = z
  .looseObject({
    kty: z.enum(['EC', 'RSA']),
    kid: z.string().check(z.minLength(1), z.maxLength(64)),
  })
  .check(z.refine((jwk) => !('d' in jwk), '只能登记公钥，不能包含私钥'))
const clientJwks = z.strictObject({ keys: z.array(publicJwk).check(z.minLength(1), z.maxLength(5)) })

const clientFields = {
  name: z.string().check(z.trim(), z.minLength(2), z.maxLength(40)),
  /** Shown as 本服务由 …… 提供. */
  organization: z.string().check(z.trim(), z.minLength(2), z.maxLength(60)),
  orgType: z.enum(CLIENT_ORG_TYPES, '只接受政府部门、公用事业单位和公共服务机构'),
  /** An image the admin uploaded (account.uploadImage); it passes the moderation gate. */
  logo: z.nullable(z.string().check(z.startsWith('cloud://'), z.maxLength(300))),
  redirectUris: z.array(redirectUri).check(z.maxLength(10)),
  miniProgramAppIds: z.array(appId).check(z.maxLength(5)),
  allowedScopes: z.array(z.enum(OIDC_SCOPES)).check(z.maxLength(OIDC_SCOPES.length)),
  authMethod: z.enum(CLIENT_AUTH_METHODS),
  jwks: z.nullable(clientJwks),
  /** Clients of one sector see the same pseudonymous subject; by default the host of the first redirect URI. */
  sector: z.nullable(z.string().check(z.regex(/^[a-z0-9.-]{3,100}$/, '主体标识为域名形式，如 gjj.example.gov.cn'))),
  privacyNoticeUrl: httpsUrl,
}

export const clientInput = z.strictObject({ clientId, ...clientFields, reason: staffReason }).check(
  z.refine((c) => c.redirectUris.length + c.miniProgramAppIds.length > 0, '至少登记一个回调地址或小程序 AppID'),
  z.refine((c) => (c.authMethod === 'private_key_jwt') === (c.jwks !== null), '使用 private_key_jwt 时须登记公钥（JWKS），使用 client_secret_basic 时不登记'),
)
export type ClientInput = z.input<typeof clientInput>

export const clientView = z.object({
  clientId: z.string(),
  name: z.string(),
  organization: z.string(),
  orgType: z.enum(CLIENT_ORG_TYPES),
  orgTypeLabel: z.string(),
  logo: z.nullable(z.string()),
  redirectUris: z.array(z.string()),
  miniProgramAppIds: z.array(z.string()),
  allowedScopes: z.array(z.enum(OIDC_SCOPES)),
  authMethod: z.enum(CLIENT_AUTH_METHODS),
  hasSecret: z.boolean(),
  jwksKids: z.array(z.string()),
  sector: z.string(),
  privacyNoticeUrl: z.string(),
  status: z.enum(['active', 'suspended']),
  updatedAt: isoDateTime,
})
export type ClientView = z.infer<typeof clientView>

/** What the authorize page shows: who asks, for what, and why. */
export const signInView = z.object({
  signInId: z.string(),
  channel: z.enum(['web', 'miniprogram']),
  client: z.object({
    name: z.string(),
    organization: z.string(),
    orgTypeLabel: z.string(),
    logo: z.nullable(z.string()),
    privacyNoticeUrl: z.string(),
  }),
  scopes: z.array(
    z.object({ scope: z.enum(OIDC_SCOPES), label: z.string(), shows: z.string(), sensitive: z.boolean() }),
  ),
  expiresAt: isoDateTime,
  /** The login service's notice (its version is recorded with each sharing). */
  noticeVersion: z.string(),
})
export type SignInView = z.infer<typeof signInView>

export const signInOutcome = z.object({
  channel: z.enum(['web', 'miniprogram']),
  /** For a mini-program client: what to give back with navigateBackMiniProgram. Null on the web (the browser fetches its code). */
  extraData: z.nullable(z.object({ code: z.optional(z.string()), error: z.optional(z.string()), state: z.nullable(z.string()) })),
})
export type SignInOutcome = z.infer<typeof signInOutcome>

export const grantView = z.object({
  clientId: z.string(),
  name: z.string(),
  organization: z.string(),
  claims: z.array(z.enum(OIDC_CLAIMS)),
  scopeLabels: z.array(z.string()),
  firstUsedAt: isoDateTime,
  lastUsedAt: isoDateTime,
})
export type GrantView = z.infer<typeof grantView>

export const oidc = {
  open: action({
    summary: '打开第三方应用的登录请求（扫码或从其他小程序进入），查看它要获取的信息',
    access: 'verified',
    input: z.union([z.strictObject({ signInId }), z.strictObject({ requestUri, clientId })]),
    output: z.object({ signIn: signInView }),
    errors: ['NOT_FOUND', 'CONFLICT', 'SIGN_IN_EXPIRED'],
  }),
  approve: action({
    summary: '同意并以刷脸登录第三方应用（须先完成一次人脸核验）',
    access: 'verified',
    input: z.strictObject({
      signInId,
      /** The passed identity.recheck that signs the person in (spent once). */
      verificationId,
      /** The separate consent for sensitive claims (姓名、身份证号等); without it they are not shared. */
      shareSensitive: z.boolean(),
    }),
    output: signInOutcome,
    errors: ['NOT_FOUND', 'CONFLICT', 'SIGN_IN_EXPIRED', 'REVERIFICATION_REQUIRED'],
  }),
  deny: action({
    summary: '拒绝第三方应用的登录请求',
    access: 'verified',
    input: z.strictObject({ signInId }),
    output: signInOutcome,
    errors: ['NOT_FOUND', 'CONFLICT', 'SIGN_IN_EXPIRED'],
  }),
  grants: action({
    summary: '已授权的应用：向哪些机构提供过哪些信息',
    access: 'signedIn',
    input: z.strictObject({}),
    output: z.object({ grants: z.array(grantView) }),
    errors: [],
  }),
  revokeGrant: action({
    summary: '撤销对一个应用的授权（其令牌立即失效）',
    access: 'signedIn',
    input: z.strictObject({ clientId }),
    output: z.object({ revoked: z.boolean() }),
    errors: ['NOT_FOUND'],
  }),
  clients: action({
    summary: '登录服务的接入应用（管理员）',
    access: 'admin',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ clients: z.array(clientView), nextCursor }),
    errors: [],
  }),
  saveClient: action({
    summary: '登记或修改接入应用（管理员）；新登记的 client_secret_basic 应用只在此时得到一次密钥',
    access: 'admin',
    input: clientInput,
    output: z.object({ client: clientView, secret: z.nullable(z.string()) }),
    errors: ['CONFLICT'],
  }),
  setClientStatus: action({
    summary: '暂停或恢复接入应用（暂停后不再签发令牌，刷新令牌失效）',
    access: 'admin',
    input: z.strictObject({ clientId, status: z.enum(['active', 'suspended']), reason: staffReason }),
    output: z.object({ client: clientView }),
    errors: ['NOT_FOUND'],
  }),
  rotateSecret: action({
    summary: '重置接入应用的密钥（旧密钥立即失效，新密钥只显示一次）',
    access: 'admin',
    input: z.strictObject({ clientId, reason: staffReason }),
    output: z.object({ secret: z.string() }),
    errors: ['NOT_FOUND', 'CONFLICT'],
  }),
}


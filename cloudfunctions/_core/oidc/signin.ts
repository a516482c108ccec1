/**
 * A sign-in from request to code. A web client's request (pushed, or given to
 * /oidc/authorize) becomes a page with a QR code that only the browser that
 * showed it can follow; a mini-program client pushes its request and opens
 * our authorize page with the request_uri. The person who opens it first is
 * the only one who can decide on it; approving takes a fresh face check.
 */
import { isOidcScope, OIDC_TTL, REQUEST_URI_PREFIX, type OidcScope } from '../../../shared/oidc'
import type { Context } from '../context'
import { fail } from '../errors'
import { orderedId } from '../ids'
import { oauthFail } from './errors'
import { miniProgramRedirect, oidcSignIns, randomToken, sha256, type ClientDoc, type SignInDoc } from './records'

/** The request parameters as RFC 6749 / OIDC Core name them, validated against the client. */
export interface AuthorizationRequest {
  redirectUri: string
  channel: SignInDoc['channel']
  scopes: OidcScope[]
  state: string | null
  nonce: string | null
  codeChallenge: string
}

const PARAM_MAX = 512

/**
 * Checks the redirect URI first (RFC 6749 §4.1.2.1: an error about it must not
 * be sent to it), then the rest. Scopes the client is not allowed are left out;
 * unknown scopes are an error.
 */
export function parseAuthorizationRequest(client: ClientDoc, params: URLSearchParams): AuthorizationRequest {
  // OpenID Connect requires redirect_uri in every request; the token request must repeat it exactly.
  const redirectUri = params.get('redirect_uri')
  if (!redirectUri || !redirectUrisOf(client).includes(redirectUri)) oauthFail('invalid_request', 'redirect_uri is not registered for this client (exact match)')
  for (const [name, value] of params) if (value.length > PARAM_MAX) oauthFail('invalid_request', `${name} is too long`)
  if (params.get('response_type') !== 'code') oauthFail('unsupported_response_type', 'only response_type=code is supported')
  const requested = (params.get('scope') ?? '').split(' ').filter(Boolean)
  if (!requested.includes('openid')) oauthFail('invalid_scope', 'scope must include openid')
  const unknown = requested.filter((scope) => scope !== 'openid' && !isOidcScope(scope))
  if (unknown.length > 0) oauthFail('invalid_scope', `unknown scope: ${unknown.join(' ')}`)
  const scopes = requested.filter(isOidcScope).filter((scope) => client.allowedScopes.includes(scope))
  const codeChallenge = params.get('code_challenge')
  if (!codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) oauthFail('invalid_request', 'PKCE is required: code_challenge (S256, 43 characters)')
  if (params.get('code_challenge_method') !== 'S256') oauthFail('invalid_request', 'code_challenge_method must be S256')
  if (params.has('request')) oauthFail('request_not_supported', 'request objects are not supported; push the request (PAR)')
  const prompt = params.get('prompt')
  if (prompt !== null && prompt.split(' ').includes('none')) oauthFail('login_required', 'signing in always takes the person’s face check')
  return {
    redirectUri,
    channel: redirectUri.startsWith('wxmp://') ? 'miniprogram' : 'web',
    scopes: [...new Set(scopes)],
    state: params.get('state'),
    nonce: params.get('nonce'),
    codeChallenge,
  }
}

export async function createSignIn(
  ctx: Pick<Context, 'db' | 'now'>,
  client: ClientDoc,
  request: AuthorizationRequest,
  stage: 'pushed' | 'pending',
): Promise<{ id: string; browserSecret: string | null }> {
  const browserSecret = stage === 'pending' ? randomToken() : null
  const ttl = stage === 'pushed' ? OIDC_TTL.pushed : OIDC_TTL.signIn
  const doc: Omit<SignInDoc, '_id'> = {
    clientId: client._id,
    ...request,
    stage,
    browserSecretHash: browserSecret ? sha256(browserSecret) : null,
    openid: null,
    grantedScopes: null,
    authTime: null,
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + ttl * 1000),
  }
  // An ordered id with a random tail: unguessable, and it names the sign-in in a 32-character QR scene.
  const id = `${orderedId(ctx.now).slice(0, 9)}${randomToken(12)}`
  await oidcSignIns(ctx.db).add({ _id: id, ...doc })
  return { id, browserSecret }
}

/** The pushed request a request_uri names, for this client, while it is fresh; turned into a sign-in for `channel`. */
export async function claimPushed(ctx: Pick<Context, 'db' | 'now'>, clientId: string, requestUri: string, channel: SignInDoc['channel']): Promise<{ doc: SignInDoc; browserSecret: string | null }> {
  const id = requestUri.startsWith(REQUEST_URI_PREFIX) ? requestUri.slice(REQUEST_URI_PREFIX.length) : ''
  const doc = id ? await oidcSignIns(ctx.db).byId(id) : null
  if (!doc || doc.clientId !== clientId || doc.stage !== 'pushed' || doc.expiresAt <= ctx.now || doc.channel !== channel) {
    return oauthFail('invalid_request_uri', 'request_uri is unknown, expired, already used, or for another client')
  }
  const browserSecret = channel === 'web' ? randomToken() : null
  const patch = {
    stage: 'pending',
    browserSecretHash: browserSecret ? sha256(browserSecret) : null,
    expiresAt: new Date(ctx.now.getTime() + OIDC_TTL.signIn * 1000),
  }
  // Once: a request_uri is used by one page only.
  const claimed = await oidcSignIns(ctx.db).updateWhere({ _id: doc._id, stage: 'pushed' }, patch)
  if (claimed === 0) oauthFail('invalid_request_uri', 'request_uri was already used')
  return { doc: { ...doc, ...patch, stage: 'pending' }, browserSecret }
}

/**
 * The sign-in `openid` may decide on: pending, fresh, and either unopened (then
 * bound to them) or opened by them before. Anything else is refused.
 */
export async function openSignIn(ctx: Context, id: string, openid: string): Promise<SignInDoc> {
  const signIns = oidcSignIns(ctx.db)
  const doc = await signIns.byId(id)
  if (!doc || doc.stage === 'pushed') fail('NOT_FOUND', '没有找到这次登录请求，请回到原网页或应用重新发起登录')
  if (doc.expiresAt <= ctx.now || (doc.stage !== 'pending' && doc.openid === openid)) fail('SIGN_IN_EXPIRED')
  if (doc.openid !== null && doc.openid !== openid) fail('CONFLICT', '这次登录请求已由其他微信账号打开，请在网页上刷新二维码后重新扫码')
  if (doc.openid === null) {
    const bound = await signIns.updateWhere({ _id: id, openid: null, stage: 'pending' }, { openid })
    if (bound === 0) fail('CONFLICT', '这次登录请求已由其他微信账号打开，请在网页上刷新二维码后重新扫码')
  }
  return { ...doc, openid }
}

/** Settles a pending sign-in once (two taps, two devices: one wins). */
export async function settleSignIn(ctx: Context, doc: SignInDoc, patch: Partial<SignInDoc> & { stage: 'approved' | 'denied' }): Promise<void> {
  const settled = await oidcSignIns(ctx.db).updateWhere({ _id: doc._id, stage: 'pending', openid: doc.openid }, patch)
  if (settled === 0) fail('SIGN_IN_EXPIRED')
}

/** The redirect of a mini-program client: `wxmp://<appid>` for each registered app. */
export function redirectUrisOf(client: Pick<ClientDoc, 'redirectUris' | 'miniProgramAppIds'>): string[] {
  return [...client.redirectUris, ...client.miniProgramAppIds.map(miniProgramRedirect)]
}

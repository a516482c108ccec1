/**
 * The login service's HTTP side, served through CloudBase's HTTP access
 * service (and by the local gateway under the same paths): discovery, JWKS,
 * pushed authorization requests (RFC 9126), the authorize page with its QR
 * code, token (code + PKCE, refresh rotation), userinfo, revocation (RFC 7009).
 */
import { AUTHORIZE_PAGE, CLIENT_ID_PATTERN, OIDC_CLAIMS, OIDC_SCOPES, OIDC_TTL, REQUEST_URI_PREFIX, signInScene } from '../../shared/oidc'
import type { Context } from '../_core/context'
import type { HttpHandler } from '../_core/define'
import { jsonResponse, redirectResponse, type HttpRequest, type HttpResponse } from '../_core/http-event'
import { authenticateClient } from '../_core/oidc/client-auth'
import { OAuthError, oauthFail } from '../_core/oidc/errors'
import { noteTokenIssued } from '../_core/oidc/ledger'
import { oidcClients, oidcSignIns, sha256, type ClientDoc, type SignInDoc } from '../_core/oidc/records'
import { claimPushed, createSignIn, parseAuthorizationRequest } from '../_core/oidc/signin'
import { exchangeCode, issueCode, oidcSettingsOf, refresh, revokeToken, userInfo } from '../_core/oidc/tokens'
import { authorizePage, errorPage } from './pages'

const FORM = 'application/x-www-form-urlencoded'

function formOf(request: HttpRequest): URLSearchParams {
  if (request.method !== 'POST') oauthFail('invalid_request', 'use POST', 405)
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM)) oauthFail('invalid_request', `the body must be ${FORM}`)
  const form = new URLSearchParams(request.body)
  for (const name of new Set(form.keys())) if (form.getAll(name).length > 1) oauthFail('invalid_request', `${name} is given more than once`)
  return form
}

function endpoints(issuer: string) {
  return {
    authorization_endpoint: `${issuer}/oidc/authorize`,
    token_endpoint: `${issuer}/oidc/token`,
    userinfo_endpoint: `${issuer}/oidc/userinfo`,
    jwks_uri: `${issuer}/oidc/jwks`,
    pushed_authorization_request_endpoint: `${issuer}/oidc/par`,
    revocation_endpoint: `${issuer}/oidc/revoke`,
  }
}

function discovery(ctx: Context): HttpResponse {
  const { issuer } = oidcSettingsOf(ctx.config)
  return jsonResponse(
    200,
    {
      issuer,
      ...endpoints(issuer),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'PS256'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', ...OIDC_SCOPES],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', ...OIDC_CLAIMS],
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      require_pushed_authorization_requests: false,
      authorization_response_iss_parameter_supported: true,
      ui_locales_supported: ['zh-CN'],
    },
    { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  )
}

function jwks(ctx: Context): HttpResponse {
  const { keys } = oidcSettingsOf(ctx.config)
  return jsonResponse(200, { keys: keys.map((key) => key.publicJwk) }, { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' })
}

async function activeClient(ctx: Context, id: string | null): Promise<ClientDoc | null> {
  const client = id && CLIENT_ID_PATTERN.test(id) ? await oidcClients(ctx.db).byId(id) : null
  return client && client.status === 'active' ? client : null
}

async function par(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const settings = oidcSettingsOf(ctx.config)
  const form = formOf(request)
  const client = await authenticateClient(ctx, settings, request.headers, form, `${settings.issuer}/oidc/par`)
  if (client.status !== 'active') oauthFail('unauthorized_client', 'this client is suspended')
  if (form.has('request_uri')) oauthFail('invalid_request', 'request_uri is not allowed in a pushed request')
  const { id } = await createSignIn(ctx, client, parseAuthorizationRequest(client, form), 'pushed')
  return jsonResponse(201, { request_uri: `${REQUEST_URI_PREFIX}${id}`, expires_in: OIDC_TTL.pushed })
}

/** Where the browser goes after the person decided (or with an error that may go to the client). */
function responseUrl(issuer: string, signIn: Pick<SignInDoc, 'redirectUri' | 'state'>, params: Record<string, string>): string {
  const url = new URL(signIn.redirectUri)
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  if (signIn.state !== null) url.searchParams.set('state', signIn.state)
  url.searchParams.set('iss', issuer)
  return url.toString()
}

async function authorize(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const settings = oidcSettingsOf(ctx.config)
  if (request.method !== 'GET') return errorPage(405, '请用浏览器打开登录页面。')
  const params = new URLSearchParams(request.query)
  const client = await activeClient(ctx, params.get('client_id'))
  if (!client) return errorPage(400, '发起登录的应用未登记或已暂停使用乐聊名片登录，请联系该应用的运营机构。')
  let signIn: { doc: SignInDoc; browserSecret: string | null }
  const requestUri = params.get('request_uri')
  try {
    if (requestUri !== null) {
      signIn = await claimPushed(ctx, client._id, requestUri, 'web')
    } else {
      const parsed = parseAuthorizationRequest(client, params)
      if (parsed.channel !== 'web') oauthFail('invalid_request', 'a mini-program client opens the authorize page in WeChat with its request_uri')
      const created = await createSignIn(ctx, client, parsed, 'pending')
      const doc = await oidcSignIns(ctx.db).byId(created.id)
      if (!doc) throw new Error('sign-in vanished')
      signIn = { doc, browserSecret: created.browserSecret }
    }
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    // Errors about the redirect URI itself, or before it is known, are shown here and never sent on.
    const redirect = params.get('redirect_uri')
    const safe = requestUri === null && error.error !== 'invalid_request_uri' && redirect !== null && client.redirectUris.includes(redirect) && !error.description.startsWith('redirect_uri')
    if (!safe) return errorPage(400, `登录请求无效：${error.description}`)
    return redirectResponse(responseUrl(settings.issuer, { redirectUri: redirect, state: params.get('state') }, { error: error.error, error_description: error.description }))
  }
  const qr = await ctx.openApi.wxacode.getUnlimited({ scene: signInScene(signIn.doc._id), page: AUTHORIZE_PAGE, width: 280 })
  return authorizePage({
    client,
    signInId: signIn.doc._id,
    browserSecret: signIn.browserSecret ?? '',
    qrDataUrl: `data:${qr.contentType};base64,${qr.buffer.toString('base64')}`,
    validMinutes: Math.max(1, Math.round((signIn.doc.expiresAt.getTime() - ctx.now.getTime()) / 60000)),
    sandbox: ctx.openApi.provider === 'sandbox',
  })
}

/** The page asks until the person decided; only the browser holding the secret gets the code. */
async function poll(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const settings = oidcSettingsOf(ctx.config)
  if (request.method !== 'POST') oauthFail('invalid_request', 'use POST', 405)
  let body: { id?: unknown; secret?: unknown }
  try {
    body = JSON.parse(request.body) as { id?: unknown; secret?: unknown }
  } catch {
    return oauthFail('invalid_request', 'the body must be JSON {id, secret}')
  }
  const doc = typeof body.id === 'string' && /^[\w-]{8,30}$/.test(body.id) ? await oidcSignIns(ctx.db).byId(body.id) : null
  if (!doc || typeof body.secret !== 'string' || doc.browserSecretHash === null || sha256(body.secret) !== doc.browserSecretHash) {
    oauthFail('invalid_request', 'unknown sign-in', 404)
  }
  if (doc.stage === 'denied') return jsonResponse(200, { status: 'done', location: responseUrl(settings.issuer, doc, { error: 'access_denied', error_description: 'the person declined' }) })
  // An approval the page did not collect in time is not delivered: the website starts again.
  if (doc.stage === 'approved' && doc.expiresAt <= ctx.now) return jsonResponse(200, { status: 'expired' })
  if (doc.stage === 'approved') {
    // Delivered once: the code is made now, and only for the first poll that moves the stage on.
    const delivered = await oidcSignIns(ctx.db).updateWhere({ _id: doc._id, stage: 'approved' }, { stage: 'delivered' })
    if (delivered === 0) return jsonResponse(200, { status: 'used' })
    const code = await issueCode(ctx, doc)
    return jsonResponse(200, { status: 'done', location: responseUrl(settings.issuer, doc, { code }) })
  }
  if (doc.stage === 'delivered') return jsonResponse(200, { status: 'used' })
  if (doc.expiresAt <= ctx.now) return jsonResponse(200, { status: 'expired' })
  return jsonResponse(200, { status: doc.openid === null ? 'waiting' : 'scanned' })
}

async function token(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const settings = oidcSettingsOf(ctx.config)
  const form = formOf(request)
  const client = await authenticateClient(ctx, settings, request.headers, form, `${settings.issuer}/oidc/token`)
  const grantType = form.get('grant_type')
  const issued =
    grantType === 'authorization_code'
      ? await exchangeCode(ctx, client, form)
      : grantType === 'refresh_token'
        ? await refresh(ctx, client, form)
        : oauthFail('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token')
  await noteTokenIssued(ctx, client, issued.account, issued.scopes)
  return jsonResponse(200, issued.response)
}

async function userinfo(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header)
  if (!match?.[1]) oauthFail('invalid_token', 'an access token is required', 401, { 'www-authenticate': 'Bearer realm="lechat-card"' })
  return jsonResponse(200, await userInfo(ctx, match[1]))
}

async function revoke(request: HttpRequest, ctx: Context): Promise<HttpResponse> {
  const settings = oidcSettingsOf(ctx.config)
  const form = formOf(request)
  const client = await authenticateClient(ctx, settings, request.headers, form, `${settings.issuer}/oidc/revoke`)
  const value = form.get('token') ?? oauthFail('invalid_request', 'token is required')
  await revokeToken(ctx, client, value)
  return { statusCode: 200, headers: { 'cache-control': 'no-store' }, body: '' }
}

type Endpoint = (request: HttpRequest, ctx: Context) => Promise<HttpResponse> | HttpResponse

const ROUTES: Record<string, Endpoint> = {
  '/.well-known/openid-configuration': (_request, ctx) => discovery(ctx),
  '/oidc/jwks': (_request, ctx) => jwks(ctx),
  '/oidc/par': par,
  '/oidc/authorize': authorize,
  '/oidc/authorize/poll': poll,
  '/oidc/token': token,
  '/oidc/userinfo': userinfo,
  '/oidc/revoke': revoke,
}

/** The paths this function answers, for the local gateway and the deploy's HTTP access routes. */
export const OIDC_PATHS: readonly string[] = Object.keys(ROUTES)

export const oidcHttp: HttpHandler = async (request, ctx) => {
  // The issuer may carry a path (the HTTP access route): endpoints live under it.
  const base = new URL(oidcSettingsOf(ctx.config).issuer).pathname.replace(/\/$/, '')
  const path = base && request.path.startsWith(base) ? request.path.slice(base.length) : request.path
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined
  if (!route) return jsonResponse(404, { error: 'not_found', error_description: `no endpoint ${path}` })
  try {
    return await route(request, ctx)
  } catch (error) {
    if (error instanceof OAuthError) return jsonResponse(error.status, { error: error.error, error_description: error.description }, error.headers)
    throw error
  }
}

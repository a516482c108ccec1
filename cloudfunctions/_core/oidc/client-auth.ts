/**
 * Who is calling the token, PAR and revocation endpoints: client_secret_basic
 * (the secret checked against its scrypt hash) or private_key_jwt (an
 * assertion signed by a key of the client's registered JWKS, for this issuer,
 * short-lived and used once). Each client has exactly one method.
 */
import { CLIENT_ID_PATTERN } from '../../../shared/oidc'
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose'
import type { Context } from '../context'
import { isDuplicateKey } from '../errors'
import { oauthFail } from './errors'
import { oidcClients, oidcTokens, sha256, type ClientDoc } from './records'
import { verifySecret } from './secrets'
import type { OidcSettings } from './settings'

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const ASSERTION_MAX_AGE_S = 300

const invalidClient = (description: string): never =>
  oauthFail('invalid_client', description, 401, { 'www-authenticate': 'Basic realm="lechat-card", error="invalid_client"' })

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.toLowerCase().startsWith('basic ')) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before joining.
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) }
  } catch {
    return null
  }
}

async function clientNamed(ctx: Context, id: string): Promise<ClientDoc> {
  const client = CLIENT_ID_PATTERN.test(id) ? await oidcClients(ctx.db).byId(id) : null
  return client ?? invalidClient('unknown client')
}

export async function authenticateClient(
  ctx: Context,
  settings: Pick<OidcSettings, 'issuer'>,
  headers: Record<string, string>,
  form: URLSearchParams,
  endpoint: string,
): Promise<ClientDoc> {
  const basic = basicCredentials(headers.authorization)
  const assertion = form.get('client_assertion')
  if (basic && assertion) invalidClient('use one client authentication method')
  let client: ClientDoc
  if (basic) {
    client = await clientNamed(ctx, basic.id)
    if (client.authMethod !== 'client_secret_basic' || !client.secretHash) invalidClient('this client authenticates with private_key_jwt')
    if (!(await verifySecret(basic.secret, client.secretHash ?? ''))) invalidClient('wrong client secret')
  } else if (assertion) {
    if (form.get('client_assertion_type') !== JWT_BEARER) invalidClient(`client_assertion_type must be ${JWT_BEARER}`)
    let iss: unknown
    try {
      iss = decodeJwt(assertion).iss
    } catch {
      invalidClient('client_assertion is not a JWT')
    }
    client = await clientNamed(ctx, typeof iss === 'string' ? iss : '')
    if (client.authMethod !== 'private_key_jwt' || !client.jwks) invalidClient('this client authenticates with client_secret_basic')
    let jti: string
    let exp: number
    try {
      const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks as unknown as JSONWebKeySet), {
        issuer: client._id,
        subject: client._id,
        audience: [settings.issuer, endpoint],
        algorithms: ['ES256', 'RS256', 'PS256'],
        maxTokenAge: ASSERTION_MAX_AGE_S,
        currentDate: ctx.now,
        // Clocks of two servers drift a little.
        clockTolerance: 30,
        requiredClaims: ['jti', 'exp', 'iat'],
      })
      jti = String(payload.jti)
      exp = Number(payload.exp)
    } catch {
      return invalidClient('client_assertion failed verification')
    }
    // Used once: a captured assertion cannot be replayed while it is still valid.
    try {
      await oidcTokens(ctx.db).add({
        _id: sha256(`assertion\u0000${client._id}\u0000${jti}`),
        kind: 'assertion',
        clientId: client._id,
        openid: null,
        family: 'assertion',
        scopes: [],
        authTime: null,
        nonce: null,
        redirectUri: null,
        codeChallenge: null,
        createdAt: ctx.now,
        expiresAt: new Date(exp * 1000),
        usedAt: ctx.now,
        revokedAt: null,
      })
    } catch (error) {
      if (isDuplicateKey(error)) invalidClient('client_assertion was already used')
      throw error
    }
  } else {
    return invalidClient('client authentication required (client_secret_basic or private_key_jwt)')
  }
  const named = form.get('client_id')
  if (named !== null && named !== client._id) invalidClient('client_id does not match the authenticated client')
  return client
}

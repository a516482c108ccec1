/**
 * Codes and tokens. A code lives 60 seconds, is used once, and is bound to its
 * client, redirect URI and PKCE challenge; presenting it twice revokes what it
 * issued. Refresh tokens rotate on every use; presenting a rotated one again
 * revokes the whole family. Access tokens are opaque and short-lived. Every
 * token is stored as its hash, with the sign-in (family) it descends from.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { importJWK, SignJWT, type CryptoKey } from 'jose'
import { isUsable } from '../../../shared/account'
import { OIDC_TTL, type OidcScope } from '../../../shared/oidc'
import { findAccount, stateOf, type AccountDoc } from '../accounts'
import type { Config } from '../config'
import type { Context } from '../context'
import { claimValues, pairwiseSubject, type ClaimValues } from './claims'
import { oauthFail } from './errors'
import { grantIdOf, oidcClients, oidcGrants, oidcTokens, randomToken, sha256, type ClientDoc, type SignInDoc, type TokenDoc } from './records'
import type { OidcSettings, SigningKey } from './settings'

type OidcConfig = NonNullable<Config['oidc']>

export function oidcSettingsOf(config: Config): OidcConfig {
  if (!config.oidc) throw new Error('the login service is not configured in this function')
  return config.oidc
}

const imported = new WeakMap<SigningKey, Promise<CryptoKey>>()

function signingKeyOf(key: SigningKey): Promise<CryptoKey> {
  let promise = imported.get(key)
  if (!promise) {
    promise = importJWK(key.privateJwk, 'ES256') as Promise<CryptoKey>
    imported.set(key, promise)
  }
  return promise
}

export async function signIdToken(settings: Pick<OidcSettings, 'issuer' | 'current'>, claims: Record<string, unknown>, audience: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: settings.current.kid, typ: 'JWT' })
    .setIssuer(settings.issuer)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + OIDC_TTL.idToken)
    .sign(await signingKeyOf(settings.current))
}

type NewToken = Omit<TokenDoc, '_id' | 'createdAt' | 'expiresAt' | 'usedAt' | 'revokedAt' | 'kind'>

async function storeToken(ctx: Pick<Context, 'db' | 'now'>, kind: TokenDoc['kind'], ttlSeconds: number, fields: NewToken): Promise<string> {
  const token = randomToken()
  await oidcTokens(ctx.db).add({
    _id: sha256(token),
    kind,
    ...fields,
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + ttlSeconds * 1000),
    usedAt: null,
    revokedAt: null,
  })
  return token
}

/** The code of an approved sign-in, made when it is delivered (to the browser, or to the mini-program). */
export function issueCode(ctx: Pick<Context, 'db' | 'now'>, signIn: SignInDoc): Promise<string> {
  return storeToken(ctx, 'code', OIDC_TTL.code, {
    clientId: signIn.clientId,
    openid: signIn.openid,
    family: signIn._id,
    scopes: signIn.grantedScopes ?? [],
    authTime: signIn.authTime,
    nonce: signIn.nonce,
    redirectUri: signIn.redirectUri,
    codeChallenge: signIn.codeChallenge,
  })
}

/** Revokes every token of a sign-in (a replayed code, a reused refresh token). */
export async function revokeFamily(ctx: Pick<Context, 'db' | 'now'>, family: string): Promise<void> {
  await oidcTokens(ctx.db).updateWhere({ family, revokedAt: null }, { revokedAt: ctx.now })
}

/** Revokes every token a person holds for a client (their own revocation, the client's suspension stops refreshes separately). */
export async function revokeTokensOf(ctx: Pick<Context, 'db' | 'now'>, openid: string, clientId: string): Promise<void> {
  await oidcTokens(ctx.db).updateWhere({ openid, clientId, revokedAt: null }, { revokedAt: ctx.now })
}

function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
  const expected = Buffer.from(challenge)
  return computed.length === expected.length && timingSafeEqual(computed, expected)
}

export interface Issued {
  response: TokenResponse
  account: AccountDoc
  scopes: OidcScope[]
}

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  refresh_token: string
  id_token: string
  scope: string
}

/** The person behind a token, still verified, usable, and still granting this client. */
/**
 * The person behind a token, while they may still use it: a usable, verified
 * account still granting this client. Otherwise why not (token and userinfo
 * answer it with their own error code).
 */
async function standingHolder(ctx: Context, client: ClientDoc, openid: string | null): Promise<AccountDoc | string> {
  const account = openid ? await findAccount(ctx.db, openid) : null
  if (!account || !isUsable(stateOf(account, ctx.now)) || account.verifiedAt === null) return 'the account can no longer sign in'
  const grant = await oidcGrants(ctx.db).byId(grantIdOf(client._id, account._id))
  if (!grant || grant.revokedAt !== null) return 'the person has revoked this authorization'
  return account
}

async function holder(ctx: Context, client: ClientDoc, openid: string | null): Promise<{ account: AccountDoc }> {
  const account = await standingHolder(ctx, client, openid)
  return typeof account === 'string' ? oauthFail('invalid_grant', account) : { account }
}

async function tokensFor(ctx: Context, client: ClientDoc, account: AccountDoc, source: Pick<TokenDoc, 'family' | 'scopes' | 'authTime' | 'nonce'>): Promise<{ response: TokenResponse; claims: ClaimValues }> {
  const settings = oidcSettingsOf(ctx.config)
  const claims = await claimValues(ctx, settings.keyring, client, account, source.scopes)
  if (!claims) oauthFail('invalid_grant', 'the account is no longer verified')
  const base = { clientId: client._id, openid: account.openid, family: source.family, scopes: source.scopes, authTime: source.authTime, nonce: null, redirectUri: null, codeChallenge: null }
  const accessToken = await storeToken(ctx, 'access', OIDC_TTL.accessToken, base)
  const refreshToken = await storeToken(ctx, 'refresh', OIDC_TTL.refreshToken, base)
  const idClaims: Record<string, unknown> = {
    sub: pairwiseSubject(ctx.config, client.sector, account._id),
    amr: ['face'],
    ...(source.authTime ? { auth_time: Math.floor(source.authTime.getTime() / 1000) } : {}),
    ...(source.nonce ? { nonce: source.nonce } : {}),
    ...claims,
  }
  await oidcGrants(ctx.db).update(grantIdOf(client._id, account._id), { lastUsedAt: ctx.now })
  return {
    response: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: OIDC_TTL.accessToken,
      refresh_token: refreshToken,
      id_token: await signIdToken(settings, idClaims, client._id, ctx.now),
      scope: ['openid', ...source.scopes].join(' '),
    },
    claims,
  }
}

function requireActive(client: ClientDoc): void {
  if (client.status !== 'active') oauthFail('unauthorized_client', 'this client is suspended')
}

export async function exchangeCode(ctx: Context, client: ClientDoc, form: URLSearchParams): Promise<Issued> {
  requireActive(client)
  const code = form.get('code') ?? oauthFail('invalid_request', 'code is required')
  const tokens = oidcTokens(ctx.db)
  const doc = await tokens.byId(sha256(code))
  if (!doc || doc.kind !== 'code' || doc.clientId !== client._id) oauthFail('invalid_grant', 'unknown code')
  if (doc.usedAt !== null || doc.revokedAt !== null) {
    // RFC 6749 §4.1.2: a code used twice revokes what it issued.
    await revokeFamily(ctx, doc.family)
    oauthFail('invalid_grant', 'code was already used')
  }
  if (doc.expiresAt <= ctx.now) oauthFail('invalid_grant', 'code has expired')
  if (form.get('redirect_uri') !== doc.redirectUri) oauthFail('invalid_grant', 'redirect_uri does not match the authorization request')
  if (!pkceMatches(form.get('code_verifier') ?? '', doc.codeChallenge ?? '')) oauthFail('invalid_grant', 'code_verifier does not match the code_challenge')
  const used = await tokens.updateWhere({ _id: doc._id, usedAt: null }, { usedAt: ctx.now })
  if (used === 0) {
    await revokeFamily(ctx, doc.family)
    oauthFail('invalid_grant', 'code was already used')
  }
  const { account } = await holder(ctx, client, doc.openid)
  const { response } = await tokensFor(ctx, client, account, doc)
  return { response, account, scopes: doc.scopes }
}

export async function refresh(ctx: Context, client: ClientDoc, form: URLSearchParams): Promise<Issued> {
  const token = form.get('refresh_token') ?? oauthFail('invalid_request', 'refresh_token is required')
  const tokens = oidcTokens(ctx.db)
  const doc = await tokens.byId(sha256(token))
  if (!doc || doc.kind !== 'refresh' || doc.clientId !== client._id || doc.revokedAt !== null) oauthFail('invalid_grant', 'unknown or revoked refresh token')
  if (doc.usedAt !== null) {
    // A rotated token presented again: someone holds a copy. End the whole family.
    await revokeFamily(ctx, doc.family)
    oauthFail('invalid_grant', 'refresh token was already used; the session has been revoked')
  }
  if (doc.expiresAt <= ctx.now) oauthFail('invalid_grant', 'refresh token has expired')
  // A suspended client's refresh tokens stop working (the family stays, for when it is restored).
  requireActive(client)
  const rotated = await tokens.updateWhere({ _id: doc._id, usedAt: null, revokedAt: null }, { usedAt: ctx.now })
  if (rotated === 0) {
    await revokeFamily(ctx, doc.family)
    oauthFail('invalid_grant', 'refresh token was already used; the session has been revoked')
  }
  const { account } = await holder(ctx, client, doc.openid)
  const { response } = await tokensFor(ctx, client, account, { ...doc, nonce: null })
  return { response, account, scopes: doc.scopes }
}

/** The claims an access token may read, or an invalid_token error. */
export async function userInfo(ctx: Context, accessToken: string): Promise<Record<string, unknown>> {
  const invalid = (description: string): never =>
    oauthFail('invalid_token', description, 401, { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` })
  const doc = await oidcTokens(ctx.db).byId(sha256(accessToken))
  if (!doc || doc.kind !== 'access' || doc.revokedAt !== null || doc.expiresAt <= ctx.now) return invalid('the access token is unknown, expired or revoked')
  const client = await oidcClients(ctx.db).byId(doc.clientId)
  if (!client || client.status !== 'active') return invalid('the client is suspended')
  const account = await standingHolder(ctx, client, doc.openid)
  if (typeof account === 'string') return invalid(account)
  const claims = await claimValues(ctx, oidcSettingsOf(ctx.config).keyring, client, account, doc.scopes)
  if (!claims) return invalid('the account is no longer verified')
  return { sub: pairwiseSubject(ctx.config, client.sector, account._id), ...claims }
}

/** RFC 7009: a client revokes its own token; an unknown token is not an error. A refresh token takes its family with it. */
export async function revokeToken(ctx: Context, client: ClientDoc, token: string): Promise<void> {
  const doc = await oidcTokens(ctx.db).byId(sha256(token))
  if (!doc || doc.clientId !== client._id || (doc.kind !== 'access' && doc.kind !== 'refresh')) return
  if (doc.kind === 'refresh') await revokeFamily(ctx, doc.family)
  else await oidcTokens(ctx.db).update(doc._id, { revokedAt: ctx.now })
}


/**
 * What the login service keeps: the registry of clients, sign-in requests
 * (pushed, then shown as a QR code or opened from another mini-program),
 * grants (which organization got which claims of whom) and tokens — every
 * token, code and client assertion stored only as its SHA-256, never itself.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ClientAuthMethod, ClientOrgType, OidcScope } from '../../../shared/oidc'
import { COLLECTIONS } from '../collections'
import type { Collection, Doc, Store } from '../db'
import type { ContentModeration } from '../moderation/decisions'

export interface ClientDoc extends Doc {
  /** The client_id. */
  _id: string
  name: string
  organization: string
  orgType: ClientOrgType
  logo: string | null
  /** The logo's image check (the moderation gate, kind clientLogo): the logo is shown only once it is published. */
  moderation?: ContentModeration | null
  /** Exact https URIs (a mini-program client's redirect is `wxmp://<appid>` of one of its miniProgramAppIds). */
  redirectUris: string[]
  miniProgramAppIds: string[]
  allowedScopes: OidcScope[]
  authMethod: ClientAuthMethod
  /** client_secret_basic: scrypt hash (secrets.ts); the secret itself is shown once. */
  secretHash: string | null
  /** private_key_jwt: the client's public keys. */
  jwks: { keys: Array<Record<string, unknown>> } | null
  sector: string
  privacyNoticeUrl: string
  status: 'active' | 'suspended'
  createdAt: Date
  updatedAt: Date
}

export type SignInStage = 'pushed' | 'pending' | 'approved' | 'denied' | 'delivered'

/** One sign-in, from the pushed request to the delivered code. */
export interface SignInDoc extends Doc {
  clientId: string
  channel: 'web' | 'miniprogram'
  redirectUri: string
  /** Requested and allowed (sensitive ones still subject to the person's separate consent). */
  scopes: OidcScope[]
  state: string | null
  nonce: string | null
  /** PKCE S256 challenge. */
  codeChallenge: string
  stage: SignInStage
  /** Web: the hash of the secret only the browser that showed the QR code holds; it alone receives the code. */
  browserSecretHash: string | null
  /** The person who opened it first; nobody else can decide on it. */
  openid: string | null
  /** What the person agreed to share (set on approval). */
  grantedScopes: OidcScope[] | null
  authTime: Date | null
  createdAt: Date
  expiresAt: Date
}

export type TokenKind = 'code' | 'access' | 'refresh' | 'assertion'

export interface TokenDoc extends Doc {
  /** sha256 of the token. */
  _id: string
  kind: TokenKind
  clientId: string
  openid: string | null
  /** The sign-in it descends from: a replayed code or a reused refresh token revokes the whole family. */
  family: string
  scopes: OidcScope[]
  authTime: Date | null
  nonce: string | null
  /** Codes: the redirect URI and PKCE challenge they are bound to. */
  redirectUri: string | null
  codeChallenge: string | null
  createdAt: Date
  expiresAt: Date
  /** Codes and refresh tokens are used once. */
  usedAt: Date | null
  revokedAt: Date | null
}

/** One per person and client; revoking it ends every token of theirs for that client. */
export interface GrantDoc extends Doc {
  openid: string
  clientId: string
  scopes: OidcScope[]
  firstUsedAt: Date
  lastUsedAt: Date
  revokedAt: Date | null
}

export const oidcClients = (db: Store): Collection<ClientDoc> => db.collection<ClientDoc>(COLLECTIONS.oidcClients)
export const oidcSignIns = (db: Store): Collection<SignInDoc> => db.collection<SignInDoc>(COLLECTIONS.oidcSignIns)
export const oidcTokens = (db: Store): Collection<TokenDoc> => db.collection<TokenDoc>(COLLECTIONS.oidcTokens)
export const oidcGrants = (db: Store): Collection<GrantDoc> => db.collection<GrantDoc>(COLLECTIONS.oidcGrants)

export function grantIdOf(clientId: string, accountId: string): string {
  return `${clientId}.${accountId}`
}

/** 256 bits, base64url: codes, tokens, request ids' secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** The `wxmp://<appid>` redirect of a mini-program client. */
export function miniProgramRedirect(appId: string): string {
  return `wxmp://${appId}`
}

/**
 * The login service's settings: its issuer URL and its ID-token signing keys.
 * Keys come from configuration as private JWKs (EC P-256, ES256) with a `kid`;
 * the current one signs, the others stay published in the JWKS so that tokens
 * they signed still verify until they expire (then the operator drops them).
 * Local and test clouds make one throwaway key per process: no key is ever in the repository.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { ConfigError, type Mode } from '../settings-env'
import { IdentityConfigError, loadIdentitySecrets, type Keyring } from '../identity/crypto'

export interface SigningKey {
  kid: string
  /** As configured (checked here; jose imports it where it signs). */
  privateJwk: Record<string, unknown>
  /** What the JWKS publishes: the public half only. */
  publicJwk: Record<string, unknown>
}

export interface OidcSettings {
  /** The issuer identifier: the https origin (and path) the HTTP access service answers on, without a trailing slash. */
  issuer: string
  /** The key that signs now. */
  current: SigningKey
  /** Every published key, the current one first. */
  keys: readonly SigningKey[]
}

export const OIDC_ISSUER_ENV = 'LECHAT_OIDC_ISSUER'
export const OIDC_KEYS_ENV = 'LECHAT_OIDC_SIGNING_KEYS'
export const OIDC_KID_ENV = 'LECHAT_OIDC_SIGNING_KID'

export class OidcConfigError extends Error {
  override name = 'OidcConfigError'
}

function signingKey(jwk: Record<string, unknown>): SigningKey {
  const kid = jwk.kid
  if (typeof kid !== 'string' || !/^[\w.-]{1,64}$/.test(kid)) throw new OidcConfigError(`${OIDC_KEYS_ENV}: every key needs a kid (1–64 letters, digits, ".", "_" or "-")`)
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new OidcConfigError(`${OIDC_KEYS_ENV}: key "${kid}" must be a private EC P-256 JWK (ES256), with "d"`)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  } catch (error) {
    throw new OidcConfigError(`${OIDC_KEYS_ENV}: key "${kid}" cannot be read: ${error instanceof Error ? error.message : String(error)}`)
  }
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: 'jwk' })
  return { kid, privateJwk: { ...jwk }, publicJwk: { kty, crv, x, y, kid, use: 'sig', alg: 'ES256' } }
}

let throwaway: SigningKey | null = null

/** One key per local process: tokens from an earlier `npm start` simply stop verifying. */
function throwawayKey(): SigningKey {
  if (!throwaway) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `local-${randomBytes(4).toString('hex')}` }
    throwaway = signingKey(jwk)
  }
  return throwaway
}

function issuerOf(raw: string | undefined, production: boolean): string {
  const value = raw?.trim().replace(/\/+$/, '') ?? ''
  if (!value) {
    if (production) throw new OidcConfigError(`production needs ${OIDC_ISSUER_ENV}: the https address of the oidc function's HTTP access route, e.g. https://<env>.service.tcloudbase.com`)
    return 'http://127.0.0.1:9696'
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new OidcConfigError(`${OIDC_ISSUER_ENV} is not a URL: "${value}"`)
  }
  if (production && url.protocol !== 'https:') throw new OidcConfigError(`${OIDC_ISSUER_ENV} must be https in production`)
  if (url.search || url.hash) throw new OidcConfigError(`${OIDC_ISSUER_ENV} must not carry a query or fragment`)
  return value
}

export function loadOidcSettings(env: Record<string, string | undefined>, production: boolean): OidcSettings {
  const issuer = issuerOf(env[OIDC_ISSUER_ENV], production)
  const raw = env[OIDC_KEYS_ENV]?.trim()
  if (!raw) {
    if (production) {
      throw new OidcConfigError(`production needs ${OIDC_KEYS_ENV}: a JSON JWKS of private EC P-256 keys with kids ({"keys":[…]}; \`npm run oidc:key\` makes one) and ${OIDC_KID_ENV} naming the one that signs`)
    }
    const key = throwawayKey()
    return { issuer, current: key, keys: [key] }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new OidcConfigError(`${OIDC_KEYS_ENV} is not JSON`)
  }
  const list = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(list) || list.length === 0) throw new OidcConfigError(`${OIDC_KEYS_ENV} must be {"keys":[…]} with at least one key`)
  const keys = list.map((jwk) => signingKey(jwk as Record<string, unknown>))
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new OidcConfigError(`${OIDC_KEYS_ENV}: two keys share a kid`)
  const kid = env[OIDC_KID_ENV]?.trim() || (keys.length === 1 ? keys[0]?.kid : undefined)
  const current = keys.find((k) => k.kid === kid)
  if (!current) throw new OidcConfigError(`${OIDC_KID_ENV} must name one of the keys in ${OIDC_KEYS_ENV} (${keys.map((k) => k.kid).join(', ')})`)
  return { issuer, current, keys: [current, ...keys.filter((k) => k !== current)] }
}

/** The login service's settings with the ID keyring (to share a name or ID number the person agreed to share): the oidc function's loader. */
export function loadOidcSection(env: Record<string, string | undefined>, mode: Mode): OidcSettings & { keyring: Keyring } {
  try {
    return { ...loadOidcSettings(env, mode === 'production'), keyring: loadIdentitySecrets(env, mode).keyring }
  } catch (error) {
    if (error instanceof OidcConfigError || error instanceof IdentityConfigError) throw new ConfigError(error.message)
    throw error
  }
}

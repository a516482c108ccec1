/**
 * Protection of the two most sensitive fields the product holds: resident ID
 * numbers and legal names (PIPL sensitive personal information).
 *
 * - Sealing: AES-256-GCM under a keyring (key id → 32-byte key, one current).
 *   The authenticated data names the purpose and the key id, so a sealed name
 *   cannot be pasted into the ID-number field, nor relabelled with another key
 *   id, without decryption failing. Old keys stay readable; `reencrypt` moves a
 *   value to the current key.
 * - Blind index: HMAC-SHA256 of the normalized ID number under a separate
 *   secret key, stored under a unique index so that one person holds one
 *   account. A plain SHA-256 would not protect anything: ID numbers carry little
 *   entropy (region × birth date × sequence, about 10^11 candidates and far fewer
 *   once the birth year or region is guessed), so anyone holding the database
 *   could hash them all. Without the key they cannot.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { normalizeIdNumber } from '../../../shared/rules/id-number'

/** What a sealed value is for; part of the authenticated data. */
export type SealPurpose = 'idNumber' | 'name'

/** A sealed value as stored in the database: every field base64 except the key id. */
export interface Sealed {
  kid: string
  iv: string
  ct: string
  tag: string
}

export type IdentityCryptoProblem = 'unknownKey' | 'tampered' | 'malformed'

export class IdentityCryptoError extends Error {
  override name = 'IdentityCryptoError'
  readonly problem: IdentityCryptoProblem

  constructor(problem: IdentityCryptoProblem, message: string) {
    super(message)
    this.problem = problem
  }
}

/** Identity settings that cannot work; raised at start-up, never per request. */
export class IdentityConfigError extends Error {
  override name = 'IdentityConfigError'
}

const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
const KID_SHAPE = /^[A-Za-z0-9_-]{1,32}$/
const HEX_KEY_SHAPE = /^[0-9a-fA-F]{64}$/

function keyFromHex(hex: string, what: string): Buffer {
  const trimmed = hex.trim()
  if (!HEX_KEY_SHAPE.test(trimmed)) {
    // Never echo the value: it may be a real key with a typo.
    throw new IdentityConfigError(`${what} must be ${KEY_BYTES} bytes written as 64 hex characters (got ${trimmed.length} characters)`)
  }
  return Buffer.from(trimmed, 'hex')
}

/** Base64 that round-trips exactly: Buffer.from silently skips junk characters. */
function strictBase64(text: unknown, field: string): Buffer {
  if (typeof text !== 'string' || text.length === 0) {
    throw new IdentityCryptoError('malformed', `sealed value has no ${field}`)
  }
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) throw new IdentityCryptoError('malformed', `sealed ${field} is not base64`)
  return bytes
}

function additionalData(purpose: SealPurpose, kid: string): Buffer {
  return Buffer.from(`lechat-card/v1/${purpose}/${kid}`, 'utf8')
}

export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return ['kid', 'iv', 'ct', 'tag'].every((field) => typeof record[field] === 'string')
}

export class Keyring {
  readonly currentKid: string
  readonly #keys: ReadonlyMap<string, Buffer>

  /** `hexKeys`: key id → 64 hex characters. */
  constructor(hexKeys: Readonly<Record<string, string>>, currentKid: string) {
    const keys = new Map<string, Buffer>()
    for (const [kid, hex] of Object.entries(hexKeys)) {
      if (!KID_SHAPE.test(kid)) throw new IdentityConfigError(`key id "${kid}" must be 1–32 letters, digits, "_" or "-"`)
      keys.set(kid, keyFromHex(hex, `ID key "${kid}"`))
    }
    if (keys.size === 0) throw new IdentityConfigError('an ID keyring needs at least one key')
    if (!keys.has(currentKid)) {
      throw new IdentityConfigError(`current ID key "${currentKid}" is not in the keyring (${[...keys.keys()].join(', ')})`)
    }
    this.#keys = keys
    this.currentKid = currentKid
  }

  get kids(): string[] {
    return [...this.#keys.keys()]
  }

  encrypt(plaintext: string, purpose: SealPurpose): Sealed {
    const kid = this.currentKid
    const key = this.#keys.get(kid)
    if (!key) throw new IdentityCryptoError('unknownKey', `current key "${kid}" is missing`)
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(additionalData(purpose, kid))
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return { kid, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') }
  }

  decrypt(sealed: Sealed, purpose: SealPurpose): string {
    if (!isSealed(sealed)) throw new IdentityCryptoError('malformed', 'not a sealed value')
    const key = this.#keys.get(sealed.kid)
    if (!key) {
      throw new IdentityCryptoError(
        'unknownKey',
        `no key "${sealed.kid}" in the keyring (${this.kids.join(', ')}): was it removed from LECHAT_ID_KEYS before its values were re-encrypted?`,
      )
    }
    const iv = strictBase64(sealed.iv, 'iv')
    const tag = strictBase64(sealed.tag, 'tag')
    // An empty plaintext seals to an empty ciphertext, so only the type is checked here.
    const ct = sealed.ct === '' ? Buffer.alloc(0) : strictBase64(sealed.ct, 'ct')
    if (iv.length !== IV_BYTES) throw new IdentityCryptoError('malformed', `sealed iv must be ${IV_BYTES} bytes`)
    if (tag.length !== TAG_BYTES) throw new IdentityCryptoError('malformed', `sealed tag must be ${TAG_BYTES} bytes`)
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(additionalData(purpose, sealed.kid))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')
    } catch {
      throw new IdentityCryptoError(
        'tampered',
        `sealed value failed authentication: altered, or sealed for another purpose than "${purpose}"`,
      )
    }
  }

  /** True when the value is sealed under an older key and should be re-encrypted. */
  isStale(sealed: Sealed): boolean {
    return sealed.kid !== this.currentKid
  }

  /** Opens a value under whatever known key sealed it and seals it again under the current key. */
  reencrypt(sealed: Sealed, purpose: SealPurpose): Sealed {
    return this.encrypt(this.decrypt(sealed, purpose), purpose)
  }
}

/**
 * Every keyed reference the product computes, one domain each. The domain is
 * part of the HMAC input, so a reference in one domain never equals one in
 * another: a guardian's ID reference in the consent ledger cannot be joined
 * with the one-account-per-person index of identities.
 */
export type KeyedRefDomain = 'id-number' | 'guardian-id-number' | 'consent-subject' | 'article-read' | 'legal-name' | 'oidc-subject'

/** The product's one blind-index key (LECHAT_BLIND_INDEX_KEY); kept apart from the encryption keys on purpose. */
export class BlindIndexKey {
  readonly #key: Buffer

  constructor(hex: string) {
    this.#key = keyFromHex(hex, 'blind-index key')
  }

  /** HMAC-SHA256 (hex) of `<domain>\0<value>`; the NUL cannot occur in a domain name, so no two domains overlap. */
  ref(domain: KeyedRefDomain, value: string): string {
    return createHmac('sha256', this.#key).update(`${domain}\u0000${value}`, 'utf8').digest('hex')
  }
}

/** The same function for callers that hold the key as configured (64 hex characters). */
export function keyedRef(hexKey: string, domain: KeyedRefDomain, value: string): string {
  return new BlindIndexKey(hexKey).ref(domain, value)
}

/**
 * The blind index of an ID number: the `id-number` keyed reference.
 * Refuses a number that is not normalized, because an index of "…x" and of "…X"
 * would differ and quietly let one person open two accounts.
 */
export function blindIndex(key: BlindIndexKey, normalizedIdNumber: string): string {
  if (normalizedIdNumber.length === 0 || normalizeIdNumber(normalizedIdNumber) !== normalizedIdNumber) {
    throw new IdentityCryptoError('malformed', 'blindIndex needs an ID number passed through normalizeIdNumber first')
  }
  return key.ref('id-number', normalizedIdNumber)
}

export interface IdentitySecrets {
  keyring: Keyring
  blindIndexKey: BlindIndexKey
}

export const ID_KEYS_ENV = 'LECHAT_ID_KEYS'
export const ID_KEY_CURRENT_ENV = 'LECHAT_ID_KEY_CURRENT'
/** One blind-index key for the whole product: ID numbers, guardian references, ledger pseudonyms. */
export const BLIND_INDEX_KEY_ENV = 'LECHAT_BLIND_INDEX_KEY'
/** An earlier name of the blind-index key; refused so that nobody sets a key that is never read. */
export const RETIRED_INDEX_KEY_ENV = 'LECHAT_ID_INDEX_KEY'

/**
 * Known to everyone who reads this file: it makes local and test data
 * reproducible, and production refuses it.
 */
export const INSECURE_DEV_BLIND_INDEX_KEY = 'dead'.repeat(16)

type Env = Readonly<Record<string, string | undefined>>

interface KeyringText {
  entries: Array<[kid: string, hex: string]>
  currentKid: string
}

function readKeyringText(env: Env): KeyringText {
  const list = env[ID_KEYS_ENV]?.trim() ?? ''
  if (list === '') {
    throw new IdentityConfigError(`${ID_KEYS_ENV} is not set: give "kid:64-hex-chars" pairs separated by commas`)
  }
  const entries: Array<[string, string]> = []
  for (const part of list.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const colon = item.indexOf(':')
    if (colon <= 0) throw new IdentityConfigError(`${ID_KEYS_ENV}: each entry must look like "kid:64-hex-chars"`)
    const kid = item.slice(0, colon).trim()
    if (entries.some(([seen]) => seen === kid)) throw new IdentityConfigError(`${ID_KEYS_ENV}: key id "${kid}" appears twice`)
    entries.push([kid, item.slice(colon + 1).trim()])
  }
  const named = env[ID_KEY_CURRENT_ENV]?.trim()
  const only = entries.length === 1 ? entries[0]?.[0] : undefined
  const currentKid = named || only
  if (!currentKid) {
    throw new IdentityConfigError(`${ID_KEY_CURRENT_ENV} must name the key that seals new values (one of ${entries.map(([kid]) => kid).join(', ')})`)
  }
  return { entries, currentKid }
}

/**
 * Reads the keyring from the environment, e.g.
 * LECHAT_ID_KEYS='k2025:<64 hex>,k2026:<64 hex>' and LECHAT_ID_KEY_CURRENT='k2026'.
 * The current key may be omitted when there is exactly one.
 */
export function parseKeyring(env: Env): Keyring {
  const { entries, currentKid } = readKeyringText(env)
  return new Keyring(Object.fromEntries(entries), currentKid)
}

export function parseBlindIndexKey(env: Env): BlindIndexKey {
  const hex = env[BLIND_INDEX_KEY_ENV]?.trim() ?? ''
  if (hex === '') throw new IdentityConfigError(`${BLIND_INDEX_KEY_ENV} is not set: give 64 hex characters, different from every ID key`)
  return new BlindIndexKey(hex)
}

const INSECURE_DEV_KID = 'INSECURE-DEV-ONLY'

function insecureDevHex(label: string): string {
  return createHash('sha256').update(`lechat-card insecure development ${label}; never use in production`).digest('hex')
}

/**
 * A fixed keyring for local development and tests only, with the development
 * blind-index key. Anyone can recompute them from this file, so whatever they
 * seal is public. The key id "INSECURE-DEV-ONLY" is written into every sealed
 * value to make that visible.
 */
export function insecureDevIdentitySecrets(): IdentitySecrets {
  return {
    keyring: new Keyring({ [INSECURE_DEV_KID]: insecureDevHex('ID key') }, INSECURE_DEV_KID),
    blindIndexKey: new BlindIndexKey(INSECURE_DEV_BLIND_INDEX_KEY),
  }
}

/**
 * The identity secrets for a mode. Production requires the keyring and the
 * blind-index key and refuses the development keys; local and test fall back
 * to them for whichever is not set. The index key must differ from every
 * encryption key.
 */
export function loadIdentitySecrets(env: Env, mode: 'production' | 'local' | 'test'): IdentitySecrets {
  if ((env[RETIRED_INDEX_KEY_ENV]?.trim() ?? '') !== '') {
    throw new IdentityConfigError(
      `${RETIRED_INDEX_KEY_ENV} is no longer read: the product has one blind-index key, ${BLIND_INDEX_KEY_ENV}; move the value there and remove ${RETIRED_INDEX_KEY_ENV}`,
    )
  }
  const production = mode === 'production'
  const useKeys = production || (env[ID_KEYS_ENV]?.trim() ?? '') !== ''
  const useIndexKey = production || (env[BLIND_INDEX_KEY_ENV]?.trim() ?? '') !== ''
  const devKeyring: KeyringText = { entries: [[INSECURE_DEV_KID, insecureDevHex('ID key')]], currentKid: INSECURE_DEV_KID }
  const { entries, currentKid } = useKeys ? readKeyringText(env) : devKeyring
  const blindIndexKey = useIndexKey ? parseBlindIndexKey(env) : new BlindIndexKey(INSECURE_DEV_BLIND_INDEX_KEY)
  const indexHex = useIndexKey ? (env[BLIND_INDEX_KEY_ENV]?.trim() ?? '').toLowerCase() : INSECURE_DEV_BLIND_INDEX_KEY
  if (entries.some(([, hex]) => hex.toLowerCase() === indexHex)) {
    throw new IdentityConfigError(`${BLIND_INDEX_KEY_ENV} must differ from every key in ${ID_KEYS_ENV}`)
  }
  if (mode === 'production') {
    const devHex = insecureDevHex('ID key')
    const usesDev = entries.some(([kid, hex]) => kid === INSECURE_DEV_KID || hex.toLowerCase() === devHex) || indexHex === INSECURE_DEV_BLIND_INDEX_KEY
    if (usesDev) throw new IdentityConfigError('production refuses the insecure development identity keys')
  }
  return { keyring: new Keyring(Object.fromEntries(entries), currentKid), blindIndexKey }
}

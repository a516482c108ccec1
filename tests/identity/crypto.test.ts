import { createHash, createHmac, randomBytes } from 'node:crypto'
import {
  BlindIndexKey,
  IdentityConfigError,
  IdentityCryptoError,
  INSECURE_DEV_BLIND_INDEX_KEY,
  Keyring,
  blindIndex,
  insecureDevIdentitySecrets,
  keyedRef,
  loadIdentitySecrets,
  parseBlindIndexKey,
  parseKeyring,
  type Sealed,
} from '../../cloudfunctions/_core/identity/crypto'

const hex = () => randomBytes(32).toString('hex')
const K1 = hex()
const K2 = hex()
const INDEX = hex()
const ID = '11010519491231002X'
const NAME = '张三'

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  bytes[0] = (bytes[0] ?? 0) ^ 0x01
  return bytes.toString('base64')
}

function cryptoProblem(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof IdentityCryptoError) return error.problem
    throw error
  }
  throw new Error('expected an IdentityCryptoError')
}

describe('Keyring sealing', () => {
  const ring = new Keyring({ k1: K1 }, 'k1')

  it('opens what it sealed, for ID numbers, names and empty text', () => {
    expect(ring.decrypt(ring.encrypt(ID, 'idNumber'), 'idNumber')).toBe(ID)
    expect(ring.decrypt(ring.encrypt(NAME, 'name'), 'name')).toBe(NAME)
    expect(ring.decrypt(ring.encrypt('', 'name'), 'name')).toBe('')
  })

  it('uses a fresh 12-byte IV each time, so equal inputs never look equal', () => {
    const sealings = Array.from({ length: 50 }, () => ring.encrypt(ID, 'idNumber'))
    expect(new Set(sealings.map((s) => s.iv)).size).toBe(50)
    expect(new Set(sealings.map((s) => s.ct)).size).toBe(50)
    for (const sealed of sealings) expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12)
  })

  it('keeps no plaintext in the stored JSON', () => {
    const stored = JSON.stringify([ring.encrypt(ID, 'idNumber'), ring.encrypt(NAME, 'name')])
    expect(stored).not.toContain(ID)
    expect(stored).not.toContain(ID.slice(0, 10))
    expect(stored).not.toContain(NAME)
    expect(stored).not.toContain(Buffer.from(NAME).toString('base64'))
    expect(stored).not.toContain(K1)
  })

  it.each([
    ['ct', (s: Sealed): Sealed => ({ ...s, ct: flipFirstByte(s.ct) })],
    ['tag', (s: Sealed): Sealed => ({ ...s, tag: flipFirstByte(s.tag) })],
    ['iv', (s: Sealed): Sealed => ({ ...s, iv: flipFirstByte(s.iv) })],
  ])('refuses a value whose %s was altered', (_field, tamper) => {
    const sealed = ring.encrypt(ID, 'idNumber')
    expect(cryptoProblem(() => ring.decrypt(tamper(sealed), 'idNumber'))).toBe('tampered')
  })

  it('refuses a value relabelled with another known key id', () => {
    const both = new Keyring({ k1: K1, k2: K2 }, 'k1')
    const sealed = both.encrypt(ID, 'idNumber')
    expect(cryptoProblem(() => both.decrypt({ ...sealed, kid: 'k2' }, 'idNumber'))).toBe('tampered')
  })

  it('refuses a value relabelled with the same key under another id (the id is authenticated)', () => {
    const twins = new Keyring({ k1: K1, alias: K1 }, 'k1')
    const sealed = twins.encrypt(ID, 'idNumber')
    expect(cryptoProblem(() => twins.decrypt({ ...sealed, kid: 'alias' }, 'idNumber'))).toBe('tampered')
  })

  it('names an unknown key id clearly', () => {
    const sealed = ring.encrypt(ID, 'idNumber')
    expect(() => ring.decrypt({ ...sealed, kid: 'k9' }, 'idNumber')).toThrow(/no key "k9"/)
    expect(cryptoProblem(() => ring.decrypt({ ...sealed, kid: 'k9' }, 'idNumber'))).toBe('unknownKey')
  })

  it('refuses truncated or non-base64 fields as malformed', () => {
    const sealed = ring.encrypt(ID, 'idNumber')
    expect(cryptoProblem(() => ring.decrypt({ ...sealed, iv: Buffer.alloc(8).toString('base64') }, 'idNumber'))).toBe('malformed')
    expect(cryptoProblem(() => ring.decrypt({ ...sealed, tag: 'not base64!' }, 'idNumber'))).toBe('malformed')
    expect(cryptoProblem(() => ring.decrypt({ kid: 'k1' } as unknown as Sealed, 'idNumber'))).toBe('malformed')
  })

  it('will not open a name as an ID number, or the reverse', () => {
    const name = ring.encrypt(NAME, 'name')
    const id = ring.encrypt(ID, 'idNumber')
    expect(cryptoProblem(() => ring.decrypt(name, 'idNumber'))).toBe('tampered')
    expect(cryptoProblem(() => ring.decrypt(id, 'name'))).toBe('tampered')
  })
})

describe('key rotation', () => {
  it('reads values sealed under an old key and moves them to the current one', () => {
    const before = new Keyring({ k1: K1 }, 'k1')
    const old = before.encrypt(ID, 'idNumber')

    const after = new Keyring({ k1: K1, k2: K2 }, 'k2')
    expect(after.decrypt(old, 'idNumber')).toBe(ID)
    expect(after.isStale(old)).toBe(true)
    expect(after.encrypt(ID, 'idNumber').kid).toBe('k2')

    const moved = after.reencrypt(old, 'idNumber')
    expect(moved.kid).toBe('k2')
    expect(after.isStale(moved)).toBe(false)
    // Once k1 is retired, only the moved value is readable.
    const retired = new Keyring({ k2: K2 }, 'k2')
    expect(retired.decrypt(moved, 'idNumber')).toBe(ID)
    expect(cryptoProblem(() => retired.decrypt(old, 'idNumber'))).toBe('unknownKey')
  })

  it('keeps the purpose when re-encrypting', () => {
    const ring = new Keyring({ k1: K1, k2: K2 }, 'k2')
    const moved = ring.reencrypt(new Keyring({ k1: K1 }, 'k1').encrypt(NAME, 'name'), 'name')
    expect(cryptoProblem(() => ring.decrypt(moved, 'idNumber'))).toBe('tampered')
    expect(ring.decrypt(moved, 'name')).toBe(NAME)
  })

  it('refuses to re-encrypt a value sealed for another purpose', () => {
    const ring = new Keyring({ k1: K1, k2: K2 }, 'k2')
    const name = new Keyring({ k1: K1 }, 'k1').encrypt(NAME, 'name')
    expect(cryptoProblem(() => ring.reencrypt(name, 'idNumber'))).toBe('tampered')
  })
})

describe('keyed references', () => {
  const key = new BlindIndexKey(INDEX)

  it('are one HMAC with the domain in front, so references of different domains never meet', () => {
    expect(key.ref('guardian-id-number', ID)).not.toBe(key.ref('id-number', ID))
    expect(key.ref('id-number', ID)).toBe(blindIndex(key, ID))
    expect(keyedRef(INDEX, 'consent-subject', 'o-1')).toBe(createHmac('sha256', Buffer.from(INDEX, 'hex')).update('consent-subject\u0000o-1').digest('hex'))
  })
})

describe('blind index', () => {
  const key = new BlindIndexKey(INDEX)

  it('is a keyed HMAC-SHA256 of the ID number, stable across calls', () => {
    const expected = createHmac('sha256', Buffer.from(INDEX, 'hex')).update(`id-number\u0000${ID}`).digest('hex')
    expect(blindIndex(key, ID)).toBe(expected)
    expect(blindIndex(new BlindIndexKey(INDEX), ID)).toBe(expected)
  })

  it('depends on the key: without it the index cannot be recomputed', () => {
    expect(blindIndex(new BlindIndexKey(hex()), ID)).not.toBe(blindIndex(key, ID))
  })

  it('differs for different ID numbers, even one character apart', () => {
    expect(blindIndex(key, '110105194912310021')).not.toBe(blindIndex(key, ID))
  })

  it('refuses an ID number that was not normalized, which would miss a duplicate', () => {
    expect(() => blindIndex(key, '11010519491231002x')).toThrow(IdentityCryptoError)
    expect(() => blindIndex(key, ` ${ID}`)).toThrow(IdentityCryptoError)
    expect(() => blindIndex(key, '')).toThrow(IdentityCryptoError)
  })
})

describe('keyring configuration', () => {
  it('reads kid:hex pairs and the current key id', () => {
    const ring = parseKeyring({ LECHAT_ID_KEYS: ` k1:${K1} , k2:${K2.toUpperCase()} `, LECHAT_ID_KEY_CURRENT: 'k2' })
    expect(ring.kids).toEqual(['k1', 'k2'])
    expect(ring.currentKid).toBe('k2')
    const sealed = parseKeyring({ LECHAT_ID_KEYS: `k2:${K2}` }).encrypt(ID, 'idNumber')
    expect(ring.decrypt(sealed, 'idNumber')).toBe(ID)
  })

  it('takes the only key as current when none is named', () => {
    expect(parseKeyring({ LECHAT_ID_KEYS: `solo:${K1}` }).currentKid).toBe('solo')
  })

  it.each([
    ['nothing set', {}, /LECHAT_ID_KEYS is not set/],
    ['a short key', { LECHAT_ID_KEYS: `k1:${K1.slice(2)}` }, /64 hex characters \(got 62/],
    ['a non-hex key', { LECHAT_ID_KEYS: `k1:${'z'.repeat(64)}` }, /64 hex characters/],
    ['an entry without a kid', { LECHAT_ID_KEYS: K1 }, /kid:64-hex-chars/],
    ['a duplicated kid', { LECHAT_ID_KEYS: `k1:${K1},k1:${K2}`, LECHAT_ID_KEY_CURRENT: 'k1' }, /appears twice/],
    ['several keys and no current', { LECHAT_ID_KEYS: `k1:${K1},k2:${K2}` }, /LECHAT_ID_KEY_CURRENT/],
    ['a current key that is not listed', { LECHAT_ID_KEYS: `k1:${K1}`, LECHAT_ID_KEY_CURRENT: 'k2' }, /"k2" is not in the keyring/],
    ['a kid with spaces', { LECHAT_ID_KEYS: `my key:${K1}` }, /key id "my key"/],
  ])('refuses %s', (_case, env, message) => {
    expect(() => parseKeyring(env)).toThrow(IdentityConfigError)
    expect(() => parseKeyring(env)).toThrow(message)
  })

  it('never echoes a key in its error message', () => {
    const almost = `${K1.slice(0, 63)}g`
    try {
      parseKeyring({ LECHAT_ID_KEYS: `k1:${almost}` })
      throw new Error('expected a refusal')
    } catch (error) {
      expect(String(error)).not.toContain(almost.slice(0, 16))
    }
  })

  it('reads the blind-index key', () => {
    expect(blindIndex(parseBlindIndexKey({ LECHAT_BLIND_INDEX_KEY: INDEX }), ID)).toBe(blindIndex(new BlindIndexKey(INDEX), ID))
    expect(() => parseBlindIndexKey({})).toThrow(/LECHAT_BLIND_INDEX_KEY is not set/)
  })
})

describe('identity secrets by mode', () => {
  const real = { LECHAT_ID_KEYS: `k1:${K1}`, LECHAT_BLIND_INDEX_KEY: INDEX }

  it('production requires both settings', () => {
    expect(() => loadIdentitySecrets({}, 'production')).toThrow(/LECHAT_ID_KEYS/)
    expect(() => loadIdentitySecrets({ LECHAT_ID_KEYS: `k1:${K1}` }, 'production')).toThrow(/LECHAT_BLIND_INDEX_KEY/)
    expect(() => loadIdentitySecrets({ LECHAT_BLIND_INDEX_KEY: INDEX }, 'production')).toThrow(/LECHAT_ID_KEYS/)
    const secrets = loadIdentitySecrets(real, 'production')
    expect(secrets.keyring.currentKid).toBe('k1')
  })

  it('refuses an index key equal to an encryption key', () => {
    expect(() => loadIdentitySecrets({ LECHAT_ID_KEYS: `k1:${K1}`, LECHAT_BLIND_INDEX_KEY: K1.toUpperCase() }, 'production')).toThrow(
      /must differ/,
    )
  })

  it('local and test fall back to the loudly named development keys when nothing is set', () => {
    const secrets = loadIdentitySecrets({}, 'local')
    expect(secrets.keyring.currentKid).toBe('INSECURE-DEV-ONLY')
    expect(secrets.keyring.encrypt(ID, 'idNumber').kid).toBe('INSECURE-DEV-ONLY')
    expect(loadIdentitySecrets({}, 'test').keyring.currentKid).toBe('INSECURE-DEV-ONLY')
  })

  it('local with settings uses them, and the development key for whichever is not set', () => {
    expect(loadIdentitySecrets(real, 'local').keyring.currentKid).toBe('k1')
    const indexOnly = loadIdentitySecrets({ LECHAT_BLIND_INDEX_KEY: INDEX }, 'local')
    expect(indexOnly.keyring.currentKid).toBe('INSECURE-DEV-ONLY')
    expect(blindIndex(indexOnly.blindIndexKey, ID)).toBe(blindIndex(new BlindIndexKey(INDEX), ID))
    const keysOnly = loadIdentitySecrets({ LECHAT_ID_KEYS: `k1:${K1}` }, 'local')
    expect(blindIndex(keysOnly.blindIndexKey, ID)).toBe(blindIndex(new BlindIndexKey(INSECURE_DEV_BLIND_INDEX_KEY), ID))
  })

  it('refuses the retired LECHAT_ID_INDEX_KEY in every mode, pointing to the one blind-index key', () => {
    for (const mode of ['production', 'local', 'test'] as const) {
      expect(() => loadIdentitySecrets({ ...real, LECHAT_ID_INDEX_KEY: INDEX }, mode)).toThrow(/LECHAT_BLIND_INDEX_KEY/)
    }
  })

  it('development keys are fixed, so values sealed in one local run open in the next', () => {
    const sealed = insecureDevIdentitySecrets().keyring.encrypt(ID, 'idNumber')
    expect(insecureDevIdentitySecrets().keyring.decrypt(sealed, 'idNumber')).toBe(ID)
    expect(blindIndex(insecureDevIdentitySecrets().blindIndexKey, ID)).toBe(blindIndex(insecureDevIdentitySecrets().blindIndexKey, ID))
  })

  it('production refuses the development keys even when copied into the environment', () => {
    const dev = insecureDevIdentitySecrets()
    const devSealed = dev.keyring.encrypt('x', 'name')
    // The dev key material is not exported; recover it the way an operator copying it would: from the same derivation.
    const devHex = createHash('sha256').update('lechat-card insecure development ID key; never use in production').digest('hex')
    expect(new Keyring({ [devSealed.kid]: devHex }, devSealed.kid).decrypt(devSealed, 'name')).toBe('x')
    expect(() => loadIdentitySecrets({ LECHAT_ID_KEYS: `prod:${devHex}`, LECHAT_BLIND_INDEX_KEY: INDEX }, 'production')).toThrow(
      /insecure development/,
    )
    expect(() => loadIdentitySecrets({ LECHAT_ID_KEYS: `INSECURE-DEV-ONLY:${K1}`, LECHAT_BLIND_INDEX_KEY: INDEX }, 'production')).toThrow(
      /insecure development/,
    )
  expect(() => loadIdentitySecrets({ LECHAT_ID_KEYS: `k1:${K1}`, LECHAT_BLIND_INDEX_KEY: INSECURE_DEV_BLIND_INDEX_KEY }, 'production')).toThrow(
      /insecure development/,
    )
  })
})

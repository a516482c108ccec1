/**
 * Client secrets are stored only as a slow hash (scrypt, N=2^14), so that a
 * copy of the registry does not let anyone act as a client. Comparing in
 * constant time; the parameters travel with the hash so they can be raised.
 * A warm function instance remembers, for a few minutes and only in memory,
 * that a secret matched a stored hash (by the secret's SHA-256), so a client's
 * calls in a row pay the slow hash once; rotating the secret changes the hash.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const N = 2 ** 14
const R = 8
const P = 1
const KEY_BYTES = 32
// scrypt needs 128·N·r bytes; Node's default cap (32 MB) is exactly that, leave room.
const MAX_MEM = 64 * 1024 * 1024

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, { N: n, r, p, maxmem: MAX_MEM }, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(secret, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

const REMEMBER_MS = 5 * 60_000
const REMEMBER_MAX = 1000
const matched = new Map<string, number>()

function rememberKey(secret: string, stored: string): string {
  return createHash('sha256').update(secret).update('\u0000').update(stored).digest('hex')
}

export async function verifySecret(secret: string, stored: string, now = Date.now()): Promise<boolean> {
  const remembered = rememberKey(secret, stored)
  const at = matched.get(remembered)
  if (at !== undefined && now - at < REMEMBER_MS) return true
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p))
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected)
  if (ok) {
    if (matched.size >= REMEMBER_MAX) matched.delete(matched.keys().next().value ?? '')
    matched.set(remembered, now)
  }
  return ok
}

/** For the benchmark's cold figure: forget every remembered match. */
export function forgetMatchedSecrets(): void {
  matched.clear()
}

/** What an admin hands to the client's operators once. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url')
}

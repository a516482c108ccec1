/**
 * `npm run oidc:key -- [--kid <kid>]`: prints a new ID-token signing key (EC
 * P-256, ES256) as the one-line JWKS LECHAT_OIDC_SIGNING_KEYS takes. To rotate,
 * add the new key to the list, make its kid LECHAT_OIDC_SIGNING_KID, deploy, and
 * remove the old key once its ID tokens have expired (10 minutes).
 */
import { generateKeyPairSync } from 'node:crypto'

const at = process.argv.indexOf('--kid')
const kid = at >= 0 ? process.argv[at + 1] : `key-${new Date().toISOString().slice(0, 10)}`
if (!kid || !/^[\w.-]{1,64}$/.test(kid)) {
  console.error('--kid: 1–64 letters, digits, ".", "_" or "-"')
  process.exit(1)
}
const jwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid }
console.log(`LECHAT_OIDC_SIGNING_KEYS=${JSON.stringify({ keys: [jwk] })}`)
console.log(`LECHAT_OIDC_SIGNING_KID=${kid}`)

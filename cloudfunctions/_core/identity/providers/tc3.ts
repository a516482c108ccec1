/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256 ("签名方法 v3"):
 *   CanonicalRequest = METHOD \n / \n query \n canonical headers \n signed headers \n hex(SHA256(body))
 *     (headers: lowercase "key:value\n", sorted by key; the official SDK signs content-type and host)
 *   StringToSign     = "TC3-HMAC-SHA256" \n timestamp \n date/service/tc3_request \n hex(SHA256(CanonicalRequest))
 *   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
 *   Authorization    = "TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=<list>, Signature=<hex HMAC(key, StringToSign)>"
 * The date is the UTC date of the timestamp (a UTC+8 date fails every night
 * between 00:00 and 08:00), and the timestamp must be within five minutes of the
 * server's clock. Checked against the worked example of the documentation in
 * tests/identity/providers.test.ts.
 */
import { createHash, createHmac } from 'node:crypto'

export interface Tc3Input {
  secretId: string
  secretKey: string
  service: string
  /** Unix seconds; also sent as X-TC-Timestamp. */
  timestamp: number
  method: 'POST'
  /** The headers to sign, by any case; they must be sent exactly so. */
  headers: Readonly<Record<string, string>>
  payload: string
}

export interface Tc3Signature {
  canonicalRequest: string
  stringToSign: string
  credentialScope: string
  signature: string
  authorization: string
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest()
}

export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10)
}

export function tc3Sign(input: Tc3Input): Tc3Signature {
  const headers = Object.entries(input.headers)
    .map(([key, value]) => [key.trim().toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const canonicalHeaders = headers.map(([key, value]) => `${key}:${value}\n`).join('')
  const signedHeaders = headers.map(([key]) => key).join(';')
  const canonicalRequest = [input.method, '/', '', canonicalHeaders, signedHeaders, sha256Hex(input.payload)].join('\n')

  const date = utcDate(input.timestamp)
  const credentialScope = `${date}/${input.service}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n')

  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request')
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
  const authorization = `TC3-HMAC-SHA256 Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return { canonicalRequest, stringToSign, credentialScope, signature, authorization }
}

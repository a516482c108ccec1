/**
 * The login service: the token endpoint's code exchange through the HTTP path
 * (local gateway → HTTP access event → dispatcher → real SDK → local DB; the
 * client secret checked against its scrypt hash, which is most of the time on
 * purpose), and ES256 ID-token signing and verification per second with jose.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { signIdToken } from '../cloudfunctions/_core/oidc/tokens'
import { forgetMatchedSecrets, hashSecret, verifySecret } from '../cloudfunctions/_core/oidc/secrets'
import { ensureTestDocuments, startTestCloud, verifiedPublisher, acceptCurrentTerms, type TestCloud } from '../local/testing'
import { accounts, findAccount } from '../cloudfunctions/_core/accounts'
import { approveSignIn } from '../local/demo-rp'
import type { BenchRow } from './stats'
import { p50p99, sample } from './stats'

const EXCHANGES = 40
const TOKENS = 2000
const REDIRECT = 'https://bench.example.gov.cn/cb'

async function setUp(cloud: TestCloud): Promise<string> {
  await ensureTestDocuments(cloud)
  await acceptCurrentTerms(cloud, 'bench-admin')
  const admin = await findAccount(cloud.store, 'bench-admin')
  await accounts(cloud.store).update(admin?._id ?? '', { roles: ['user', 'admin'] })
  const saved = await cloud.call(
    'oidc',
    {
      action: 'saveClient',
      input: {
        clientId: 'bench-rp',
        name: '基准测试应用',
        organization: '基准测试机构',
        orgType: 'government',
        logo: null,
        redirectUris: [REDIRECT],
        miniProgramAppIds: [],
        allowedScopes: ['verified', 'age'],
        authMethod: 'client_secret_basic',
        jwks: null,
        sector: 'bench.example.gov.cn',
        privacyNoticeUrl: 'https://bench.example.gov.cn/privacy',
        reason: '基准测试接入',
      },
    },
    'bench-admin',
  )
  if (!saved.ok) throw new Error(saved.error.message)
  await verifiedPublisher(cloud, 'bench-person')
  return (saved.data as { secret: string }).secret
}

/** One web sign-in up to its code, as browser, person and page do it. */
async function codeFor(cloud: TestCloud, basic: string): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const par = await fetch(`${cloud.url}/oidc/par`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ response_type: 'code', client_id: 'bench-rp', redirect_uri: REDIRECT, scope: 'openid verified age', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }),
  })
  const { request_uri } = (await par.json()) as { request_uri: string }
  const html = await (await fetch(`${cloud.url}/oidc/authorize?client_id=bench-rp&request_uri=${encodeURIComponent(request_uri)}`)).text()
  const id = /data-sign-in="([^"]+)"/.exec(html)?.[1] ?? ''
  const secret = /data-secret="([^"]+)"/.exec(html)?.[1] ?? ''
  await approveSignIn(cloud.call, id, 'bench-person')
  const poll = (await (await fetch(`${cloud.url}/oidc/authorize/poll`, { method: 'POST', body: JSON.stringify({ id, secret }) })).json()) as { location: string }
  return { code: new URL(poll.location).searchParams.get('code') ?? '', verifier }
}

export async function benchOidc(): Promise<BenchRow[]> {
  const cloud = await startTestCloud({ env: { LECHAT_IDENTITY_MAX_STARTS: '100' } })
  try {
    const secret = await setUp(cloud)
    const basic = `Basic ${Buffer.from(`bench-rp:${secret}`).toString('base64')}`
    const codes: Array<{ code: string; verifier: string }> = []
    for (let i = 0; i < EXCHANGES; i++) codes.push(await codeFor(cloud, basic))
    const exchange = await sample(EXCHANGES, async (i) => {
      const { code, verifier } = codes[i] ?? { code: '', verifier: '' }
      const response = await fetch(`${cloud.url}/oidc/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
      })
      if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${await response.text()}`)
    })
    const hash = await hashSecret(secret)
    const scrypt = await sample(20, async () => {
      forgetMatchedSecrets()
      await verifySecret(secret, hash)
    })

    const settings = cloud.config.oidc
    if (!settings) throw new Error('no login-service settings')
    const now = new Date()
    const claims = { sub: 'a'.repeat(64), amr: ['face'], real_name_verified: true, age_over_18: true }
    const signStart = process.hrtime.bigint()
    const tokens: string[] = []
    for (let i = 0; i < TOKENS; i++) tokens.push(await signIdToken(settings, { ...claims, nonce: String(i) }, 'bench-rp', now))
    const signMs = Number(process.hrtime.bigint() - signStart) / 1e6
    const jwks = createLocalJWKSet({ keys: settings.keys.map((k) => k.publicJwk) } as unknown as JSONWebKeySet)
    const verifyStart = process.hrtime.bigint()
    for (const token of tokens) await jwtVerify(token, jwks, { issuer: settings.issuer, audience: 'bench-rp', currentDate: now })
    const verifyMs = Number(process.hrtime.bigint() - verifyStart) / 1e6
    return [
      { name: `token endpoint, code exchange over HTTP (${EXCHANGES} codes)`, value: p50p99(exchange), note: 'warm instance: code single-use update, claims, ES256 ID token, access + refresh token, grant, access log' },
      { name: 'client secret check, cold (scrypt N=2^14)', value: p50p99(scrypt), note: 'paid once per client per warm instance (5 min): a stolen registry does not give away secrets' },
      { name: `ID-token signing, ES256 (${TOKENS})`, value: `${Math.round((TOKENS / signMs) * 1000)} /s` },
      { name: `ID-token verification against the JWKS (${TOKENS})`, value: `${Math.round((TOKENS / verifyMs) * 1000)} /s` },
    ]
  } finally {
    await cloud.close()
  }
}

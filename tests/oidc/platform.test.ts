/**
 * The login service's platform side: the HTTP access service's event as
 * CloudBase sends it (base64 bodies, arrays in headers), a mini-program call
 * dressed up as HTTP refused, the signing-key settings (rotation keeps the old
 * public key published, production refuses to start without keys), and
 * erasure revoking every grant.
 */
import { generateKeyPairSync } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import * as client from 'openid-client'
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { ConfigError, loadConfig } from '../../cloudfunctions/_core/config'
import { ALL_SECTIONS } from '../../cloudfunctions/_core/config-sections'
import { serveHttp } from '../../cloudfunctions/_core/dispatch'
import { erasePerson, erasureSubject } from '../../cloudfunctions/_core/erasure'
import { loadOidcSettings } from '../../cloudfunctions/_core/oidc/settings'
import { signIdToken } from '../../cloudfunctions/_core/oidc/tokens'
import { oidcGrants, oidcTokens } from '../../cloudfunctions/_core/oidc/records'
import { oidcFunction } from '../../cloudfunctions/oidc/handlers'
import { ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { errorOf } from '../functions/helpers'
import { exchange, GOV_CLIENT, person, registerClient, rp, setUpAdmin, signInOnWeb } from './helpers'

let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({ env: { LECHAT_IDENTITY_MAX_STARTS: '100' } })
  await ensureTestDocuments(cloud)
  await setUpAdmin(cloud)
}, 30_000)
afterAll(async () => {
  await cloud.close()
})

const jwk = (kid: string) => ({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid })

describe('the HTTP access event', () => {
  it('answers the event CloudBase sends, with a base64 body, as {statusCode, headers, body}', async () => {
    const body = Buffer.from('grant_type=refresh_token&refresh_token=nope').toString('base64')
    const answer = await serveHttp(
      oidcFunction,
      { path: '/oidc/token', httpMethod: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, queryStringParameters: {}, body, isBase64Encoded: true },
      cloud.runtimeFor(''),
    )
    expect(answer.statusCode).toBe(401)
    expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_client', error_description: 'client authentication required (client_secret_basic or private_key_jwt)' })
    expect(answer.headers['cache-control']).toBe('no-store')
  })

  it('refuses a mini-program call dressed up as HTTP (it carries a caller), and an unknown path', async () => {
    const event = { path: '/oidc/jwks', httpMethod: 'GET', headers: {}, queryStringParameters: {}, body: '', isBase64Encoded: false }
    expect((await serveHttp(oidcFunction, event, cloud.runtimeFor('someone'))).statusCode).toBe(400)
    expect((await serveHttp(oidcFunction, { ...event, path: '/oidc/nothing' }, cloud.runtimeFor(''))).statusCode).toBe(404)
    expect((await serveHttp(oidcFunction, event, cloud.runtimeFor(''))).statusCode).toBe(200)
  })
})

describe('signing keys', () => {
  it('publishes every configured key and signs with the current one, so tokens of a retired key still verify', async () => {
    const [oldKey, newKey] = [jwk('k-2026-11'), jwk('k-2026-12')]
    const before = loadOidcSettings({ LECHAT_OIDC_ISSUER: 'https://id.example.cn', LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [oldKey] }) }, true)
    const after = loadOidcSettings(
      { LECHAT_OIDC_ISSUER: 'https://id.example.cn', LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [oldKey, newKey] }), LECHAT_OIDC_SIGNING_KID: 'k-2026-12' },
      true,
    )
    expect(after.current.kid).toBe('k-2026-12')
    expect(after.keys.map((k) => k.kid)).toEqual(['k-2026-12', 'k-2026-11'])
    expect(after.keys.every((k) => !('d' in k.publicJwk))).toBe(true)
    const now = new Date()
    const old = await signIdToken(before, { sub: 'x' }, 'rp', now)
    const jwks = createLocalJWKSet({ keys: after.keys.map((k) => k.publicJwk) } as unknown as JSONWebKeySet)
    await expect(jwtVerify(old, jwks, { issuer: 'https://id.example.cn', audience: 'rp', currentDate: now })).resolves.toMatchObject({ protectedHeader: { kid: 'k-2026-11', alg: 'ES256' } })
  })

  it('refuses to start the oidc function in production without keys or issuer, or with a public key only', () => {
    const base = {
      LECHAT_MODE: 'production',
      LECHAT_BLIND_INDEX_KEY: 'ab'.repeat(32),
      LECHAT_OPERATOR_NAME: '某某公司',
      LECHAT_OPERATOR_CONTACT: '010-0',
      LECHAT_OPERATOR_EMAIL: 'a@example.cn',
      LECHAT_OPERATOR_ADDRESS: '北京',
      LECHAT_ID_KEYS: `k1:${'cd'.repeat(32)}`,
      LECHAT_ID_KEY_CURRENT: 'k1',
    }
    expect(() => loadConfig(base, { fn: 'oidc', sections: ALL_SECTIONS })).toThrow(ConfigError)
    expect(() => loadConfig(base, { fn: 'oidc', sections: ALL_SECTIONS })).toThrow(/LECHAT_OIDC_ISSUER/)
    expect(() => loadConfig({ ...base, LECHAT_OIDC_ISSUER: 'https://id.example.cn' }, { fn: 'oidc', sections: ALL_SECTIONS })).toThrow(/LECHAT_OIDC_SIGNING_KEYS/)
    const { d: _d, ...publicOnly } = jwk('pub')
    expect(() => loadConfig({ ...base, LECHAT_OIDC_ISSUER: 'https://id.example.cn', LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [publicOnly] }) }, { fn: 'oidc', sections: ALL_SECTIONS })).toThrow(/private EC P-256/)
    expect(() => loadConfig({ ...base, LECHAT_OIDC_ISSUER: 'http://id.example.cn', LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [jwk('a')] }) }, { fn: 'oidc', sections: ALL_SECTIONS })).toThrow(/https/)
    const ok = loadConfig({ ...base, LECHAT_OIDC_ISSUER: 'https://id.example.cn/', LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [jwk('a')] }) }, { fn: 'oidc', sections: ALL_SECTIONS })
    expect(ok.oidc?.issuer).toBe('https://id.example.cn')
    // Other functions neither need nor load the keys.
    expect(loadConfig(base, { fn: 'cards', sections: ALL_SECTIONS }).oidc).toBeNull()
  })
})

describe('clients', () => {
  it('accepts only government departments, public utilities and public-service organizations', async () => {
    const refused = await cloud.call('oidc', { action: 'saveClient', input: { ...GOV_CLIENT, clientId: 'a-company', orgType: 'company' } }, 'oidc-admin')
    expect(errorOf(refused)).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'orgType', message: '只接受政府部门、公用事业单位和公共服务机构' }] })
  })
})

describe('erasure', () => {
  it('revokes every grant (recorded as a withdrawal) and deletes grants and tokens', async () => {
    const { secret } = await registerClient(cloud, 'erase-web')
    const config = await rp(cloud, 'erase-web', client.ClientSecretBasic(secret ?? ''))
    await person(cloud, 'oidc-erased')
    const { started, callback } = await signInOnWeb(cloud, config, 'oidc-erased', 'openid verified')
    const tokens = await exchange(config, started, callback)
    const account = await findAccount(cloud.store, 'oidc-erased')
    if (!account) throw new Error('no account')
    const ctx = { ...cloud.runtimeFor(''), requestId: 'erasure-test', fn: 'scheduler', action: 'timer:erase', now: cloud.clock.now() }
    const subject = erasureSubject(cloud.config, account)
    await erasePerson(ctx, subject)
    expect(await oidcGrants(cloud.store).count({ openid: 'oidc-erased' })).toBe(0)
    expect(await oidcTokens(cloud.store).count({ openid: 'oidc-erased' })).toBe(0)
    await expect(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck)).rejects.toBeTruthy()
    const ledger = await cloud.store.collection<{ _id: string; purpose: string; action: string; subject: string }>('consent_records').find({ subject: subject.pseudonym, purpose: 'loginSharing' }, { limit: 10, orderBy: [['seq', 'asc']] })
    expect(ledger.map((r) => r.action)).toEqual(['grant', 'withdraw'])
  })
})

/**
 * The login service end to end, as a third party integrates it: openid-client
 * against the local endpoints (discovery, PAR, code + PKCE, ID token against
 * the JWKS, userinfo, refresh rotation, revocation), and the person's side
 * through the real actions.
 */
import { createHash } from 'node:crypto'
import * as client from 'openid-client'
import { decodeProtectedHeader } from 'jose'
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { oidcTokens } from '../../cloudfunctions/_core/oidc/records'
import type { GrantView, SignInView } from '../../shared/contract/oidc'
import type { AccessLogEntry } from '../../shared/contract/account'
import { ensureTestDocuments, startTestCloud, uploadsOf, type TestCloud } from '../../local/testing'
import { errorOf, ok } from '../functions/helpers'
import { acceptCurrentTerms } from '../../local/testing'
import { ADMIN, approveAs, exchange, GOV_CLIENT, openQrPage, person, poll, registerClient, rp, setUpAdmin, signInOnWeb, startSignIn } from './helpers'

// Each sign-in here is a face re-check, a client-secret check (scrypt) and several HTTP round trips: seconds per test
// on a loaded two-core machine.
jest.setTimeout(60_000)

let cloud: TestCloud
let gov: client.Configuration
let govSecret: string

beforeAll(async () => {
  // Every sign-in takes a face re-check; the default allowance (5 a day) is for people, not this suite.
  cloud = await startTestCloud({ env: { LECHAT_IDENTITY_MAX_STARTS: '100' } })
  await ensureTestDocuments(cloud)
  await setUpAdmin(cloud)
  govSecret = (await registerClient(cloud, 'gjj-web')).secret ?? ''
  gov = await rp(cloud, 'gjj-web', client.ClientSecretBasic(govSecret))
}, 30_000)

afterAll(async () => {
  await cloud.close()
})

async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    // openid-client: a JSON error body carries `error`; a WWW-Authenticate challenge carries it in its parameters.
    const e = error as { error?: string; code?: string; cause?: unknown }
    const challenge = Array.isArray(e.cause) ? (e.cause[0] as { parameters?: { error?: string } } | undefined)?.parameters?.error : undefined
    return e.error ?? challenge ?? e.code ?? String(error)
  }
  throw new Error('expected an OAuth error')
}

describe('discovery and keys', () => {
  it('publishes what a certified client needs: endpoints, PKCE S256 only, pairwise subjects, ES256 keys with kid', async () => {
    const meta = gov.serverMetadata()
    expect(meta.issuer).toBe(cloud.url)
    expect(meta.pushed_authorization_request_endpoint).toBe(`${cloud.url}/oidc/par`)
    expect(meta.code_challenge_methods_supported).toEqual(['S256'])
    expect(meta.subject_types_supported).toEqual(['pairwise'])
    const jwks = (await (await fetch(`${cloud.url}/oidc/jwks`)).json()) as { keys: Array<Record<string, unknown>> }
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
    expect(jwks.keys[0]?.kid).toEqual(expect.any(String))
    expect(jwks.keys[0]).not.toHaveProperty('d')
  })

  it('answers errors as RFC 6749 JSON, never a stack', async () => {
    const response = await fetch(`${cloud.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code' })
    expect(response.status).toBe(401)
    const body = (await response.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description'])
    expect(body.error).toBe('invalid_client')
  })
})

describe('signing in from a website', () => {
  it('gives a verified, pairwise, minimal identity: no name or ID number without the separate consent', async () => {
    await person(cloud, 'oidc-wang')
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-wang', 'openid verified age profile id_number', false)
    expect(callback.searchParams.get('state')).toBe(started.state)
    const tokens = await exchange(gov, started, callback)
    const claims = tokens.claims()
    expect(claims).toMatchObject({ iss: cloud.url, aud: 'gjj-web', nonce: started.nonce, amr: ['face'], real_name_verified: true, age_over_14: true, age_over_18: true })
    expect(typeof claims?.auth_time).toBe('number')
    expect(claims).not.toHaveProperty('name')
    expect(claims).not.toHaveProperty('id_number')
    expect(claims).not.toHaveProperty('birthdate')
    const account = await findAccount(cloud.store, 'oidc-wang')
    expect(claims?.sub).not.toContain('oidc-wang')
    expect(claims?.sub).not.toContain(account?._id ?? '-')
    // Signed ES256 with the kid the JWKS publishes (openid-client already verified the signature against it).
    const jwks = (await (await fetch(`${cloud.url}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> }
    expect(decodeProtectedHeader(tokens.id_token ?? '')).toMatchObject({ alg: 'ES256', kid: jwks.keys[0]?.kid })
    const info = await client.fetchUserInfo(gov, tokens.access_token, claims?.sub ?? '')
    expect(info).toMatchObject({ sub: claims?.sub, real_name_verified: true })
    expect(info).not.toHaveProperty('name')
  })

  it('shares name, birth date, gender and the full ID number with a government department when the person agrees', async () => {
    await person(cloud, 'oidc-li')
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-li', 'openid profile id_number', true)
    const claims = (await exchange(gov, started, callback)).claims()
    expect(claims).toMatchObject({ name: '王小明', birthdate: '1990-01-01', gender: expect.stringMatching(/^(male|female)$/) })
    expect(claims?.id_number).toMatch(/^11010119900101\d{3}[\dX]$/)
  })

  it('masks the ID number for a public utility, and leaves out scopes the client is not allowed', async () => {
    const { secret } = await registerClient(cloud, 'water-web', {
      name: '自来水网上营业厅',
      organization: '示例市自来水公司',
      orgType: 'publicUtility',
      redirectUris: ['https://water.example.com/cb'],
      allowedScopes: ['verified', 'id_number'],
      sector: 'water.example.com',
    })
    const water = await rp(cloud, 'water-web', client.ClientSecretBasic(secret ?? ''))
    await person(cloud, 'oidc-zhao')
    const started = await startSignIn(water, 'openid verified age id_number', 'https://water.example.com/cb')
    const page = await openQrPage(started.url)
    const { view } = await approveAs(cloud, 'oidc-zhao', page.signInId, true)
    expect(view.scopes.map((s) => s.scope)).toEqual(['verified', 'id_number'])
    expect(view.client.organization).toBe('示例市自来水公司')
    const answer = await poll(cloud, page)
    const claims = (await exchange(water, started, new URL(answer.location ?? ''))).claims()
    expect(claims?.id_number).toMatch(/^1\*{15}\d[\dX]$/)
    expect(claims).not.toHaveProperty('age_over_18')
  })

  it('gives one organization the same subject and another organization a different one', async () => {
    await person(cloud, 'oidc-sun')
    const { secret: s2 } = await registerClient(cloud, 'gjj-app', { name: '公积金提取', redirectUris: ['https://m.gjj.example.gov.cn/cb'], sector: 'gjj.example.gov.cn' })
    const { secret: s3 } = await registerClient(cloud, 'tax-web', { name: '个税服务', organization: '示例市税务局', redirectUris: ['https://tax.example.gov.cn/cb'], sector: 'tax.example.gov.cn' })
    const gjjApp = await rp(cloud, 'gjj-app', client.ClientSecretBasic(s2 ?? ''))
    const tax = await rp(cloud, 'tax-web', client.ClientSecretBasic(s3 ?? ''))
    const subOf = async (config: client.Configuration, redirect: string): Promise<string> => {
      const started = await startSignIn(config, 'openid verified', redirect)
      const page = await openQrPage(started.url)
      await approveAs(cloud, 'oidc-sun', page.signInId, false)
      const answer = await poll(cloud, page)
      return (await exchange(config, started, new URL(answer.location ?? ''))).claims()?.sub ?? ''
    }
    const a = await subOf(gov, 'https://gjj.example.gov.cn/callback')
    const b = await subOf(gjjApp, 'https://m.gjj.example.gov.cn/cb')
    const c = await subOf(tax, 'https://tax.example.gov.cn/cb')
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
  })

  it('sends access_denied to the website when the person declines', async () => {
    await person(cloud, 'oidc-qian')
    const started = await startSignIn(gov, 'openid verified')
    const page = await openQrPage(started.url)
    ok(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-qian'))
    ok(await cloud.call('oidc', { action: 'deny', input: { signInId: page.signInId } }, 'oidc-qian'))
    const answer = await poll(cloud, page)
    const location = new URL(answer.location ?? '')
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('state')).toBe(started.state)
  })

  it('lets only the first person who scans decide, and only the browser that showed the code receive it', async () => {
    await person(cloud, 'oidc-first')
    await person(cloud, 'oidc-second')
    const started = await startSignIn(gov, 'openid verified')
    const page = await openQrPage(started.url)
    ok(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-first'))
    expect(errorOf(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-second')).code).toBe('CONFLICT')
    expect((await poll(cloud, { signInId: page.signInId, secret: 'not-the-secret' })).status).toBeUndefined()
    expect((await poll(cloud, page)).status).toBe('scanned')
  })

  it('does not deliver an approval the page collects after the sign-in expired', async () => {
    await person(cloud, 'oidc-slow')
    const started = await startSignIn(gov, 'openid verified')
    const page = await openQrPage(started.url)
    await approveAs(cloud, 'oidc-slow', page.signInId, false)
    cloud.clock.advance(301_000)
    try {
      expect(await poll(cloud, page)).toEqual({ status: 'expired' })
    } finally {
      cloud.clock.advance(-301_000)
    }
    expect((await poll(cloud, page)).status).toBe('done')
  })

  it('takes a fresh face check to approve: a re-check is spent once', async () => {
    await person(cloud, 'oidc-face')
    const started = await startSignIn(gov, 'openid verified')
    const page = await openQrPage(started.url)
    ok(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-face'))
    const refused = await cloud.call('oidc', { action: 'approve', input: { signInId: page.signInId, verificationId: 'never-started-1', shareSensitive: false } }, 'oidc-face')
    expect(errorOf(refused).code).toBe('REVERIFICATION_REQUIRED')
  })

  it('refuses accounts that are not verified, with a clear error', async () => {
    await acceptCurrentTerms(cloud, 'oidc-unverified')
    const started = await startSignIn(gov, 'openid verified')
    const page = await openQrPage(started.url)
    expect(errorOf(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-unverified')).code).toBe('VERIFICATION_REQUIRED')
  })
})

describe('codes and tokens', () => {
  beforeAll(async () => {
    await person(cloud, 'oidc-zhou')
  })

  it('refuses a wrong redirect URI, verifier or secret, and an expired code', async () => {
    expect(await oauthError(startSignIn(gov, 'openid', 'https://evil.example.com/cb'))).toBe('invalid_request')

    const wrongVerifier = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    expect(await oauthError(exchange(gov, { ...wrongVerifier.started, verifier: client.randomPKCECodeVerifier() }, wrongVerifier.callback))).toBe('invalid_grant')

    const bad = await rp(cloud, 'gjj-web', client.ClientSecretBasic('wrong-secret'))
    const wrongSecret = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    expect(await oauthError(exchange(bad, wrongSecret.started, wrongSecret.callback))).toBe('invalid_client')

    const late = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    cloud.clock.advance(61_000)
    try {
      expect(await oauthError(exchange(gov, late.started, late.callback))).toBe('invalid_grant')
    } finally {
      cloud.clock.advance(-61_000)
    }
  })

  it('revokes what a code issued when the code is presented again', async () => {
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    const tokens = await exchange(gov, started, callback)
    expect(await oauthError(exchange(gov, started, callback))).toBe('invalid_grant')
    expect(await oauthError(client.fetchUserInfo(gov, tokens.access_token, client.skipSubjectCheck))).toBe('invalid_token')
  })

  it('rotates refresh tokens, and a reused one ends the whole family', async () => {
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    const first = await exchange(gov, started, callback)
    const second = await client.refreshTokenGrant(gov, first.refresh_token ?? '')
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.claims()?.sub).toBe(first.claims()?.sub)
    // The old one again: someone holds a copy.
    expect(await oauthError(client.refreshTokenGrant(gov, first.refresh_token ?? ''))).toBe('invalid_grant')
    expect(await oauthError(client.refreshTokenGrant(gov, second.refresh_token ?? ''))).toBe('invalid_grant')
    expect(await oauthError(client.fetchUserInfo(gov, second.access_token, client.skipSubjectCheck))).toBe('invalid_token')
  })

  it('revokes a refresh token at the client’s request (RFC 7009)', async () => {
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    const tokens = await exchange(gov, started, callback)
    await client.tokenRevocation(gov, tokens.refresh_token ?? '')
    expect(await oauthError(client.refreshTokenGrant(gov, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    // An unknown token is not an error.
    await expect(client.tokenRevocation(gov, 'unknown-token')).resolves.toBeUndefined()
  })

  it('purges sign-ins and tokens a day after they expired, and keeps the rest', async () => {
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    const tokens = await exchange(gov, started, callback)
    const count = () => oidcTokens(cloud.store).count({ openid: 'oidc-zhou' })
    const before = await count()
    ok(await cloud.gateway.fireTimer('oidc', 'purge'))
    expect(await count()).toBe(before)
    cloud.clock.advance(32 * 24 * 3600 * 1000)
    try {
      ok(await cloud.gateway.fireTimer('oidc', 'purge'))
      expect(await count()).toBe(0)
      expect(await oidcTokens(cloud.store).byId(createHash('sha256').update(tokens.refresh_token ?? '').digest('hex'))).toBeNull()
    } finally {
      cloud.clock.advance(-32 * 24 * 3600 * 1000)
    }
  })

  it('stores tokens and codes only as hashes', async () => {
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-zhou', 'openid verified')
    const tokens = await exchange(gov, started, callback)
    const stored = await oidcTokens(cloud.store).find({ clientId: 'gjj-web' }, { limit: 100 })
    const text = JSON.stringify(stored)
    expect(text).not.toContain(tokens.access_token)
    expect(text).not.toContain(tokens.refresh_token ?? '-')
    expect(text).not.toContain(callback.searchParams.get('code') ?? '-')
  })

  it('stops a suspended client: no new sign-ins, and its refresh tokens stop working', async () => {
    const { secret } = await registerClient(cloud, 'suspend-me', { redirectUris: ['https://s.example.gov.cn/cb'], sector: 's.example.gov.cn' })
    const config = await rp(cloud, 'suspend-me', client.ClientSecretBasic(secret ?? ''))
    const started = await startSignIn(config, 'openid verified', 'https://s.example.gov.cn/cb')
    const page = await openQrPage(started.url)
    await approveAs(cloud, 'oidc-zhou', page.signInId, false)
    const tokens = await exchange(config, started, new URL((await poll(cloud, page)).location ?? ''))
    ok(await cloud.call('oidc', { action: 'setClientStatus', input: { clientId: 'suspend-me', status: 'suspended', reason: '测试暂停接入' } }, 'oidc-admin'))
    expect(await oauthError(client.refreshTokenGrant(config, tokens.refresh_token ?? ''))).toBe('unauthorized_client')
    expect(await oauthError(startSignIn(config, 'openid verified', 'https://s.example.gov.cn/cb'))).toBe('unauthorized_client')
  })
})

describe('the client registry', () => {
  it('lists clients page by page in id order, and refuses a cursor that is not a client id', async () => {
    const first = ok<{ clients: Array<{ clientId: string }>; nextCursor: string | null }>(await cloud.call('oidc', { action: 'clients', input: { limit: 2 } }, 'oidc-admin'))
    expect(first.clients.map((c) => c.clientId)).toEqual([...first.clients.map((c) => c.clientId)].sort())
    expect(first.nextCursor).toBe(first.clients[1]?.clientId)
    const second = ok<{ clients: Array<{ clientId: string }> }>(await cloud.call('oidc', { action: 'clients', input: { limit: 2, cursor: first.nextCursor } }, 'oidc-admin'))
    expect((second.clients[0]?.clientId ?? '') > (first.nextCursor ?? '')).toBe(true)
    expect(errorOf(await cloud.call('oidc', { action: 'clients', input: { cursor: 'NOT A CLIENT' } }, 'oidc-admin')).code).toBe('INVALID_INPUT')
  })
})

describe('the person’s control', () => {
  it('lists the organization, and revoking ends its access at once; both are consent records, each token is in the access log', async () => {
    await person(cloud, 'oidc-wu')
    const { started, callback } = await signInOnWeb(cloud, gov, 'oidc-wu', 'openid verified age')
    const tokens = await exchange(gov, started, callback)
    const { grants } = ok<{ grants: GrantView[] }>(await cloud.call('oidc', { action: 'grants', input: {} }, 'oidc-wu'))
    expect(grants).toEqual([expect.objectContaining({ clientId: 'gjj-web', organization: GOV_CLIENT.organization, claims: ['real_name_verified', 'verified_at', 'age_over_14', 'age_over_18'] })])

    const log = ok<{ entries: AccessLogEntry[] }>(await cloud.call('account', { action: 'accessLog', input: {} }, 'oidc-wu'))
    expect(log.entries[0]).toMatchObject({ role: 'client', roleLabel: '第三方应用', action: 'oidc.token' })
    expect(log.entries[0]?.reason).toContain(GOV_CLIENT.organization)

    ok(await cloud.call('oidc', { action: 'revokeGrant', input: { clientId: 'gjj-web' } }, 'oidc-wu'))
    expect(await oauthError(client.fetchUserInfo(gov, tokens.access_token, client.skipSubjectCheck))).toBe('invalid_token')
    expect(await oauthError(client.refreshTokenGrant(gov, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    expect(ok<{ grants: GrantView[] }>(await cloud.call('oidc', { action: 'grants', input: {} }, 'oidc-wu')).grants).toEqual([])

    const history = ok<{ records: Array<{ purpose: string; action: string; recipient?: { clientId: string; claims: string[] } | null }> }>(
      await cloud.call('consent', { action: 'history', input: {} }, 'oidc-wu'),
    )
    const sharing = history.records.filter((r) => r.purpose === 'loginSharing')
    expect(sharing.map((r) => r.action)).toEqual(['withdraw', 'grant'])
    expect(sharing[1]?.recipient).toEqual({ clientId: 'gjj-web', organization: GOV_CLIENT.organization, claims: ['sub', 'real_name_verified', 'verified_at', 'age_over_14', 'age_over_18'] })

    // The next sign-in asks again, and works again.
    const again = await signInOnWeb(cloud, gov, 'oidc-wu', 'openid verified')
    await expect(exchange(gov, again.started, again.callback)).resolves.toBeTruthy()
  })
})

describe('signing in from another mini-program', () => {
  it('pushes the request, opens our page with the request_uri, and gets the code back for navigateBackMiniProgram', async () => {
    const appId = 'wx0123456789abcdef'
    const { secret } = await registerClient(cloud, 'sb-mp', { name: '社保查询小程序', organization: '示例市社会保险事业管理中心', orgType: 'publicService', redirectUris: [], miniProgramAppIds: [appId], sector: 'si.example.gov.cn' })
    const config = await rp(cloud, 'sb-mp', client.ClientSecretBasic(secret ?? ''))
    await person(cloud, 'oidc-mp')
    const started = await startSignIn(config, 'openid verified', `wxmp://${appId}`)
    const requestUri = started.url.searchParams.get('request_uri') ?? ''
    const opened = ok<{ signIn: { signInId: string; channel: string } }>(await cloud.call('oidc', { action: 'open', input: { requestUri, clientId: 'sb-mp' } }, 'oidc-mp'))
    expect(opened.signIn.channel).toBe('miniprogram')
    const { outcome } = await approveAs(cloud, 'oidc-mp', opened.signIn.signInId, false)
    expect(outcome.extraData?.state).toBe(started.state)
    const callback = new URL(`wxmp://${appId}`)
    callback.searchParams.set('code', outcome.extraData?.code ?? '')
    callback.searchParams.set('state', started.state)
    callback.searchParams.set('iss', cloud.url)
    const tokens = await exchange(config, started, callback)
    expect(tokens.claims()).toMatchObject({ aud: 'sb-mp', real_name_verified: true })
    // A request_uri is used once.
    expect(errorOf(await cloud.call('oidc', { action: 'open', input: { requestUri, clientId: 'sb-mp' } }, 'oidc-mp')).code).toBe('SIGN_IN_EXPIRED')
  })
})

describe('client logos', () => {
  it('shows a logo on the authorize page only once its image check passed; a risky one never', async () => {
    const upload = await uploadsOf(cloud, ADMIN)
    await registerClient(cloud, 'logo-ok', { redirectUris: ['https://logo.example.gov.cn/cb'], logo: upload('logos/ok.png') })
    await registerClient(cloud, 'logo-bad', { redirectUris: ['https://bad.example.gov.cn/cb'], logo: upload('logos/沙箱违规图.png') })
    await person(cloud, 'oidc-logo')
    const logoOf = async (clientId: string, redirect: string): Promise<string | null> => {
      const { secret } = ok<{ secret: string }>(await cloud.call('oidc', { action: 'rotateSecret', input: { clientId, reason: '测试读取图标' } }, ADMIN))
      const config = await rp(cloud, clientId, client.ClientSecretBasic(secret))
      const page = await openQrPage((await startSignIn(config, 'openid verified', redirect)).url)
      return ok<{ signIn: SignInView }>(await cloud.call('oidc', { action: 'open', input: { signInId: page.signInId } }, 'oidc-logo')).signIn.client.logo
    }
    expect(await logoOf('logo-ok', 'https://logo.example.gov.cn/cb')).toBeNull()
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect(await logoOf('logo-ok', 'https://logo.example.gov.cn/cb')).toBe(upload('logos/ok.png'))
    expect(await logoOf('logo-bad', 'https://bad.example.gov.cn/cb')).toBeNull()
    // Only an image the admin uploaded is accepted.
    const foreign = await cloud.call('oidc', { action: 'saveClient', input: { ...GOV_CLIENT, clientId: 'logo-foreign', logo: 'cloud://env-1.6c65/u/someone-else/x.png' } }, ADMIN)
    expect(errorOf(foreign).code).toBe('INVALID_INPUT')
  })
})

describe('private_key_jwt clients', () => {
  it('authenticate with an assertion signed by their registered key, used once', async () => {
    // The client signs with the real time; the test cloud's clock stood still since the suite began.
    cloud.clock.set(new Date())
    const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    const jwk = { ...(await crypto.subtle.exportKey('jwk', publicKey)), kid: 'rp-key-1' }
    await registerClient(cloud, 'jwt-web', {
      redirectUris: ['https://jwt.example.gov.cn/cb'],
      sector: 'jwt.example.gov.cn',
      authMethod: 'private_key_jwt',
      jwks: { keys: [jwk as { kty: 'EC'; kid: string }] },
    })
    const config = await rp(cloud, 'jwt-web', client.PrivateKeyJwt({ key: privateKey, kid: 'rp-key-1' }))
    await person(cloud, 'oidc-jwt')
    const started = await startSignIn(config, 'openid verified', 'https://jwt.example.gov.cn/cb')
    const page = await openQrPage(started.url)
    await approveAs(cloud, 'oidc-jwt', page.signInId, false)
    const tokens = await exchange(config, started, new URL((await poll(cloud, page)).location ?? ''))
    expect(tokens.claims()?.aud).toBe('jwt-web')
    // A secret is no way in for this client.
    const basic = await rp(cloud, 'jwt-web', client.ClientSecretBasic('anything'))
    expect(await oauthError(client.refreshTokenGrant(basic, tokens.refresh_token ?? ''))).toBe('invalid_client')
  })
})

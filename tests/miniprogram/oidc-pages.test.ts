/**
 * 授权登录 and 已授权的应用 (packageOidc) against the real backend: a website's
 * sign-in opened from its QR code, the claims listed with the separate consent
 * for sensitive ones and the provider at the foot, approving through the face
 * re-check, a mini-program client sent back with its code, the unverified
 * refused with a way to verify, and revoking from the grants page.
 */
import type { AppConfig } from '../../miniprogram/config'
import { oidcSignIns } from '../../cloudfunctions/_core/oidc/records'
import type { ClientInput } from '../../shared/contract/oidc'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openLoaded } from './content-helpers'
import { change, load, tap, textOf, waitFor } from './helpers'
import { cardOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'oidc-page-admin'
const authorizeId = load('packageOidc/pages/authorize/index')
const grantsId = load('packageOidc/pages/grants/index')

let backend: Backend
const navigateTo = jest.fn()
const navigateBackMiniProgram = jest.fn()
const showModal = jest.fn(async () => ({ confirm: true, cancel: false }))

const CLIENT: ClientInput = {
  clientId: 'page-gjj',
  name: '公积金网上服务',
  organization: '示例市住房公积金管理中心',
  orgType: 'government',
  logo: null,
  redirectUris: ['https://gjj.example.gov.cn/cb'],
  miniProgramAppIds: ['wx00000000000000aa'],
  allowedScopes: ['verified', 'age', 'profile'],
  authMethod: 'client_secret_basic',
  jwks: null,
  sector: null,
  privacyNoticeUrl: 'https://gjj.example.gov.cn/privacy',
  reason: '页面测试接入',
}

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, ADMIN, 'admin')
  await callAs(backend.cloud, ADMIN, 'oidc', 'saveClient', CLIENT)
  Object.assign(wx, { navigateTo, navigateBackMiniProgram, showModal })
})
afterAll(async () => {
  await backend.close()
})

/** A pending sign-in as /oidc/authorize or PAR leaves it, for a QR code or a request_uri. */
async function pendingSignIn(channel: 'web' | 'miniprogram', stage: 'pending' | 'pushed' = 'pending'): Promise<string> {
  const now = backend.cloud.clock.now()
  const id = `pg${Math.random().toString(36).slice(2, 14)}`
  await oidcSignIns(backend.cloud.store).add({
    _id: id,
    clientId: CLIENT.clientId,
    channel,
    redirectUri: channel === 'web' ? 'https://gjj.example.gov.cn/cb' : 'wxmp://wx00000000000000aa',
    scopes: ['verified', 'age', 'profile'],
    state: 'st-1',
    nonce: 'n-1',
    codeChallenge: 'a'.repeat(43),
    stage,
    browserSecretHash: null,
    openid: null,
    grantedScopes: null,
    authTime: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 300_000),
  })
  return id
}

async function passedRecheck(openid: string): Promise<{ verificationId: string }> {
  const { verificationId } = await callAs(backend.cloud, openid, 'identity', 'recheck', {})
  await callAs(backend.cloud, openid, 'identity', 'completeRecheck', { verificationId })
  return { verificationId }
}

test('shows who asks for what, with the sensitive consent apart and the provider at the foot; approving is the face check', async () => {
  await cardOf(backend.cloud, 'oidc-page-wang')
  backend.signIn('oidc-page-wang')
  const id = await pendingSignIn('web')
  const page = await openLoaded(authorizeId, { scene: encodeURIComponent(`o=${id}`) })
  expect(page.data.status).toBe('ready')
  expect(textOf(page, '#client-name')).toBe('公积金网上服务')
  expect(textOf(page, '#scope-verified')).toContain('已实名认证')
  expect(textOf(page, '#sensitive')).toContain('姓名、出生日期和性别')
  expect(textOf(page, '#provider')).toBe('本服务由 示例市住房公积金管理中心 提供')

  await tap(page, '#approve')
  const options = navigateTo.mock.calls.at(-1)?.[0] as { url: string; events: { rechecked: (r: { verificationId: string }) => void } }
  expect(options.url).toBe('/packageAccount/pages/verify/index?mode=recheck&purpose=signIn')
  options.events.rechecked(await passedRecheck('oidc-page-wang'))
  await waitFor('the sign-in to finish', () => page.data.status === 'done')
  expect(textOf(page, '#done-text')).toContain('请回到电脑上的网页继续')
  const stored = await oidcSignIns(backend.cloud.store).byId(id)
  expect(stored?.stage).toBe('approved')
  // Without the separate consent, the sensitive scope is not shared.
  expect(stored?.grantedScopes).toEqual(['verified', 'age'])
})

test('sends another mini-program back with its code, and shares sensitive claims only when switched on', async () => {
  await cardOf(backend.cloud, 'oidc-page-li')
  backend.signIn('oidc-page-li')
  const id = await pendingSignIn('miniprogram', 'pushed')
  const page = await openLoaded(authorizeId, { request_uri: encodeURIComponent(`urn:ietf:params:oauth:request_uri:${id}`), client_id: CLIENT.clientId })
  await change(page, '#share-sensitive', true)
  await tap(page, '#approve')
  const options = navigateTo.mock.calls.at(-1)?.[0] as { events: { rechecked: (r: { verificationId: string }) => void } }
  options.events.rechecked(await passedRecheck('oidc-page-li'))
  await waitFor('the return to the other mini-program', () => navigateBackMiniProgram.mock.calls.length > 0)
  const back = navigateBackMiniProgram.mock.calls.at(-1)?.[0] as { extraData: { code: string; state: string } }
  expect(back.extraData.state).toBe('st-1')
  expect(back.extraData.code).toMatch(/^[\w-]{43}$/)
  expect((await oidcSignIns(backend.cloud.store).byId(id))?.grantedScopes).toEqual(['verified', 'age', 'profile'])
})

test('refuses an unverified account with a way to verify, and a broken QR code with what to do', async () => {
  await acceptCurrentTerms(backend.cloud, 'oidc-page-new')
  backend.signIn('oidc-page-new')
  const id = await pendingSignIn('web')
  const page = await openLoaded(authorizeId, { scene: encodeURIComponent(`o=${id}`) })
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#refusal-text')).toBe('请先完成实名认证')
  await tap(page, '#go-verify')
  expect(navigateTo.mock.calls.at(-1)?.[0]).toEqual({ url: '/packageAccount/pages/verify/index' })

  const broken = await openLoaded(authorizeId, { scene: 'x%3D1' })
  expect(textOf(broken, '#refusal-text')).toContain('不是有效的登录二维码')
})

test('lists authorized applications and revokes one after asking', async () => {
  backend.signIn('oidc-page-wang')
  const page = await openLoaded(grantsId)
  expect(textOf(page, '#grant-page-gjj')).toContain('本服务由 示例市住房公积金管理中心 提供')
  expect(textOf(page, '#grant-page-gjj')).toContain('已实名认证')
  await tap(page, '#revoke-page-gjj', () => page.data.busy === '')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '撤销对「公积金网上服务」的授权？' }))
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#notice')).toBe('已撤销对「公积金网上服务」的授权')
  expect((await callAs(backend.cloud, 'oidc-page-wang', 'oidc', 'grants', {})).grants).toEqual([])
})

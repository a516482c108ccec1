/**
 * The third party's side of the tests: a relying party built only from
 * openid-client and the discovery URL, and the scanning person played through
 * the real mini-program actions (identity.recheck, oidc.open, oidc.approve).
 */
import * as client from 'openid-client'
import type { ClientInput, SignInOutcome, SignInView } from '../../shared/contract/oidc'
import { acceptCurrentTerms, verifiedPublisher, type TestCloud } from '../../local/testing'
import { makeAdmin, ok } from '../functions/helpers'

export const ADMIN = 'oidc-admin'

export const GOV_CLIENT: Omit<ClientInput, 'clientId'> = {
  name: '住房公积金网上服务',
  organization: '示例市住房公积金管理中心',
  orgType: 'government',
  logo: null,
  redirectUris: ['https://gjj.example.gov.cn/callback'],
  miniProgramAppIds: [],
  allowedScopes: ['verified', 'age', 'profile', 'id_number'],
  authMethod: 'client_secret_basic',
  jwks: null,
  sector: 'gjj.example.gov.cn',
  privacyNoticeUrl: 'https://gjj.example.gov.cn/privacy',
  reason: '接入乐聊名片登录（测试）',
}

export async function setUpAdmin(cloud: TestCloud): Promise<void> {
  await acceptCurrentTerms(cloud, ADMIN)
  await makeAdmin(cloud, ADMIN)
}

/** Registers a client as an admin would; the secret comes back once. */
export async function registerClient(cloud: TestCloud, clientId: string, overrides: Partial<ClientInput> = {}): Promise<{ secret: string | null }> {
  const input = { ...GOV_CLIENT, clientId, ...overrides }
  return ok<{ secret: string | null }>(await cloud.call('oidc', { action: 'saveClient', input }, ADMIN))
}

export async function person(cloud: TestCloud, openid: string): Promise<void> {
  await verifiedPublisher(cloud, openid)
}

export async function rp(cloud: TestCloud, clientId: string, auth: client.ClientAuth, metadata: Partial<client.ClientMetadata> = {}): Promise<client.Configuration> {
  return client.discovery(new URL(cloud.url), clientId, metadata, auth, { execute: [client.allowInsecureRequests] })
}

export interface Started {
  url: URL
  verifier: string
  state: string
  nonce: string
}

/** What a website does when the person clicks 使用乐聊名片登录: PKCE, state, nonce, and a pushed request. */
export async function startSignIn(config: client.Configuration, scope: string, redirectUri = GOV_CLIENT.redirectUris[0] ?? ''): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  })
  return { url, verifier, state, nonce }
}

export interface QrPage {
  signInId: string
  secret: string
  html: string
}

/** The browser opens the authorize URL: the page with the QR code. */
export async function openQrPage(url: URL): Promise<QrPage> {
  const response = await fetch(url)
  const html = await response.text()
  const signInId = /data-sign-in="([^"]+)"/.exec(html)?.[1]
  const secret = /data-secret="([^"]+)"/.exec(html)?.[1]
  if (response.status !== 200 || !signInId || !secret) throw new Error(`no QR page (${response.status}): ${html.slice(0, 300)}`)
  return { signInId, secret, html }
}

export async function passedRecheck(cloud: TestCloud, openid: string): Promise<string> {
  const { verificationId } = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'recheck', input: {} }, openid))
  const result = ok<{ outcome: string }>(await cloud.call('identity', { action: 'completeRecheck', input: { verificationId } }, openid))
  if (result.outcome !== 'passed') throw new Error(`re-check: ${result.outcome}`)
  return verificationId
}

/** The person scans, reads, agrees and passes the face check. */
export async function approveAs(cloud: TestCloud, openid: string, signInId: string, shareSensitive: boolean): Promise<{ view: SignInView; outcome: SignInOutcome }> {
  const { signIn: view } = ok<{ signIn: SignInView }>(await cloud.call('oidc', { action: 'open', input: { signInId } }, openid))
  const verificationId = await passedRecheck(cloud, openid)
  const outcome = ok<SignInOutcome>(await cloud.call('oidc', { action: 'approve', input: { signInId, verificationId, shareSensitive } }, openid))
  return { view, outcome }
}

/** The page's poll, as its script does it. */
export async function poll(cloud: TestCloud, page: Pick<QrPage, 'signInId' | 'secret'>): Promise<{ status: string; location?: string }> {
  const response = await fetch(`${cloud.url}/oidc/authorize/poll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: page.signInId, secret: page.secret }),
  })
  return (await response.json()) as { status: string; location?: string }
}

/** The whole web sign-in up to the callback URL the browser lands on. */
export async function signInOnWeb(cloud: TestCloud, config: client.Configuration, openid: string, scope: string, shareSensitive = false): Promise<{ started: Started; callback: URL }> {
  const started = await startSignIn(config, scope)
  const page = await openQrPage(started.url)
  await approveAs(cloud, openid, page.signInId, shareSensitive)
  const answer = await poll(cloud, page)
  if (answer.status !== 'done' || !answer.location) throw new Error(`poll: ${JSON.stringify(answer)}`)
  return { started, callback: new URL(answer.location) }
}

export async function exchange(config: client.Configuration, started: Started, callback: URL) {
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce })
}

/** The access_token for WeChat face verification: fetched once, shared, renewed before it expires. */
import { IdentityProviderError, type FetchLike } from '../../cloudfunctions/_core/identity/providers'
import { createAccessTokenGetter } from '../../cloudfunctions/_core/identity/wechat-token'

function wechat(replies: unknown[]) {
  const bodies: Array<Record<string, unknown>> = []
  const fetch: FetchLike = async (url, init) => {
    expect(url).toBe('https://api.weixin.qq.com/cgi-bin/stable_token')
    bodies.push(JSON.parse(init.body) as Record<string, unknown>)
    const reply = replies.shift()
    return { status: 200, text: async () => JSON.stringify(reply) }
  }
  return { fetch, bodies }
}

const CREDENTIALS = { appId: 'wx0123456789abcdef', appSecret: 'app-secret' }

it('asks the stable_token API once and shares the token until shortly before it expires', async () => {
  let now = new Date('2026-01-01T00:00:00Z')
  const http = wechat([
    { access_token: 'T1', expires_in: 7200 },
    { access_token: 'T2', expires_in: 7200 },
  ])
  const getToken = createAccessTokenGetter(CREDENTIALS, { fetch: http.fetch, now: () => now })
  expect(await Promise.all([getToken(), getToken(), getToken()])).toEqual(['T1', 'T1', 'T1'])
  expect(http.bodies).toEqual([{ grant_type: 'client_credential', appid: CREDENTIALS.appId, secret: CREDENTIALS.appSecret, force_refresh: false }])
  now = new Date(now.getTime() + 7200 * 1000 - 4 * 60 * 1000)
  expect(await getToken()).toBe('T2')
  expect(http.bodies).toHaveLength(2)
})

it('forces a new token when asked (after WeChat refused one)', async () => {
  const http = wechat([
    { access_token: 'T1', expires_in: 7200 },
    { access_token: 'T2', expires_in: 7200 },
  ])
  const getToken = createAccessTokenGetter(CREDENTIALS, { fetch: http.fetch, now: () => new Date() })
  expect(await getToken()).toBe('T1')
  expect(await getToken({ forceRefresh: true })).toBe('T2')
  expect(http.bodies[1]?.force_refresh).toBe(true)
})

it('reports a wrong secret as a configuration problem, without echoing the secret', async () => {
  const getToken = createAccessTokenGetter(CREDENTIALS, { fetch: wechat([{ errcode: 40125, errmsg: 'invalid appsecret' }]).fetch, now: () => new Date() })
  const error = await getToken().then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(IdentityProviderError)
  expect(error).toMatchObject({ problem: 'misconfigured', retryable: false, providerCode: 'stable_token:40125' })
  expect(String((error as Error).message)).not.toContain(CREDENTIALS.appSecret)
})

/**
 * The mini-program's access_token for WeChat face verification, which is not a
 * cloud call. Uses the stable_token API: unlike /cgi-bin/token it does not
 * invalidate tokens other instances already hold, so each function instance
 * can keep its own copy.
 */
import { IdentityProviderError, SERVICE_BUSY_MESSAGE, badResponse, integerField, isRecord, postJson, stringField, type FetchLike } from './providers/types'

const STABLE_TOKEN_URL = 'https://api.weixin.qq.com/cgi-bin/stable_token'
/** Renew a little before WeChat's expiry, so a token never dies in the middle of a call. */
const RENEW_MARGIN_MS = 5 * 60 * 1000

export interface WechatAppCredentials {
  appId: string
  appSecret: string
}

interface Cached {
  token: string
  expiresAt: number
}

export type AccessTokenGetter = (options?: { forceRefresh?: boolean }) => Promise<string>

export function createAccessTokenGetter(
  credentials: WechatAppCredentials,
  deps: { fetch: FetchLike; now: () => Date; timeoutMs?: number },
): AccessTokenGetter {
  let cached: Cached | null = null
  let inFlight: Promise<string> | null = null

  async function fetchToken(forceRefresh: boolean): Promise<string> {
    const body = JSON.stringify({ grant_type: 'client_credential', appid: credentials.appId, secret: credentials.appSecret, force_refresh: forceRefresh })
    const reply = await postJson('wechat-face', deps.fetch, STABLE_TOKEN_URL, { 'content-type': 'application/json' }, body, deps.timeoutMs ?? 8000)
    if (!isRecord(reply)) throw badResponse('wechat-face', 'stable_token', 'stable_token answered something that is not an object')
    const token = stringField(reply, 'access_token')
    const expiresIn = integerField(reply, 'expires_in')
    if (token && expiresIn) {
      cached = { token, expiresAt: deps.now().getTime() + expiresIn * 1000 }
      return token
    }
    const errcode = integerField(reply, 'errcode') ?? -1
    // 40013 / 40125 / 40164: wrong appid, wrong secret, caller IP not on the whitelist.
    throw new IdentityProviderError({
      provider: 'wechat-face',
      problem: errcode === -1 || errcode === 45009 ? 'unavailable' : 'misconfigured',
      retryable: errcode === -1 || errcode === 45009,
      providerCode: `stable_token:${errcode}`,
      userMessage: SERVICE_BUSY_MESSAGE,
      message: `wechat-face: stable_token refused with errcode ${errcode} (check LECHAT_WECHAT_APPID, LECHAT_WECHAT_APPSECRET and the API IP whitelist)`,
    })
  }

  return async (options) => {
    const force = options?.forceRefresh === true
    if (!force && cached && cached.expiresAt - RENEW_MARGIN_MS > deps.now().getTime()) return cached.token
    // Concurrent calls in one instance share one request.
    inFlight ??= fetchToken(force).finally(() => {
      inFlight = null
    })
    return inFlight
  }
}

/**
 * The identity function's settings: ID keyring, blind-index key, the
 * verification provider (checked by building it once at start-up) and the
 * attempt limits. Only the identity function's entry passes this loader to
 * loadConfig, so no other function carries the providers.
 */
import { ConfigError, positiveInt, text, type Mode } from '../settings-env'
import { IdentityConfigError, loadIdentitySecrets, type BlindIndexKey, type Keyring } from './crypto'
import { createIdentityProvider, loadIdentityProviderConfig, type IdentityProviderConfig } from './providers'
import type { WechatAppCredentials } from './wechat-token'

/** Real-name verification: secrets, provider and attempt limits. */
export interface IdentitySettings {
  /** Seals names and ID numbers (LECHAT_ID_KEYS, LECHAT_ID_KEY_CURRENT). */
  keyring: Keyring
  /** The product's one blind-index key (the same as `Config.blindIndexKey`). */
  blindIndex: BlindIndexKey
  provider: IdentityProviderConfig
  /** The mini-program's AppID and AppSecret, for the access_token of wechat-face. */
  wechatApp: WechatAppCredentials | null
  /** Starts allowed per account in one window (each start may cost a paid provider call). */
  startLimit: number
  startWindowHours: number
  /** Longest time between start and complete; the provider's own limit applies when shorter. */
  attemptMinutes: number
}

export function loadIdentitySettings(env: Record<string, string | undefined>, mode: Mode): IdentitySettings {
  try {
    const secrets = loadIdentitySecrets(env, mode)
    const provider = loadIdentityProviderConfig(env, mode)
    const appId = text(env, 'LECHAT_WECHAT_APPID')
    const appSecret = text(env, 'LECHAT_WECHAT_APPSECRET')
    if ((appId === null) !== (appSecret === null)) throw new ConfigError('LECHAT_WECHAT_APPID and LECHAT_WECHAT_APPSECRET are set together or not at all')
    const wechatApp = appId !== null && appSecret !== null ? { appId, appSecret } : null
    if (provider.provider === 'wechat-face' && !wechatApp) {
      throw new ConfigError('identity provider wechat-face needs LECHAT_WECHAT_APPID and LECHAT_WECHAT_APPSECRET (its API is not a cloud call and needs an access_token)')
    }
    if (provider.provider !== 'sandbox' && typeof globalThis.fetch !== 'function') {
      throw new ConfigError(`identity provider ${provider.provider} calls HTTPS APIs with the global fetch: deploy the identity function on a Node.js 18 or later runtime`)
    }
    // Built once here only to refuse missing secrets at start-up rather than on the first user.
    createIdentityProvider(provider, { fetch: globalThis.fetch, getAccessToken: async () => '' })
    return {
      keyring: secrets.keyring,
      blindIndex: secrets.blindIndexKey,
      provider,
      wechatApp,
      startLimit: positiveInt(env, 'LECHAT_IDENTITY_MAX_STARTS', 5, 100),
      startWindowHours: positiveInt(env, 'LECHAT_IDENTITY_WINDOW_HOURS', 24, 24 * 30),
      // FaceID keeps results three days; a pending attempt must be settled well within that.
      attemptMinutes: positiveInt(env, 'LECHAT_IDENTITY_ATTEMPT_MINUTES', 60, 24 * 60),
    }
  } catch (error) {
    if (error instanceof IdentityConfigError) throw new ConfigError(error.message)
    throw error
  }
}

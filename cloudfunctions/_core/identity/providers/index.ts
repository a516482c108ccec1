/**
 * Chooses the identity provider. Production refuses the sandbox and refuses a
 * real provider without its secrets, at start-up and loudly, rather than
 * failing on the first user or quietly passing everyone.
 */
import { IdentityConfigError } from '../crypto'
import { createSandboxIdentityProvider } from './sandbox'
import { createTencentFaceIdProvider } from './tencent-faceid'
import { createWechatFaceProvider } from './wechat-face'
import type { FetchLike, IdentityMode, IdentityProvider, IdentityProviderName } from './types'

export * from './types'
export { SANDBOX_IDENTITIES, SANDBOX_PENDING_MS } from './sandbox'
export { certHash } from './wechat-face'

export interface IdentityProviderConfig {
  provider: IdentityProviderName
  mode: IdentityMode
  tencent?: {
    secretId?: string
    secretKey?: string
    sessionToken?: string
    ruleId?: string
    clientAction?: 'faceidSdk' | 'openUrl'
  }
}

export interface IdentityProviderDeps {
  fetch?: FetchLike
  now?: () => Date
  /** The operator's WeChat access_token; required by wechat-face. */
  getAccessToken?: (options?: { forceRefresh?: boolean }) => Promise<string>
  timeoutMs?: number
}

export const IDENTITY_PROVIDER_ENV = 'LECHAT_IDENTITY_PROVIDER'
export const FACEID_ENV = {
  secretId: 'LECHAT_FACEID_SECRET_ID',
  secretKey: 'LECHAT_FACEID_SECRET_KEY',
  sessionToken: 'LECHAT_FACEID_SESSION_TOKEN',
  ruleId: 'LECHAT_FACEID_RULE_ID',
  clientAction: 'LECHAT_FACEID_CLIENT',
} as const

const NAMES: ReadonlyArray<IdentityProviderName> = ['sandbox', 'wechat-face', 'tencent-faceid']

function refuse(message: string): never {
  throw new IdentityConfigError(`identity provider: ${message}`)
}

export function createIdentityProvider(config: IdentityProviderConfig, deps: IdentityProviderDeps): IdentityProvider {
  const now = deps.now ?? (() => new Date())
  switch (config.provider) {
    case 'sandbox':
      // The sandbox itself refuses production too; checked here first for one clear message.
      if (config.mode === 'production') refuse('production refuses the sandbox; choose wechat-face or tencent-faceid')
      return createSandboxIdentityProvider({ mode: config.mode, now })

    case 'wechat-face': {
      if (!deps.fetch) refuse('wechat-face needs an HTTP fetch')
      if (!deps.getAccessToken) refuse('wechat-face needs the operator access_token getter (WeChat face verification is not a cloud call)')
      return createWechatFaceProvider({ fetch: deps.fetch, getAccessToken: deps.getAccessToken, timeoutMs: deps.timeoutMs })
    }

    case 'tencent-faceid': {
      const tencent = config.tencent ?? {}
      const missing = (['secretId', 'secretKey', 'ruleId'] as const).filter((field) => !tencent[field]?.trim())
      if (missing.length > 0) {
        refuse(`tencent-faceid is missing ${missing.map((field) => FACEID_ENV[field]).join(', ')}`)
      }
      if (!deps.fetch) refuse('tencent-faceid needs an HTTP fetch')
      return createTencentFaceIdProvider(
        {
          secretId: tencent.secretId?.trim() ?? '',
          secretKey: tencent.secretKey?.trim() ?? '',
          sessionToken: tencent.sessionToken?.trim() || undefined,
          ruleId: tencent.ruleId?.trim() ?? '',
          clientAction: tencent.clientAction ?? 'faceidSdk',
        },
        { fetch: deps.fetch, now, timeoutMs: deps.timeoutMs },
      )
    }

    default: {
      const unknown: never = config.provider
      return refuse(`unknown provider "${String(unknown)}"`)
    }
  }
}

/**
 * Reads the provider choice from the environment. Production has no default:
 * the operator must say which real provider the mini-program qualifies for.
 * Local and test default to the sandbox.
 */
export function loadIdentityProviderConfig(
  env: Readonly<Record<string, string | undefined>>,
  mode: IdentityMode,
): IdentityProviderConfig {
  const text = env[IDENTITY_PROVIDER_ENV]?.trim() || (mode === 'production' ? '' : 'sandbox')
  if (text === '') refuse(`${IDENTITY_PROVIDER_ENV} must be set in production (wechat-face or tencent-faceid)`)
  const provider = NAMES.find((name) => name === text)
  if (!provider) refuse(`${IDENTITY_PROVIDER_ENV} must be one of ${NAMES.join(', ')} (got "${text}")`)
  if (provider === 'sandbox' && mode === 'production') refuse(`production refuses the sandbox (${IDENTITY_PROVIDER_ENV}=sandbox)`)
  const config: IdentityProviderConfig = { provider, mode }
  if (provider === 'tencent-faceid') {
    const clientText = env[FACEID_ENV.clientAction]?.trim() || 'sdk'
    if (clientText !== 'sdk' && clientText !== 'h5') refuse(`${FACEID_ENV.clientAction} must be sdk or h5 (got "${clientText}")`)
    const tencent: NonNullable<IdentityProviderConfig['tencent']> = { clientAction: clientText === 'h5' ? 'openUrl' : 'faceidSdk' }
    for (const field of ['secretId', 'secretKey', 'sessionToken', 'ruleId'] as const) {
      const value = env[FACEID_ENV[field]]
      if (value !== undefined) tencent[field] = value
    }
    config.tencent = tencent
  }
  return config
}

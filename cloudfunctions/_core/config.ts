/**
 * Runtime configuration, read once from the environment of the function.
 * Production is the default: a function deployed without settings must never
 * fall back to a sandbox provider.
 */
export type Mode = 'production' | 'local' | 'test'

export interface Config {
  mode: Mode
  /** Open-API provider: WeChat's cloud calls in production, the local sandbox elsewhere. */
  openApi: 'wechat' | 'sandbox'
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const modeText = env.LECHAT_MODE ?? 'production'
  if (modeText !== 'production' && modeText !== 'local' && modeText !== 'test') {
    throw new ConfigError(`LECHAT_MODE must be production, local or test (got "${modeText}")`)
  }
  const mode: Mode = modeText
  const openApiText = env.LECHAT_OPENAPI ?? (mode === 'production' ? 'wechat' : 'sandbox')
  if (openApiText !== 'wechat' && openApiText !== 'sandbox') {
    throw new ConfigError(`LECHAT_OPENAPI must be wechat or sandbox (got "${openApiText}")`)
  }
  const config: Config = { mode, openApi: openApiText }
  assertProductionSafe(config)
  return config
}

/** Production refuses sandboxes loudly rather than quietly pretending to check or send. */
export function assertProductionSafe(config: Config): void {
  if (config.mode !== 'production') return
  if (config.openApi === 'sandbox') {
    throw new ConfigError('production refuses the sandbox open-API provider (LECHAT_OPENAPI=sandbox)')
  }
}

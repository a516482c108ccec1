/**
 * Reading settings from the environment: the pieces every settings loader
 * shares (config.ts and the sections only some functions load), kept apart so
 * that those sections need not import config.ts.
 */
export type Mode = 'production' | 'local' | 'test'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function text(env: Record<string, string | undefined>, name: string): string | null {
  const value = env[name]?.trim()
  return value ? value : null
}

export function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = text(env, name)
  if (raw === null) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(`${name} must be a whole number from 1 to ${max} (got "${raw}")`)
  return value
}

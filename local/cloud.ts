/**
 * The local cloud assembled: database server, the real SDK pointed at it,
 * the function gateway, the status page and the timer triggers.
 * `npm start` and the tests build the same thing, with different clocks.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Clock } from '../cloudfunctions/_core/clock'
import { loadConfig, type Config, type Mode } from '../cloudfunctions/_core/config'
import { ALL_SECTIONS } from '../cloudfunctions/_core/config-sections'
import type { Logger } from '../cloudfunctions/_core/context'
import type { Store } from '../cloudfunctions/_core/db'
import type { OpenApi } from '../cloudfunctions/_core/ports/openapi'
import { FUNCTIONS } from './functions'
import { demoRpRoutes, registerDemoClient } from './demo-rp'
import { createGateway, oidcRoutes, type Gateway } from './gateway'
import type { Route } from './http'
import { createLocalRuntime, type RuntimeFor } from './runtime'
import { startLocalCloud, type LocalCloud } from './server'
import { statusRoutes } from './status-page'
import { readTimerTriggers, type TimerTrigger } from './timers'

export const FUNCTIONS_DIR = join(__dirname, '..', 'cloudfunctions')

export interface LocalCloudStack {
  url: string
  server: LocalCloud
  gateway: Gateway
  runtimeFor: RuntimeFor
  /** The database as handlers see it, through the real SDK. */
  store: Store
  config: Config
  triggers: TimerTrigger[]
  /** Registers 示例政务服务 (the /demo-rp relying party) as dev-admin and keeps its fresh secret in memory. */
  registerDemoClient(): Promise<void>
  close(): Promise<void>
}

export interface LocalCloudStackOptions {
  dataDir: string
  port?: number
  mode: Exclude<Mode, 'production'>
  clock: Clock
  openApi: OpenApi
  log?: Logger
  /** Extra settings as environment variables would give them (e.g. LECHAT_SUBSCRIBE_TEMPLATE_…). */
  env?: Record<string, string>
}

/** LECHAT_* settings (operator details, subscribe templates …) apply locally too; mode and provider stay local. */
export function localSettings(env: Record<string, string | undefined>): Record<string, string> {
  const settings: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('LECHAT_') && name !== 'LECHAT_MODE' && name !== 'LECHAT_OPENAPI' && value !== undefined) settings[name] = value
  }
  return settings
}

export async function composeLocalCloud(options: LocalCloudStackOptions): Promise<LocalCloudStack> {
  const routes: Record<string, Route> = {}
  const server = await startLocalCloud({
    dataDir: options.dataDir,
    port: options.port ?? 0,
    routes,
    now: () => options.clock.now().getTime(),
  })
  // The login service's issuer is this server, unless the settings name another.
  const config = loadConfig({ LECHAT_OIDC_ISSUER: server.url, ...options.env, LECHAT_MODE: options.mode }, { sections: ALL_SECTIONS })
  const runtimeFor = createLocalRuntime({
    cloudUrl: server.url,
    clock: options.clock,
    config,
    openApi: options.openApi,
    ...(options.log ? { log: options.log } : {}),
  })
  const gateway = createGateway(runtimeFor)
  const triggers = readTimerTriggers(FUNCTIONS_DIR, Object.keys(FUNCTIONS))
  let demoSecret: string | null = null
  Object.assign(routes, gateway.routes, oidcRoutes(runtimeFor), demoRpRoutes(() => server.url, () => demoSecret), statusRoutes(server.db, gateway, triggers, () => server.url, randomBytes(16).toString('hex')))
  return {
    url: server.url,
    server,
    gateway,
    runtimeFor,
    store: runtimeFor('').db,
    config,
    triggers,
    async registerDemoClient() {
      demoSecret = await registerDemoClient(gateway.call, server.url)
    },
    close: () => server.close(),
  }
}

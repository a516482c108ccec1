/**
 * The local stand-in for what `createMain` builds in the cloud: the real
 * wx-server-sdk pointed at the local database, sandbox open APIs, and the
 * caller's identity passed in (never read from process-wide environment).
 */
import type { Clock } from '../cloudfunctions/_core/clock'
import type { Config } from '../cloudfunctions/_core/config'
import { jsonLogger, type Logger, type Runtime } from '../cloudfunctions/_core/context'
import { wrapDatabase } from '../cloudfunctions/_core/db'
import type { OpenApi } from '../cloudfunctions/_core/ports/openapi'
import { pointSdkAt } from './sdk-env'

export interface LocalRuntimeOptions {
  cloudUrl: string
  clock: Clock
  config: Config
  openApi: OpenApi
  log?: Logger
}

export type RuntimeFor = (openid: string) => Runtime

export function createLocalRuntime(options: LocalRuntimeOptions): RuntimeFor {
  pointSdkAt(options.cloudUrl)
  // Required after the environment is set: the SDK reads it when it initializes.
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk')
  cloud.init({ env: 'local' } as Parameters<typeof cloud.init>[0])
  const db = wrapDatabase(cloud.database())
  const { clock, config, openApi } = options
  const log = options.log ?? jsonLogger
  return (openid) => ({ openid, db, clock, config, openApi, log })
}

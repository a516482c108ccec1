/**
 * An in-process local cloud for tests: the real dispatcher and the real
 * wx-server-sdk against a fresh local database, with a clock tests can move.
 */
import { ManualClock } from '../cloudfunctions/_core/clock'
import { jsonLogger, silentLogger } from '../cloudfunctions/_core/context'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/openapi'
import type { ApiResult } from '../shared/errors'
import { composeLocalCloud, type LocalCloudStack } from './cloud'

export interface TestCloud extends LocalCloudStack {
  clock: ManualClock
  openApi: ReturnType<typeof sandboxOpenApi>
  call(name: string, data: unknown, openid: string): Promise<ApiResult<unknown>>
}

export async function startTestCloud(options: { dataDir?: string; start?: Date } = {}): Promise<TestCloud> {
  const clock = new ManualClock(options.start ?? new Date())
  const openApi = sandboxOpenApi()
  const stack = await composeLocalCloud({
    dataDir: options.dataDir ?? ':memory:',
    mode: 'test',
    clock,
    openApi,
    // LECHAT_TEST_LOG=1 shows what functions log while a test runs.
    log: process.env.LECHAT_TEST_LOG ? jsonLogger : silentLogger,
  })
  return { ...stack, clock, openApi, call: stack.gateway.call }
}

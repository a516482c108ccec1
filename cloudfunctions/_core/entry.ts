/**
 * The production entry of every cloud function: identity from the WeChat
 * context, database and open APIs from wx-server-sdk, then the shared dispatcher.
 */
import cloud from 'wx-server-sdk'
import { systemClock } from './clock'
import { loadConfig } from './config'
import { jsonLogger } from './context'
import { wrapDatabase } from './db'
import { serve, type AnyFunctionDef } from './dispatch'
import { wechatOpenApi, sandboxOpenApi, type OpenApi } from './ports/openapi'

type OpenApiClient = Parameters<typeof wechatOpenApi>[0]

export function createMain(def: AnyFunctionDef): (event: unknown) => Promise<unknown> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const config = loadConfig(process.env, { fn: def.name })
  const db = wrapDatabase(cloud.database())
  const openApi: OpenApi =
    config.openApi === 'wechat' ? wechatOpenApi(cloud.openapi as unknown as OpenApiClient) : sandboxOpenApi()
  return async (event) => {
    const { OPENID } = cloud.getWXContext()
    return serve(def, event, { openid: OPENID ?? '', db, clock: systemClock, config, openApi, log: jsonLogger })
  }
}

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
type StorageClient = Parameters<typeof wechatOpenApi>[1]

/** Where a call comes from (`SOURCE` of the WeChat context, set by the platform): these are mini-program calls. */
const CLIENT_SOURCES = new Set(['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler'])

/**
 * The caller's openid. A WeChat message push (e.g. `wxa_media_check`) may
 * carry its sender, the platform's push account (`FromUserName`), as OPENID:
 * that is not a user of ours, so such a push runs without a caller, as a timer
 * does. A mini-program call keeps its OPENID whatever its data looks like, so
 * the dispatcher refuses a push forged from the mini-program (dispatch.ts).
 */
export function callerOf(context: { OPENID?: unknown; SOURCE?: unknown }, event: unknown): string {
  const openid = typeof context.OPENID === 'string' ? context.OPENID : ''
  const push = event as { MsgType?: unknown; FromUserName?: unknown } | null
  const fromClient = String(context.SOURCE ?? '')
    .split(',')
    .some((source) => CLIENT_SOURCES.has(source.trim()))
  if (!fromClient && typeof push === 'object' && push !== null && push.MsgType === 'event' && push.FromUserName === openid) return ''
  return openid
}

export function createMain(def: AnyFunctionDef): (event: unknown) => Promise<unknown> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const config = loadConfig(process.env, { fn: def.name })
  const db = wrapDatabase(cloud.database())
  const openApi: OpenApi =
    config.openApi === 'wechat'
      ? wechatOpenApi(cloud.openapi as unknown as OpenApiClient, cloud as unknown as StorageClient)
      : sandboxOpenApi()
  return async (event) => {
    const context = cloud.getWXContext() as { OPENID?: unknown; SOURCE?: unknown }
    return serve(def, event, { openid: callerOf(context, event), db, clock: systemClock, config, openApi, log: jsonLogger })
  }
}

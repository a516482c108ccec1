/**
 * The production entry of every cloud function: identity from the WeChat
 * context, database and open APIs from wx-server-sdk, then the shared dispatcher.
 */
import cloud from 'wx-server-sdk'
import { systemClock } from './clock'
import { jsonLogger } from './context'
import { wrapDatabase } from './db'
import { serve, serveHttp, type AnyFunctionDef } from './dispatch'
import { looksLikeHttp } from './http-event'
import { pushEvent } from './platform-events'
import { ConfigError, loadConfig, type ConfigSections } from './config'
import { wechatOpenApi } from './ports/openapi'

type OpenApiClient = Parameters<typeof wechatOpenApi>[0]
type StorageClient = Parameters<typeof wechatOpenApi>[1]

/**
 * Every `SOURCE` WeChat documents that is not a message push (the value lists
 * the call chain, comma-separated: `wx_client,scf` is a mini-program call
 * relayed by another function). A call through any of them keeps its OPENID.
 */
const NOT_PUSH_SOURCES = new Set(['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler', 'wx_http', 'wx_trigger', 'wx_paycallback', 'wx_unknown', 'scf'])

/**
 * The caller's openid, from the platform-given WeChat context only (never the event).
 *
 * What this trusts, and why it is safe:
 * - OPENID: set by the platform for mini-program calls; an empty OPENID means
 *   no user (timer triggers). The dispatcher runs timers and pushes only
 *   without a caller, and actions needing an account refuse an empty one.
 * - The one exception: a message push (e.g. `wxa_media_check`) comes with its
 *   sender, the platform's push account, as OPENID and as `FromUserName`. Such
 *   an event, in the platform's push shape, runs without a caller, unless
 *   SOURCE names any documented non-push path (a mini-program, DevTools, HTTP,
 *   a timer, another function): so a user cannot turn their own call into a
 *   push by writing their openid into FromUserName. A push route still acts
 *   only on records it can match (a media check is found by the trace id that
 *   only WeChat and our functions know).
 */
export function callerOf(context: { OPENID?: unknown; SOURCE?: unknown }, event: unknown): string {
  const openid = typeof context.OPENID === 'string' ? context.OPENID : ''
  if (openid === '') return ''
  const push = pushEvent(event)
  const viaKnownPath = String(context.SOURCE ?? '')
    .split(',')
    .some((source) => NOT_PUSH_SOURCES.has(source.trim()))
  if (push !== null && push.FromUserName === openid && !viaKnownPath) return ''
  return openid
}

/** `sections`: the loaders of the settings only this function needs (see ConfigSections). */
export function createMain(def: AnyFunctionDef, sections: ConfigSections = {}): (event: unknown) => Promise<unknown> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const config = loadConfig(process.env, { fn: def.name, sections })
  const db = wrapDatabase(cloud.database())
  // A deployed function is built without the sandbox (the local cloud and the tests bring their own).
  if (config.openApi !== 'wechat') throw new ConfigError('a deployed function uses WeChat\'s open APIs: set LECHAT_OPENAPI=wechat (the sandbox is for the local cloud)')
  const openApi = wechatOpenApi(cloud.openapi as unknown as OpenApiClient, cloud as unknown as StorageClient)
  return async (event) => {
    const context = cloud.getWXContext() as { OPENID?: unknown; SOURCE?: unknown }
    const runtime = { openid: callerOf(context, event), db, clock: systemClock, config, openApi, log: jsonLogger }
    // The HTTP access service: a function that serves HTTP answers {statusCode, headers, body}.
    if (def.http && looksLikeHttp(event)) return serveHttp(def, event, runtime)
    return serve(def, event, runtime)
  }
}

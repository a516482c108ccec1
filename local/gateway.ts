/**
 * The stand-in for `wx.cloud.callFunction`: POST /call {name, data} runs the
 * function's definition through the same dispatcher as its cloud entry, as the
 * development identity (header `x-lechat-openid`, else the one selected).
 */
import type { IncomingMessage } from 'node:http'
import { serve, serveHttp, type AnyFunctionDef } from '../cloudfunctions/_core/dispatch'
import { OIDC_PATHS } from '../cloudfunctions/oidc/http'
import { apiError, type ApiResult } from '../shared/errors'
import { FUNCTIONS, isFunctionName } from './functions'
import { guarded, HttpError, readJsonObject, readText, sendJson, type Route } from './http'
import { DEFAULT_IDENTITY, DEV_IDENTITIES } from './identities'
import type { RuntimeFor } from './runtime'

export interface Gateway {
  call(name: string, data: unknown, openid: string): Promise<ApiResult<unknown>>
  fireTimer(fn: string, trigger: string): Promise<ApiResult<unknown>>
  currentIdentity(): string
  setIdentity(openid: string): void
  routes: Record<string, Route>
}

export function createGateway(runtimeFor: RuntimeFor): Gateway {
  let current = DEFAULT_IDENTITY

  const call = async (name: string, data: unknown, openid: string): Promise<ApiResult<unknown>> => {
    if (!isFunctionName(name)) return { ok: false, error: apiError('UNKNOWN_ACTION', `云函数不存在：${name}`) }
    return serve(FUNCTIONS[name], data, runtimeFor(openid))
  }

  const fireTimer = async (fn: string, trigger: string): Promise<ApiResult<unknown>> => {
    if (!isFunctionName(fn)) return { ok: false, error: apiError('UNKNOWN_ACTION', `云函数不存在：${fn}`) }
    return serve(FUNCTIONS[fn], { Type: 'Timer', TriggerName: trigger, Time: new Date().toISOString() }, runtimeFor(''))
  }

  const setIdentity = (openid: string): void => {
    if (!DEV_IDENTITIES.some((identity) => identity.openid === openid)) throw new HttpError(400, `unknown identity ${openid}`)
    current = openid
  }

  const routes: Record<string, Route> = {
    '/call': guarded(async (req, res) => {
      if (req.method !== 'POST') throw new HttpError(405, 'POST {name, data}')
      const body = await readJsonObject(req)
      if (typeof body.name !== 'string') throw new HttpError(400, 'body needs {name, data}')
      const header = req.headers['x-lechat-openid']
      const openid = typeof header === 'string' && header ? header : current
      sendJson(res, 200, await call(body.name, body.data, openid))
    }),
    '/identity': guarded(async (req, res) => {
      if (req.method === 'POST') {
        const body = await readJsonObject(req)
        if (typeof body.openid !== 'string') throw new HttpError(400, 'body needs {openid}')
        setIdentity(body.openid)
      }
      sendJson(res, 200, { current, identities: DEV_IDENTITIES })
    }),
    '/timers/run': guarded(async (req, res) => {
      if (req.method !== 'POST') throw new HttpError(405, 'POST {fn, trigger}')
      const body = await readJsonObject(req)
      if (typeof body.fn !== 'string' || typeof body.trigger !== 'string') throw new HttpError(400, 'body needs {fn, trigger}')
      sendJson(res, 200, await fireTimer(body.fn, body.trigger))
    }),
  }

  return { call, fireTimer, currentIdentity: () => current, setIdentity, routes }
}

/** The event CloudBase's HTTP access service gives a function, made from a local request. */
export async function httpEventOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const url = new URL(req.url ?? '/', 'http://local')
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value
  return {
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    body: await readText(req),
    isBase64Encoded: false,
  }
}

/** A function's HTTP service under the paths it answers (the login service: /.well-known/openid-configuration, /oidc/…). */
export function httpRoutes(def: AnyFunctionDef, paths: readonly string[], runtimeFor: RuntimeFor): Record<string, Route> {
  const route: Route = guarded(async (req, res) => {
    const answer = await serveHttp(def, await httpEventOf(req), runtimeFor(''))
    const body = answer.isBase64Encoded ? Buffer.from(answer.body, 'base64') : Buffer.from(answer.body, 'utf8')
    res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': body.length })
    res.end(body)
  })
  return Object.fromEntries(paths.map((path) => [path, route]))
}

export function oidcRoutes(runtimeFor: RuntimeFor): Record<string, Route> {
  return httpRoutes(FUNCTIONS.oidc, OIDC_PATHS, runtimeFor)
}

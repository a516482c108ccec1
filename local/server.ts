/**
 * The local CloudBase HTTP server: POST /admin speaks the protocol the real
 * wx-server-sdk uses (see local/db/protocol.ts), GET /health answers probes,
 * and every other path goes to the routes other parts of local/ register.
 * Binds 127.0.0.1 only, answers only to its own Host, and refuses browser
 * requests from other origins on the paths that write or switch identity.
 */
import { randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { LocalDatabase } from './db/engine'
import { handleAdmin } from './db/protocol'
import type { CollectionSpec } from './db/spec'

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>
/** Exact path (no query string) → handler; '*' catches the rest. */
export type Routes = Record<string, RouteHandler>

export interface LocalCloudOptions {
  dataDir: string | ':memory:'
  /** 0 or absent: a free port. */
  port?: number
  routes?: Routes
  /** Defaults to database/collections.json. */
  collections?: CollectionSpec[]
  /** Server clock for db.serverDate(). */
  now?: () => number
}

export interface LocalCloud {
  /** http://127.0.0.1:PORT — give it to pointSdkAt(). */
  url: string
  port: number
  db: LocalDatabase
  /** Replaces the non-database routes (the function gateway registers itself here). */
  setRoutes(routes: Routes): void
  close(): Promise<void>
}

const ADMIN_BODY_LIMIT = 16 * 1024 * 1024

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Paths that write data or act as someone: a web page open in the developer's
 * browser must not reach them (a cross-origin form or fetch is sent without
 * asking, even though its answer cannot be read).
 */
export const PROTECTED_PATHS: readonly string[] = ['/admin', '/call', '/identity', '/timers/run', '/status/identity', '/status/oidc/approve']

/** The names this server answers to: the loopback address it bound (localhost resolves there too). */
function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/**
 * Why a request is refused, or null. A foreign Host is a page that rebound its
 * own domain name to 127.0.0.1 (DNS rebinding); a foreign Origin or a
 * cross-site fetch is a page on another site posting to us.
 */
export function refusalOf(req: IncomingMessage, pathname: string, port: number): { status: number; error: string } | null {
  const hosts = ownHosts(port)
  if (!hosts.includes(req.headers.host ?? '')) {
    return { status: 421, error: `this local cloud answers only http://127.0.0.1:${port}` }
  }
  if (!PROTECTED_PATHS.includes(pathname)) return null
  const origin = req.headers.origin
  if (origin !== undefined && !hosts.some((host) => origin === `http://${host}`)) {
    return { status: 403, error: `cross-origin request from ${origin} refused` }
  }
  const site = req.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return { status: 403, error: 'cross-site request refused' }
  return null
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const db = new LocalDatabase({
    dataDir: opts.dataDir,
    ...(opts.collections ? { collections: opts.collections } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  })
  // Kept by reference: callers may add routes to this object after start.
  let routes: Routes = opts.routes ?? {}
  const startedAt = Date.now()
  let seq = 0
  const requestPrefix = randomBytes(4).toString('hex')

  const admin = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = `local-${requestPrefix}-${++seq}`
    let body: unknown
    try {
      const text = await readBody(req, ADMIN_BODY_LIMIT)
      body = JSON.parse(text)
    } catch (e) {
      send(res, 200, { requestId, code: 'INVALID_PARAM', message: `unreadable request: ${(e as Error).message}` })
      return
    }
    send(res, 200, handleAdmin(db, body, requestId))
  }

  let port = 0
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    const refusal = refusalOf(req, pathname, port)
    if (refusal) {
      send(res, refusal.status, { ok: false, error: refusal.error })
      return
    }
    const run = async (): Promise<void> => {
      if (pathname === '/admin' && req.method === 'POST') return admin(req, res)
      if (pathname === '/health' && req.method === 'GET') {
        return send(res, 200, { ok: true, service: 'lechat-local-cloud', uptimeMs: Date.now() - startedAt, database: db.file })
      }
      const handler = routes[pathname] ?? routes['*']
      if (handler) return handler(req, res)
      send(res, 404, { ok: false, error: `no route for ${req.method ?? 'GET'} ${pathname}` })
    }
    run().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: (e as Error).message })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000

  port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })

  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    setRoutes(next) {
      routes = next
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close()
          resolve()
        })
        // The SDK keeps connections alive; without this close() would wait for them.
        server.closeAllConnections()
      })
      return closing
    },
  }
}

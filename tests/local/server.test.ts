/**
 * The HTTP side of the local cloud: health, the routes hook, the admin endpoint's edges.
 */
import { request } from 'node:http'
import { PROTECTED_PATHS, startLocalCloud, type LocalCloud, type Routes } from '../../local/server'
import { pointSdkAt } from '../../local/sdk-env'

function fetchText(url: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

let server: LocalCloud
const routes: Routes = {
  '/hello': (_req, res) => {
    res.end('hello')
  },
}

beforeAll(async () => {
  server = await startLocalCloud({ dataDir: ':memory:', port: 0, routes })
})
afterAll(async () => {
  await server.close()
})

it('listens on 127.0.0.1 and answers /health', async () => {
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  const r = await fetchText(`${server.url}/health`)
  expect(r.status).toBe(200)
  expect(JSON.parse(r.body)).toMatchObject({ ok: true })
})

it('serves registered routes by exact path, including ones added after start, then the * fallback', async () => {
  expect((await fetchText(`${server.url}/hello?x=1`)).body).toBe('hello')
  expect((await fetchText(`${server.url}/later`)).status).toBe(404)
  routes['/later'] = (_req, res) => {
    res.end('added later')
  }
  expect((await fetchText(`${server.url}/later`)).body).toBe('added later')
  routes['*'] = (req, res) => {
    res.end(`fallback ${req.url ?? ''}`)
  }
  expect((await fetchText(`${server.url}/anything/else`)).body).toBe('fallback /anything/else')
  server.setRoutes({
    '/only': (_req, res) => {
      res.end('only')
    },
  })
  expect((await fetchText(`${server.url}/hello`)).status).toBe(404)
  expect((await fetchText(`${server.url}/only`)).body).toBe('only')
})

it('a route that throws gets a 500, and the server keeps serving', async () => {
  server.setRoutes({
    '/boom': () => {
      throw new Error('kaput')
    },
  })
  const r = await fetchText(`${server.url}/boom`)
  expect(r.status).toBe(500)
  expect(r.body).toContain('kaput')
  expect((await fetchText(`${server.url}/health`)).status).toBe(200)
})

it('/admin answers malformed and unknown requests with CloudBase error replies', async () => {
  const bad = JSON.parse((await fetchText(`${server.url}/admin`, { method: 'POST', body: '{nope' })).body) as Record<string, unknown>
  expect(bad.code).toBe('INVALID_PARAM')
  expect(typeof bad.requestId).toBe('string')
  const unknown = JSON.parse(
    (await fetchText(`${server.url}/admin?env=local`, { method: 'POST', body: JSON.stringify({ action: 'functions.invokeFunction' }) })).body,
  ) as Record<string, unknown>
  expect(unknown.code).toBe('INVALID_ACTION')
  expect(String(unknown.message)).toContain('functions.invokeFunction')
})

it('pointSdkAt sets what the SDK needs, accepting the base or the /admin URL', () => {
  expect(pointSdkAt(`${server.url}/`)).toBe(`${server.url}/admin`)
  expect(pointSdkAt(`${server.url}/admin`)).toBe(`${server.url}/admin`)
  expect(JSON.parse(process.env.TCB_CONTEXT_CNFG ?? '{}')).toEqual({ URL: `${server.url}/admin` })
  expect(process.env.TENCENTCLOUD).toBe('true')
  expect(process.env.TENCENTCLOUD_SECRETID).toBeTruthy()
  expect(process.env.TENCENTCLOUD_SECRETKEY).toBeTruthy()
})

describe('safe to leave running', () => {
  /** A request as a browser (or a page that rebound its domain to 127.0.0.1) would send it. */
  function send(path: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method, headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end(method === 'POST' ? '{"name":"account","data":{"action":"login","input":{}}}' : undefined)
    })
  }

  it('answers only to the loopback address it bound: a foreign Host (DNS rebinding) gets 421 everywhere', async () => {
    for (const path of ['/health', '/admin', '/call', '/hello']) {
      const reply = await send(path, { host: `evil.example:${server.port}` }, path === '/health' || path === '/hello' ? 'GET' : 'POST')
      expect([path, reply.status]).toEqual([path, 421])
    }
    expect((await send('/health', { host: `127.0.0.1:${server.port + 1}` }, 'GET')).status).toBe(421)
    expect((await send('/health', { host: `localhost:${server.port}` }, 'GET')).status).toBe(200)
  })

  it.each(PROTECTED_PATHS)('refuses %s to a page on another origin, or a cross-site fetch', async (path) => {
    const own = `127.0.0.1:${server.port}`
    expect((await send(path, { host: own, origin: 'https://evil.example' })).status).toBe(403)
    // A page served by another local port is another origin too.
    expect((await send(path, { host: own, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403)
    expect((await send(path, { host: own, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await send(path, { host: own, origin: 'null' })).status).toBe(403)
  })

  it('lets the same origin and non-browser clients (the SDK, the mini-program, curl) through', async () => {
    const own = `127.0.0.1:${server.port}`
    expect((await send('/admin', { host: own, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect((await send('/admin', { host: own })).status).toBe(200)
    // An unprotected page may be linked to from anywhere.
    expect((await send('/health', { host: own, origin: 'https://evil.example' }, 'GET')).status).toBe(200)
  })
})

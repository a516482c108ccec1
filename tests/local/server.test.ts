/**
 * The HTTP side of the local cloud: health, the routes hook, the admin endpoint's edges.
 */
import { request } from 'node:http'
import { startLocalCloud, type LocalCloud, type Routes } from '../../local/server'
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

/**
 * The status page's buttons (switch the development identity) carry a token
 * made at each start: a form on another site cannot switch it.
 */
import { startTestCloud, type TestCloud } from '../../local/testing'

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud()
})
afterAll(async () => {
  await cloud.close()
})

function switchIdentity(openid: string, token: string | null): Promise<Response> {
  const form = new URLSearchParams({ openid, ...(token === null ? {} : { token }) })
  return fetch(`${cloud.url}/status/identity`, { method: 'POST', body: form, redirect: 'manual' })
}

async function pageToken(): Promise<string> {
  const html = await (await fetch(`${cloud.url}/`)).text()
  const tokens = [...html.matchAll(/name="token" value="([0-9a-f]+)"/g)].map((m) => m[1])
  expect(new Set(tokens).size).toBe(1)
  return tokens[0] ?? ''
}

it('switches identity with the page’s token, and refuses a form without it or with a stale one', async () => {
  const token = await pageToken()
  expect(token).toMatch(/^[0-9a-f]{32}$/)
  const before = cloud.gateway.currentIdentity()
  const target = before === 'dev-bob' ? 'dev-alice' : 'dev-bob'

  expect((await switchIdentity(target, null)).status).toBe(403)
  expect((await switchIdentity(target, '0'.repeat(32))).status).toBe(403)
  expect(cloud.gateway.currentIdentity()).toBe(before)

  const reply = await switchIdentity(target, token)
  expect([reply.status, reply.headers.get('location')]).toEqual([303, '/'])
  expect(cloud.gateway.currentIdentity()).toBe(target)
})

it('makes a new token at each start', async () => {
  const other = await startTestCloud()
  try {
    const html = await (await fetch(`${other.url}/`)).text()
    expect(html).toContain('name="token"')
    expect(html).not.toContain(await pageToken())
  } finally {
    await other.close()
  }
})

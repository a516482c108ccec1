/**
 * Generated bad input at every action in the contract: each must come back as a
 * typed refusal (a known code, a Chinese message), never a crash and never a write.
 */
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { listActions } from '../../shared/contract'
import { ERROR_CODES, type ApiResult } from '../../shared/errors'
import { startTestCloud, type TestCloud } from '../../local/testing'

let cloud: TestCloud
const STAFF = 'u-fuzz-admin'

const collectionNames = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'database', 'collections.json'), 'utf8')) as {
    collections: Array<{ name: string }>
  }
).collections.map((c) => c.name)

async function snapshot(): Promise<string> {
  const parts: unknown[] = []
  for (const name of collectionNames) {
    parts.push(name, await cloud.store.collection(name).find({}, { limit: 100, orderBy: [['_id', 'asc']] }))
  }
  return JSON.stringify(parts)
}

function expectTypedRefusal(result: ApiResult<unknown>): void {
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(ERROR_CODES).toContain(result.error.code)
  expect(result.error.message).toMatch(/[\u4e00-\u9fff]/)
}

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown }).shape
  return shape && typeof shape === 'object' ? Object.keys(shape) : []
}

beforeAll(async () => {
  cloud = await startTestCloud()
  // A signed-in staff account, so that refusals come from validation, not from missing access.
  await cloud.call('account', { action: 'login', input: {} }, STAFF)
  const account = await cloud.store.collection('accounts').findOne({ openid: STAFF })
  await cloud.store.collection('accounts').update(account?._id ?? '', { roles: ['user', 'admin'], verifiedAt: new Date() })
})
afterAll(async () => {
  await cloud.close()
})

describe.each(listActions().map((row) => [`${row.fn}.${row.action}`, row] as const))('%s', (_name, row) => {
  it('refuses generated invalid input with a typed error and writes nothing', async () => {
    const keys = keysOf(row.spec.input)
    const candidate = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom(...keys, 'openid', '__proto__', 'x'), fc.anything(), { maxKeys: 4 }),
    )
    const invalid = candidate.filter((value) => !row.spec.input.safeParse(value === undefined ? {} : value).success)
    const before = await snapshot()
    await fc.assert(
      fc.asyncProperty(invalid, async (input) => {
        expectTypedRefusal(await cloud.call(row.fn, { action: row.action, input }, STAFF))
      }),
      { numRuns: 60 },
    )
    expect(await snapshot()).toBe(before)
  })
})

describe('the function envelope', () => {
  it('refuses any malformed call data with a typed error and writes nothing', async () => {
    const before = await snapshot()
    const names = [...new Set(listActions().map((row) => row.fn))]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.oneof(
          fc.anything(),
          fc.record({ action: fc.oneof(fc.string(), fc.integer(), fc.constant('constructor')), input: fc.anything() }),
        ),
        async (fn, data) => {
          const known = listActions().some((row) => row.fn === fn && row.action === (data as { action?: unknown })?.action)
          fc.pre(!known)
          expectTypedRefusal(await cloud.call(fn, data, STAFF))
        },
      ),
      { numRuns: 100 },
    )
    expect(await snapshot()).toBe(before)
  })

  it('answers the HTTP gateway with JSON and never a 500, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (body) => {
        const response = await fetch(`${cloud.url}/call`, { method: 'POST', body, headers: { 'x-lechat-openid': STAFF } })
        expect(response.status).toBeLessThan(500)
        const reply = (await response.json()) as unknown
        expect(typeof reply).toBe('object')
      }),
      { numRuns: 60 },
    )
  })
})

/**
 * What a deploy does, in order, against a target that records the calls (the
 * real one is @cloudbase/manager-node and miniprogram-ci, which need the
 * network): existing collections and indexes are left alone, a second run
 * changes nothing it does not have to, the mini-program goes last.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyPlan, type DeployTarget } from '../../deploy/apply'
import { makePlan, type DeployPlan } from '../../deploy/plan'
import { credentials, filledTemplate, root } from './helpers'

let plan: DeployPlan
let dist = ''
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'lechat-apply-'))
  plan = await makePlan({ root, operatorFile: filledTemplate(), dist, env: credentials(), version: '1.0.0', description: '首次上线' })
}, 60_000)
afterAll(() => rmSync(dist, { recursive: true, force: true }))

/** An environment that remembers what was created, as CloudBase does. */
function recordingTarget(existing: { collections: string[]; indexes: Record<string, string[]> }) {
  const calls: string[] = []
  const collections = new Set(existing.collections)
  const indexes = new Map(Object.entries(existing.indexes).map(([c, names]) => [c, new Set(names)]))
  const routes = new Set<string>()
  const target: DeployTarget = {
    listCollections: async () => [...collections],
    createCollection: async (name) => {
      calls.push(`createCollection ${name}`)
      collections.add(name)
    },
    listIndexes: async (collection) => [...(indexes.get(collection) ?? [])],
    createIndex: async (collection, index) => {
      calls.push(`createIndex ${collection}.${index.name}${index.unique ? ' unique' : ''}`)
      indexes.set(collection, new Set([...(indexes.get(collection) ?? []), index.name]))
    },
    setCollectionRule: async (collection, rule) => void calls.push(`rule ${collection} ${JSON.stringify(rule)}`),
    setStorageRule: async (rule) => void calls.push(`storage ${JSON.stringify(rule)}`),
    uploadFunction: async (fn) => void calls.push(`upload ${fn.name}`),
    configureFunction: async (fn) => void calls.push(`configure ${fn.name} ${fn.runtime} ${fn.timeoutSeconds}s ${Object.keys(fn.env).length}`),
    setTimerTrigger: async (fn) => void calls.push(`timer ${fn.name} ${fn.triggers.map((t) => t.config).join()}`),
    listHttpRoutes: async () => [...routes],
    createHttpRoute: async (route) => {
      calls.push(`createHttpRoute ${route.path} ${route.fn}`)
      routes.add(route.path)
    },
    uploadMiniprogram: async (p) => void calls.push(`miniprogram ${p.version} ${p.description}`),
  }
  return { target, calls }
}

it('creates what is missing, applies the rules, uploads and configures every function, then the mini-program', async () => {
  const { target, calls } = recordingTarget({ collections: ['accounts'], indexes: { accounts: ['openid_unique'] } })
  const progress: string[] = []
  await applyPlan(plan, target, (line) => progress.push(line))

  expect(calls).not.toContain('createCollection accounts')
  expect(calls).not.toContain('createIndex accounts.openid_unique unique')
  expect(calls).toContain('createIndex accounts.state_1')
  expect(calls).toContain('createCollection consent_records')
  expect(calls).toContain('createIndex consent_records.subject_seq_unique unique')
  expect(calls.some((c) => c.includes('demo_items'))).toBe(false)
  expect(calls.filter((c) => c.startsWith('rule ')).length).toBe(plan.collections.length)
  expect(calls).toContain('rule accounts {"read":false,"write":false}')
  expect(calls).toContain('storage {"read":"auth != null","write":false}')
  for (const fn of plan.functions) {
    expect(calls.indexOf(`upload ${fn.name}`)).toBeLessThan(calls.findIndex((c) => c.startsWith(`configure ${fn.name} `)))
  }
  expect(calls).toContain('timer scheduler 0 */10 * * * * *')
  expect(calls.filter((c) => c.startsWith('timer '))).toHaveLength(plan.functions.filter((f) => f.triggers.length > 0).length)
  // The login service answers on the HTTP access service: its endpoints and its discovery document.
  expect(calls.filter((c) => c.startsWith('createHttpRoute'))).toEqual(['createHttpRoute /.well-known/openid-configuration oidc', 'createHttpRoute /oidc oidc'])
  expect(calls.at(-1)).toBe('miniprogram 1.0.0 首次上线')
  expect(progress.at(-1)).toBe('mini-program 1.0.0 uploaded as a development version')
})

it('run again, creates nothing: every step is safe to repeat after a deploy stopped half-way', async () => {
  const { target, calls } = recordingTarget({ collections: [], indexes: {} })
  await applyPlan(plan, target, () => undefined)
  const firstCreates = calls.filter((c) => c.startsWith('create')).length
  await applyPlan(plan, target, () => undefined)
  expect(calls.filter((c) => c.startsWith('create')).length).toBe(firstCreates)
  expect(firstCreates).toBe(plan.collections.length + plan.collections.reduce((n, c) => n + c.indexes.length, 0) + plan.httpRoutes.length)
})

/**
 * Data and indexes survive a restart on the same data directory.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { LocalDatabase } from '../../local/db/engine'
import { loadSpec } from '../../local/db/spec'
import { byId, call, failure, startSdkCloud } from './sdk-helpers'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lechat-db-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

it('documents, dates, created collections and unique indexes survive a restart', async () => {
  const when = new Date('2025-05-05T05:05:05.005Z')
  const first = await startSdkCloud({ dataDir: dir })
  await call(first.db.createCollection('made_at_runtime'))
  await call(first.db.collection('made_at_runtime').add({ data: { _id: 'r1', at: when, list: [1, 'two', { three: 3 }] } }))
  await call(first.db.collection('accounts').add({ data: { _id: 'a1', openid: 'o-1' } }))
  await first.close()
  expect(existsSync(path.join(dir, 'local-cloud.sqlite'))).toBe(true)

  const second = await startSdkCloud({ dataDir: dir })
  try {
    const doc = await byId(second.db, 'made_at_runtime', 'r1')
    expect(doc).toEqual({ _id: 'r1', at: when, list: [1, 'two', { three: 3 }] })
    expect(doc.at).toBeInstanceOf(Date)
    const dup = await failure(second.db.collection('accounts').add({ data: { openid: 'o-1' } }))
    expect(dup.message).toContain('E11000')
  } finally {
    await second.close()
  }
})

describe('index declarations on an existing database', () => {
  it('an index added to the spec later is built over existing documents and used', () => {
    const db1 = new LocalDatabase({ dataDir: dir, collections: [{ name: 'later', indexes: [] }] })
    db1.insert('later', [{ _id: 'x', k: 2 }, { _id: 'y', k: 1 }])
    expect(db1.explain('later', { k: 1 }).allSql).toBe(false)
    db1.close()
    const spec = [{ name: 'later', indexes: [{ name: 'k_1', fields: [{ field: 'k', direction: 'asc' as const }], unique: true }] }]
    const db2 = new LocalDatabase({ dataDir: dir, collections: spec })
    try {
      const plan = db2.explain('later', { k: 1 })
      expect(plan.allSql).toBe(true)
      expect(plan.sqlitePlan.join(' ')).toContain('k_1')
      expect(db2.findDocs('later', { k: 1 })).toEqual([{ _id: 'y', k: 1 }])
      expect(() => db2.insert('later', [{ k: 2 }])).toThrow(/E11000/)
    } finally {
      db2.close()
    }
  })

  it('refuses to index a path that existing documents hold arrays on, naming the document', () => {
    const db1 = new LocalDatabase({ dataDir: dir, collections: [{ name: 'tagged', indexes: [] }] })
    db1.insert('tagged', [{ _id: 'has-array', tags: ['a'] }])
    db1.close()
    const spec = [{ name: 'tagged', indexes: [{ name: 'tags_1', fields: [{ field: 'tags', direction: 'asc' as const }], unique: false }] }]
    expect(() => new LocalDatabase({ dataDir: dir, collections: spec })).toThrow(/tagged\.tags.*has-array/)
  })

  it('refuses a unique index over existing duplicates', () => {
    const db1 = new LocalDatabase({ dataDir: dir, collections: [{ name: 'dups', indexes: [] }] })
    db1.insert('dups', [{ v: 1 }, { v: 1 }])
    db1.close()
    const spec = [{ name: 'dups', indexes: [{ name: 'v_1', fields: [{ field: 'v', direction: 'asc' as const }], unique: true }] }]
    expect(() => new LocalDatabase({ dataDir: dir, collections: spec })).toThrow(/duplicate/)
  })

  it('the checked-in database/collections.json is valid and lists the base collections', () => {
    const names = loadSpec().map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(['accounts', 'audit_logs', 'counters', 'demo_items']))
    const accounts = loadSpec().find((c) => c.name === 'accounts')
    expect(accounts?.indexes.find((i) => i.unique)?.fields.map((f) => f.field)).toEqual(['openid'])
  })
})

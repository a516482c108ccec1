/**
 * The engine directly: SQL pushdown must give exactly what the JS matcher gives.
 */
import fc from 'fast-check'
import { LocalDatabase, type SortSpec } from '../../local/db/engine'
import type { IndexSpec } from '../../local/db/spec'
import type { QObject, QValue, Value } from '../../local/db/values'

const ix = (name: string, fields: string[], unique = false): IndexSpec => ({
  name,
  fields: fields.map((field) => ({ field, direction: 'asc' as const })),
  unique,
})

function pair(): { indexed: LocalDatabase; plain: LocalDatabase } {
  return {
    indexed: new LocalDatabase({ dataDir: ':memory:', collections: [{ name: 'c', indexes: [ix('k_1', ['k']), ix('k2_k', ['k2', 'k']), ix('deep', ['o.v'])] }] }),
    plain: new LocalDatabase({ dataDir: ':memory:', collections: [{ name: 'c', indexes: [] }] }),
  }
}

const dates = [new Date(-86_400_000), new Date(0), new Date(1_700_000_000_000), new Date(1_700_000_000_001)]
const sargableScalar: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 4 },
  { arbitrary: fc.constantFrom(0.5, -1.5, 2.25, 1e15), weight: 1 },
  { arbitrary: fc.constantFrom('', 'a', 'ab', 'b', 'B', 'é', '\uffff', '😀'), weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constantFrom(...dates), weight: 2 },
)
const scalar: fc.Arbitrary<Value> = fc.oneof({ arbitrary: sargableScalar, weight: 6 }, { arbitrary: fc.constant(null), weight: 1 })
const often = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 4 }, { arbitrary: fc.constant(undefined), weight: 1 })
const sometimes = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 3 })
const doc = fc
  .record({
    k: often(scalar),
    k2: often(scalar),
    j: often(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }))),
    o: often(fc.record({ v: often(scalar) })),
  })
  .map(stripUndefined)

function stripUndefined<T extends object>(o: T): QObject {
  const out: QObject = {}
  for (const [key, v] of Object.entries(o)) {
    if (v === undefined) continue
    out[key] = v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? stripUndefined(v as object) : (v as QValue)
  }
  return out
}

/** Conditions SQL can answer through an index. */
const exactCond: fc.Arbitrary<QValue> = fc.oneof(
  sargableScalar,
  sargableScalar.map((v) => ({ $gt: v })),
  sargableScalar.map((v) => ({ $gte: v })),
  sargableScalar.map((v) => ({ $lt: v })),
  sargableScalar.map((v) => ({ $lte: v })),
  fc.tuple(sargableScalar, sargableScalar).map(([a, b]) => ({ $gte: a, $lt: b })),
  fc.array(sargableScalar, { maxLength: 3 }).map((vs) => ({ $in: vs })),
)
const cond: fc.Arbitrary<QValue> = fc.oneof(
  exactCond,
  scalar.map((v) => ({ $eq: v })),
  scalar.map((v) => ({ $gt: v })),
  fc.array(scalar, { maxLength: 2 }).map((vs) => ({ $nin: vs })),
  scalar.map((v) => ({ $ne: v })),
  fc.boolean().map((b) => ({ $exists: b })),
)
const query: fc.Arbitrary<QObject> = fc.oneof(
  fc.record({ k: often(exactCond), k2: sometimes(exactCond), 'o.v': sometimes(exactCond) }).map(stripUndefined),
  fc.record({ k: often(cond), k2: sometimes(cond), j: sometimes(cond), 'o.v': sometimes(cond) }).map(stripUndefined),
)
const direction = fc.constantFrom<1 | -1>(1, -1)
const order: fc.Arbitrary<SortSpec> = fc.oneof(
  fc.tuple(fc.constantFrom('k', 'k2', 'o.v'), direction).map(([p, d]): SortSpec => [[p, d]]),
  fc
    .uniqueArray(fc.constantFrom('k', 'k2', 'j', 'o.v', '_id'), { maxLength: 2 })
    .chain((paths) => fc.tuple(...paths.map((p) => direction.map((d) => [p, d] as const)))),
)

describe('SQL pushdown is exact', () => {
  it('find/count/update/remove agree with and without indexes', () => {
    let pushedDown = 0
    fc.assert(
      fc.property(
        fc.array(doc, { maxLength: 40, size: 'medium' }),
        query,
        order,
        fc.nat({ max: 5 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (docs, q, sort, offset, limit) => {
          const { indexed, plain } = pair()
          try {
            if (docs.length) {
              const withIds = docs.map((d, i) => ({ _id: `d${i}`, ...d }))
              indexed.insert('c', withIds)
              plain.insert('c', withIds)
            }
            const page = (db: LocalDatabase) => db.findDocs('c', q, { order: sort, offset, limit }).map((d) => d._id)
            if (sort.length && indexed.explain('c', q, sort).allSql && page(indexed).length >= 2) pushedDown++
            if (sort.length) expect(page(indexed)).toEqual(page(plain))
            else {
              // Without orderBy the order is unspecified (index order or insertion order): compare sets and page sizes.
              const all = (db: LocalDatabase) => db.findDocs('c', q).map((d) => String(d._id)).sort()
              expect(all(indexed)).toEqual(all(plain))
              expect(page(indexed)).toHaveLength(page(plain).length)
            }
            expect(indexed.count('c', q)).toBe(plain.count('c', q))
            const change = { kind: 'update' as const, update: { $inc: { hits: 1 } } }
            expect(indexed.modify('c', q, change, { multi: true, upsert: false }).updated).toBe(
              plain.modify('c', q, change, { multi: true, upsert: false }).updated,
            )
            expect(indexed.remove('c', q, { multi: true })).toBe(plain.remove('c', q, { multi: true }))
            expect(indexed.findDocs('c', {}, { order: [['_id', 1]] })).toEqual(plain.findDocs('c', {}, { order: [['_id', 1]] }))
          } finally {
            indexed.close()
            plain.close()
          }
        },
      ),
      { numRuns: 400 },
    )
    // The property means something only if SQL answered a good share of the pages.
    expect(pushedDown).toBeGreaterThan(10)
  })
})

describe('planner', () => {
  const { indexed } = pair()
  afterAll(() => indexed.close())

  it('answers indexed equality, range and IN entirely in SQL through the index', () => {
    const queries: QObject[] = [{ k: 1 }, { k: { $gt: 'a' } }, { k: { $in: [1, 'x', true] } }, { k: new Date(0) }, { k2: 'a', k: { $lt: 3 } }]
    for (const q of queries) {
      const plan = indexed.explain('c', q)
      expect(plan.allSql).toBe(true)
      expect(plan.sqlitePlan.join(' ')).toMatch(/USING INDEX/)
    }
  })

  it('pushes a sort on an indexed path, with no sorting step, for a feed page', () => {
    const plan = indexed.explain('c', {}, [['k', -1]])
    expect(plan.allSql).toBe(true)
    expect(plan.sqlitePlan.join(' ')).toContain('k_1')
    expect(plan.sqlitePlan.join(' ')).not.toContain('TEMP B-TREE')
  })

  it('lets JS finish what SQL cannot answer exactly, still narrowing by the index', () => {
    const ne = indexed.explain('c', { k: { $ne: 1 } })
    expect(ne.allSql).toBe(false)
    const mixed = indexed.explain('c', { k: 1, j: 'x' })
    expect(mixed.allSql).toBe(false)
    expect(mixed.sqlConditions).toBe(1)
    expect(mixed.sqlitePlan.join(' ')).toMatch(/USING INDEX/)
    expect(indexed.explain('c', { k: 1 }, [['j', 1]]).allSql).toBe(false)
  })
})

describe('status page view', () => {
  it('lists collections with counts and pages documents newest first', () => {
    const db = new LocalDatabase({ dataDir: ':memory:', collections: [{ name: 'b', indexes: [] }, { name: 'a', indexes: [ix('x', ['x'])] }] })
    try {
      db.insert('a', [{ _id: 1, x: 1 }, { _id: 2, x: 2 }, { _id: 3, x: 3 }])
      expect(db.collections()).toEqual([
        { name: 'a', count: 3, indexes: [ix('x', ['x'])] },
        { name: 'b', count: 0, indexes: [] },
      ])
      expect(db.documents('a', 1, 1)).toEqual({ total: 3, docs: [{ _id: 2, x: 2 }] })
      expect(() => db.documents('zzz', 0, 10)).toThrow(/does not exist/)
    } finally {
      db.close()
    }
  })
})

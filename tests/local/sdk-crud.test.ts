/**
 * The real wx-server-sdk against the local database: documents, operators, paging.
 */
import { loadSpec } from '../../local/db/spec'
import { addMany, byId, call, ids, rows, startSdkCloud, type SdkCloud } from './sdk-helpers'

const NOW = Date.UTC(2030, 0, 2, 3, 4, 5)
let t: SdkCloud

beforeAll(async () => {
  // `indexed` answers the same queries through SQL expression indexes.
  const indexed = {
    name: 'indexed',
    indexes: ['kind', 'n', 's', 'at'].map((field) => ({ name: field, fields: [{ field, direction: 'asc' as const }], unique: false })),
  }
  t = await startSdkCloud({ now: () => NOW, collections: [...loadSpec(), indexed] })
  await call(t.db.createCollection('crud'))
  await call(t.db.createCollection('ops'))
  await call(t.db.createCollection('paging'))
})
afterAll(async () => {
  await t.close()
})

describe('documents', () => {
  it('add() generates a 32-hex _id, or keeps the one given', async () => {
    const c = t.db.collection('crud')
    const a = await call(c.add({ data: { name: 'generated' } }))
    expect(a._id).toMatch(/^[0-9a-f]{32}$/)
    const b = await call(c.add({ data: { _id: 'mine-1', name: 'given' } }))
    expect(b._id).toBe('mine-1')
    expect(await byId(t.db, 'crud', 'mine-1')).toEqual({ _id: 'mine-1', name: 'given' })
    expect((await byId(t.db, 'crud', String(a._id))).name).toBe('generated')
  })

  it('round-trips dates as Date, nested and inside arrays, and compares them', async () => {
    const c = t.db.collection('crud')
    const when = new Date('2024-02-29T12:34:56.789Z')
    await call(c.add({ data: { _id: 'dated', at: when, nested: { at: when }, list: [when, 1] } }))
    const doc = await byId(t.db, 'crud', 'dated')
    expect(doc.at).toBeInstanceOf(Date)
    expect((doc.at as Date).toISOString()).toBe(when.toISOString())
    expect((doc.nested as { at: Date }).at.getTime()).toBe(when.getTime())
    expect((doc.list as unknown[])[0]).toEqual(when)
    expect(await ids(c.where({ _id: 'dated', at: t._.gt(new Date(when.getTime() - 1)) }))).toEqual(['dated'])
    expect(await ids(c.where({ _id: 'dated', at: t._.gt(when) }))).toEqual([])
    // A date never equals the number of its milliseconds.
    expect(await ids(c.where({ at: when.getTime() }))).toEqual([])
  })

  it('db.serverDate() is the server clock, with its offset', async () => {
    const c = t.db.collection('crud')
    // The typings omit serverDate's {offset} option.
    const serverDate = t.db.serverDate as unknown as (o?: { offset: number }) => unknown
    await call(c.add({ data: { _id: 'stamped', at: serverDate(), later: serverDate({ offset: 60_000 }) } }))
    const doc = await byId(t.db, 'crud', 'stamped')
    expect((doc.at as Date).getTime()).toBe(NOW)
    expect((doc.later as Date).getTime()).toBe(NOW + 60_000)
    await call(c.doc('stamped').update({ data: { touched: t.db.serverDate() } }))
    expect(((await byId(t.db, 'crud', 'stamped')).touched as Date).getTime()).toBe(NOW)
  })

  it('doc().set() replaces the whole document and creates a missing one', async () => {
    const c = t.db.collection('crud')
    await call(c.add({ data: { _id: 'replace-me', a: 1, b: 2 } }))
    const r = await call(c.doc('replace-me').set({ data: { c: 3 } }))
    expect(r.stats.updated).toBe(1)
    expect(await byId(t.db, 'crud', 'replace-me')).toEqual({ _id: 'replace-me', c: 3 })
    const created = await call(c.doc('fresh').set({ data: { d: 4 } }))
    expect(created.stats.created).toBe(1)
    expect(await byId(t.db, 'crud', 'fresh')).toEqual({ _id: 'fresh', d: 4 })
  })

  it('doc().remove() and get() of a missing document', async () => {
    const c = t.db.collection('crud')
    await call(c.add({ data: { _id: 'gone', a: 1 } }))
    expect((await call(c.doc('gone').remove())).stats.removed).toBe(1)
    expect((await call(c.doc('gone').remove())).stats.removed).toBe(0)
    await expect(call(c.doc('gone').get())).rejects.toThrow(/does not exist/)
  })
})

describe('update operators', () => {
  const c = () => t.db.collection('ops')
  beforeEach(async () => {
    await call(c().where({ _id: t._.exists(true) }).remove())
    await call(
      c().add({
        data: { _id: 'u', n: 10, m: 3, o: { x: 1, y: 2 }, tags: ['a', 'b'], scores: [1, 5, 9], gone: true, list: [{ k: 1 }, { k: 2 }] },
      }),
    )
  })

  it('inc, mul, nested set merge, set replace, remove', async () => {
    await call(c().doc('u').update({ data: { n: t._.inc(5), m: t._.mul(4), o: { y: 20, z: 30 }, gone: t._.remove() } }))
    expect(await byId(t.db, 'ops', 'u')).toMatchObject({ n: 15, m: 12, o: { x: 1, y: 20, z: 30 } })
    expect(await byId(t.db, 'ops', 'u')).not.toHaveProperty('gone')
    await call(c().doc('u').update({ data: { o: t._.set({ only: true }) } }))
    expect((await byId(t.db, 'ops', 'u')).o).toEqual({ only: true })
    // $inc on a missing field starts from 0; $mul on a missing field gives 0
    await call(c().doc('u').update({ data: { fresh: t._.inc(2), zero: t._.mul(7) } }))
    expect(await byId(t.db, 'ops', 'u')).toMatchObject({ fresh: 2, zero: 0 })
  })

  it('push, pull (value and condition), addToSet', async () => {
    await call(c().doc('u').update({ data: { tags: t._.push(['c', 'a']) } }))
    expect((await byId(t.db, 'ops', 'u')).tags).toEqual(['a', 'b', 'c', 'a'])
    await call(c().doc('u').update({ data: { tags: t._.pull('a') } }))
    expect((await byId(t.db, 'ops', 'u')).tags).toEqual(['b', 'c'])
    await call(c().doc('u').update({ data: { scores: t._.pull(t._.gt(4)) } }))
    expect((await byId(t.db, 'ops', 'u')).scores).toEqual([1])
    await call(c().doc('u').update({ data: { list: t._.pull({ k: 2 }) } }))
    expect((await byId(t.db, 'ops', 'u')).list).toEqual([{ k: 1 }])
    await call(c().doc('u').update({ data: { tags: t._.addToSet('b') } }))
    await call(c().doc('u').update({ data: { tags: t._.addToSet('z') } }))
    expect((await byId(t.db, 'ops', 'u')).tags).toEqual(['b', 'c', 'z'])
  })

  it('reports updated 0 when nothing changes and when nothing matches', async () => {
    expect((await call(c().doc('u').update({ data: { n: 10 } }))).stats.updated).toBe(0)
    expect((await call(c().doc('nobody').update({ data: { n: 1 } }))).stats.updated).toBe(0)
    expect((await call(c().doc('u').update({ data: { n: 11 } }))).stats.updated).toBe(1)
  })

  it('$inc on a string fails and leaves the document as it was', async () => {
    await call(c().doc('u').update({ data: { s: 'text' } }))
    await expect(call(c().doc('u').update({ data: { s: t._.inc(1), n: 99 } }))).rejects.toThrow(/non-numeric/)
    expect(await byId(t.db, 'ops', 'u')).toMatchObject({ s: 'text', n: 10 })
  })
})

describe.each([['crud'], ['indexed']])('queries on %s', (coll) => {
  const when = (d: number) => new Date(Date.UTC(2024, 0, d))
  beforeAll(async () => {
    await addMany(t.db.collection(coll), [
      { _id: 'q1', kind: 'q', n: 1, s: 'apple', at: when(1), tags: ['red', 'fruit'], o: { deep: { v: 1 } }, items: [{ sku: 'a', qty: 1 }] },
      { _id: 'q2', kind: 'q', n: 2, s: 'Banana', at: when(2), tags: ['yellow', 'fruit'], o: { deep: { v: 2 } }, items: [{ sku: 'b', qty: 5 }] },
      { _id: 'q3', kind: 'q', n: 3, s: 'cherry', at: when(3), tags: ['red'], items: [{ sku: 'a', qty: 9 }, { sku: 'c', qty: 1 }] },
      { _id: 'q4', kind: 'q', n: '4', s: null },
      { _id: 'q5', kind: 'q', n: 5.5 },
    ])
  })
  const q = (where: Record<string, unknown>) => ids(t.db.collection(coll).where({ kind: 'q', ...where }).orderBy('_id', 'asc'))

  it('comparison operators compare within one type only', async () => {
    expect(await q({ n: t._.gt(1) })).toEqual(['q2', 'q3', 'q5'])
    expect(await q({ n: t._.gte(2).and(t._.lt(5.5)) })).toEqual(['q2', 'q3'])
    expect(await q({ n: t._.lte(3) })).toEqual(['q1', 'q2', 'q3'])
    expect(await q({ n: t._.gt('3') })).toEqual(['q4'])
    expect(await q({ n: t._.eq('4') })).toEqual(['q4'])
    expect(await q({ n: 4 })).toEqual([])
    expect(await q({ at: t._.gte(when(2)) })).toEqual(['q2', 'q3'])
  })

  it('neq, in, nin, exists and null', async () => {
    expect(await q({ n: t._.neq(1) })).toEqual(['q2', 'q3', 'q4', 'q5'])
    expect(await q({ n: t._.in([1, 3, '4']) })).toEqual(['q1', 'q3', 'q4'])
    expect(await q({ n: t._.nin([1, 3]) })).toEqual(['q2', 'q4', 'q5'])
    expect(await q({ at: t._.exists(false) })).toEqual(['q4', 'q5'])
    expect(await q({ s: null })).toEqual(['q4', 'q5'])
    expect(await q({ s: t._.exists(true) })).toEqual(['q1', 'q2', 'q3', 'q4'])
  })

  it('and / or, nested paths, array elements and elemMatch', async () => {
    expect(await q({ n: t._.or([t._.eq(1), t._.gt(5)]) })).toEqual(['q1', 'q5'])
    expect(await ids(t.db.collection(coll).where(t._.or([{ n: 1 }, { s: 'cherry' }])).orderBy('_id', 'asc'))).toEqual(['q1', 'q3'])
    expect(await q({ o: { deep: { v: 2 } } })).toEqual(['q2'])
    expect(await q({ 'o.deep.v': t._.gte(1) })).toEqual(['q1', 'q2'])
    expect(await q({ tags: 'red' })).toEqual(['q1', 'q3'])
    expect(await q({ 'items.sku': 'a' })).toEqual(['q1', 'q3'])
    // elemMatch: both conditions on the same element
    expect(await q({ items: t._.elemMatch({ sku: 'a', qty: t._.gt(3) }) })).toEqual(['q3'])
    expect(await q({ 'items.sku': 'c', 'items.qty': t._.gt(3) })).toEqual(['q3'])
  })

  it('regular expressions: db.RegExp and JS literals', async () => {
    expect(await q({ s: t.db.RegExp({ regexp: '^b', options: 'i' }) })).toEqual(['q2'])
    expect(await q({ s: /an/ })).toEqual(['q2'])
    expect(await q({ s: /^B/ })).toEqual(['q2'])
    expect(await q({ s: /^b/ })).toEqual([])
  })

  it('sorts across types in MongoDB order: null/missing, numbers, strings, dates', async () => {
    expect(await ids(t.db.collection(coll).where({ kind: 'q' }).orderBy('n', 'asc'))).toEqual(['q1', 'q2', 'q3', 'q5', 'q4'])
    expect(await ids(t.db.collection(coll).where({ kind: 'q' }).orderBy('at', 'desc'))).toEqual(['q3', 'q2', 'q1', 'q5', 'q4'])
    expect(await ids(t.db.collection(coll).where({ kind: 'q' }).orderBy('s', 'asc').limit(3))).toEqual(['q4', 'q5', 'q2'])
  })

  it('count() and multi-document where().update() / remove()', async () => {
    const c = t.db.collection(coll)
    expect((await call(c.where({ kind: 'q', n: t._.gt(1) }).count())).total).toBe(3)
    const u = await call(c.where({ kind: 'q', tags: 'red' }).update({ data: { flagged: true } }))
    expect(u.stats.updated).toBe(2)
    expect(await q({ flagged: true })).toEqual(['q1', 'q3'])
    const r = await call(c.where({ kind: 'q', flagged: true }).remove())
    expect(r.stats.removed).toBe(2)
    expect((await call(c.where({ kind: 'q' }).count())).total).toBe(3)
  })
})

describe('ordering and projection', () => {
  it('orders by several keys, skips, limits and projects', async () => {
    const c = t.db.collection('paging')
    await addMany(c, [
      { _id: 'p1', g: 2, h: 'b', x: 1 },
      { _id: 'p2', g: 1, h: 'z', x: 2 },
      { _id: 'p3', g: 2, h: 'a', x: 3 },
      { _id: 'p4', g: 1, h: 'a', x: 4 },
      { _id: 'p5', h: 'm', x: 5 },
    ])
    expect(await ids(c.orderBy('g', 'desc').orderBy('h', 'asc'))).toEqual(['p3', 'p1', 'p4', 'p2', 'p5'])
    expect(await ids(c.orderBy('g', 'asc').orderBy('h', 'desc'))).toEqual(['p5', 'p2', 'p4', 'p1', 'p3'])
    expect(await ids(c.orderBy('g', 'desc').orderBy('h', 'asc').skip(1).limit(2))).toEqual(['p1', 'p4'])
    expect(await rows(c.where({ _id: 'p1' }).field({ h: true }))).toEqual([{ _id: 'p1', h: 'b' }])
    expect(await rows(c.where({ _id: 'p1' }).field({ h: false, _id: false }))).toEqual([{ g: 2, x: 1 }])
    expect((await call(c.doc('p2').field({ x: true }).get())).data).toEqual({ _id: 'p2', x: 2 })
    expect(await rows(c.where({ _id: 'p3' }).field({ _id: true }))).toEqual([{ _id: 'p3' }])
  })
})

describe('page sizes', () => {
  beforeAll(async () => {
    const data = Array.from({ length: 1100 }, (_v, i) => ({ i }))
    await addMany(t.db.collection('demo_items'), data)
  })

  it('get() without limit returns the first 100, in insertion order', async () => {
    const got = await rows(t.db.collection('demo_items').where({ i: t._.exists(true) }))
    expect(got).toHaveLength(100)
    expect(got.map((r) => r.i)).toEqual(Array.from({ length: 100 }, (_v, i) => i))
  })

  it('an explicit limit is honoured up to 1000', async () => {
    expect(await rows(t.db.collection('demo_items').limit(250))).toHaveLength(250)
    expect(await rows(t.db.collection('demo_items').limit(5000))).toHaveLength(1000)
    expect(await rows(t.db.collection('demo_items').skip(1050).limit(1000))).toHaveLength(50)
  })
})

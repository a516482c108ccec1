/**
 * Refusals as the SDK reports them: the errCode/message a handler would see in the cloud.
 */
import { addMany, byId, call, failure, ids, startSdkCloud, type SdkCloud } from './sdk-helpers'

let t: SdkCloud

beforeAll(async () => {
  t = await startSdkCloud()
})
afterAll(async () => {
  await t.close()
})

describe('collections', () => {
  it('a missing collection fails every call with -502005 naming it', async () => {
    const c = t.db.collection('no_such_thing')
    for (const p of [c.get(), c.add({ data: { a: 1 } }), c.doc('x').update({ data: { a: 1 } }), c.where({ a: 1 }).count()]) {
      const f = await failure(p)
      expect(f.errCode).toBe(-502005)
      expect(f.message).toContain('no_such_thing')
    }
  })

  it('createCollection makes a usable collection; creating it again fails', async () => {
    await call(t.db.createCollection('made_here'))
    await call(t.db.collection('made_here').add({ data: { _id: 'm', a: 1 } }))
    expect(await byId(t.db, 'made_here', 'm')).toEqual({ _id: 'm', a: 1 })
    const again = await failure(t.db.createCollection('made_here'))
    expect(again.code).toBe('DATABASE_COLLECTION_ALREADY_EXIST')
    expect(again.message).toContain('made_here')
  })

  it('collections listed in database/collections.json exist from the start', async () => {
    for (const name of ['accounts', 'audit_logs', 'counters', 'demo_items']) {
      expect((await call(t.db.collection(name).count())).total).toBe(0)
    }
  })
})

describe('unique indexes', () => {
  const accounts = () => t.db.collection('accounts')

  it('a duplicate add fails like CloudBase (-502001, E11000 … dup key) and stores nothing', async () => {
    await call(accounts().add({ data: { _id: 'acc-1', openid: 'o-dup', state: 'active' } }))
    const f = await failure(accounts().add({ data: { _id: 'acc-2', openid: 'o-dup', state: 'active' } }))
    expect(f.errCode).toBe(-502001)
    expect(f.message).toMatch(/E11000 duplicate key error collection: accounts index: openid_unique dup key: \{ openid: "o-dup" \}/)
    expect((await call(accounts().where({ openid: 'o-dup' }).count())).total).toBe(1)
  })

  it('a duplicate _id fails the same way', async () => {
    const f = await failure(accounts().add({ data: { _id: 'acc-1', openid: 'other' } }))
    expect(f.errCode).toBe(-502001)
    expect(f.message).toContain('E11000 duplicate key error collection: accounts index: _id_')
  })

  it('an update onto a taken value fails and leaves both documents unchanged', async () => {
    await call(accounts().add({ data: { _id: 'acc-3', openid: 'o-free' } }))
    const f = await failure(accounts().doc('acc-3').update({ data: { openid: 'o-dup' } }))
    expect(f.errCode).toBe(-502001)
    expect(f.message).toContain('duplicate key')
    expect((await byId(t.db, 'accounts', 'acc-3')).openid).toBe('o-free')
  })

  it('a batch add with one duplicate stores none of the batch', async () => {
    const f = await failure(addMany(accounts(), [{ openid: 'batch-1' }, { openid: 'o-dup' }]))
    expect(f.errCode).toBe(-502001)
    expect((await call(accounts().where({ openid: 'batch-1' }).count())).total).toBe(0)
  })

  it('documents without the unique field never conflict (sparse)', async () => {
    await call(accounts().add({ data: { state: 'pending' } }))
    await call(accounts().add({ data: { state: 'pending' } }))
    await call(accounts().add({ data: { openid: null, state: 'pending' } }))
    await call(accounts().add({ data: { openid: null, state: 'pending' } }))
    expect((await call(accounts().where({ state: 'pending' }).count())).total).toBe(4)
  })
})

describe('what the local database refuses, by name', () => {
  it('an unsupported query operator (geo) fails with -502002 naming it', async () => {
    const near = t._.geoNear({ geometry: t.db.Geo.Point(113.3, 23.1), maxDistance: 1000 })
    const f = await failure(t.db.collection('demo_items').where({ loc: near }).get())
    expect(f.errCode).toBe(-502002)
    expect(f.message).toContain('$nearSphere')
  })

  it('an unsupported query operator is refused even when nothing would match', async () => {
    const area = t.db.Geo.Polygon([t.db.Geo.LineString([t.db.Geo.Point(0, 0), t.db.Geo.Point(1, 0), t.db.Geo.Point(1, 1), t.db.Geo.Point(0, 0)])])
    const f = await failure(t.db.collection('counters').where({ loc: t._.geoWithin({ geometry: area }) }).count())
    expect(f.errCode).toBe(-502002)
    expect(f.message).toContain('$geoWithin')
  })

  it('an unsupported action (aggregate) fails naming the action', async () => {
    // aggregate() skips wx-server-sdk's code mapping: the CloudBase code stays on the error.
    const f = await failure(t.db.collection('demo_items').aggregate().match({ n: 1 }).end())
    expect(f.code).toBe('DATABASE_INVALID_OPERRATOR')
    expect(f.message).toContain('database.aggregateDocuments')
  })

  it('an array along an indexed path is refused (no multikey indexes locally)', async () => {
    const f = await failure(t.db.collection('demo_items').add({ data: { n: [1, 2] } }))
    expect(f.errCode).toBe(-502001)
    expect(f.message).toContain("indexed path 'n'")
    await call(t.db.collection('demo_items').add({ data: { _id: 'ok-n', n: 1 } }))
    const g = await failure(t.db.collection('demo_items').doc('ok-n').update({ data: { n: [1, 2] } }))
    expect(g.message).toContain("indexed path 'n'")
    expect((await byId(t.db, 'demo_items', 'ok-n')).n).toBe(1)
  })

  it('the same array on a field that is not indexed is fine', async () => {
    await call(t.db.collection('demo_items').add({ data: { _id: 'tags', n: 2, tags: ['x', 'y'] } }))
    expect(await ids(t.db.collection('demo_items').where({ tags: 'y' }))).toEqual(['tags'])
  })

  it('conflicting operators on one path are refused', async () => {
    await call(t.db.collection('counters').add({ data: { _id: 'c1', a: { b: 1 } } }))
    const f = await failure(t.db.collection('counters').doc('c1').update({ data: { a: t._.set({ b: 2 }), 'a.b': t._.inc(1) } }))
    expect(f.errCode).toBe(-502001)
    expect(f.message).toContain('conflict')
  })
})

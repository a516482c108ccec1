/**
 * Atomicity under concurrent callers, and transactions.
 */
import { addMany, byId, call, failure, startSdkCloud, type SdkCloud, type Tx } from './sdk-helpers'

let t: SdkCloud

beforeAll(async () => {
  t = await startSdkCloud()
  await call(t.db.createCollection('slots'))
  await call(t.db.createCollection('wallets'))
})
afterAll(async () => {
  await t.close()
})

describe('atomic conditional updates', () => {
  it('200 concurrent where({_id, taken < cap}).update(inc) stop exactly at cap', async () => {
    const cap = 150
    const slots = t.db.collection('slots')
    await call(slots.add({ data: { _id: 'event-1', taken: 0 } }))
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        call(slots.where({ _id: 'event-1', taken: t._.lt(cap) }).update({ data: { taken: t._.inc(1) } })),
      ),
    )
    const won = results.filter((r) => r.stats.updated === 1).length
    expect(won).toBe(cap)
    expect(results.filter((r) => r.stats.updated === 0)).toHaveLength(200 - cap)
    expect((await byId(t.db, 'slots', 'event-1')).taken).toBe(cap)
  })
})

describe('transactions', () => {
  const run = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => t.db.runTransaction((tx: unknown) => fn(tx as Tx)) as Promise<T>

  beforeEach(async () => {
    await call(t.db.collection('wallets').where({ _id: t._.exists(true) }).remove())
    await addMany(t.db.collection('wallets'), [{ _id: 'alice', balance: 100 }, { _id: 'bob', balance: 0 }])
  })

  it('runTransaction commits reads and writes on several documents together', async () => {
    const result = await run(async (tx) => {
      const w = tx.collection('wallets')
      const a = (await w.doc('alice').get()).data as { balance: number }
      await w.doc('alice').update({ data: { balance: a.balance - 30 } })
      await w.doc('bob').update({ data: { balance: t._.inc(30) } })
      const receipt = await w.add({ data: { _id: 'receipt-1', amount: 30 } })
      // The transaction sees its own writes.
      expect(((await w.doc('alice').get()).data as { balance: number }).balance).toBe(70)
      return receipt._id
    })
    expect(result).toBe('receipt-1')
    expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(70)
    expect((await byId(t.db, 'wallets', 'bob')).balance).toBe(30)
    expect((await byId(t.db, 'wallets', 'receipt-1')).amount).toBe(30)
  })

  it('nothing is written until commit, and an error in the callback rolls back', async () => {
    await expect(
      run(async (tx) => {
        await tx.collection('wallets').doc('alice').update({ data: { balance: 0 } })
        await tx.collection('wallets').doc('bob').remove()
        expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(100)
        throw new Error('insufficient funds')
      }),
    ).rejects.toThrow('insufficient funds')
    expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(100)
    expect((await byId(t.db, 'wallets', 'bob')).balance).toBe(0)
  })

  it('startTransaction + rollback discards the writes', async () => {
    const tx = (await t.db.startTransaction()) as Tx
    await tx.collection('wallets').doc('bob').set({ data: { balance: 999 } })
    await tx.rollback()
    expect((await byId(t.db, 'wallets', 'bob')).balance).toBe(0)
  })

  it('concurrent read-modify-write transactions conflict, retry, and lose no update', async () => {
    let attempts = 0
    const transfer = () =>
      run(async (tx) => {
        attempts++
        const w = tx.collection('wallets')
        const a = (await w.doc('alice').get()).data as { balance: number }
        // Let the other transaction read the same balance before either commits.
        await new Promise((r) => setTimeout(r, 20))
        await w.doc('alice').update({ data: { balance: a.balance - 10 } })
      })
    await Promise.all([transfer(), transfer()])
    expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(80)
    expect(attempts).toBeGreaterThan(2)
  })

  it('a write outside the transaction after its read makes the commit conflict', async () => {
    const tx = (await t.db.startTransaction()) as Tx
    await tx.collection('wallets').doc('alice').get()
    await call(t.db.collection('wallets').doc('alice').update({ data: { balance: 1 } }))
    await tx.collection('wallets').doc('alice').update({ data: { balance: 50 } })
    const f = await failure(tx.commit())
    expect(f.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(1)
  })

  it('queries inside a transaction are refused (single-document operations only)', async () => {
    const tx = (await t.db.startTransaction()) as Tx
    const f = await failure(tx.collection('wallets').where({ balance: t._.gt(0) }).get())
    expect(f.message).toContain('inside a transaction')
    await tx.rollback()
  })

  it('a unique-index violation at commit fails the whole transaction', async () => {
    await call(t.db.collection('accounts').add({ data: { _id: 'a1', openid: 'taken' } }))
    await expect(
      run(async (tx) => {
        await tx.collection('wallets').doc('alice').update({ data: { balance: 5 } })
        await tx.collection('accounts').add({ data: { _id: 'a2', openid: 'taken' } })
      }),
    ).rejects.toThrow(/duplicate key/)
    expect((await byId(t.db, 'wallets', 'alice')).balance).toBe(100)
    expect((await call(t.db.collection('accounts').where({ _id: 'a2' }).count())).total).toBe(0)
  })
})

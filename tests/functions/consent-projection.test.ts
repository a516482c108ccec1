/**
 * The current-consent projection: each appended record carries the person's
 * decisions after it, and `Ledger.decisions` reads the newest one instead of
 * replaying the history. Proven equal to a replay after every append, over
 * random histories (grants of several versions, refusals, withdrawals, several
 * purposes, records appended one at a time and in batches), and read by a
 * card landing view in one query.
 */
import fc from 'fast-check'
import { ledgerOf } from '../../cloudfunctions/_core/consent/gate'
import { COLLECTIONS } from '../../cloudfunctions/_core/collections'
import type { ConsentRecordDoc, NewConsentRecord } from '../../cloudfunctions/_core/consent/ledger'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { PURPOSE_IDS, PURPOSES, type PurposeId } from '../../shared/consent'

let cloud: TestCloud
let people = 0

beforeAll(async () => {
  cloud = await startTestCloud()
})
afterAll(() => cloud.close())

const context = () => ({ db: cloud.store, config: cloud.config })

const entry = fc.record({
  purpose: fc.constantFrom(...PURPOSE_IDS),
  action: fc.constantFrom('grant', 'grant', 'refuse', 'withdraw'),
  version: fc.constantFrom('1', '1.1', '2'),
})

function recordOf(e: { purpose: PurposeId; action: string; version: string }): NewConsentRecord {
  return {
    purpose: e.purpose,
    action: e.action as NewConsentRecord['action'],
    method: 'settings',
    docId: PURPOSES[e.purpose].document,
    version: e.version,
    hash: 'a'.repeat(64),
    guardian: null,
  }
}

describe('the current-consent projection', () => {
  it('equals a replay of the ledger after every append', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (batches) => {
        const subject = `projection-${++people}`
        const ledger = ledgerOf(context())
        for (const [k, batch] of batches.entries()) {
          await ledger.append(subject, new Date(Date.UTC(2026, 11, 1, 0, k)), batch.map(recordOf))
          expect(await ledger.decisions(subject, PURPOSE_IDS)).toEqual(await ledger.replay(subject, PURPOSE_IDS))
        }
      }),
      { numRuns: 40 },
    )
    // Forty random histories of up to 24 appends each: about two seconds alone, given room for a loaded machine.
  }, 60_000)

  it('replays a ledger written before projections, and carries on from there', async () => {
    const subject = 'projection-legacy'
    const ledger = ledgerOf(context())
    await ledger.append(subject, new Date('2026-12-01T00:00:00Z'), [recordOf({ purpose: 'face', action: 'grant', version: '1' }), recordOf({ purpose: 'publicCard', action: 'grant', version: '1' })])
    // As records stored before the projection existed look.
    await cloud.store.collection<ConsentRecordDoc>(COLLECTIONS.consentRecords).updateWhere({ subject }, { current: cloud.store.cmd.remove() })
    expect(await ledger.decisions(subject, PURPOSE_IDS)).toEqual(await ledger.replay(subject, PURPOSE_IDS))
    await ledger.append(subject, new Date('2026-12-02T00:00:00Z'), [recordOf({ purpose: 'face', action: 'withdraw', version: '1' })])
    const [head] = await cloud.store.collection<ConsentRecordDoc>(COLLECTIONS.consentRecords).find({ subject }, { orderBy: [['seq', 'desc']], limit: 1 })
    expect(head?.current?.publicCard?.activeGrants.map((r) => r.seq)).toEqual([2])
    expect(await ledger.decisions(subject, PURPOSE_IDS)).toEqual(await ledger.replay(subject, PURPOSE_IDS))
  })
})

/**
 * The card landing round trip: cards.view through the dispatcher, the real
 * wx-server-sdk and the local database — card, owner (badge, content shown),
 * relation, holder, the viewer's consent and the visit record or count.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '../cloudfunctions/_core/dispatch'
import { FUNCTIONS } from '../local/functions'
import { acceptCurrentTerms, grantConsents, startTestCloud, verifiedPublisher } from '../local/testing'
import { p50p99, sample, type BenchRow } from './stats'
import { countingRuntime } from './db-calls'

const OWNER = 'bench-card-owner'
const MEMBER = 'bench-card-member'
const VISITOR = 'bench-card-visitor'
const OTHER_CARDS = 2000

export async function benchCards(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-cards-'))
  const cloud = await startTestCloud({ dataDir: dir })
  try {
    await verifiedPublisher(cloud, OWNER)
    await grantConsents(cloud, OWNER, ['publicCard'])
    const created = await cloud.call('cards', { action: 'create', input: { name: '王压测', title: '工程师', company: '乐聊科技', phone: '13812345678' } }, OWNER)
    if (!created.ok) throw new Error(`card for the bench: ${created.error.code}`)
    const cardId = (created.data as { card: { id: string } }).card.id
    // Other people's cards around it, so that lookups are not into a near-empty collection.
    const cards = cloud.store.collection<{ _id: string; ownerOpenid: string; name: string }>('cards')
    for (let i = 0; i < OTHER_CARDS; i++) await cards.add({ ownerOpenid: `bench-other-${i}`, name: `其他${i}` })
    await acceptCurrentTerms(cloud, MEMBER)
    await grantConsents(cloud, MEMBER, ['personalization'])

    const view = (openid: string) => (): Promise<unknown> => serve(FUNCTIONS.cards, { action: 'view', input: { cardId } }, cloud.runtimeFor(openid))
    await sample(100, view(VISITOR))
    const visitor = await sample(1000, view(VISITOR))
    await sample(100, view(MEMBER))
    const member = await sample(1000, view(MEMBER))
    const callsOf = async (openid: string): Promise<number> => {
      // Warmed once through the counting handle (caches are per database handle), then counted.
      const counting = countingRuntime(cloud.runtimeFor(openid))
      await serve(FUNCTIONS.cards, { action: 'view', input: { cardId } }, counting.runtime)
      counting.take()
      await serve(FUNCTIONS.cards, { action: 'view', input: { cardId } }, counting.runtime)
      return counting.take()
    }
    const visitorCalls = await callsOf(VISITOR)
    const memberCalls = await callsOf(MEMBER)
    return [
      { name: 'cards.view (landing), visitor without an account', value: p50p99(visitor), note: `${visitorCalls} database calls a view; 1000 views, one at a time; anonymous daily count; ${OTHER_CARDS + 1} cards` },
      { name: 'cards.view (landing), registered viewer, visit recorded', value: p50p99(member), note: `${memberCalls} database calls a view; 1000 views; consent read, exchange + holder lookups, unique visit per day` },
    ]
  } finally {
    await cloud.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

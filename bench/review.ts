/**
 * The staff side at scale: moderation.queue at 100,000 open reviewables (the
 * first page and a deep one, with the per-queue counts the page shows), the
 * naive deep page (skip/offset) for comparison, and the round trip of the
 * report that hides a card (the third verified report: score, hold, the
 * decision recomputed and written onto the card, the author told).
 * The reviewables are written straight into the local engine in batches.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COLLECTIONS } from '../cloudfunctions/_core/collections'
import { serve } from '../cloudfunctions/_core/dispatch'
import type { ReviewableDoc } from '../cloudfunctions/_core/review/store'
import { accounts, findAccount } from '../cloudfunctions/_core/accounts'
import { FUNCTIONS } from '../local/functions'
import { cardPublisher, SAMPLE_CARD, startTestCloud, verifiedPublisher, type TestCloud } from '../local/testing'
import type { ApiResult } from '../shared/errors'
import { queueOf, rankKey, REPORT_CATEGORIES, URGENT_CATEGORIES, type ReviewKind } from '../shared/review'
import { p50p99, percentile, sample, type BenchRow } from './stats'

const ITEMS = 100_000
const BATCH = 5_000
const PAGE = 20
const START = Date.UTC(2026, 0, 1)
const KINDS: readonly ReviewKind[] = ['card', 'activity', 'article', 'account']

function reviewable(i: number): ReviewableDoc {
  const createdAt = new Date(START + i * 30_000)
  const category = REPORT_CATEGORIES[i % REPORT_CATEGORIES.length] ?? 'other'
  const kind = KINDS[i % KINDS.length] ?? 'card'
  const sources = i % 3 === 0 ? (['gate'] as const) : (['report'] as const)
  const score = sources[0] === 'report' ? (i % 7) * 0.5 + 0.5 : 0
  const _id = `bench${String(i).padStart(8, '0')}`
  const urgent = URGENT_CATEGORIES.has(category)
  return {
    _id,
    kind,
    targetId: `target-${i}`,
    openKey: `${kind}:target-${i}`,
    subject: `bench-subject-${i % 500}`,
    state: 'open',
    queue: queueOf(kind, [...sources]),
    sources: [...sources],
    categories: [category],
    category,
    urgent,
    score,
    reportCount: Math.round(score),
    rankKey: rankKey({ urgent, score, createdAt, id: _id }),
    moderationDecisionId: null,
    edits: 0,
    claim: null,
    createdAt,
    updatedAt: createdAt,
    resolvedAt: null,
    resolvedKey: null,
    decisionId: null,
  }
}

function okData<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.data as T
}

async function benchQueue(cloud: TestCloud): Promise<BenchRow[]> {
  await verifiedPublisher(cloud, 'bench-reviewer')
  const reviewer = await findAccount(cloud.store, 'bench-reviewer')
  await accounts(cloud.store).update(reviewer?._id ?? '', { roles: ['user', 'reviewer'] })
  const loadStart = process.hrtime.bigint()
  const all: ReviewableDoc[] = []
  for (let from = 0; from < ITEMS; from += BATCH) {
    const docs: ReviewableDoc[] = []
    for (let i = from; i < Math.min(ITEMS, from + BATCH); i++) docs.push(reviewable(i))
    all.push(...docs)
    cloud.server.db.insert(COLLECTIONS.moderationReviewables, docs as unknown as Parameters<typeof cloud.server.db.insert>[1])
    await new Promise((resolve) => setImmediate(resolve))
  }
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9
  const ranked = all.map((d) => d.rankKey).sort()

  const runtime = cloud.runtimeFor('bench-reviewer')
  const queue = (input: Record<string, unknown>): Promise<ApiResult<unknown>> => serve(FUNCTIONS.moderation, { action: 'queue', input }, runtime)
  const first = okData<{ items: Array<{ id: string }> }>(await queue({ limit: PAGE }))
  if (first.items[0]?.id !== ranked[0]?.split(':')[1]) throw new Error('the queue does not start with the highest-ranked item')
  const deepAt = 95_000
  const deep = okData<{ items: Array<{ id: string }> }>(await queue({ limit: PAGE, cursor: ranked[deepAt - 1] }))
  if (deep.items[0]?.id !== ranked[deepAt]?.split(':')[1]) throw new Error('the deep page does not continue from its cursor')

  await sample(30, () => queue({ limit: PAGE }))
  const firstPage = await sample(300, () => queue({ limit: PAGE }))
  const deepPage = await sample(300, (i) => queue({ limit: PAGE, cursor: ranked[deepAt - 1 + (i % 1000)] }))
  const filtered = await sample(300, (i) => queue({ limit: PAGE, queue: 'reports', category: 'spam', cursor: i % 2 === 0 ? null : ranked[50_000] }))

  // The page query alone through the SDK (no dispatcher, no counts): keyset against offset.
  const reviewables = cloud.store.collection<ReviewableDoc>(COLLECTIONS.moderationReviewables)
  const _ = cloud.store.cmd
  const keysetPage = await sample(100, (i) => reviewables.find({ state: 'open', rankKey: _.gt(ranked[deepAt - 1 + (i % 1000)]) }, { orderBy: [['rankKey', 'asc']], limit: PAGE }))
  const skipPage = await sample(30, (i) => reviewables.find({ state: 'open' }, { orderBy: [['rankKey', 'asc']], skip: deepAt + (i % 1000), limit: PAGE }))
  const ratio = percentile(skipPage, 50) / percentile(keysetPage, 50)
  return [
    { name: `review queue: load ${ITEMS.toLocaleString('en')} open items straight into the engine`, value: `${loadSeconds.toFixed(1)} s`, note: `${BATCH}-doc transactions, 9 indexes` },
    { name: 'moderation.queue first page at 100k (dispatcher + SDK + DB)', value: p50p99(firstPage), note: `${PAGE} rows + counts of 4 queues, 300 calls` },
    { name: 'moderation.queue deep page (95k ranked before it, keyset cursor)', value: p50p99(deepPage), note: '300 calls, cursors spread over 1,000 positions (no counts on later pages)' },
    { name: 'moderation.queue filtered (reports · spam), first and later pages', value: p50p99(filtered), note: '300 calls' },
    { name: '  the deep page query alone (SDK + DB), keyset cursor', value: p50p99(keysetPage), note: '100 calls' },
    { name: '  naive deep page query: skip 95k (offset paging)', value: p50p99(skipPage), note: `30 calls; ${ratio.toFixed(0)}× the keyset query` },
  ]
}

/** The third verified report on a card: the one that hides it. */
async function benchHide(cloud: TestCloud): Promise<BenchRow[]> {
  const CARDS = 40
  const REPORTERS = 12
  const reporters: string[] = []
  for (let r = 0; r < REPORTERS; r++) {
    reporters.push(`bench-reporter-${r}`)
    await verifiedPublisher(cloud, `bench-reporter-${r}`)
  }
  const report = (openid: string, cardId: string): Promise<ApiResult<unknown>> =>
    serve(FUNCTIONS.moderation, { action: 'report', input: { kind: 'card', targetId: cardId, category: 'spam' } }, cloud.runtimeFor(openid))
  const cards: string[] = []
  for (let c = 0; c < CARDS; c++) {
    const author = `bench-author-${c}`
    await cardPublisher(cloud, author)
    cards.push(okData<{ card: { id: string } }>(await cloud.call('cards', { action: 'create', input: SAMPLE_CARD }, author)).card.id)
  }
  const reporterOf = (card: number, nth: number): string => reporters[(card * 3 + nth) % REPORTERS] ?? ''
  const reportCount = await sample(CARDS, async (c) => okData(await report(reporterOf(c, 0), cards[c] ?? '')))
  for (let c = 0; c < CARDS; c++) okData(await report(reporterOf(c, 1), cards[c] ?? ''))
  const hiding = await sample(CARDS, async (c) => okData(await report(reporterOf(c, 2), cards[c] ?? '')))
  const view = await cloud.call('cards', { action: 'view', input: { cardId: cards[0] } }, 'bench-stranger')
  if (view.ok || view.error.code !== 'CARD_HIDDEN') throw new Error('the third report did not hide the card')
  return [
    { name: 'moderation.report below the threshold (first report on a card)', value: p50p99(reportCount), note: `${CARDS} calls: weight, item opened, report stored` },
    { name: 'moderation.report → auto-hide round trip (the third report)', value: p50p99(hiding), note: `${CARDS} calls: score, hold, decision recomputed, card updated, author told` },
  ]
}

export async function benchReview(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-review-'))
  const cloud = await startTestCloud({ dataDir: dir })
  try {
    return [...(await benchQueue(cloud)), ...(await benchHide(cloud))]
  } finally {
    await cloud.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The article feed at 100,000 published articles: a page through the
 * dispatcher, the real wx-server-sdk and the local database, first and deep
 * (keyset cursor), against the naive deep page (skip/offset) for comparison.
 * The articles are written straight into the local engine in batches (one
 * SQLite transaction each), not through the API: loading is not what is measured.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findAccount } from '../cloudfunctions/_core/accounts'
import { orderKey, type ArticleDoc } from '../cloudfunctions/_core/articles/records'
import { excerptOf } from '../cloudfunctions/_core/articles/views'
import { COLLECTIONS } from '../cloudfunctions/_core/collections'
import { serve } from '../cloudfunctions/_core/dispatch'
import { FUNCTIONS } from '../local/functions'
import { acceptCurrentTerms, startTestCloud } from '../local/testing'
import type { ApiResult } from '../shared/errors'
import { p50p99, percentile, sample, type BenchRow } from './stats'
import { countingRuntime } from './db-calls'

const ARTICLES = 100_000
const AUTHORS = 50
const BATCH = 5_000
const PAGE = 20
const START = Date.UTC(2025, 0, 1)

function articleDoc(i: number, authors: readonly string[]): ArticleDoc {
  const at = new Date(START + i * 60_000)
  const _id = `bench${String(i).padStart(8, '0')}`
  // A body of a realistic size (about 1,500 characters), which lists leave out.
  const body = `这是第 ${i} 篇文章的正文。\n\n${'第二段，写一点内容，让摘要有东西可截，也让列表不读正文的做法有意义。'.repeat(40)}`
  return {
    _id,
    ownerOpenid: authors[i % authors.length] ?? 'bench-author-0',
    title: `第 ${i} 篇文章`,
    body,
    excerpt: excerptOf(body),
    cover: null,
    status: 'published',
    moderation: { state: 'published', decisionId: `decision-${i}`, reasons: [], decidedAt: at },
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    createdKey: orderKey(at, _id),
    feedKey: orderKey(at, _id),
    views: i % 97,
    version: 1,
  }
}

function okData<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.data as T
}

export async function benchArticles(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-articles-'))
  const cloud = await startTestCloud({ dataDir: dir })
  try {
    const authors: string[] = []
    for (let a = 0; a < AUTHORS; a++) {
      const openid = `bench-author-${a}`
      await acceptCurrentTerms(cloud, openid)
      authors.push(openid)
    }
    const loadStart = process.hrtime.bigint()
    for (let from = 0; from < ARTICLES; from += BATCH) {
      const docs: ArticleDoc[] = []
      for (let i = from; i < Math.min(ARTICLES, from + BATCH); i++) docs.push(articleDoc(i, authors))
      cloud.server.db.insert(COLLECTIONS.articles, docs as unknown as Parameters<typeof cloud.server.db.insert>[1])
      // Let the server's event loop breathe: a loop blocked for seconds has its idle keep-alive sockets reset under the SDK.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9

    const runtime = cloud.runtimeFor('bench-reader')
    const call = (action: string, input: Record<string, unknown>): Promise<ApiResult<unknown>> =>
      serve(FUNCTIONS.articles, { action, input }, runtime)

    // Sanity: the first page is the newest, a deep cursor lands where it should.
    const first = okData<{ articles: Array<{ id: string }>; nextCursor: string | null }>(await call('feed', { limit: PAGE }))
    if (first.articles[0]?.id !== articleDoc(ARTICLES - 1, authors)._id) throw new Error('feed does not start with the newest article')
    const deepFrom = 5_000 // 95,000 newer articles before this page
    const deepCursor = articleDoc(deepFrom, authors).feedKey
    const deep = okData<{ articles: Array<{ id: string }> }>(await call('feed', { limit: PAGE, cursor: deepCursor }))
    if (deep.articles[0]?.id !== articleDoc(deepFrom - 1, authors)._id) throw new Error('deep page does not continue from its cursor')

    await sample(50, () => call('feed', { limit: PAGE }))
    const firstPage = await sample(500, () => call('feed', { limit: PAGE }))
    const deepPage = await sample(500, (i) => call('feed', { limit: PAGE, cursor: articleDoc(deepFrom + (i % 1000), authors).feedKey }))
    const author = await findAccount(cloud.store, authors[7] ?? '')
    const byAuthor = await sample(300, () => call('byAuthor', { authorId: author?._id ?? '', limit: PAGE }))

    // The naive alternative: offset paging, 95,000 rows skipped through the same SDK.
    const listed = { status: 'published', 'moderation.state': 'published' }
    const articles = cloud.store.collection<ArticleDoc>(COLLECTIONS.articles)
    const skipPage = await sample(10, () => articles.find(listed, { orderBy: [['feedKey', 'desc']], skip: ARTICLES - deepFrom, limit: PAGE }))
    const ratio = percentile(skipPage, 50) / percentile(deepPage, 50)
    const counting = countingRuntime(runtime)
    await serve(FUNCTIONS.articles, { action: 'feed', input: { limit: PAGE } }, counting.runtime)
    counting.take()
    await serve(FUNCTIONS.articles, { action: 'feed', input: { limit: PAGE } }, counting.runtime)
    const feedCalls = counting.take()

    return [
      { name: `articles: load ${ARTICLES.toLocaleString('en')} docs straight into the engine`, value: `${loadSeconds.toFixed(1)} s`, note: `${BATCH}-doc transactions, 3 indexes` },
      { name: 'articles.feed first page at 100k (dispatcher + SDK + DB)', value: p50p99(firstPage), note: `${feedCalls} database calls a page; ${PAGE} items, authors looked up, 500 pages` },
      { name: 'articles.feed deep page (95k newer, keyset cursor)', value: p50p99(deepPage), note: '500 calls, cursors spread over 1,000 positions' },
      { name: 'articles.byAuthor first page (2k of the author’s)', value: p50p99(byAuthor), note: '300 calls' },
      { name: '  naive deep page: skip 95k (offset paging)', value: p50p99(skipPage), note: `10 calls; ${ratio.toFixed(0)}× the keyset page` },
    ]
  } finally {
    await cloud.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Article feeds: newest first and by author, keyset pages that walk every
 * published article exactly once even while others publish, authors whose
 * content is hidden left out, and every page answered through an index.
 */
import { startTestCloud, verifiedPublisher, type TestCloud, uploadsOf } from '../../local/testing'
import type { ArticleSummaryView, MyArticleView } from '../../shared/contract/articles'
import type { ApiResult } from '../../shared/errors'
import { errorOf, ok } from './helpers'
import { makeStaff, stored } from './lifecycle-helpers'

let cloud: TestCloud
const A = 'feed-a'
const B = 'feed-b'
const C = 'feed-c'
const ADMIN = 'feed-admin'
const READER = 'feed-reader-without-account'

const call = (openid: string, action: string, input: unknown = {}): Promise<ApiResult<unknown>> => cloud.call('articles', { action, input }, openid)

interface Page {
  articles: ArticleSummaryView[]
  nextCursor: string | null
}

async function publish(openid: string, title: string, body = '正文'): Promise<MyArticleView> {
  const { article } = ok<{ article: MyArticleView }>(await call(openid, 'create', { title, body }))
  return ok<{ article: MyArticleView }>(await call(openid, 'publish', { id: article.id })).article
}

/** The order the feed promises: publication time descending, then id descending. */
function newestFirst(list: readonly MyArticleView[]): string[] {
  return [...list]
    .sort((x, y) => (x.publishedAt === y.publishedAt ? (x.id < y.id ? 1 : -1) : (x.publishedAt ?? '') < (y.publishedAt ?? '') ? 1 : -1))
    .map((a) => a.id)
}

async function walk(action: 'feed' | 'byAuthor', input: Record<string, unknown>, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: Page = ok<Page>(await call(READER, action, { ...input, cursor }))
    expect(page.articles.length).toBeLessThanOrEqual(Number(input.limit ?? 20))
    ids.push(...page.articles.map((a) => a.id))
    cursor = page.nextCursor
    pages++
    if (between) await between(pages)
  } while (cursor !== null)
  return { ids, pages }
}

const listed: MyArticleView[] = []

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-04-01T01:00:00.000Z') })
  await makeStaff(cloud, ADMIN, 'admin')
  for (const author of [A, B, C]) await verifiedPublisher(cloud, author)
  // 45 published articles over three authors; every fifth shares its time with the one before (ties broken by id).
  for (let i = 0; i < 45; i++) {
    if (i % 5 !== 0) cloud.clock.advance(60 * 1000)
    const author = [A, B, C][i % 3] ?? A
    listed.push(await publish(author, `文章 ${i}`, `第 ${i} 篇的正文`))
  }
  // Not in any feed: a draft, one held for review, one with its cover still being checked.
  ok(await call(A, 'create', { title: '草稿', body: '草稿正文' }))
  await publish(B, '待审', '内容沙箱待审')
  const covered = ok<{ article: MyArticleView }>(await call(C, 'create', { title: '带封面', body: '正文', cover: (await uploadsOf(cloud, C))('articles/c.png') })).article
  ok(await call(C, 'publish', { id: covered.id }))
  // 48 articles published through the handlers: about two seconds alone, room for a loaded machine.
}, 60_000)
afterAll(async () => {
  await cloud.close()
})

describe('the newest-first feed', () => {
  it('walks every published article exactly once, newest first, even with articles published between pages', async () => {
    const before = newestFirst(listed)
    const arrivals: MyArticleView[] = []
    const { ids, pages } = await walk('feed', { limit: 7 }, async (page) => {
      cloud.clock.advance(1000)
      arrivals.push(await publish(page % 2 === 0 ? A : B, `新文章 ${page}`))
    })
    expect(ids).toEqual(before)
    expect(new Set(ids).size).toBe(ids.length)
    expect(pages).toBe(Math.ceil(45 / 7))

    // Arrivals wait at the top for the next refresh.
    const top = ok<Page>(await call(READER, 'feed', { limit: arrivals.length }))
    expect(top.articles.map((a) => a.id)).toEqual(newestFirst(arrivals))
    listed.push(...arrivals)
  })

  it('shows what a reader needs on a feed item, and pages of at most 50 with a default of 20', async () => {
    const page = ok<Page>(await call(READER, 'feed', {}))
    expect(page.articles).toHaveLength(20)
    const first = page.articles[0]
    expect(first).toMatchObject({ title: expect.any(String), excerpt: expect.any(String), cover: null, views: 0, author: { verified: true } })
    expect(Object.keys(first ?? {})).not.toContain('body')
    expect(JSON.stringify(page)).not.toMatch(/feed-a|feed-b|feed-c/)
    expect(errorOf(await call(READER, 'feed', { limit: 51 })).code).toBe('INVALID_INPUT')
    expect(errorOf(await call(READER, 'feed', { cursor: 'not-a-cursor' })).code).toBe('INVALID_INPUT')
  })

  it('answers every page through an index, without sorting in memory', () => {
    const db = cloud.server.db
    const plans = [
      db.explain('articles', { status: 'published', 'moderation.state': 'published', feedKey: { $lt: '001775000000000:x' } }, [['feedKey', -1]]),
      db.explain('articles', { ownerOpenid: A, status: 'published', 'moderation.state': 'published', feedKey: { $lt: '001775000000000:x' } }, [['feedKey', -1]]),
      db.explain('articles', { ownerOpenid: A, createdKey: { $lt: '001775000000000:x' } }, [['createdKey', -1]]),
    ]
    for (const plan of plans) {
      expect(plan.allSql).toBe(true)
      expect(plan.sqlitePlan.join(' ')).toMatch(/USING INDEX/)
      // Only the engine's insertion-order tie-break may sort, within equal keys — and keys are unique.
      expect(plan.sqlitePlan.join(' ')).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    }
  })
})

describe('the by-author feed', () => {
  it('walks one author’s published articles exactly once, with the author named by account id', async () => {
    const author = await stored(cloud, B)
    const { ids } = await walk('byAuthor', { authorId: author._id, limit: 4 })
    const ofB = listed.filter((a) => a.title.startsWith('文章') ? Number(a.title.split(' ')[1]) % 3 === 1 : false)
    const arrivalsOfB = listed.filter((a) => a.title.startsWith('新文章') && Number(a.title.split(' ')[1]) % 2 === 1)
    expect(ids).toEqual(newestFirst([...ofB, ...arrivalsOfB]))
    const page = ok<Page & { author: { id: string; nickname: string } }>(await call(READER, 'byAuthor', { authorId: author._id }))
    expect(page.author).toMatchObject({ id: author._id, nickname: author.nickname })
    expect(errorOf(await call(READER, 'byAuthor', { authorId: 'no-such-account' })).code).toBe('NOT_FOUND')
  })

  it('lists my own articles, drafts and held ones included, newest created first', async () => {
    const walked: MyArticleView[] = []
    let cursor: string | null = null
    do {
      const page: { articles: MyArticleView[]; nextCursor: string | null } = ok(await call(B, 'mine', { limit: 4, cursor }))
      walked.push(...page.articles)
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(new Set(walked.map((a) => a.id)).size).toBe(walked.length)
    expect(walked.map((a) => a.createdAt)).toEqual([...walked.map((a) => a.createdAt)].sort().reverse())
    expect(walked.find((a) => a.title === '待审')?.moderation?.state).toBe('pendingReview')
    expect(walked.every((a) => a.status === 'published')).toBe(true)
  })
})

describe('authors whose content is hidden', () => {
  it('vanish from the feeds and the detail page while hidden, and come back when restored', async () => {
    const author = await stored(cloud, C)
    const ofC = listed.filter((a) => a.title.startsWith('文章') && Number(a.title.split(' ')[1]) % 3 === 2).map((a) => a.id)
    ok(await cloud.call('admin', { action: 'transition', input: { accountId: author._id, transition: 'freezeByStaff', category: 'spam', rule: 'harassment', reason: '涉嫌冒用他人身份，冻结调查' } }, ADMIN))

    // Small pages make the feed skip whole pages of C's articles.
    const { ids } = await walk('feed', { limit: 2 })
    expect(ids).toEqual(newestFirst(listed).filter((id) => !ofC.includes(id)))
    expect(errorOf(await call(READER, 'byAuthor', { authorId: author._id })).code).toBe('NOT_FOUND')
    expect(errorOf(await call(READER, 'detail', { id: ofC[0] })).code).toBe('NOT_FOUND')

    ok(await cloud.call('admin', { action: 'transition', input: { accountId: author._id, transition: 'restore', reason: '核查无误，恢复账号' } }, ADMIN))
    expect((await walk('feed', { limit: 50 })).ids).toEqual(newestFirst(listed))
  })
})

/**
 * Articles: drafts, publishing through the moderation gate, editing, deleting,
 * the detail page and read counts — all through the real dispatcher, the real
 * SDK and the local database.
 */
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { articleReads, articles } from '../../cloudfunctions/_core/articles/records'
import type { Context } from '../../cloudfunctions/_core/context'
import { erasureRules } from '../../cloudfunctions/_core/erasure'
import { exportRules } from '../../cloudfunctions/_core/export'
import { acceptCurrentTerms, startTestCloud, verifiedPublisher, type TestCloud, uploadsOf } from '../../local/testing'
import { ARTICLE_DRAFT_LIMIT } from '../../shared/articles'
import type { ArticleDetailView, MyArticleView } from '../../shared/contract/articles'
import type { ApiResult } from '../../shared/errors'
import { DAY, errorOf, ok } from './helpers'
import { fire, makeStaff, stored } from './lifecycle-helpers'

let cloud: TestCloud
const AUTHOR = 'art-author'
const READER = 'art-reader'
const ADMIN = 'art-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-03-02T04:00:00.000Z') })
  await verifiedPublisher(cloud, AUTHOR)
  await acceptCurrentTerms(cloud, READER)
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

const call = (openid: string, action: string, input: unknown = {}): Promise<ApiResult<unknown>> => cloud.call('articles', { action, input }, openid)

async function draft(openid: string, input: { title?: string; body?: string; cover?: string | null } = {}): Promise<MyArticleView> {
  const { article } = ok<{ article: MyArticleView }>(await call(openid, 'create', { title: input.title ?? '一篇文章', body: input.body ?? '第一段。\n\n第二段。', cover: input.cover ?? null }))
  return article
}

async function published(openid: string, input: { title?: string; body?: string; cover?: string | null } = {}): Promise<MyArticleView> {
  const created = await draft(openid, input)
  return ok<{ article: MyArticleView }>(await call(openid, 'publish', { id: created.id })).article
}

async function detail(openid: string, id: string): Promise<ArticleDetailView> {
  return ok<{ article: ArticleDetailView }>(await call(openid, 'detail', { id })).article
}

async function feedIds(openid = READER): Promise<string[]> {
  return ok<{ articles: Array<{ id: string }> }>(await call(openid, 'feed', { limit: 50 })).articles.map((a) => a.id)
}

async function decisionsFor(targetId: string): Promise<number> {
  return cloud.store.collection('moderation_decisions').count({ targetId })
}

describe('drafts', () => {
  it('are private, unmoderated, normalized, and listed with the author’s own articles', async () => {
    const created = await draft(AUTHOR, { title: '  草稿标题  ', body: '第一段  \r\n\r\n\r\n\r\n第二段含沙箱违规字样\r\n' })
    expect(created).toMatchObject({ title: '草稿标题', status: 'draft', moderation: null, publishedAt: null, views: 0 })
    // Nothing of a draft is shown to anyone else, so the gate does not run on it.
    expect(await decisionsFor(created.id)).toBe(0)

    const own = await detail(AUTHOR, created.id)
    expect(own).toMatchObject({ body: '第一段\n\n第二段含沙箱违规字样', paragraphs: ['第一段', '第二段含沙箱违规字样'], mine: true, status: 'draft', moderation: null })
    expect(errorOf(await call(READER, 'detail', { id: created.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await call('art-stranger', 'detail', { id: created.id })).code).toBe('NOT_FOUND')
    expect(await feedIds()).not.toContain(created.id)

    const mine = ok<{ articles: MyArticleView[] }>(await call(AUTHOR, 'mine', {})).articles
    expect(mine.map((a) => a.id)).toContain(created.id)
    // Any signed-in person may write drafts; an unregistered visitor may not.
    await draft(READER)
    expect(errorOf(await call('art-stranger', 'create', { title: 'x', body: 'y' })).code).toBe('ACCOUNT_REQUIRED')
  })

  it('validates title and body through the contract', async () => {
    const tooLong = await call(AUTHOR, 'create', { title: '题'.repeat(61), body: '正文' })
    expect(errorOf(tooLong)).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'title', message: '标题最多 60 个字' }] })
    expect(errorOf(await call(AUTHOR, 'create', { title: '   ', body: '正文' })).code).toBe('INVALID_INPUT')
    expect(errorOf(await call(AUTHOR, 'create', { title: '标题', body: '字'.repeat(10001) })).code).toBe('INVALID_INPUT')
    expect(errorOf(await call(AUTHOR, 'create', { title: '标题', body: '正文', cover: 'https://example.com/a.png' })).issues?.[0]?.path).toBe('cover')
    expect(errorOf(await call(AUTHOR, 'create', { title: '标题', body: '正文', ownerOpenid: READER })).code).toBe('INVALID_INPUT')
  })
})

describe('the number of drafts', () => {
  it(`is capped at ${ARTICLE_DRAFT_LIMIT} per person with DRAFT_LIMIT; published articles and other people's drafts do not count`, async () => {
    const writer = 'art-prolific'
    await verifiedPublisher(cloud, writer)
    const ids: string[] = []
    for (let i = 0; i < ARTICLE_DRAFT_LIMIT; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, ARTICLE_DRAFT_LIMIT - i) }, (_, j) => draft(writer, { title: `草稿${i + j}` })))
      ids.push(...batch.map((a) => a.id))
    }
    const refused = errorOf(await call(writer, 'create', { title: '再多一篇', body: '正文' }))
    expect(refused.code).toBe('DRAFT_LIMIT')
    expect(refused.message).toContain(`${ARTICLE_DRAFT_LIMIT} 篇`)
    expect(await articles(cloud.store).count({ ownerOpenid: writer })).toBe(ARTICLE_DRAFT_LIMIT)
    // Someone else still writes drafts.
    await draft(READER, { title: '别人的草稿' })
    // Publishing one makes room for one more draft.
    ok(await call(writer, 'publish', { id: ids[0] }))
    await draft(writer, { title: '腾出位置后的草稿' })
    expect(errorOf(await call(writer, 'create', { title: '又满了', body: '正文' })).code).toBe('DRAFT_LIMIT')
  }, 30_000)
})

describe('publishing', () => {
  it('publishes a clean draft: in the feed, readable by anyone, the decision stored', async () => {
    const article = await published(AUTHOR, { title: '干净的文章', body: '今天天气很好。' })
    expect(article).toMatchObject({ status: 'published', moderation: { state: 'published', label: '已发布', reasons: [] } })
    expect(article.publishedAt).toBe(cloud.clock.now().toISOString())
    expect(await decisionsFor(article.id)).toBe(1)
    expect(await feedIds()).toContain(article.id)
    const seen = await detail('art-visitor-without-account', article.id)
    expect(seen).toMatchObject({ title: '干净的文章', mine: false, moderation: null, status: 'published' })
    const author = await stored(cloud, AUTHOR)
    expect(seen.author).toEqual({ id: author._id, nickname: author.nickname, avatarUrl: author.avatarUrl, verified: true })
    // Publishing again changes nothing.
    expect(ok<{ article: MyArticleView }>(await call(AUTHOR, 'publish', { id: article.id })).article).toEqual({ ...article, views: 1 })
  })

  it('refuses an unverified author with VERIFICATION_REQUIRED and keeps the draft', async () => {
    const created = await draft(READER)
    expect(errorOf(await call(READER, 'publish', { id: created.id })).code).toBe('VERIFICATION_REQUIRED')
    expect((await articles(cloud.store).byId(created.id))?.status).toBe('draft')
  })

  it('refuses an author banned from publishing with FEATURE_RESTRICTED', async () => {
    const banned = 'art-banned'
    await verifiedPublisher(cloud, banned)
    const created = await draft(banned)
    const account = await stored(cloud, banned)
    const until = new Date(cloud.clock.now().getTime() + 3 * DAY).toISOString()
    ok(await cloud.call('admin', { action: 'transition', input: { accountId: account._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '多次发布广告，限制发布', until, features: ['publish'] } }, ADMIN))
    const refusal = errorOf(await call(banned, 'publish', { id: created.id }))
    expect(refusal.code).toBe('FEATURE_RESTRICTED')
    expect(refusal.message).toContain('多次发布广告')
    // Private drafts stay possible; the ban is about what others see.
    await draft(banned)
  })

  it('refuses content the gate refuses with CONTENT_REFUSED and an issue per field, storing nothing but the decision', async () => {
    const created = await draft(AUTHOR, { title: '正常标题', body: '第一段\n\n这里有沙箱违规的内容' })
    const refusal = errorOf(await call(AUTHOR, 'publish', { id: created.id }))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.issues).toEqual([{ path: 'body', message: expect.stringContaining('违法犯罪') }])
    expect(await articles(cloud.store).byId(created.id)).toMatchObject({ status: 'draft', moderation: null, feedKey: null })
    expect(await decisionsFor(created.id)).toBe(1)
    expect(await feedIds()).not.toContain(created.id)
  })

  it('needs a body to publish', async () => {
    const created = await draft(AUTHOR, { body: '' })
    expect(errorOf(await call(AUTHOR, 'publish', { id: created.id }))).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'body' }] })
  })

  it('holds content for review: only the author sees it, with the status and the reason', async () => {
    const article = await published(AUTHOR, { body: '这段话有沙箱待审的词' })
    expect(article.status).toBe('published')
    expect(article.moderation).toMatchObject({ state: 'pendingReview', label: expect.stringContaining('只有你能看到') })
    expect(article.moderation?.reasons[0]).toContain('人工复审')
    expect((await detail(AUTHOR, article.id)).moderation?.state).toBe('pendingReview')
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    expect(await feedIds()).not.toContain(article.id)
    const mine = ok<{ articles: MyArticleView[] }>(await call(AUTHOR, 'mine', { limit: 50 })).articles
    expect(mine.find((a) => a.id === article.id)?.moderation?.state).toBe('pendingReview')
  })

  it('holds an article with a cover until the image check passes it', async () => {
    const cover = (await uploadsOf(cloud, AUTHOR))('articles/cover.png')
    const article = await published(AUTHOR, { cover })
    expect(article).toMatchObject({ cover, moderation: { state: 'pendingImages' } })
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    expect(await feedIds()).not.toContain(article.id)
  })
})

describe('editing', () => {
  it('saves a draft without moderation, and moderates a published article again', async () => {
    const created = await draft(AUTHOR)
    const edited = ok<{ article: MyArticleView }>(await call(AUTHOR, 'update', { id: created.id, title: '改过的草稿', body: '沙箱待审也无妨，还是草稿', cover: null })).article
    expect(edited).toMatchObject({ title: '改过的草稿', status: 'draft', moderation: null })
    expect(await decisionsFor(created.id)).toBe(0)

    const article = await published(AUTHOR, { title: '原标题', body: '原来的正文' })
    // An edit the gate refuses stores nothing: the published version stays as it was.
    const refused = errorOf(await call(AUTHOR, 'update', { id: article.id, title: '原标题', body: '新正文有沙箱违规', cover: null }))
    expect(refused).toMatchObject({ code: 'CONTENT_REFUSED', issues: [{ path: 'body' }] })
    expect((await detail(READER, article.id)).body).toBe('原来的正文')

    // An edit held for review hides the article from others until it is passed.
    const held = ok<{ article: MyArticleView }>(await call(AUTHOR, 'update', { id: article.id, title: '新标题', body: '新正文沙箱待审', cover: null })).article
    expect(held.moderation?.state).toBe('pendingReview')
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    expect(await feedIds()).not.toContain(article.id)

    const clean = ok<{ article: MyArticleView }>(await call(AUTHOR, 'update', { id: article.id, title: '新标题', body: '干净的新正文', cover: null })).article
    expect(clean).toMatchObject({ title: '新标题', moderation: { state: 'published' }, publishedAt: article.publishedAt })
    expect(await decisionsFor(article.id)).toBe(4)
    expect((await detail(READER, article.id)).body).toBe('干净的新正文')
    const stored = await articles(cloud.store).byId(article.id)
    // The whole decision was replaced, not merged with the held one.
    expect(stored?.moderation?.reasons).toEqual([])
  })

  it('re-checks the publisher on editing a published article', async () => {
    const author = 'art-edit-banned'
    await verifiedPublisher(cloud, author)
    const article = await published(author)
    const account = await stored(cloud, author)
    const until = new Date(cloud.clock.now().getTime() + DAY).toISOString()
    ok(await cloud.call('admin', { action: 'transition', input: { accountId: account._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '发布违规内容，限制发布', until, features: ['publish'] } }, ADMIN))
    expect(errorOf(await call(author, 'update', { id: article.id, title: '改', body: '改了', cover: null })).code).toBe('FEATURE_RESTRICTED')
    // Taking it down stays possible.
    expect(ok<{ article: MyArticleView }>(await call(author, 'unpublish', { id: article.id })).article.status).toBe('draft')
  })

  it('refuses a write based on a stale read with CONFLICT', async () => {
    const created = await draft(AUTHOR)
    const [a, b] = await Promise.all([
      call(AUTHOR, 'update', { id: created.id, title: '甲', body: '甲的正文', cover: null }),
      call(AUTHOR, 'update', { id: created.id, title: '乙', body: '乙的正文', cover: null }),
    ])
    const outcomes = [a, b].map((r) => (r.ok ? 'ok' : r.error.code))
    for (const outcome of outcomes) expect(['ok', 'CONFLICT']).toContain(outcome)
    const doc = await articles(cloud.store).byId(created.id)
    // Every write that reported success is counted in the version: none was lost.
    expect(doc?.version).toBe(outcomes.filter((o) => o === 'ok').length)
    expect(['甲', '乙']).toContain(doc?.title)
  })

  it('unpublishes back to a draft, and publishing again keeps the first publication time', async () => {
    const article = await published(AUTHOR, { title: '撤回再发' })
    const draftAgain = ok<{ article: MyArticleView }>(await call(AUTHOR, 'unpublish', { id: article.id })).article
    expect(draftAgain).toMatchObject({ status: 'draft', moderation: null, publishedAt: article.publishedAt })
    expect(await feedIds()).not.toContain(article.id)
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    cloud.clock.advance(3600 * 1000)
    const again = ok<{ article: MyArticleView }>(await call(AUTHOR, 'publish', { id: article.id })).article
    expect(again).toMatchObject({ status: 'published', publishedAt: article.publishedAt })
    expect(await feedIds()).toContain(article.id)
  })
})

describe('articles taken down by reviewers', () => {
  it('are shown to the author as rejected, and go back to people after any edit or re-publication', async () => {
    const article = await published(AUTHOR, { title: '被下架的文章', body: '普通的正文' })
    // Reviewers come with the moderation domain: their decision is arranged in the database.
    const stored = await articles(cloud.store).byId(article.id)
    if (!stored?.moderation) throw new Error('not moderated')
    await articles(cloud.store).update(article.id, { moderation: cloud.store.cmd.set({ ...stored.moderation, state: 'rejected', reasons: ['含有不实信息'] }) })
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    expect((await detail(AUTHOR, article.id)).moderation).toMatchObject({ state: 'rejected', label: '未通过审核：已对他人隐藏', reasons: ['含有不实信息'] })

    const edited = ok<{ article: MyArticleView }>(await call(AUTHOR, 'update', { id: article.id, title: '被下架的文章', body: '改过的正文', cover: null })).article
    expect(edited.moderation).toMatchObject({ state: 'pendingReview', reasons: ['此前未通过审核，修改后需人工复审'] })

    await articles(cloud.store).update(article.id, { moderation: cloud.store.cmd.set({ ...stored.moderation, state: 'rejected', reasons: ['含有不实信息'] }) })
    ok(await call(AUTHOR, 'unpublish', { id: article.id }))
    const again = ok<{ article: MyArticleView }>(await call(AUTHOR, 'publish', { id: article.id })).article
    expect(again.moderation?.state).toBe('pendingReview')
    expect(await feedIds()).not.toContain(article.id)
  })
})

describe('who may change an article', () => {
  it('refuses others with FORBIDDEN and unknown articles with NOT_FOUND', async () => {
    const article = await published(AUTHOR, { title: '别人的文章' })
    const hidden = await draft(AUTHOR)
    for (const action of ['update', 'unpublish', 'remove', 'publish'] as const) {
      const input = action === 'update' ? { id: article.id, title: '篡改', body: '篡改', cover: null } : { id: action === 'publish' ? hidden.id : article.id }
      expect(errorOf(await call(READER, action, input)).code).toBe(action === 'publish' ? 'VERIFICATION_REQUIRED' : 'FORBIDDEN')
      const missing = action === 'update' ? { ...input, id: 'no-such-article' } : { id: 'no-such-article' }
      expect(errorOf(await call(READER, action, missing)).code).toBe(action === 'publish' ? 'VERIFICATION_REQUIRED' : 'NOT_FOUND')
    }
    // A verified publisher who is not the author is refused too.
    const other = 'art-other-publisher'
    await verifiedPublisher(cloud, other)
    expect(errorOf(await call(other, 'publish', { id: hidden.id })).code).toBe('FORBIDDEN')
    expect(errorOf(await call(other, 'publish', { id: 'no-such-article' })).code).toBe('NOT_FOUND')
    expect(errorOf(await call(other, 'remove', { id: article.id })).code).toBe('FORBIDDEN')
    expect(await detail(READER, article.id)).toMatchObject({ title: '别人的文章' })
  })
})

describe('deleting', () => {
  it('removes the document and its read records for good', async () => {
    const article = await published(AUTHOR, { title: '要删除的文章' })
    await detail(READER, article.id)
    await detail('art-visitor-2', article.id)
    expect(await articleReads(cloud.store).count({ articleId: article.id })).toBe(2)
    expect(ok<{ id: string }>(await call(AUTHOR, 'remove', { id: article.id }))).toEqual({ id: article.id })
    expect(await articles(cloud.store).byId(article.id)).toBeNull()
    expect(await articleReads(cloud.store).count({ articleId: article.id })).toBe(0)
    expect(errorOf(await call(READER, 'detail', { id: article.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await call(AUTHOR, 'remove', { id: article.id })).code).toBe('NOT_FOUND')
    expect(await feedIds()).not.toContain(article.id)
  })
})

describe('read counts', () => {
  it('count each reader once a day, not the author, and keep no reading history', async () => {
    const article = await published(AUTHOR, { title: '阅读计数' })
    expect((await detail(READER, article.id)).views).toBe(1)
    expect((await detail(READER, article.id)).views).toBe(1)
    // A visitor without an account counts too (an openid is all it takes).
    expect((await detail('art-anon-visitor', article.id)).views).toBe(2)
    // The author's own reads do not count.
    expect((await detail(AUTHOR, article.id)).views).toBe(2)
    // Concurrent reads of one new reader count once.
    await Promise.all(Array.from({ length: 5 }, () => detail('art-burst', article.id)))
    expect((await detail(READER, article.id)).views).toBe(3)

    const records = await articleReads(cloud.store).find({ articleId: article.id }, { limit: 10 })
    expect(records).toHaveLength(3)
    // No openid in a record: only a keyed hash that cannot be linked to the reader.
    expect(JSON.stringify(records)).not.toMatch(/art-reader|art-anon|art-burst/)

    cloud.clock.advance(DAY)
    expect((await detail(READER, article.id)).views).toBe(4)
    const feedItem = ok<{ articles: Array<{ id: string; views: number }> }>(await call(READER, 'feed', { limit: 50 })).articles.find((a) => a.id === article.id)
    expect(feedItem?.views).toBe(4)
    // The next night, the timer deletes the records of the days that are over.
    cloud.clock.advance(DAY)
    ok(await cloud.gateway.fireTimer('articles', 'purgeReads'))
    expect(await articleReads(cloud.store).count({ articleId: article.id })).toBe(0)
    expect((await detail(READER, article.id)).views).toBe(5)
  })
})

describe('account deletion and export', () => {
  it('the registries say what happens to articles and read records, and erase them', async () => {
    const person = 'art-leaving'
    await verifiedPublisher(cloud, person)
    const kept = await published(AUTHOR, { title: '留下的文章' })
    const gone = await published(person, { title: '注销者的文章' })
    await draft(person, { title: '注销者的草稿' })
    await detail(READER, gone.id)
    await detail(person, kept.id)

    const account = await findAccount(cloud.store, person)
    if (!account) throw new Error('no account')
    const ctx: Context = { ...cloud.runtimeFor(person), requestId: 'test', fn: 'test', action: 'test', now: cloud.clock.now() }
    const exported = await Promise.all(exportRules().filter((rule) => 'sections' in rule && rule.collection === 'articles').map((rule) => ('sections' in rule ? rule.sections(ctx, account) : [])))
    const section = exported.flat().find((s) => s.domain === 'articles')
    expect(section?.records.map((r) => r.title).sort()).toEqual(['注销者的文章', '注销者的草稿'])
    expect(exportRules().find((rule) => rule.collection === 'article_reads')).toMatchObject({ excluded: expect.stringContaining('不含可识别你的信息') })

    const rule = erasureRules().find((r) => r.collection === 'articles')
    const subject = { openid: person, accountId: account._id, pseudonym: `erased:x:${account._id}` }
    expect(await rule?.count(ctx, subject)).toBe(2)
    await rule?.erase(ctx, subject)
    await rule?.erase(ctx, subject)
    expect(await articles(cloud.store).count({ ownerOpenid: person })).toBe(0)
    expect(await articleReads(cloud.store).count({ articleId: gone.id })).toBe(0)
    // Others' articles and their counts stay.
    expect((await articles(cloud.store).byId(kept.id))?.views).toBe(1)
    expect(erasureRules().find((r) => r.collection === 'article_reads')?.treatment).toBe('none')
  })

  it('erases an author’s articles when the account is deleted after the cooling-off period', async () => {
    const person = 'art-deleting'
    await acceptCurrentTerms(cloud, person)
    const mineDraft = await draft(person, { title: '我要注销了' })
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true } }, person))
    cloud.clock.advance(16 * DAY)
    await fire(cloud, 'runDeletions')
    expect((await stored(cloud, person).catch(() => null))?.state ?? 'deleted').toBe('deleted')
    expect(await articles(cloud.store).byId(mineDraft.id)).toBeNull()
  })
})

/**
 * Articles: private drafts, publishing through the moderation gate, public
 * feeds and the detail page with read counts.
 *
 * - Drafts are not moderated: nobody but the author sees them. Publishing
 *   moderates title, body and cover; editing a published article moderates the
 *   new version before it replaces the old one (a refusal stores nothing and
 *   leaves the published version as it was; a hold hides the article from
 *   others until a reviewer or the image check passes it).
 * - Others see an article only when it is published, passed by the gate and
 *   its author's content is visible; to them everything else is NOT_FOUND.
 * - Writes are conditional on the document's `version`, so two edits of the
 *   same article cannot silently overwrite each other (CONFLICT).
 * - A read counts once per reader, article and day (see _core/articles/records.ts).
 */
import { ARTICLE_DRAFT_LIMIT } from '../../shared/articles'
import { defineFunction } from '../_core/define'
import type { AccountContext, Context } from '../_core/context'
import type { Patch } from '../_core/db'
import { fail } from '../_core/errors'
import { findAccount, accounts } from '../_core/accounts'
import { moderate, type ContentModeration } from '../_core/moderation/gate'
import { requirePublisher } from '../_core/publishing'
import { takeDailyAllowance } from '../_core/rate-limit'
import {
  articleReads,
  articles,
  beijingDay,
  newArticleId,
  orderKey,
  readRecordId,
  removeReadsOf,
  articleModerationRequest,
  type ArticleDoc,
} from '../_core/articles/records'
import { ownPage, publicPage } from '../_core/articles/paging'
import { detailView, excerptOf, isListed, myView, summaryView } from '../_core/articles/views'
import { articles as articlesContract } from '../../shared/contract/articles'

/** Published and passed by the gate: the equality prefix of the feed indexes. */
const LISTED = { status: 'published', 'moderation.state': 'published' } as const

async function ownerOfArticle(ctx: AccountContext, id: string): Promise<string | null> {
  const doc = await articles(ctx.db).byId(id)
  return doc ? doc.ownerOpenid : null
}

async function load(ctx: Context, id: string): Promise<ArticleDoc> {
  const doc = await articles(ctx.db).byId(id)
  if (!doc) fail('NOT_FOUND')
  return doc
}

/** Writes `patch` if nobody changed the article since it was read. */
async function write(ctx: Context, doc: ArticleDoc, patch: Omit<Partial<ArticleDoc>, 'moderation'> & { moderation?: ContentModeration | null }): Promise<ArticleDoc> {
  const stored: Patch = { ...patch, version: doc.version + 1 }
  // A nested object in an update merges field by field in CloudBase: `set` replaces the decision whole.
  if (patch.moderation !== undefined) stored.moderation = patch.moderation === null ? null : ctx.db.cmd.set(patch.moderation)
  const updated = await articles(ctx.db).updateWhere({ _id: doc._id, version: doc.version }, stored)
  if (updated === 0) fail('CONFLICT', '文章已在别处被修改，请刷新后重试')
  return { ...doc, ...patch, version: doc.version + 1 }
}

function requireBody(body: string): void {
  if (body.length === 0) fail('INVALID_INPUT', '正文不能为空，请填写后再发布', [{ path: 'body', message: '正文不能为空' }])
}

/**
 * The gate on title, body and cover (an article taken down or hidden after
 * reports goes back to a person whatever the checks say); each pass spends one
 * of the author's daily allowance.
 */
async function gate(ctx: AccountContext, doc: ArticleDoc, content: Pick<ArticleDoc, 'title' | 'body' | 'cover'>): Promise<ContentModeration> {
  await takeDailyAllowance(ctx, 'article')
  return moderate(ctx, articleModerationRequest(doc._id, content))
}

/** Counts the caller's read once per day; true when this call counted. */
async function countRead(ctx: Context, doc: ArticleDoc): Promise<boolean> {
  const day = beijingDay(ctx.now)
  const _id = readRecordId(ctx, doc._id, day, ctx.openid)
  try {
    await articleReads(ctx.db).add({ _id, articleId: doc._id, day, createdAt: ctx.now })
  } catch (error) {
    // The same reader today: the record exists (a concurrent read may have written it first).
    if (await articleReads(ctx.db).byId(_id)) return false
    throw error
  }
  await articles(ctx.db).update(doc._id, { views: ctx.db.cmd.inc(1) })
  return true
}

export const articlesFunction = defineFunction(
  'articles', articlesContract,
  {
    async create({ title, body, cover }, ctx) {
      // Drafts skip moderation and cost nothing to write: their number is capped. Counted, not locked: a burst
      // of parallel creates can pass the count together, overshooting by at most that burst.
      const drafts = await articles(ctx.db).count({ ownerOpenid: ctx.openid, status: 'draft' })
      if (drafts >= ARTICLE_DRAFT_LIMIT) fail('DRAFT_LIMIT', `草稿最多保存 ${ARTICLE_DRAFT_LIMIT} 篇，请先发布或删除一些草稿`)
      const _id = newArticleId()
      const doc: ArticleDoc = {
        _id,
        ownerOpenid: ctx.openid,
        title,
        body,
        excerpt: excerptOf(body),
        cover: cover ?? null,
        status: 'draft',
        moderation: null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        publishedAt: null,
        createdKey: orderKey(ctx.now, _id),
        feedKey: null,
        views: 0,
        version: 0,
      }
      await articles(ctx.db).add(doc)
      return { article: myView(doc) }
    },

    update: {
      ownerOf: ({ id }, ctx) => ownerOfArticle(ctx, id),
      async run({ id, title, body, cover }, ctx) {
        const doc = await load(ctx, id)
        const content = { title, body, excerpt: excerptOf(body), cover }
        if (doc.status === 'draft') return { article: myView(await write(ctx, doc, { ...content, updatedAt: ctx.now })) }
        // The new version of a published article is published content: same checks as publishing.
        requirePublisher(ctx)
        requireBody(body)
        const moderation = await gate(ctx, doc, content)
        return { article: myView(await write(ctx, doc, { ...content, moderation, updatedAt: ctx.now })) }
      },
    },

    async publish({ id }, ctx) {
      const doc = await load(ctx, id)
      if (doc.ownerOpenid !== ctx.openid) fail('FORBIDDEN')
      requirePublisher(ctx)
      if (doc.status === 'published') return { article: myView(doc) }
      requireBody(doc.body)
      const moderation = await gate(ctx, doc, doc)
      const published = await write(ctx, doc, {
        status: 'published',
        moderation,
        // The first publication fixes the place in the feed: publishing again does not bump it.
        publishedAt: doc.publishedAt ?? ctx.now,
        feedKey: doc.feedKey ?? orderKey(ctx.now, doc._id),
        updatedAt: ctx.now,
      })
      return { article: myView(published) }
    },

    unpublish: {
      ownerOf: ({ id }, ctx) => ownerOfArticle(ctx, id),
      async run({ id }, ctx) {
        const doc = await load(ctx, id)
        if (doc.status === 'draft') return { article: myView(doc) }
        // The last decision stays with the draft (hidden from views): a rejected article is not laundered by unpublishing.
        return { article: myView(await write(ctx, doc, { status: 'draft', updatedAt: ctx.now })) }
      },
    },

    remove: {
      ownerOf: ({ id }, ctx) => ownerOfArticle(ctx, id),
      async run({ id }, ctx) {
        // Reads first: if the call stops half-way, the article is still there to delete again.
        await removeReadsOf(ctx.db, [id])
        await articles(ctx.db).remove(id)
        return { id }
      },
    },

    async feed({ cursor, limit }, ctx) {
      const page = await publicPage(ctx, { ...LISTED }, cursor, limit)
      return { articles: page.items.map(({ doc, author }) => summaryView(doc, author)), nextCursor: page.nextCursor }
    },

    async byAuthor({ authorId, cursor, limit }, ctx) {
      const author = await accounts(ctx.db).byId(authorId)
      if (!author || author.contentHidden) fail('NOT_FOUND', '这位作者不存在或暂不公开内容')
      const page = await publicPage(ctx, { ownerOpenid: author.openid, ...LISTED }, cursor, limit)
      return {
        author: { id: author._id, nickname: author.nickname, avatarUrl: author.avatarUrl, verified: author.verifiedAt !== null },
        articles: page.items.map((item) => summaryView(item.doc, item.author)),
        nextCursor: page.nextCursor,
      }
    },

    async mine({ cursor, limit }, ctx) {
      const page = await ownPage(ctx, { ownerOpenid: ctx.openid }, 'createdKey', cursor, limit)
      return { articles: page.docs.map(myView), nextCursor: page.nextCursor }
    },

    async detail({ id }, ctx) {
      const doc = await load(ctx, id)
      const mine = doc.ownerOpenid === ctx.openid
      const author = await findAccount(ctx.db, doc.ownerOpenid)
      // To others, what they may not see does not exist.
      if (!author || (!mine && (!isListed(doc) || author.contentHidden))) fail('NOT_FOUND')
      const counted = !mine && (await countRead(ctx, doc))
      return { article: detailView({ ...doc, views: doc.views + (counted ? 1 : 0) }, author, mine) }
    },
  },
  {
    /** Yesterday's read records have done their job (one count per reader per day). */
    async purgeReads(ctx) {
      const removed = await articleReads(ctx.db).removeWhere({ day: ctx.db.cmd.lt(beijingDay(ctx.now)) })
      ctx.log.info('article reads purged', { requestId: ctx.requestId, removed })
    },
  },
)

/**
 * Article documents, their read records, and what account deletion and data
 * export do with them (registered in ../erasure.ts and ../export.ts).
 *
 * Ordering keys: a feed page must use an index and must not skip or repeat
 * anything while new articles arrive. Each document carries one string key per
 * order, `<ms, 15 digits>:<_id>`, unique and fixed once set:
 * - `feedKey`: set at the first publication and never changed afterwards
 *   (unpublishing and publishing again does not bump an article to the top);
 * - `createdKey`: set at creation (我的文章).
 * A page is `key < cursor` ordered by key descending: one range on a compound
 * index after equality fields, answered by the index alone locally (SQLite)
 * and in CloudBase (MongoDB). New articles get larger keys than any cursor, so
 * they show on the next refresh, never inside a walk already under way.
 *
 * Read records (`article_reads`) count a reader once per article per day
 * (Beijing). The record's `_id` is a keyed hash of article, day and openid: it
 * does not hold the openid, cannot be linked to the reader or to their other
 * reads without the server key, and is deleted when the day is over (timer
 * `purgeReads`). So counting needs no consent: no reading history exists.
 */
import { randomBytes } from 'node:crypto'
import type { ArticleStatus } from '../../../shared/articles'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Collection, Doc, Store } from '../db'
import type { ErasureRule, FileReference } from '../data-rules'
import type { ExportRule } from '../data-rules'
import { keyedRef } from '../identity/crypto'
import type { ContentModeration, PublishedRequest } from '../moderation/gate'
import { PAGE_MAX } from '../db'

export interface ArticleDoc extends Doc {
  /** The author (ctx.openid at creation). */
  ownerOpenid: string
  title: string
  /** Normalized plain text (see normalizeArticleBody). */
  body: string
  /** The beginning of the body, kept with it so that lists need not read bodies. */
  excerpt: string
  cover: string | null
  status: ArticleStatus
  /**
   * The gate's last decision (null until first published). Kept when the
   * article goes back to draft, so a rejected article stays rejected; views
   * show it only for published articles. Image verdicts and reviewers update it
   * in place (moderation domain), only while it names the same decision.
   */
  moderation: ContentModeration | null
  createdAt: Date
  updatedAt: Date
  /** First publication; kept when unpublished. */
  publishedAt: Date | null
  createdKey: string
  feedKey: string | null
  views: number
  /** Incremented by every write: the condition of the next one (no lost updates). */
  version: number
}

/** An article as lists read it: everything but the body. */
export type ArticleListDoc = Omit<ArticleDoc, 'body'>

/** The projection that leaves bodies (up to 10,000 characters each) out of list queries. */
export const LIST_FIELDS: Record<string, boolean> = { body: false }

export interface ArticleReadDoc extends Doc {
  articleId: string
  /** YYYY-MM-DD, Beijing. */
  day: string
  createdAt: Date
}

export function articles(db: Store): Collection<ArticleDoc> {
  return db.collection<ArticleDoc>(COLLECTIONS.articles)
}

export function articleReads(db: Store): Collection<ArticleReadDoc> {
  return db.collection<ArticleReadDoc>(COLLECTIONS.articleReads)
}

/** What the moderation gate reads of an article: title, body and cover. */
export function articleModerationRequest(id: string, content: Pick<ArticleDoc, 'title' | 'body' | 'cover'>): PublishedRequest {
  return { kind: 'article', targetId: id, texts: { title: content.title, body: content.body }, images: content.cover ? [content.cover] : [] }
}

export function newArticleId(): string {
  return randomBytes(16).toString('hex')
}

/** `<ms, zero-padded to 15 digits>:<id>`: string order is time order, ties broken by id. */
export function orderKey(at: Date, id: string): string {
  return `${String(at.getTime()).padStart(15, '0')}:${id}`
}

export const ORDER_KEY_PATTERN = /^\d{15}:[\w-]{1,64}$/

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

export function readRecordId(ctx: Context, articleId: string, day: string, openid: string): string {
  return keyedRef(ctx.config.blindIndexKey, 'article-read', `${articleId}\u0000${day}\u0000${openid}`)
}

/** Deletes the read records of these articles (in pages the SDK accepts). */
export async function removeReadsOf(db: Store, articleIds: readonly string[]): Promise<void> {
  for (let i = 0; i < articleIds.length; i += PAGE_MAX) {
    await articleReads(db).removeWhere({ articleId: db.cmd.in(articleIds.slice(i, i + PAGE_MAX)) })
  }
}

export const articlesErasure: ErasureRule = {
  collection: COLLECTIONS.articles,
  title: '我的文章（草稿和已发布的）',
  treatment: 'delete',
  detail: '你的文章（包括草稿）全部删除，连同它们的阅读计数记录，别人将看不到。',
  count: (ctx, s) => articles(ctx.db).count({ ownerOpenid: s.openid }),
  async erase(ctx, s) {
    // Page by page, reads before their article: a run stopped half-way is finished by the next.
    for (;;) {
      const page = await articles(ctx.db).find({ ownerOpenid: s.openid }, { limit: PAGE_MAX, fields: { _id: true } })
      if (page.length === 0) return
      const ids = page.map((doc) => doc._id)
      await removeReadsOf(ctx.db, ids)
      await articles(ctx.db).removeWhere({ _id: ctx.db.cmd.in(ids) })
    }
  },
}

/** The author's uploaded covers (drafts' too): deleted from storage on erasure, before the articles go (../erasure.ts). */
export const articleFiles: FileReference = { collection: COLLECTIONS.articles, owner: 'ownerOpenid', fields: ['cover'] }

export const articleReadsErasure: ErasureRule = {
  collection: COLLECTIONS.articleReads,
  title: '文章阅读计数记录',
  treatment: 'none',
  detail:
    '只用于同一天同一人重复阅读不重复计数：记录里只有无法还原、也无法关联到你或你其他阅读的编号，不含可识别你的信息，当天结束后自动删除；你的文章的阅读记录随文章一起删除。',
  count: async () => 0,
  erase: async () => undefined,
}

function iso(at: Date | null): string | null {
  return at ? at.toISOString() : null
}

export const articlesExport: ExportRule = {
  collection: COLLECTIONS.articles,
  async sections(ctx, account) {
    const records: Array<Record<string, unknown>> = []
    let cursor: string | null = null
    for (;;) {
      const where: Record<string, unknown> = cursor === null ? { ownerOpenid: account.openid } : { ownerOpenid: account.openid, createdKey: ctx.db.cmd.lt(cursor) }
      const page = await articles(ctx.db).find(where, { orderBy: [['createdKey', 'desc']], limit: PAGE_MAX })
      for (const doc of page) {
        records.push({
          id: doc._id,
          title: doc.title,
          body: doc.body,
          cover: doc.cover,
          status: doc.status,
          moderation: doc.moderation ? { state: doc.moderation.state, reasons: doc.moderation.reasons, decidedAt: iso(doc.moderation.decidedAt) } : null,
          createdAt: doc.createdAt.toISOString(),
          updatedAt: doc.updatedAt.toISOString(),
          publishedAt: iso(doc.publishedAt),
          views: doc.views,
        })
      }
      if (page.length < PAGE_MAX) break
      cursor = page[page.length - 1]?.createdKey ?? null
    }
    return [{ domain: 'articles', title: '我的文章', records, note: '阅读数只是计数，不含读者是谁。' }]
  },
}

export const articleReadsExport: ExportRule = {
  collection: COLLECTIONS.articleReads,
  excluded: '阅读计数去重记录只有无法关联到任何人的编号，不含可识别你的信息，当天结束后自动删除。',
}

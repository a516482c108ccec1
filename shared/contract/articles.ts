/**
 * Articles (文章): anyone signed in writes private drafts; verified publishers
 * publish them through the moderation gate. Everyone (even visitors without an
 * account) reads published articles in the feed, newest first, and by author.
 *
 * - A draft is private: only its author sees it, and it is not moderated
 *   (nothing of it is shown to anyone else). Moderation runs when it is
 *   published, and again whenever a published article is edited.
 * - `status` is the author's intent (draft / published); `moderation` says
 *   where a published article stands in the gate: only `published` is shown
 *   to others, held or taken-down articles only to their author.
 * - Bodies are plain text: paragraphs are separated by line breaks (the
 *   server normalizes line endings, trims line ends, keeps at most one blank
 *   line); `paragraphs` gives them ready to render.
 * - Feeds are ordered by first publication time (then id), newest first, with
 *   an opaque cursor: articles published while someone pages through appear at
 *   the top, never twice and never in place of one not yet seen.
 * - `views` counts readers once per reader per day (Beijing), without
 *   recording who read what; the author's own reads do not count.
 * - Feed pages skip articles of authors whose content is hidden; such a page
 *   can come back shorter than `limit` (rarely even empty) while `nextCursor`
 *   is not null: keep paging until `nextCursor` is null.
 * - Writes refuse with CONFLICT when the article changed since it was read
 *   (another device): reload and retry.
 */
import * as z from 'zod/mini'
import { ARTICLE_DRAFT_LIMIT, ARTICLE_LIMITS, ARTICLE_STATUSES, normalizeArticleBody } from '../articles'
import { hasInvisibleCharacters, visibleLength } from '../rules/text'
import { id, isoDateTime, nextCursor, pageInput } from './common'
import { imageFileId, moderationView } from './content'
import { action } from './define'

export const articleTitle = z.string().check(
  z.trim(),
  z.refine((s) => s.length > 0, '标题不能为空'),
  z.refine((s) => visibleLength(s) <= ARTICLE_LIMITS.title, `标题最多 ${ARTICLE_LIMITS.title} 个字`),
  z.refine((s) => !hasInvisibleCharacters(s), '标题不能包含换行或不可见字符'),
)

/** May be empty in a draft; publishing needs some text. */
export const articleBody = z.string().check(
  z.maxLength(ARTICLE_LIMITS.body * 4, `正文最多 ${ARTICLE_LIMITS.body} 个字`),
  z.overwrite(normalizeArticleBody),
  z.refine((s) => visibleLength(s) <= ARTICLE_LIMITS.body, `正文最多 ${ARTICLE_LIMITS.body} 个字`),
  z.refine((s) => !hasInvisibleCharacters(s.replace(/[\n\t]/g, '')), '正文不能包含不可见字符'),
)

/** Who wrote it, as others see them. `id` is the account id (for `byAuthor`), never the openid. */
export const articleAuthorView = z.object({
  id: z.string(),
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  verified: z.boolean(),
})
export type ArticleAuthorView = z.infer<typeof articleAuthorView>

/** A feed item (published and visible to everyone). */
export const articleSummaryView = z.object({
  id: z.string(),
  title: z.string(),
  /** The first ARTICLE_EXCERPT_LENGTH (shared/articles.ts) characters of the body, paragraphs joined by a space. */
  excerpt: z.string(),
  cover: z.nullable(z.string()),
  author: articleAuthorView,
  publishedAt: isoDateTime,
  views: z.number(),
})
export type ArticleSummaryView = z.infer<typeof articleSummaryView>

/** One of my articles, as I see it in 我的文章 and after each change. */
export const myArticleView = z.object({
  id: z.string(),
  title: z.string(),
  excerpt: z.string(),
  cover: z.nullable(z.string()),
  status: z.enum(ARTICLE_STATUSES),
  /** Where a published article stands in moderation; null for drafts. */
  moderation: z.nullable(moderationView),
  /** First publication; null until published once. */
  publishedAt: z.nullable(isoDateTime),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  views: z.number(),
})
export type MyArticleView = z.infer<typeof myArticleView>

/** The detail page: a published article, or the author's own draft or held article. */
export const articleDetailView = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  paragraphs: z.array(z.string()),
  cover: z.nullable(z.string()),
  author: articleAuthorView,
  status: z.enum(ARTICLE_STATUSES),
  publishedAt: z.nullable(isoDateTime),
  updatedAt: isoDateTime,
  views: z.number(),
  /** True for the author: show edit / delete / publish. */
  mine: z.boolean(),
  /** Only for the author (null for others and for drafts). */
  moderation: z.nullable(moderationView),
})
export type ArticleDetailView = z.infer<typeof articleDetailView>

const articleContent = {
  title: articleTitle,
  body: articleBody,
}

export const articles = {
  create: action({
    summary: `新建文章草稿（草稿只有自己能看到，发布时才审核；每人最多 ${ARTICLE_DRAFT_LIMIT} 篇草稿）`,
    access: 'signedIn',
    input: z.strictObject({ ...articleContent, cover: z.optional(z.nullable(imageFileId)) }),
    output: z.object({ article: myArticleView }),
    errors: ['DRAFT_LIMIT'],
  }),
  update: action({
    summary: '修改我的文章（标题、正文、封面整体替换）；已发布的文章修改后重新审核',
    access: 'owner',
    input: z.strictObject({ id, ...articleContent, cover: z.nullable(imageFileId) }),
    output: z.object({ article: myArticleView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'VERIFICATION_REQUIRED', 'FEATURE_RESTRICTED', 'CONTENT_REFUSED', 'INVALID_INPUT', 'CONFLICT'],
  }),
  publish: action({
    summary: '发布我的草稿（需实名认证，内容经过安全审核）',
    access: 'verified',
    input: z.strictObject({ id }),
    output: z.object({ article: myArticleView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'VERIFICATION_REQUIRED', 'FEATURE_RESTRICTED', 'CONTENT_REFUSED', 'INVALID_INPUT', 'CONFLICT'],
  }),
  unpublish: action({
    summary: '撤回已发布的文章，改回草稿',
    access: 'owner',
    input: z.strictObject({ id }),
    output: z.object({ article: myArticleView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  remove: action({
    summary: '删除我的文章（连同阅读记录彻底删除，不可恢复）',
    access: 'owner',
    input: z.strictObject({ id }),
    output: z.object({ id: z.string() }),
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  feed: action({
    summary: '文章列表：最新发布在前',
    access: 'anonymous',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ articles: z.array(articleSummaryView), nextCursor }),
    errors: ['INVALID_INPUT'],
  }),
  byAuthor: action({
    summary: '某位作者发布的文章，最新在前',
    access: 'anonymous',
    input: z.strictObject({ authorId: id, ...pageInput }),
    output: z.object({ author: articleAuthorView, articles: z.array(articleSummaryView), nextCursor }),
    errors: ['NOT_FOUND', 'INVALID_INPUT'],
  }),
  mine: action({
    summary: '我的文章：草稿和已发布的（含审核状态），最新创建在前',
    access: 'signedIn',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ articles: z.array(myArticleView), nextCursor }),
    errors: ['INVALID_INPUT'],
  }),
  detail: action({
    summary: '文章详情（已发布的所有人可看；草稿和审核中的只有作者能看），并计一次阅读',
    access: 'anonymous',
    input: z.strictObject({ id }),
    output: z.object({ article: articleDetailView }),
    errors: ['NOT_FOUND'],
  }),
}

/**
 * Pure helpers for the article pages (packageArticles): rows for the feeds,
 * the editor's live counts and checks (counted as the server counts, after
 * its normalization of the body).
 * No wx, no zod: only types from the contract and pure rules from shared/.
 */
import { ARTICLE_LIMITS, ARTICLE_STATUS_LABELS, normalizeArticleBody, type ArticleStatus } from '../../shared/articles'
import type { ArticleDetailView, ArticleSummaryView, MyArticleView } from '../../shared/contract/articles'
import { hasInvisibleCharacters, visibleLength } from '../../shared/rules/text'
import { moderationBadge, moderationShort } from './activities'
import { formatDateTime } from './format'

export const ARTICLE_FEED_URL = '/packageArticles/pages/feed/index'

export function articleDetailUrl(id: string): string {
  return `/packageArticles/pages/detail/index?id=${encodeURIComponent(id)}`
}

export function articleEditorUrl(id?: string): string {
  return id ? `/packageArticles/pages/editor/index?id=${encodeURIComponent(id)}` : '/packageArticles/pages/editor/index'
}

export function authorFeedUrl(authorId: string): string {
  return `${ARTICLE_FEED_URL}?author=${encodeURIComponent(authorId)}`
}

export function titleCount(title: string): number {
  return visibleLength(title.trim())
}

export function bodyCount(body: string): number {
  return visibleLength(normalizeArticleBody(body))
}

export interface ArticleErrors {
  title: string
  body: string
  cover: string
}

export const NO_ARTICLE_ERRORS: ArticleErrors = { title: '', body: '', cover: '' }

export const ARTICLE_FIELDS = ['title', 'body', 'cover'] as const

/** Problems the page can see before sending; publishing also needs some text in the body. */
export function articleProblems(title: string, body: string, options: { publishing: boolean }): ArticleErrors {
  const errors: ArticleErrors = { ...NO_ARTICLE_ERRORS }
  const t = title.trim()
  if (t.length === 0) errors.title = '请填写标题'
  else if (visibleLength(t) > ARTICLE_LIMITS.title) errors.title = `标题最多 ${ARTICLE_LIMITS.title} 个字，现在有 ${visibleLength(t)} 个`
  else if (hasInvisibleCharacters(t)) errors.title = '标题不能包含换行或不可见字符'
  const b = normalizeArticleBody(body)
  if (visibleLength(b) > ARTICLE_LIMITS.body) errors.body = `正文最多 ${ARTICLE_LIMITS.body} 个字，现在有 ${visibleLength(b)} 个`
  else if (hasInvisibleCharacters(b.replace(/[\n\t]/g, ''))) errors.body = '正文不能包含不可见字符'
  else if (options.publishing && b.length === 0) errors.body = '发布前请填写正文'
  return errors
}

export function hasArticleProblems(errors: ArticleErrors): boolean {
  return errors.title !== '' || errors.body !== '' || errors.cover !== ''
}

export interface FeedRow {
  id: string
  title: string
  excerpt: string
  cover: string
  authorId: string
  author: string
  authorVerified: boolean
  publishedAt: string
  views: string
}

export function viewsText(views: number): string {
  return `阅读 ${views}`
}

export function feedRowOf(article: ArticleSummaryView): FeedRow {
  return {
    id: article.id,
    title: article.title,
    excerpt: article.excerpt,
    cover: article.cover ?? '',
    authorId: article.author.id,
    author: article.author.nickname,
    authorVerified: article.author.verified,
    publishedAt: formatDateTime(article.publishedAt),
    views: viewsText(article.views),
  }
}

export interface MyArticleRow {
  id: string
  title: string
  excerpt: string
  cover: string
  statusLabel: string
  statusBadge: string
  /** The time that matters: published, else last saved. */
  time: string
  views: string
}

/** A draft is 草稿; a published article says where it stands in moderation. */
export function myStatusOf(article: Pick<MyArticleView, 'status' | 'moderation'>): { label: string; badge: string } {
  if (article.status === 'draft' || !article.moderation) return { label: ARTICLE_STATUS_LABELS.draft, badge: 'badge--muted' }
  return { label: moderationShort(article.moderation.state), badge: moderationBadge(article.moderation.state) }
}

export function myRowOf(article: MyArticleView): MyArticleRow {
  const status = myStatusOf(article)
  return {
    id: article.id,
    title: article.title,
    excerpt: article.excerpt || '（还没有正文）',
    cover: article.cover ?? '',
    statusLabel: status.label,
    statusBadge: status.badge,
    time: article.publishedAt ? `${formatDateTime(article.publishedAt)} 发布` : `${formatDateTime(article.updatedAt)} 保存`,
    views: viewsText(article.views),
  }
}

export interface ArticleView {
  id: string
  title: string
  paragraphs: string[]
  cover: string
  authorId: string
  author: string
  authorVerified: boolean
  status: ArticleStatus
  statusLabel: string
  statusBadge: string
  publishedAt: string
  updatedAt: string
  views: string
  mine: boolean
  moderationState: string
  moderationLabel: string
  moderationReasons: string[]
}

export function articleViewOf(article: ArticleDetailView): ArticleView {
  const status = myStatusOf(article)
  return {
    id: article.id,
    title: article.title,
    paragraphs: article.paragraphs,
    cover: article.cover ?? '',
    authorId: article.author.id,
    author: article.author.nickname,
    authorVerified: article.author.verified,
    status: article.status,
    statusLabel: status.label,
    statusBadge: status.badge,
    publishedAt: article.publishedAt ? formatDateTime(article.publishedAt) : '',
    updatedAt: formatDateTime(article.updatedAt),
    views: viewsText(article.views),
    mine: article.mine,
    moderationState: article.moderation?.state ?? '',
    moderationLabel: article.moderation?.label ?? '',
    moderationReasons: article.moderation?.reasons ?? [],
  }
}

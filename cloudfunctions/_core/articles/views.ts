/** Article documents as the contract shows them, and their authors. */
import { ARTICLE_EXCERPT_LENGTH, paragraphsOf } from '../../../shared/articles'
import type { ArticleAuthorView, ArticleDetailView, ArticleSummaryView, MyArticleView } from '../../../shared/contract/articles'
import type { AccountDoc } from '../accounts'
import { viewOfModeration } from '../moderation/gate'
import type { ArticleDoc, ArticleListDoc } from './records'

export function excerptOf(body: string): string {
  const flat = paragraphsOf(body).join(' ')
  const chars = Array.from(flat)
  return chars.length <= ARTICLE_EXCERPT_LENGTH ? flat : `${chars.slice(0, ARTICLE_EXCERPT_LENGTH).join('')}…`
}

export function authorView(account: AccountDoc): ArticleAuthorView {
  return { id: account._id, nickname: account.nickname, avatarUrl: account.avatarUrl, verified: account.verifiedAt !== null }
}

/** Whether others may see it: published by its author and passed by the gate. */
export function isListed(doc: ArticleListDoc): boolean {
  return doc.status === 'published' && doc.moderation?.state === 'published'
}

export function summaryView(doc: ArticleListDoc, author: AccountDoc): ArticleSummaryView {
  return {
    id: doc._id,
    title: doc.title,
    excerpt: doc.excerpt,
    cover: doc.cover,
    author: authorView(author),
    publishedAt: (doc.publishedAt ?? doc.createdAt).toISOString(),
    views: doc.views,
  }
}

export function myView(doc: ArticleListDoc): MyArticleView {
  return {
    id: doc._id,
    title: doc.title,
    excerpt: doc.excerpt,
    cover: doc.cover,
    status: doc.status,
    moderation: doc.status === 'published' && doc.moderation ? viewOfModeration(doc.moderation) : null,
    publishedAt: doc.publishedAt ? doc.publishedAt.toISOString() : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    views: doc.views,
  }
}

export function detailView(doc: ArticleDoc, author: AccountDoc, mine: boolean): ArticleDetailView {
  return {
    id: doc._id,
    title: doc.title,
    body: doc.body,
    paragraphs: paragraphsOf(doc.body),
    cover: doc.cover,
    author: authorView(author),
    status: doc.status,
    publishedAt: doc.publishedAt ? doc.publishedAt.toISOString() : null,
    updatedAt: doc.updatedAt.toISOString(),
    views: doc.views,
    mine,
    moderation: mine && doc.status === 'published' && doc.moderation ? viewOfModeration(doc.moderation) : null,
  }
}

/**
 * Articles (文章): the limits, the statuses and how a body is normalized and
 * split into paragraphs. Pure and shared: the contract normalizes and checks
 * input with them, the cloud function renders excerpts and paragraphs, the
 * mini-program counts a body exactly as the server will (without loading the
 * contract, which brings zod).
 */

/** Characters as people count them (shared/rules/text visibleLength), the body after normalizing. */
export const ARTICLE_LIMITS = {
  title: 60,
  body: 10000,
} as const

/** Drafts one person may keep at a time (published articles do not count): drafts are not moderated, so their number is bounded. */
export const ARTICLE_DRAFT_LIMIT = 200

/** Feed items show the beginning of the body. */
export const ARTICLE_EXCERPT_LENGTH = 100

export const ARTICLE_STATUSES = ['draft', 'published'] as const
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number]

export const ARTICLE_STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: '草稿',
  published: '已发布',
}

/** Line endings unified, line ends trimmed, at most one blank line between paragraphs. */
export function normalizeArticleBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u3000]+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The paragraphs of a (normalized) body: its non-empty lines. */
export function paragraphsOf(body: string): string[] {
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
}

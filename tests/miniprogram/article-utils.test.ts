/**
 * The pure helpers behind the article pages: limits and labels equal to the
 * contract's, and the body counted exactly as the server counts it (the
 * contract's normalization, repeated because the contract module brings zod).
 */
import fc from 'fast-check'
import { ARTICLE_BODY_MAX, ARTICLE_STATUS_LABELS, ARTICLE_TITLE_MAX, normalizeArticleBody } from '../../shared/contract/articles'
import { visibleLength } from '../../shared/rules/text'
import { ARTICLE_LIMITS, articleProblems, bodyCount, myStatusOf, normalizeBody, STATUS_LABELS } from '../../miniprogram/utils/articles'

test('limits and status labels are the contract’s', () => {
  expect(ARTICLE_LIMITS).toEqual({ title: ARTICLE_TITLE_MAX, body: ARTICLE_BODY_MAX })
  expect(STATUS_LABELS).toEqual(ARTICLE_STATUS_LABELS)
})

test('the body is normalized and counted as the server does', () => {
  const pieces = fc.constantFrom('字', 'a', ' ', '\t', '\u3000', '\n', '\r', '\r\n', '😀', '。')
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join('')), (text) => {
      expect(normalizeBody(text)).toBe(normalizeArticleBody(text))
      expect(bodyCount(text)).toBe(visibleLength(normalizeArticleBody(text)))
    }),
  )
})

test('checks: a title is needed, publishing needs a body, limits counted as people count', () => {
  expect(articleProblems('', '', { publishing: false })).toEqual({ title: '请填写标题', body: '', cover: '' })
  expect(articleProblems('标题', ' \n ', { publishing: true }).body).toBe('发布前请填写正文')
  expect(articleProblems('😀'.repeat(60), '正文', { publishing: true }).title).toBe('')
  expect(articleProblems('标题', '字'.repeat(10001), { publishing: false }).body).toBe('正文最多 10000 个字，现在有 10001 个')
})

test('a draft is 草稿; a published article says where it stands', () => {
  expect(myStatusOf({ status: 'draft', moderation: null })).toEqual({ label: '草稿', badge: 'badge--muted' })
  expect(myStatusOf({ status: 'published', moderation: { state: 'pendingReview', label: '', reasons: [] } })).toEqual({ label: '审核中', badge: 'badge--notice' })
  expect(myStatusOf({ status: 'published', moderation: { state: 'rejected', label: '', reasons: [] } }).label).toBe('未通过审核')
})

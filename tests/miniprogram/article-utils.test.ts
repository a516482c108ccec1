/**
 * The pure helpers behind the article pages: the body normalized (as the
 * contract stores it, shared/articles.ts) and counted as people count, and
 * the checks before sending.
 */
import fc from 'fast-check'
import { normalizeArticleBody, paragraphsOf } from '../../shared/articles'
import { visibleLength } from '../../shared/rules/text'
import { articleProblems, bodyCount, myStatusOf } from '../../miniprogram/utils/articles'

test('the body: line endings unified, line ends trimmed, at most one blank line, counted after that', () => {
  expect(normalizeArticleBody('  第一段 😀 \t\r\n\r\n\r\n\n第二段\u3000\r第三段\n\n')).toBe('第一段 😀\n\n第二段\n第三段')
  expect(bodyCount('  第一段 😀 \t\r\n\r\n\r\n\n第二段\u3000\r第三段\n\n')).toBe(visibleLength('第一段 😀\n\n第二段\n第三段'))
  const pieces = fc.constantFrom('字', 'a', ' ', '\t', '\u3000', '\n', '\r', '\r\n', '😀', '。')
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join('')), (text) => {
      const body = normalizeArticleBody(text)
      expect(normalizeArticleBody(body)).toBe(body)
      expect(body).not.toMatch(/\r|\n{3}|[ \t\u3000]\n|^\s|\s$/u)
      expect(paragraphsOf(body).join('').replace(/\s/gu, '')).toBe(text.replace(/\s/gu, ''))
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

/**
 * The operator's lexicon: data, not code. It lives in the database and changes
 * without a deploy, so every lexicon is validated here before it is compiled,
 * and a bad one is refused with messages that say where the problem is.
 */
import * as z from 'zod/mini'
import { Automaton, foldText } from './automaton'
import { skipFoldTerm } from './normalize'

/** WeChat msgSecCheck v2 `label` codes, so local hits and WeChat's verdicts line up in the review queue. */
export const WECHAT_LABELS = {
  ad: 10001,
  politics: 20001,
  porn: 20002,
  abuse: 20003,
  illegal: 20006,
  fraud: 20008,
  vulgar: 20012,
  other: 21000,
} as const

export type Category = keyof typeof WECHAT_LABELS
export type WeChatLabel = (typeof WECHAT_LABELS)[Category]
export const CATEGORIES = Object.keys(WECHAT_LABELS) as Category[]

// A Set, not `in`: "constructor" is in every object.
const KNOWN = new Set<string>(CATEGORIES)

export type LexiconAction = 'refuse' | 'review'

export interface LexiconCategory {
  /** Chinese name shown to authors and reviewers, e.g. 广告. */
  label: string
  /** What a hit in this category does to the verdict. */
  action: LexiconAction
  terms: string[]
  /**
   * Which folds apply beyond case and width, chosen per category in the data:
   * `skipBetween` also finds a term written with characters that carry no
   * letters between its own (刷-单 返利, 刷​单返利, emoji in between). On for
   * categories of long, unambiguous terms; off for short ambiguous ones.
   */
  folds?: { skipBetween?: boolean }
}

export interface Lexicon {
  version: string
  categories: Partial<Record<Category, LexiconCategory>>
}

/** Guards against a pasted file that is not a lexicon at all. */
export const MAX_TERMS = 200_000
export const MAX_TERM_LENGTH = 64

const categorySchema = z.strictObject(
  {
    label: z.string({ error: '应为分类的中文名称，例如 "广告"' }).check(
      z.minLength(1, '不能为空'),
      z.maxLength(20, '不能超过 20 个字符'),
    ),
    action: z.enum(['refuse', 'review'], { error: '只能是 "refuse"（拒绝发布）或 "review"（人工复审）' }),
    terms: z.array(z.string({ error: '词条应为文字' }), { error: '应为词条数组' }),
    folds: z.optional(
      z.strictObject(
        { skipBetween: z.optional(z.boolean({ error: '应为 true 或 false' })) },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? `不认识的处理方式：${issue.keys.join('、')}` : '应为对象：{ skipBetween }') },
      ),
    ),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不认识的字段：${issue.keys.join('、')}` : '分类应为对象：{ label, action, terms }') },
)

const lexiconSchema = z.strictObject(
  {
    version: z.string({ error: '应为文字，例如 "2026-11-23.1"' }).check(
      z.minLength(1, '不能为空'),
      z.maxLength(64, '不能超过 64 个字符'),
    ),
    categories: z.record(z.string(), categorySchema, { error: '应为对象：分类 → { label, action, terms }' }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `不认识的字段：${issue.keys.join('、')}` : '词库应为对象：{ version, categories }') },
)

export type ParseLexiconResult = { ok: true; lexicon: Lexicon } | { ok: false; problems: string[] }

function where(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part)
  return out || '词库'
}

/** What is wrong with one term, or null. Surrogates must pair so no match can start or end inside an emoji. */
function termProblem(term: string): string | null {
  if (term.length === 0) return '词条为空'
  if (term.trim().length === 0) return '词条只有空白'
  if (term.trim() !== term) return '词条首尾有空白'
  if (term.length > MAX_TERM_LENGTH) return `词条超过 ${MAX_TERM_LENGTH} 个字符`
  if (/[\u0000-\u001f\u007f]/.test(term)) return '词条含控制字符'
  if (hasLoneSurrogate(term)) return '词条含不成对的代理字符（残缺的表情符号）'
  return null
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff) return true
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = text.charCodeAt(i + 1)
      if (!(low >= 0xdc00 && low <= 0xdfff)) return true
      i++
    }
  }
  return false
}

/**
 * Validates operator-supplied data (parsed JSON). Unknown fields and categories
 * are refused rather than ignored: a typo must not silently switch a category off.
 * Duplicates within a category are refused after folding case and full width,
 * because the scanner folds them too; the same term in two categories is allowed.
 */
export function parseLexicon(raw: unknown): ParseLexiconResult {
  const shape = lexiconSchema.safeParse(raw)
  if (!shape.success) return { ok: false, problems: shape.error.issues.map((issue) => `${where(issue.path)}：${issue.message}`) }
  const problems: string[] = []
  let total = 0
  for (const [name, category] of Object.entries(shape.data.categories)) {
    if (!KNOWN.has(name)) {
      problems.push(`categories.${name}：未知的分类，可用的分类为 ${CATEGORIES.join('、')}`)
      continue
    }
    const seen = new Map<string, number>()
    category.terms.forEach((term, i) => {
      const problem = termProblem(term)
      if (problem) {
        problems.push(`categories.${name}.terms[${i}]：${problem}（${JSON.stringify(term)}）`)
        return
      }
      const key = foldText(term)
      const first = seen.get(key)
      if (first !== undefined) problems.push(`categories.${name}.terms[${i}]：与 terms[${first}] 重复（不区分大小写和全角半角）：${term}`)
      else seen.set(key, i)
    })
    total += category.terms.length
  }
  if (total > MAX_TERMS) problems.push(`词库共有 ${total} 个词条，超过上限 ${MAX_TERMS}`)
  if (problems.length > 0) return { ok: false, problems }
  const categories: Lexicon['categories'] = {}
  for (const category of CATEGORIES) {
    const entry = shape.data.categories[category]
    if (entry) categories[category] = entry
  }
  return { ok: true, lexicon: { version: shape.data.version, categories } }
}

export interface TermInfo {
  category: Category
  label: WeChatLabel
  /** The category's Chinese name. */
  categoryName: string
  action: LexiconAction
  /** The term as the operator wrote it. */
  term: string
}

/** The terms of `skipBetween` categories, folded as skipFold reads text. */
export interface SkipMatcher {
  automaton: Automaton
  /** The skip automaton's term index → the index in `LexiconScanner.terms`. */
  terms: readonly number[]
}

/** A lexicon compiled for scanning: one automaton over all categories' terms, and one for the skip fold. */
export interface LexiconScanner {
  version: string
  automaton: Automaton
  /** Indexed by the automaton's term index. */
  terms: readonly TermInfo[]
  /** Null when no category asks for it (then texts are not folded a second time). */
  skip: SkipMatcher | null
}

/** Below this many letters a term is too ambiguous to find across skipped characters. */
const SKIP_MIN_LENGTH = 2

/** Compiles a validated lexicon. Case and full-width folding is always on: it is the cheapest evasion. */
export function compileLexicon(lexicon: Lexicon): LexiconScanner {
  const terms: TermInfo[] = []
  const skipTerms: string[] = []
  const skipIndex: number[] = []
  for (const category of CATEGORIES) {
    const entry = lexicon.categories[category]
    if (!entry) continue
    for (const term of entry.terms) {
      if (entry.folds?.skipBetween) {
        const folded = skipFoldTerm(term)
        if (folded.length >= SKIP_MIN_LENGTH) {
          skipTerms.push(folded)
          skipIndex.push(terms.length)
        }
      }
      terms.push({ category, label: WECHAT_LABELS[category], categoryName: entry.label, action: entry.action, term })
    }
  }
  const skip = skipTerms.length > 0 ? { automaton: new Automaton(skipTerms), terms: skipIndex } : null
  return { version: lexicon.version, automaton: new Automaton(terms.map((t) => t.term), { normalize: true }), terms, skip }
}

/** parseLexicon then compileLexicon, throwing with every problem listed (for trusted sources such as the demo file). */
export function lexiconScannerFrom(raw: unknown): LexiconScanner {
  const parsed = parseLexicon(raw)
  if (!parsed.ok) throw new Error(`词库无效：\n${parsed.problems.join('\n')}`)
  return compileLexicon(parsed.lexicon)
}

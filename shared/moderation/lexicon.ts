/**
 * The operator's lexicon: data, not code. It lives in the database and changes
 * without a deploy, so every lexicon is validated here before it is compiled,
 * and a bad one is refused with messages that say where the problem is.
 */
import * as z from 'zod/mini'
import { Automaton, foldText, type UnitFold } from './automaton'
import { applyFold, makeFold, type FoldOptions } from './normalize'
import { compilePinyin, type PinyinMatcher } from './pinyin'
import { NO_READINGS, type LexiconReadings } from './readings'

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
  /** Which folds apply beyond NFKC, case, width and invisible characters (always on). */
  folds?: CategoryFolds
}

/** Chosen per category in the lexicon data (see shared/moderation/normalize.ts and pinyin.ts). */
export interface CategoryFolds {
  /**
   * Also find a term written with characters that carry no letters between
   * its own (刷-单 返利, emoji or a line break in between). On for categories
   * of long, unambiguous terms; off for short ambiguous ones. Default off.
   */
  skipBetween?: boolean
  /** Traditional and variant characters read as simplified (刷單). Default on. */
  traditional?: boolean
  /** Digit-like characters read as digits (①, 壹, 一, full width) for terms with digits. Default off. */
  digits?: boolean
  /** Also find the terms in pinyin, mixed pinyin and homophones; such a finding is held for review, never refused. Default off. */
  pinyin?: boolean
}

/** The folds of a category with the defaults filled in. */
export function foldsOf(category: Pick<LexiconCategory, 'folds'>): Required<CategoryFolds> {
  const folds = category.folds ?? {}
  return { skipBetween: folds.skipBetween ?? false, traditional: folds.traditional ?? true, digits: folds.digits ?? false, pinyin: folds.pinyin ?? false }
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
        {
          skipBetween: z.optional(z.boolean({ error: '应为 true 或 false' })),
          traditional: z.optional(z.boolean({ error: '应为 true 或 false' })),
          digits: z.optional(z.boolean({ error: '应为 true 或 false' })),
          pinyin: z.optional(z.boolean({ error: '应为 true 或 false' })),
        },
        {
          error: (issue) =>
            issue.code === 'unrecognized_keys' ? `不认识的处理方式：${issue.keys.join('、')}` : '应为对象：{ skipBetween, traditional, digits, pinyin }',
        },
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
  folds: Required<CategoryFolds>
  /**
   * When the category's folds are narrower than the union the text is read
   * through: its own fold and the term read by it. A match stands only if the
   * original span reads the same way (刷 单 is not 刷单 without skipBetween).
   */
  check: { fold: UnitFold; term: string } | null
}

/** One automaton and the fold it reads the text through; `terms` maps its term index to LexiconScanner.terms. */
export interface Channel {
  automaton: Automaton
  terms: readonly number[]
}

/** A lexicon compiled for scanning. */
export interface LexiconScanner {
  version: string
  terms: readonly TermInfo[]
  /** The union of every category's folds: the text is read through it once. */
  fold: UnitFold
  /** Every term that reads as letters and starts and ends with them, read through `fold`. */
  main: Channel | null
  /** Terms that start or end with what carries no letters ("+v"): as written, case and width folded. */
  plain: Channel | null
  /** The pinyin forms of the `pinyin` categories' terms. */
  pinyin: (Channel & { matcher: PinyinMatcher }) | null
}

function optionsOf(folds: Required<CategoryFolds>, variants: ReadonlyMap<string, string>): FoldOptions {
  return { skip: folds.skipBetween, digits: folds.digits, variants: folds.traditional ? variants : null }
}

/**
 * Compiles a validated lexicon with its readings (variants and pinyin; without
 * them the traditional and pinyin folds find nothing beyond the terms as written).
 */
export function compileLexicon(lexicon: Lexicon, readings: LexiconReadings = NO_READINGS): LexiconScanner {
  const variants = new Map(Object.entries(readings.variants))
  const entries: Array<{ category: Category; entry: LexiconCategory; folds: Required<CategoryFolds> }> = []
  for (const category of CATEGORIES) {
    const entry = lexicon.categories[category]
    if (entry) entries.push({ category, entry, folds: foldsOf(entry) })
  }
  const union = optionsOf(
    {
      skipBetween: entries.some((e) => e.folds.skipBetween),
      traditional: entries.some((e) => e.folds.traditional),
      digits: entries.some((e) => e.folds.digits),
      pinyin: false,
    },
    variants,
  )
  const fold = makeFold(union)
  const narrower = new Map<string, UnitFold>()

  const terms: TermInfo[] = []
  const main: { patterns: string[]; terms: number[] } = { patterns: [], terms: [] }
  const plain: { patterns: string[]; terms: number[] } = { patterns: [], terms: [] }
  const pinyin: { patterns: string[]; terms: number[] } = { patterns: [], terms: [] }
  for (const { category, entry, folds } of entries) {
    const own = optionsOf(folds, variants)
    let check: UnitFold | null = null
    if (own.skip !== union.skip || own.digits !== union.digits || (own.variants === null) !== (union.variants === null)) {
      const key = `${own.skip}/${own.digits}/${own.variants !== null}`
      check = narrower.get(key) ?? makeFold(own)
      narrower.set(key, check)
    }
    for (const term of entry.terms) {
      const index = terms.length
      terms.push({
        category,
        label: WECHAT_LABELS[category],
        categoryName: entry.label,
        action: entry.action,
        term,
        folds,
        check: check ? { fold: check, term: applyFold(term, check).text } : null,
      })
      const read = applyFold(term, fold)
      const whole = read.text.length > 0 && read.starts[0] === 0 && read.ends[read.text.length - 1] === term.length
      const channel = whole ? main : plain
      channel.patterns.push(whole ? read.text : term)
      channel.terms.push(index)
      if (folds.pinyin) {
        pinyin.patterns.push(term)
        pinyin.terms.push(index)
      }
    }
  }
  const matcher = pinyin.patterns.length > 0 ? compilePinyin(pinyin.patterns, readings) : null
  return {
    version: lexicon.version,
    terms,
    fold,
    main: main.patterns.length > 0 ? { automaton: new Automaton(main.patterns), terms: main.terms } : null,
    plain: plain.patterns.length > 0 ? { automaton: new Automaton(plain.patterns, { normalize: true }), terms: plain.terms } : null,
    pinyin: matcher ? { matcher, automaton: matcher.automaton, terms: matcher.forms.map((form) => pinyin.terms[form.term] ?? -1) } : null,
  }
}

/** parseLexicon then compileLexicon, throwing with every problem listed (for trusted sources such as the demo file). */
export function lexiconScannerFrom(raw: unknown, readings: LexiconReadings = NO_READINGS): LexiconScanner {
  const parsed = parseLexicon(raw)
  if (!parsed.ok) throw new Error(`词库无效：\n${parsed.problems.join('\n')}`)
  return compileLexicon(parsed.lexicon, readings)
}

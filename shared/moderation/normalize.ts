/**
 * The normalization pass before matching, with a map back to the original
 * text, so that every finding still points at exactly what the author wrote.
 *
 * A `UnitFold` says what each character reads as. Always: NFKC (circled and
 * other compatibility letters, full-width forms), the scanner's case and width
 * fold, accented letters as their base letter (é → e), and no trace of
 * invisible characters (format characters such as the soft hyphen and
 * zero-width space, variation selectors, Hangul fillers) or of combining marks
 * (strike-through and stacked marks put on 刷̶单 to break a word).
 * Per lexicon category, chosen in its data (`folds`):
 *  - skip: what carries no letters — white space, punctuation, symbols, emoji
 *    with their modifiers and joiners — is left out, so "刷-单 返利" reads 刷单返利;
 *  - variants: traditional and variant forms read as the simplified character
 *    (the table comes with the lexicon: see lexicon-readings);
 *  - digits: digit-like characters (Chinese numerals and their financial
 *    forms, circled, keycap, full-width) read as ASCII digits.
 * The scanner reads the text once through the union of its categories' folds
 * (Automaton.forEachFoldedMatch); `applyFold` is the same reading as a string
 * with `starts[i]`/`ends[i]`, the original span of the i-th kept code unit.
 *
 * `digitFold` is the personal-data detectors' channel: digit-like characters
 * read as digits (see there), everything else kept, one unit per code point.
 */
import { foldText, FOLD_BREAK, FOLD_DROP, FOLD_SLOW, type UnitFold } from './automaton'

/** Letters and digits carry letters; combining marks are read as part of nothing. */
const CARRIES_LETTERS = /[\p{L}\p{N}]/u
const COMBINING = /\p{M}/u
/** Format characters (soft hyphen, zero-width space and joiners, BOM …): never visible, never part of a word. */
const FORMAT = /\p{Cf}/u
/** Invisible characters that Unicode counts as letters or leaves unassigned to marks. */
const INVISIBLE = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x2800, 0x180e, 0x034f])
const KEYCAP = 0x20e3

/** Variation selectors (emoji or text presentation, ideographic variants): marks that carry no letter. */
function isVariationSelector(codePoint: number): boolean {
  return (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
}

/** Characters every fold leaves out: unseen, or marks on another character, they can only be there to split a word. */
function isInvisible(codePoint: number, char: string): boolean {
  return INVISIBLE.has(codePoint) || isVariationSelector(codePoint) || FORMAT.test(char) || COMBINING.test(char)
}

/** Whether a character carries no letter or digit. */
export function isSkippable(codePoint: number, char: string): boolean {
  if (INVISIBLE.has(codePoint)) return true
  return !CARRIES_LETTERS.test(char) && !COMBINING.test(char)
}

/** Whether a text has a visible character that carries no letters (a space, punctuation, an emoji …). */
export function hasSkippable(text: string): boolean {
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0
    if (!isInvisible(codePoint, char) && isSkippable(codePoint, char)) return true
  }
  return false
}

const MARKS = /\p{M}/gu

/** The folded form of one code point: NFKC, case and width, accents off (may be several code units, or none). */
function foldChar(char: string): string {
  const folded = foldText(char.normalize('NFKC')).toLowerCase()
  const decomposed = folded.normalize('NFD')
  // Only where decomposing leaves marks (é, ǖ, が): Hangul decomposes into letters and stays whole.
  return decomposed === folded || !COMBINING.test(decomposed) ? folded : decomposed.replace(MARKS, '')
}

const enum Kind {
  Letter = 0,
  Skippable = 1,
  /** Invisible characters and combining marks: no fold keeps them. */
  Invisible = 2,
}

interface BaseTables {
  /** What each BMP unit folds to: one unit, or FOLD_SLOW (several units, or a surrogate). */
  folded: Uint16Array
  kind: Uint8Array
}

let base: BaseTables | null = null

/** NFKC, case and width for every BMP code unit, worked out once per process. */
function baseTables(): BaseTables {
  if (base) return base
  const folded = new Uint16Array(0x10000)
  const kind = new Uint8Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      folded[c] = FOLD_SLOW
      continue
    }
    const char = String.fromCharCode(c)
    if (isInvisible(c, char)) kind[c] = Kind.Invisible
    else {
      const f = foldChar(char)
      if (f.length !== 1) folded[c] = FOLD_SLOW
      else {
        const unit = f.charCodeAt(0)
        folded[c] = unit
        // The reserved table values are not letters, so they are never kept as themselves.
        if (isSkippable(unit, f) || unit >= FOLD_BREAK) kind[c] = Kind.Skippable
      }
    }
  }
  base = { folded, kind }
  return base
}

/** Which folds apply, beyond NFKC, case, width and invisible characters (always on). */
export interface FoldOptions {
  skip: boolean
  digits: boolean
  /** Traditional and variant character → the simplified one; null when the fold is off. */
  variants: ReadonlyMap<string, string> | null
}

const SKIP_FOLD: FoldOptions = { skip: true, digits: false, variants: null }

/** What the `digits` fold reads as a digit (besides what NFKC already makes one: ① １ 𝟙). */
const DIGIT_WORDS: Readonly<Record<string, string>> = {
  〇: '0', 零: '0',
  一: '1', 壹: '1', 幺: '1',
  二: '2', 贰: '2', 貳: '2', 两: '2', 兩: '2',
  三: '3', 叁: '3', 參: '3',
  四: '4', 肆: '4',
  五: '5', 伍: '5',
  六: '6', 陆: '6', 陸: '6',
  七: '7', 柒: '7',
  八: '8', 捌: '8',
  九: '9', 玖: '9',
}

const DIGIT_UNITS = new Map<number, number>(Object.entries(DIGIT_WORDS).map(([char, digit]) => [char.charCodeAt(0), digit.charCodeAt(0)]))

/** Distinct slow characters a fold remembers: enough for any real text, bounded for a hostile one. */
const SLOW_CACHE = 4096

/** A fold as a UnitFold for the automaton (one 128 KB table per set of options). */
export function makeFold(options: FoldOptions): UnitFold {
  const { folded, kind } = baseTables()
  const variants = options.variants
  const readAs = (unit: number): number => {
    let u = unit
    if (variants) {
      const simplified = variants.get(String.fromCharCode(u))
      if (simplified !== undefined && simplified.length === 1) u = simplified.charCodeAt(0)
    }
    return options.digits ? (DIGIT_UNITS.get(u) ?? u) : u
  }
  const table = new Uint16Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    const k = kind[c] as Kind
    const f = folded[c] as number
    if (k === Kind.Invisible) table[c] = FOLD_DROP
    else if (k === Kind.Skippable) table[c] = options.skip || f === 0 || f >= FOLD_BREAK ? FOLD_DROP : f
    else if (f === FOLD_SLOW) table[c] = f
    else table[c] = readAs(f)
  }
  const cache = new Map<number, string>()
  return {
    table,
    slow(codePoint) {
      const known = cache.get(codePoint)
      if (known !== undefined) return known
      const char = String.fromCodePoint(codePoint)
      let units = ''
      if (!isInvisible(codePoint, char)) {
        const f = foldChar(char)
        for (let k = 0; k < f.length; k++) {
          const unit = f.charCodeAt(k)
          if (options.skip && isSkippable(unit, f.charAt(k))) continue
          units += String.fromCharCode(readAs(unit))
        }
        const whole = variants?.get(char)
        if (whole !== undefined) units = whole
      }
      if (cache.size >= SLOW_CACHE) cache.clear()
      cache.set(codePoint, units)
      return units
    },
  }
}

export interface FoldedText {
  text: string
  /** Original offset of the code point each kept code unit comes from. */
  starts: Int32Array
  /** One past the end of that original code point. */
  ends: Int32Array
}

/** Code units to a string: the platform's UTF-16 decoder where there is one (Node: 2–3× faster than fromCharCode in chunks). */
interface Utf16Decoder {
  decode(units: Uint16Array): string
}
const Decoder = (globalThis as unknown as { TextDecoder?: new (label: string) => Utf16Decoder }).TextDecoder
const UTF16: Utf16Decoder = Decoder
  ? new Decoder('utf-16le')
  : {
      decode(units) {
        let text = ''
        for (let from = 0; from < units.length; from += 8192) text += String.fromCharCode(...units.subarray(from, from + 8192))
        return text
      },
    }

/**
 * The text as `fold` reads it, with the map back: what forEachFoldedMatch
 * matches against, as a string (for terms, for checking a match against a
 * narrower fold, and for showing reviewers the normalized form). A break
 * reads as nothing here.
 */
export function applyFold(text: string, fold: UnitFold): FoldedText {
  const table = fold.table
  const units: number[] = []
  const starts: number[] = []
  const ends: number[] = []
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i)
    const entry = table[unit] as number
    let end = i + 1
    let read = ''
    if (entry === FOLD_SLOW) {
      const codePoint = text.codePointAt(i) ?? unit
      end = i + (codePoint > 0xffff ? 2 : 1)
      read = fold.slow(codePoint) ?? ''
    } else if (entry !== FOLD_DROP && entry !== FOLD_BREAK) read = String.fromCharCode(entry)
    for (let k = 0; k < read.length; k++) {
      units.push(read.charCodeAt(k))
      starts.push(i)
      ends.push(end)
    }
    i = end
  }
  return { text: UTF16.decode(Uint16Array.from(units)), starts: Int32Array.from(starts), ends: Int32Array.from(ends) }
}

let skipFoldOnly: UnitFold | null = null

/** The skip fold alone (built once per process): what the pinyin channel reads letters through. */
export function skipOnlyFold(): UnitFold {
  skipFoldOnly ??= makeFold(SKIP_FOLD)
  return skipFoldOnly
}

/** The skip fold alone: "刷-单 返​利" reads 刷单返利. */
export function skipFold(text: string): FoldedText {
  return applyFold(text, skipOnlyFold())
}

/**
 * The digit channel for the personal-data detectors: one unit per original
 * code point (or none), so spans map back exactly. Digit-like characters
 * become ASCII digits — Chinese numerals (〇零一…九, 幺, 两) and their
 * financial forms (壹贰叁…), circled, parenthesized and full-width digits,
 * keycaps (the digit kept, its U+FE0F U+20E3 dropped) — and the letters
 * O/o and l/I after a digit are read as 0 and 1. Everything else is folded
 * for case and width.
 */
/**
 * Chinese numerals count as digits only three or more in a row (一三八…):
 * a single 一 or 两 is a word (第一, 两个), and read as a digit it would
 * glue itself to a real phone number and hide it.
 */
const NUMERAL_RUN = 3

/** The digit a non-ASCII character stands for (①, ⑴, １, 𝟙 …), or -1. */
function compatibilityDigit(char: string): number {
  const folded = char.normalize('NFKC')
  if (folded.length > 3) return -1
  let digit = -1
  for (let k = 0; k < folded.length; k++) {
    const c = folded.charCodeAt(k)
    if (c >= 0x30 && c <= 0x39) {
      if (digit >= 0) return -1
      digit = c
    }
  }
  return digit
}

export function digitFold(text: string): FoldedText {
  // One unit per code point at most, so the arrays never grow.
  const units = new Uint16Array(text.length)
  const starts = new Int32Array(text.length)
  const ends = new Int32Array(text.length)
  const numeral = new Uint8Array(text.length)
  let length = 0
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i)
    let unit: number
    let end = i + 1
    if (code < 0x80) unit = code >= 0x41 && code <= 0x5a ? code + 0x20 : code
    else if (code >= 0x4e00 && code <= 0x9fff) {
      const digit = DIGIT_UNITS.get(code)
      if (digit !== undefined) numeral[length] = 1
      unit = digit ?? code
    } else {
      const codePoint = text.codePointAt(i) ?? code
      const char = String.fromCodePoint(codePoint)
      end = i + char.length
      if (codePoint === KEYCAP || isVariationSelector(codePoint)) {
        // Part of the character before it (1️⃣): the span of that one grows to cover it.
        if (length > 0) ends[length - 1] = end
        i = end
        continue
      }
      const digit = DIGIT_UNITS.get(code) ?? compatibilityDigit(char)
      if (DIGIT_UNITS.has(code)) numeral[length] = 1
      if (digit >= 0) unit = digit
      else {
        const single = foldText(char)
        // A letter outside the BMP stands as 字 (a letter, but never ASCII, so it glues nothing to a number).
        unit = single.length === 1 ? single.toLowerCase().charCodeAt(0) : /\p{L}/u.test(char) ? 0x5b57 : 0x20
      }
    }
    units[length] = unit
    starts[length] = i
    ends[length] = end
    length++
    i = end
  }
  // Short runs of Chinese numerals are words again.
  for (let k = 0; k < length; ) {
    if (!numeral[k]) {
      k++
      continue
    }
    let end = k
    while (end < length && numeral[end]) end++
    if (end - k < NUMERAL_RUN) for (let m = k; m < end; m++) units[m] = text.charCodeAt(starts[m] ?? 0)
    k = end
  }
  // O/o → 0 and l/I → 1 after a digit, up to the next digit or the end of the number (13800l38OOO).
  const isDigitUnit = (u: number | undefined): boolean => u !== undefined && u >= 0x30 && u <= 0x39
  for (let k = 1; k < length; k++) {
    const u = units[k]
    if ((u === 0x6f || u === 0x6c || u === 0x69) && isDigitUnit(units[k - 1])) {
      let next = k + 1
      while (next < length && (units[next] === 0x6f || units[next] === 0x6c || units[next] === 0x69)) next++
      const after = next < length ? units[next] : undefined
      const endsNumber = after === undefined || !((after >= 0x61 && after <= 0x7a) || (after >= 0x41 && after <= 0x5a))
      if (!isDigitUnit(after) && !(endsNumber && u === 0x6f)) continue
      for (let m = k; m < next; m++) units[m] = units[m] === 0x6f ? 0x30 : 0x31
      k = next - 1
    }
  }
  return { text: UTF16.decode(units.subarray(0, length)), starts: starts.subarray(0, length), ends: ends.subarray(0, length) }
}

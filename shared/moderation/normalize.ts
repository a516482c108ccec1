/**
 * The normalization pass before matching, with a map back to the original
 * text, so that every finding still points at exactly what the author wrote.
 *
 * `skipFold` reads each code point once: NFKC (circled and other compatibility
 * letters, full-width forms), then the scanner's case and width fold, and drops
 * what carries no letters — white space, punctuation, symbols, emoji with
 * their modifiers and joiners, zero-width and other invisible characters (soft
 * hyphen, variation selectors, Hangul fillers). "刷-单 返​利" reads "刷单返利";
 * `starts[i]`/`ends[i]` give the original span of the i-th kept code unit.
 * The lexicon's `skipBetween` categories are matched on it.
 *
 * `digitFold` is the personal-data detectors' channel: digit-like characters
 * read as digits (see there), everything else kept, one unit per code point.
 */
import { foldText } from './automaton'

export interface FoldedText {
  text: string
  /** Original offset of the code point each kept code unit comes from. */
  starts: Int32Array
  /** One past the end of that original code point. */
  ends: Int32Array
}

/** Letters and digits stay; marks stay only when they belong to a letter (Mn/Mc after a kept letter). */
const CARRIES_LETTERS = /[\p{L}\p{N}]/u
const COMBINING = /\p{M}/u
/** Invisible characters that Unicode counts as letters or leaves unassigned to marks. */
const INVISIBLE = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x2800, 0x180e, 0x034f])

/** Variation selectors (emoji or text presentation, ideographic variants): marks that carry no letter. */
function isVariationSelector(codePoint: number): boolean {
  return (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
}

/** Whether a character carries no letter or digit (and is not a mark that belongs to one). */
export function isSkippable(codePoint: number, char: string): boolean {
  if (INVISIBLE.has(codePoint)) return true
  return !CARRIES_LETTERS.test(char) && !COMBINING.test(char)
}

/** The folded form of one code point: NFKC, then case and width (may be several code units, or none). */
function foldChar(char: string): string {
  return foldText(char.normalize('NFKC')).toLowerCase()
}

/** Table entries beyond a folded code unit. */
const DROP = 0
const MARK = 0xfffe
const SLOW = 0xffff

let table: Uint16Array | null = null

/**
 * What each BMP code unit becomes, worked out once: DROP (carries no letter),
 * MARK (a combining mark: kept only on a kept letter), SLOW (folds to several
 * units, or is a surrogate: the general path), or the one unit it folds to.
 */
function foldTable(): Uint16Array {
  if (table) return table
  const t = new Uint16Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      t[c] = SLOW
      continue
    }
    const char = String.fromCharCode(c)
    if (INVISIBLE.has(c) || isVariationSelector(c)) t[c] = DROP
    else if (COMBINING.test(char)) t[c] = MARK
    else {
      const folded = foldChar(char)
      if (folded.length === 1) t[c] = isSkippable(folded.charCodeAt(0), folded) ? DROP : folded.charCodeAt(0)
      else t[c] = SLOW
    }
  }
  table = t
  return t
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

export function skipFold(text: string): FoldedText {
  const t = foldTable()
  // At most one kept unit per input unit on the fast path; the general path makes room before it writes more.
  let capacity = text.length + 16
  let units = new Uint16Array(capacity)
  let starts = new Int32Array(capacity)
  let ends = new Int32Array(capacity)
  let length = 0
  let lastKept = false
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i)
    const entry = t[unit] as number
    if (entry !== SLOW) {
      if (entry === DROP) lastKept = false
      else if (entry !== MARK || lastKept) {
        units[length] = entry === MARK ? unit : entry
        starts[length] = i
        ends[length] = i + 1
        length++
        lastKept = true
      }
      i++
      continue
    }
    // The general path: a character outside the BMP, or one whose fold is several units.
    const codePoint = text.codePointAt(i) ?? unit
    const char = String.fromCodePoint(codePoint)
    const end = i + char.length
    let kept = false
    if (!(INVISIBLE.has(codePoint) || isVariationSelector(codePoint) || (COMBINING.test(char) && !lastKept))) {
      // Folded first: NFKC turns some symbols into letters (ⓐ → a) and some letters into punctuation (⒈ → "1.").
      const folded = foldChar(char)
      if (length + folded.length + (text.length - end) + 16 > capacity) {
        capacity = (length + folded.length + (text.length - end)) * 2 + 16
        const grownUnits = new Uint16Array(capacity)
        const grownStarts = new Int32Array(capacity)
        const grownEnds = new Int32Array(capacity)
        grownUnits.set(units.subarray(0, length))
        grownStarts.set(starts.subarray(0, length))
        grownEnds.set(ends.subarray(0, length))
        units = grownUnits
        starts = grownStarts
        ends = grownEnds
      }
      for (let k = 0; k < folded.length; k++) {
        if (isSkippable(folded.charCodeAt(k), folded.charAt(k))) continue
        units[length] = folded.charCodeAt(k)
        starts[length] = i
        ends[length] = end
        length++
        kept = true
      }
    }
    lastKept = kept
    i = end
  }
  // Never a lone surrogate here (the general path keeps whole code points), so decoding is exact.
  return { text: UTF16.decode(units.subarray(0, length)), starts: starts.subarray(0, length), ends: ends.subarray(0, length) }
}

/** A term as the skip fold reads it (what the skip automaton is built from). */
export function skipFoldTerm(term: string): string {
  return skipFold(term).text
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

/**
 * Chinese numerals count as digits only three or more in a row (一三八…):
 * a single 一 or 两 is a word (第一, 两个), and read as a digit it would
 * glue itself to a real phone number and hide it.
 */
const NUMERAL_RUN = 3

const KEYCAP = 0x20e3

const DIGIT_UNITS = new Map<number, number>(Object.entries(DIGIT_WORDS).map(([char, digit]) => [char.charCodeAt(0), digit.charCodeAt(0)]))

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

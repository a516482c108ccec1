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

/**
 * The pinyin channel, for the terms of categories marked `pinyin`: 刷单返利
 * is also found as "shuadanfanli", as "shua单fan利" and as 刷蛋返力 (characters
 * that sound the same). The text is read with each homophone of a term's
 * syllables as one symbol for that syllable, Latin letters as letters, what
 * carries no letters left out and anything else as a break; each term becomes
 * every mix of its syllables written as the symbol or as letters.
 *
 * Pronunciation is a weaker signal than spelling (people's names sound like
 * words), so two guards: a term of fewer than MIN_HOMOPHONE_SYLLABLES
 * syllables is found only in pinyin letters, not through other characters
 * (薇信 stays a name; "weixin" does not), and pinyin letters must start and end
 * where a run of Latin letters does ("dubois" is not "dubo").
 */
import { Automaton, FOLD_BREAK, FOLD_DROP, FOLD_SLOW, type UnitFold } from './automaton'
import { applyFold, skipOnlyFold } from './normalize'
import type { LexiconReadings } from './readings'

/** Syllable symbols live in the private-use area, which the skip fold drops from any text. */
const SYMBOL_BASE = 0xe000
/** Fewer syllables than this: found in pinyin letters only. */
export const MIN_HOMOPHONE_SYLLABLES = 3
/** A term of more syllables is expanded only fully in symbols and fully in letters (2^n mixes otherwise). */
const MAX_MIXED_SYLLABLES = 8

interface Form {
  /** Index of the term in the list given to compilePinyin. */
  term: number
  startsWithLetters: boolean
  endsWithLetters: boolean
}

export interface PinyinMatcher {
  automaton: Automaton
  fold: UnitFold
  /** Indexed by the automaton's term index. */
  forms: readonly Form[]
  /** Per term given to compilePinyin: its own characters, when homophones are not allowed for it. */
  ownCharacters: ReadonlyArray<ReadonlySet<string> | null>
  /** Term → its syllables ("shua dan fan li"), what a finding by sound reads as. */
  spoken: ReadonlyMap<string, string>
}

const isLatin = (unit: number): boolean => unit >= 0x61 && unit <= 0x7a

/**
 * Compiles the pinyin forms of `terms` (those of pinyin categories), or null
 * when none has two syllables. Terms without syllables in `readings` are left out.
 */
export function compilePinyin(terms: readonly string[], readings: LexiconReadings): PinyinMatcher | null {
  const symbols = new Map<string, number>()
  const symbolOf = (syllable: string): number => {
    let symbol = symbols.get(syllable)
    if (symbol === undefined) {
      symbol = SYMBOL_BASE + symbols.size
      symbols.set(syllable, symbol)
    }
    return symbol
  }
  const skip = skipOnlyFold()
  const patterns: string[] = []
  const forms: Form[] = []
  const ownCharacters: Array<Set<string> | null> = []
  const spoken = new Map<string, string>()
  const soundAlike = new Set<string>()
  terms.forEach((term, index) => {
    const chars = Array.from(term)
    const syllables = readings.syllables[term]
    ownCharacters.push(null)
    if (!syllables || syllables.length !== chars.length) return
    // Each character is a choice between its symbol and its letters, or a fixed run of letters.
    const parts: Array<{ symbol: string; letters: string } | string> = []
    let count = 0
    for (let k = 0; k < chars.length; k++) {
      const syllable = syllables[k] ?? ''
      if (syllable) {
        parts.push({ symbol: String.fromCharCode(symbolOf(syllable)), letters: syllable })
        count++
        continue
      }
      const letters = applyFold(chars[k] ?? '', skip).text
      if (![...letters].every((c) => isLatin(c.charCodeAt(0)))) return // a digit or symbol: not expressible here
      if (letters) parts.push(letters)
    }
    if (count < 2) return
    spoken.set(term, parts.map((part) => (typeof part === 'string' ? part : part.letters)).join(' '))
    if (count < MIN_HOMOPHONE_SYLLABLES) ownCharacters[index] = new Set(chars)
    else for (const syllable of syllables) if (syllable) soundAlike.add(syllable)
    const mixes = count <= MAX_MIXED_SYLLABLES ? 2 ** count : 2
    for (let mix = 0; mix < mixes; mix++) {
      // Bit k set: the k-th syllable in letters (with two mixes: all symbols, then all letters).
      const lettersAt = (k: number): boolean => (count <= MAX_MIXED_SYLLABLES ? ((mix >> k) & 1) === 1 : mix === 1)
      let pattern = ''
      let k = 0
      let first: boolean | null = null
      let last = false
      for (const part of parts) {
        const letters = typeof part === 'string' || lettersAt(k)
        pattern += typeof part === 'string' ? part : letters ? part.letters : part.symbol
        if (typeof part !== 'string') k++
        first ??= letters
        last = letters
      }
      patterns.push(pattern)
      forms.push({ term: index, startsWithLetters: first === true, endsWithLetters: last })
    }
  })
  if (patterns.length === 0) return null

  // The text side: homophones to their syllable's symbol, letters as letters, the rest left out or a break.
  const table = new Uint16Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    const entry = skip.table[c] as number
    table[c] = entry === FOLD_DROP ? FOLD_DROP : entry === FOLD_SLOW ? FOLD_SLOW : isLatin(entry) ? entry : FOLD_BREAK
  }
  // Homophones only of syllables of terms long enough to be found through them; shorter terms only through their own characters.
  for (const syllable of soundAlike) {
    const symbol = symbols.get(syllable) ?? FOLD_BREAK
    for (const char of readings.homophones[syllable] ?? '') {
      const unit = char.charCodeAt(0)
      // A character read several ways takes the first of this lexicon's syllables it was listed under.
      if (char.length === 1 && table[unit] === FOLD_BREAK) table[unit] = symbol
    }
  }
  // Traditional forms of the terms' characters sound the same.
  for (const [from, to] of Object.entries(readings.variants)) {
    const symbol = table[to.charCodeAt(0)] as number
    if (from.length === 1 && to.length === 1 && symbol >= SYMBOL_BASE && symbol < FOLD_BREAK && table[from.charCodeAt(0)] === FOLD_BREAK) table[from.charCodeAt(0)] = symbol
  }
  // A term's own character reads as its syllable in that term (单 is dan in 刷单, whatever its usual reading).
  for (const index of new Set(forms.map((f) => f.term))) {
    const term = terms[index] ?? ''
    const syllables = readings.syllables[term] ?? []
    Array.from(term).forEach((char, k) => {
      const symbol = symbols.get(syllables[k] ?? '')
      if (symbol !== undefined && char.length === 1) table[char.charCodeAt(0)] = symbol
    })
  }
  const fold: UnitFold = {
    table,
    slow(codePoint) {
      const units = skip.slow(codePoint)
      if (units === null || units === '') return units
      return [...units].every((c) => isLatin(c.charCodeAt(0))) ? units : null
    },
  }
  return { automaton: new Automaton(patterns), fold, forms, ownCharacters, spoken }
}

/** A Latin letter of the original text (ASCII or full width, either case). */
function latinAt(text: string, index: number): boolean {
  const c = text.charCodeAt(index)
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)
}

/** Whether a match of form `formIndex` at [start, end) stands: letters on word edges, homophones only where allowed. */
export function pinyinMatchStands(matcher: PinyinMatcher, text: string, start: number, end: number, formIndex: number): boolean {
  const form = matcher.forms[formIndex]
  if (!form) return false
  if (form.startsWithLetters && start > 0 && latinAt(text, start - 1)) return false
  if (form.endsWithLetters && latinAt(text, end)) return false
  const own = matcher.ownCharacters[form.term]
  if (!own) return true
  for (const char of text.slice(start, end)) {
    const entry = matcher.fold.table[char.charCodeAt(0)] as number
    if (entry >= SYMBOL_BASE && entry < FOLD_BREAK && !own.has(char)) return false
  }
  return true
}

/// <reference path="./opencc-dict.d.ts" />
/**
 * Works out a lexicon's readings (shared/moderation/readings.ts) when it is
 * stored: which traditional and variant characters stand for the simplified
 * characters of its terms (opencc-js's character tables), and how the terms
 * of `pinyin` categories sound and which characters sound the same
 * (pinyin-pro). Only the `moderation` function stores lexicons, so only it
 * carries these dictionaries; every other function reads the result.
 */
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev'
import TSCharacters from 'opencc-js/dict/TSCharacters'
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev'
import { pinyin } from 'pinyin-pro'
import { CATEGORIES, foldsOf, type Lexicon } from '../../../shared/moderation/lexicon'
import type { LexiconReadings } from '../../../shared/moderation/readings'

const CJK = /^\p{Script=Han}$/u
const SYLLABLE = /^[a-z]{1,6}$/

/** Every "from to" pair of opencc dictionaries, the first candidate of each. */
function pairs(dictionary: string): Array<[string, string]> {
  return dictionary.split('|').flatMap((line) => {
    const [from, to] = line.split(' ')
    return from && to ? [[from, Array.from(to)[0] ?? to] as [string, string]] : []
  })
}

let toSimplified: Map<string, string> | null = null

/** Traditional or regional variant character → simplified character (one character to one). */
function simplifiedOf(): Map<string, string> {
  if (toSimplified) return toSimplified
  const single = (pair: [string, string]): boolean => Array.from(pair[0]).length === 1 && Array.from(pair[1]).length === 1
  const map = new Map(pairs(TSCharacters).filter(single))
  // Regional variants (裡, 着 …) go to their traditional form first, then to simplified.
  for (const [from, to] of [...pairs(TWVariantsRev), ...pairs(HKVariantsRev)].filter(single)) if (!map.has(from)) map.set(from, map.get(to) ?? to)
  toSimplified = map
  return map
}

/**
 * The 6,763 characters of GB 2312 (both levels): the ones people type to
 * write a word another way. Rarer characters are not worth their bytes in
 * every function that scans. Read from the GBK decoder every Node carries.
 */
function commonCharacters(): string[] {
  const gbk = new TextDecoder('gbk')
  const chars: string[] = []
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const char = gbk.decode(new Uint8Array([row, cell]))
      if (CJK.test(char)) chars.push(char)
    }
  }
  return chars
}

/** Toneless syllables, ü as v (lv, nv), as people type them. */
function syllablesOf(text: string, multiple: boolean): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true, multiple }).map((s) => s.toLowerCase())
}

export function lexiconReadings(lexicon: Lexicon): LexiconReadings {
  const simplified = simplifiedOf()
  const termChars = new Set<string>()
  const syllables: Record<string, string[]> = {}
  const wanted = new Set<string>()
  for (const category of CATEGORIES) {
    const entry = lexicon.categories[category]
    if (!entry) continue
    const sounds = foldsOf(entry).pinyin
    for (const term of entry.terms) {
      const chars = Array.from(term)
      for (const char of chars) termChars.add(simplified.get(char) ?? char)
      if (!sounds) continue
      // In context, so that 单 in 刷单 is dan; one syllable per character, '' where it is not Chinese.
      const spoken = syllablesOf(term, false)
      syllables[term] = chars.map((char, k) => {
        const syllable = spoken[k] ?? ''
        return CJK.test(char) && SYLLABLE.test(syllable) ? syllable : ''
      })
      for (const syllable of syllables[term] ?? []) if (syllable) wanted.add(syllable)
    }
  }

  const variants: Record<string, string> = {}
  for (const [from, to] of simplified) if (termChars.has(to) && from !== to) variants[from] = to

  // Homophones: every common character whose usual reading (pinyin-pro lists it first) is one of the terms' syllables.
  const homophones: Record<string, string> = {}
  if (wanted.size > 0) {
    for (const char of commonCharacters()) {
      const [reading] = syllablesOf(char, true)
      if (reading && wanted.has(reading)) homophones[reading] = (homophones[reading] ?? '') + char
    }
  }
  return { variants, syllables, homophones }
}

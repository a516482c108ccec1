/**
 * How a lexicon's characters are also written and read: the data behind the
 * `traditional` and `pinyin` folds. Worked out from the lexicon when it is
 * stored (cloudfunctions/_core/moderation/lexicon-readings.ts, with opencc-js
 * and pinyin-pro) and kept beside it, so the functions that scan carry neither
 * dictionary: only the few hundred characters this lexicon needs.
 */
import * as z from 'zod/mini'

export interface LexiconReadings {
  /** Traditional or variant character → the simplified one, for every simplified character of a term. */
  variants: Record<string, string>
  /** Each term of a `pinyin` category → one toneless syllable per character ('' where a character is not Chinese). */
  syllables: Record<string, string[]>
  /** Syllable → every Chinese character whose usual reading it is (the homophones of the terms' characters). */
  homophones: Record<string, string>
}

export const NO_READINGS: LexiconReadings = { variants: {}, syllables: {}, homophones: {} }

const SYLLABLE = /^[a-z]{1,6}$/
const oneCharacter = z.string().check(z.refine((s) => Array.from(s).length === 1, '应为一个字'))

/** Readings come from the database: their shape is checked before the scanner trusts them. */
export const lexiconReadingsSchema = z.object({
  variants: z.record(oneCharacter, oneCharacter),
  syllables: z.record(z.string(), z.array(z.string().check(z.refine((s) => s === '' || SYLLABLE.test(s))))),
  homophones: z.record(z.string().check(z.regex(SYLLABLE)), z.string()),
})

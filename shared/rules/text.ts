/** Control characters and zero-width marks that have no place in names shown to others. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text)
}

/** Length as people count it: an emoji or a Chinese character is one. */
export function visibleLength(text: string): number {
  return Array.from(text).length
}

/** Characters made to look like nothing (Hangul fillers, the blank braille cell): only ever used to fake an empty name. */
const FILLERS = /[\u115f\u1160\u2800\u3164\uffa0]/
/** Half of a surrogate pair on its own: not a character at all, rendered as a box or as nothing. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/** Spaces of every width. */
const SPACES = /[\s\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]/g

/** A name that would show as blank, or that carries characters made to look blank (invisible marks are refused by hasInvisibleCharacters). */
export function looksBlank(text: string): boolean {
  if (FILLERS.test(text) || LONE_SURROGATE.test(text)) return true
  return text.replace(SPACES, '').length === 0
}

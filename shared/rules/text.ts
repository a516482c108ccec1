/** Control characters and zero-width marks that have no place in names shown to others. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text)
}

/** Length as people count it: an emoji or a Chinese character is one. */
export function visibleLength(text: string): number {
  return Array.from(text).length
}

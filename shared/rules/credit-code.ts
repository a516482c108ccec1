/**
 * The unified social credit code of an organization (统一社会信用代码, GB 32100-2015):
 * 18 characters from 0–9 and the capital letters without I, O, S, V and Z; the
 * last is a check character over the first 17 (weights 3^i mod 31).
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const SHAPE = /^[0-9A-HJ-NP-RTUWXY]{18}$/

/** The check character for the first 17 characters, or '' if one of them is not in the code's alphabet. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(first17.charAt(i))
    if (value < 0) return ''
    sum += value * (WEIGHTS[i] ?? 0)
  }
  return CHARSET.charAt((31 - (sum % 31)) % 31)
}

/** Whether `code` (upper-cased by the caller) is a well-formed credit code with the right check character. */
export function creditCodeValid(code: string): boolean {
  return SHAPE.test(code) && creditCodeCheckCharacter(code.slice(0, 17)) === code.charAt(17)
}

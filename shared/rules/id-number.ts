/**
 * Resident ID numbers (GB 11643-1999): 17 digits + ISO 7064 MOD 11-2 check character.
 * Pure checks only; storage (encryption, blind index) lives on the server.
 */
import { parseCalendarDate, type DateParts } from './age'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

export function checkCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0)
  return CHECK_CHARS[sum % 11] ?? ''
}

/** Upper-cases a trailing x and strips surrounding spaces. */
export function normalizeIdNumber(text: string): string {
  return text.trim().toUpperCase()
}

export type IdNumberProblem = 'shape' | 'region' | 'birthDate' | 'future' | 'checkDigit'

export const ID_NUMBER_PROBLEMS: Record<IdNumberProblem, string> = {
  shape: '身份证号应为18位，前17位为数字，最后一位为数字或X',
  region: '身份证号的地区码不正确',
  birthDate: '身份证号中的出生日期不存在',
  future: '身份证号中的出生日期晚于今天',
  checkDigit: '身份证号校验位不正确，请核对',
}

export function birthDateOf(idNumber: string): DateParts | null {
  return parseCalendarDate(`${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`)
}

/** The province-level codes of GB/T 2260 that ID numbers begin with. */
export const PROVINCES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
])

/** The first problem with an ID number (already normalized), or null when it is valid on `today`. */
export function idNumberProblem(idNumber: string, today: DateParts): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return 'shape'
  // A real province (GB/T 2260, with Taiwan 71, Hong Kong 81, Macao 82); the rest of the region code not all zeros.
  if (!PROVINCES.has(idNumber.slice(0, 2)) || idNumber.slice(2, 6) === '0000') return 'region'
  const birth = birthDateOf(idNumber)
  if (!birth || birth.year < 1900) return 'birthDate'
  if (birth.year * 10000 + birth.month * 100 + birth.day > today.year * 10000 + today.month * 100 + today.day) return 'future'
  if (checkCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return 'checkDigit'
  return null
}

/** 4***************1X: the first and the last two characters stay visible. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < 4) return '*'.repeat(idNumber.length)
  return `${idNumber[0]}${'*'.repeat(idNumber.length - 3)}${idNumber.slice(-2)}`
}

/** 张* / 欧阳** : only the first character of a name stays visible. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return ''
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`
}

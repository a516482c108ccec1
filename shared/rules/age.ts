/**
 * Age on a date, in the legal sense used for minors' protection: a person has
 * completed N years from the day AFTER their Nth birthday (the Supreme People's
 * Court reckoning of 周岁). Someone born on 29 February has that birthday on
 * 28 February in common years, so completes the year on 1 March.
 * Dates are calendar dates (YYYY-MM-DD) in Beijing time.
 */
export type CalendarDate = string

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
}

export interface DateParts {
  year: number
  month: number
  day: number
}

/** Parses a real calendar date; null for shapes or days that do not exist (2023-02-29). */
export function parseCalendarDate(text: string): DateParts | null {
  const match = DATE_SHAPE.exec(text)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return { year, month, day }
}

/** The calendar date in Beijing (UTC+8) of an instant. */
export function beijingDate(instant: Date): DateParts {
  const shifted = new Date(instant.getTime() + 8 * 3600 * 1000)
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

function compare(a: DateParts, b: DateParts): number {
  return a.year - b.year || a.month - b.month || a.day - b.day
}

/** Completed years on `on` (Beijing date), counted from the day after each birthday. */
export function completedYears(birth: DateParts, on: DateParts): number {
  let years = on.year - birth.year
  const birthdayThisYear: DateParts = {
    year: on.year,
    month: birth.month,
    day: Math.min(birth.day, daysInMonth(on.year, birth.month)),
  }
  // Not yet past this year's birthday (the birthday itself does not count yet).
  if (compare(on, birthdayThisYear) <= 0) years -= 1
  return Math.max(0, years)
}

export type AgeClass = 'under14' | 'minor14to17' | 'adult' | 'unknown'

export function ageClass(birth: DateParts | null, on: DateParts): AgeClass {
  if (!birth) return 'unknown'
  const years = completedYears(birth, on)
  if (years < 14) return 'under14'
  if (years < 18) return 'minor14to17'
  return 'adult'
}

export function isFuture(date: DateParts, today: DateParts): boolean {
  return compare(date, today) > 0
}

import { ageClass, beijingDate, completedYears, parseCalendarDate } from '../../shared/rules/age'

const d = (text: string) => {
  const parts = parseCalendarDate(text)
  if (!parts) throw new Error(`bad date ${text}`)
  return parts
}

describe('completed years (周岁, counted from the day after the birthday)', () => {
  it('does not count the birthday itself', () => {
    expect(completedYears(d('2012-05-10'), d('2026-05-09'))).toBe(13)
    expect(completedYears(d('2012-05-10'), d('2026-05-10'))).toBe(13)
    expect(completedYears(d('2012-05-10'), d('2026-05-11'))).toBe(14)
  })

  it('reckons a 29 February birth from 28 February in common years', () => {
    expect(completedYears(d('2012-02-29'), d('2026-02-28'))).toBe(13)
    expect(completedYears(d('2012-02-29'), d('2026-03-01'))).toBe(14)
    expect(completedYears(d('2012-02-29'), d('2028-02-29'))).toBe(15)
    expect(completedYears(d('2012-02-29'), d('2028-03-01'))).toBe(16)
  })

  it('handles the turn of the year and a birth date of today', () => {
    expect(completedYears(d('2008-12-31'), d('2026-12-31'))).toBe(17)
    expect(completedYears(d('2008-12-31'), d('2027-01-01'))).toBe(18)
    expect(completedYears(d('2026-11-23'), d('2026-11-23'))).toBe(0)
  })
})

describe('minor classes', () => {
  it.each([
    ['2012-11-23', 'under14'],
    ['2012-11-22', 'minor14to17'],
    ['2008-11-23', 'minor14to17'],
    ['2008-11-22', 'adult'],
  ] as const)('born %s is %s on 2026-11-23', (birth, expected) => {
    expect(ageClass(d(birth), d('2026-11-23'))).toBe(expected)
  })

  it('is unknown without a birth date', () => {
    expect(ageClass(null, d('2026-11-23'))).toBe('unknown')
  })
})

describe('calendar dates', () => {
  it('refuses dates that do not exist', () => {
    expect(parseCalendarDate('2023-02-29')).toBeNull()
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 })
    expect(parseCalendarDate('2024-13-01')).toBeNull()
    expect(parseCalendarDate('2024-1-01')).toBeNull()
  })

  it('takes the Beijing date of an instant', () => {
    expect(beijingDate(new Date('2026-11-22T16:00:00Z'))).toEqual({ year: 2026, month: 11, day: 23 })
    expect(beijingDate(new Date('2026-11-22T15:59:59Z'))).toEqual({ year: 2026, month: 11, day: 22 })
  })
})

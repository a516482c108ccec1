import fc from 'fast-check'
import {
  birthDateOf,
  checkCharacter,
  idNumberProblem,
  maskIdNumber,
  maskName,
  normalizeIdNumber,
  PROVINCES,
} from '../../shared/rules/id-number'

const today = { year: 2026, month: 11, day: 23 }

/** A valid ID number from its parts, with the check character computed independently of the code under test. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = first17.split('').reduce((acc, digit, i) => acc + Number(digit) * (weights[i] ?? 0), 0)
  return first17 + ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][sum % 11]
}

const validFirst17 = fc
  .record({
    region: fc.record({ province: fc.constantFrom(...PROVINCES), rest: fc.integer({ min: 1, max: 9999 }) }).map(({ province, rest }) => `${province}${String(rest).padStart(4, '0')}`),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => {
    const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '')
    return `${region}${ymd}${String(sequence).padStart(3, '0')}`
  })

describe('ID numbers (GB 11643-1999)', () => {
  it('accepts a known valid number and computes its check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X')
    expect(idNumberProblem('11010519491231002X', today)).toBeNull()
  })

  it('accepts every well-formed number whose check character is right', () => {
    fc.assert(fc.property(validFirst17, (first17) => idNumberProblem(withCheck(first17), today) === null))
  })

  it('refuses every number whose check character is changed', () => {
    fc.assert(
      fc.property(validFirst17, fc.constantFrom(...'0123456789X'), (first17, other) => {
        const valid = withCheck(first17)
        fc.pre(other !== valid[17])
        return idNumberProblem(first17 + other, today) === 'checkDigit'
      }),
    )
  })

  it('detects any single changed digit in the first 17', () => {
    fc.assert(
      fc.property(validFirst17, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (first17, position, delta) => {
        const valid = withCheck(first17)
        const changed = String((Number(valid[position]) + delta) % 10)
        const tampered = valid.slice(0, position) + changed + valid.slice(position + 1)
        return idNumberProblem(tampered, today) !== null
      }),
    )
  })

  it('normalizes a lower-case x and surrounding spaces', () => {
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X')
    expect(idNumberProblem(normalizeIdNumber('11010519491231002x'), today)).toBeNull()
  })

  it.each([
    ['too short', '1101051949123100', 'shape'],
    ['a letter inside', '1101051949A231002X', 'shape'],
    ['X not last', 'X10105194912310021', 'shape'],
    ['province 99', withCheck('99010519491231002'), 'region'],
    ['a province that does not exist (16)', withCheck('16010519491231002'), 'region'],
    ['region 110000', withCheck('11000019491231002'), 'region'],
    ['30 February', withCheck('11010520000230002'), 'birthDate'],
    ['29 February of a common year', withCheck('11010520230229002'), 'birthDate'],
    ['born before 1900', withCheck('11010518991231002'), 'birthDate'],
    ['born tomorrow', withCheck('11010520261124002'), 'future'],
  ] as const)('refuses %s', (_name, idNumber, problem) => {
    expect(idNumberProblem(idNumber, today)).toBe(problem)
  })

  it('accepts 29 February of a leap year and a birth date of today', () => {
    expect(idNumberProblem(withCheck('11010520240229002'), today)).toBeNull()
    expect(idNumberProblem(withCheck('11010520261123002'), today)).toBeNull()
  })

  it('reads the birth date', () => {
    expect(birthDateOf('11010519491231002X')).toEqual({ year: 1949, month: 12, day: 31 })
  })
})

describe('masking', () => {
  it('keeps only the first and the last two characters of an ID number', () => {
    expect(maskIdNumber('41010519491231001X')).toBe('4***************1X')
    fc.assert(
      fc.property(validFirst17, (first17) => {
        const masked = maskIdNumber(withCheck(first17))
        return masked.length === 18 && masked.slice(1, 16) === '*'.repeat(15)
      }),
    )
  })

  it('keeps only the first character of a name', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('李')).toBe('李*')
    expect(maskName('  ')).toBe('')
  })
})

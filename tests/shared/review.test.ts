/** The staff side's pure rules (shared/review.ts) and blank-looking names (shared/rules/text.ts). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { categoriesOfLabels, LADDER, rankKey, reporterWeight, RULES, suggestedStep, URGENT_CATEGORIES } from '../../shared/review'
import { looksBlank } from '../../shared/rules/text'

describe('reporterWeight', () => {
  it('counts a verified reporter twice an unverified one, moves with their record, and stays within bounds', () => {
    expect(reporterWeight({ verified: true, upheld: 0, rejected: 0 })).toBe(1)
    expect(reporterWeight({ verified: false, upheld: 0, rejected: 0 })).toBe(0.5)
    expect(reporterWeight({ verified: true, upheld: 3, rejected: 0 })).toBe(1.3)
    expect(reporterWeight({ verified: true, upheld: 0, rejected: 2 })).toBe(0.6)
    expect(reporterWeight({ verified: true, upheld: 1000, rejected: 0 })).toBe(2)
    expect(reporterWeight({ verified: false, upheld: 0, rejected: 1000 })).toBe(0.25)
  })
})

describe('the escalation ladder', () => {
  it('goes warn → 7-day publishing ban → 30-day suspension → termination, and stays there', () => {
    expect([0, 1, 2, 3, 9].map((n) => suggestedStep(n).action)).toEqual(['warn', 'restrict', 'suspend', 'terminate', 'terminate'])
    expect(LADDER[1]).toMatchObject({ days: 7, features: ['publish'] })
    expect(LADDER[2]?.days).toBe(30)
  })
})

describe('rankKey', () => {
  it('sorts urgent items first, then by score, then the older, then by id', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 7) + ms)
    const keys = [
      rankKey({ urgent: false, score: 1, createdAt: at(0), id: 'b' }),
      rankKey({ urgent: true, score: 0.5, createdAt: at(9), id: 'z' }),
      rankKey({ urgent: false, score: 3.25, createdAt: at(5), id: 'c' }),
      rankKey({ urgent: false, score: 1, createdAt: at(0), id: 'a' }),
      rankKey({ urgent: false, score: 1, createdAt: at(-5), id: 'y' }),
    ]
    expect([...keys].sort().map((k) => k.split(':')[1])).toEqual(['z', 'c', 'y', 'a', 'b'])
    expect(URGENT_CATEGORIES.has('privacy')).toBe(true)
  })
})

describe('RULES', () => {
  it('quotes the user agreement word for word', () => {
    const agreement = readFileSync(join(__dirname, '..', '..', 'legal', 'templates', 'user-agreement.md'), 'utf8')
    for (const rule of Object.values(RULES)) expect(agreement).toContain(rule.text)
  })
})

describe('categoriesOfLabels', () => {
  it('reads lexicon categories, the gate’s own labels and WeChat’s codes as report categories', () => {
    expect(categoriesOfLabels(['ad', 20002, 'personalData', '20006', 99999, 'vulgar'])).toEqual(['spam', 'porn', 'privacy', 'illegal'])
  })
})

describe('looksBlank', () => {
  it('catches names that show as nothing, and the characters made to fake that', () => {
    for (const blank of ['   ', '\u3164', '小\u3164明', '\u2800\u2800', '\u3000', '\ud800', 'a\udc00b', '\u115f']) expect([blank, looksBlank(blank)]).toEqual([blank, true])
    for (const fine of ['小明', 'Amy Lee', '😀', '张 三']) expect([fine, looksBlank(fine)]).toEqual([fine, false])
  })
})

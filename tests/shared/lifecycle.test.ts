import { ACCOUNT_STATES, type AccountState } from '../../shared/account'
import { addMonths, applyTransition, dormancyStep, effectiveState, hidesContent, isBanned, TRANSITIONS, type TransitionName } from '../../shared/rules/lifecycle'

const now = new Date('2026-11-23T00:00:00Z')
const later = new Date('2026-11-30T00:00:00Z')

describe('account transitions', () => {
  it('names a transition into every state but active, from somewhere', () => {
    const reachable = new Set(Object.values(TRANSITIONS).map((t) => t.to))
    for (const state of ACCOUNT_STATES) if (state !== 'active') expect(reachable).toContain(state)
  })

  it('never leaves the deleted state', () => {
    for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
      for (const actor of ['user', 'reviewer', 'admin', 'system'] as const) {
        const result = applyTransition('deleted', { name, actor, reason: 'x', until: later, now })
        expect(result.ok).toBe(false)
      }
    }
  })

  it.each([
    ['suspend', 'active', 'reviewer', 'suspended'],
    ['freezeSelf', 'active', 'user', 'frozenBySelf'],
    ['requestDeletion', 'dormant', 'user', 'pendingDeletion'],
    ['cancelDeletion', 'pendingDeletion', 'user', 'active'],
    ['restore', 'terminated', 'admin', 'active'],
    ['terminate', 'pendingDeletion', 'admin', 'terminated'],
  ] as const)('%s takes %s to %s for a %s', (name, from, actor, to) => {
    expect(applyTransition(from as AccountState, { name, actor, reason: '违反社区规范第3条', until: later, now })).toEqual({ ok: true, to })
  })

  it('refuses the wrong actor, the wrong state, a missing reason and a missing or past end time', () => {
    expect(applyTransition('active', { name: 'suspend', actor: 'user', reason: 'r', until: later, now })).toEqual({ ok: false, refusal: 'NOT_ALLOWED_FOR_ACTOR' })
    expect(applyTransition('frozenByStaff', { name: 'restore', actor: 'reviewer', reason: 'r', now })).toEqual({ ok: false, refusal: 'NOT_ALLOWED_FOR_ACTOR' })
    expect(applyTransition('deleted', { name: 'wake', actor: 'user', now })).toEqual({ ok: false, refusal: 'NOT_ALLOWED_FROM_STATE' })
    expect(applyTransition('active', { name: 'suspend', actor: 'admin', reason: '  ', until: later, now })).toEqual({ ok: false, refusal: 'REASON_REQUIRED' })
    expect(applyTransition('active', { name: 'suspend', actor: 'admin', reason: 'r', until: null, now })).toEqual({ ok: false, refusal: 'END_TIME_REQUIRED' })
    expect(applyTransition('active', { name: 'suspend', actor: 'admin', reason: 'r', until: now, now })).toEqual({ ok: false, refusal: 'END_TIME_REQUIRED' })
  })
})

describe('timed states end by themselves', () => {
  it('a suspension ends at its end time', () => {
    const facts = { state: 'suspended' as const, stateUntil: later, bans: [] }
    expect(effectiveState(facts, new Date(later.getTime() - 1))).toBe('suspended')
    expect(effectiveState(facts, later)).toBe('active')
  })

  it('a feature ban applies to its feature only, until it expires', () => {
    const facts = { state: 'restricted' as const, stateUntil: null, bans: [{ feature: 'publish' as const, until: later, reason: '广告' }] }
    expect(isBanned(facts, 'publish', now)).toBe(true)
    expect(isBanned(facts, 'exchange', now)).toBe(false)
    expect(isBanned(facts, 'publish', later)).toBe(false)
    expect(effectiveState(facts, later)).toBe('active')
  })
})

describe('content visibility', () => {
  it('hides a person’s content while dormant, pending deletion, frozen by staff or terminated, and shows it otherwise', () => {
    const hidden = ACCOUNT_STATES.filter((s) => hidesContent(s))
    expect(hidden.sort()).toEqual(['deleted', 'dormant', 'frozenByStaff', 'pendingDeletion', 'terminated'])
  })
})

describe('dormancy', () => {
  const DAY = 24 * 3600 * 1000
  const last = new Date('2026-01-31T04:00:00Z')

  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths(last, 1).toISOString()).toBe('2026-02-28T04:00:00.000Z')
    expect(addMonths(last, 12).toISOString()).toBe('2027-01-31T04:00:00.000Z')
    expect(addMonths(new Date('2026-03-15T00:00:00Z'), -2).toISOString()).toBe('2026-01-15T00:00:00.000Z')
  })

  const due = addMonths(last, 12)
  const at = (daysBefore: number) => new Date(due.getTime() - daysBefore * DAY)

  it('notices at 30 and 7 days before, then dormancy on the date', () => {
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [], lastNoticeAt: null }, 12, at(31))).toEqual({ kind: 'none' })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [], lastNoticeAt: null }, 12, at(30))).toEqual({ kind: 'notice', days: 30, covers: [30], dormantAt: due })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30], lastNoticeAt: at(30) }, 12, at(8))).toEqual({ kind: 'none' })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30], lastNoticeAt: at(30) }, 12, at(7))).toEqual({ kind: 'notice', days: 7, covers: [7], dormantAt: due })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30, 7], lastNoticeAt: at(7) }, 12, at(0.001))).toEqual({ kind: 'none' })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30, 7], lastNoticeAt: at(7) }, 12, due)).toEqual({ kind: 'dormant' })
  })

  it('never goes dormant unwarned: a late first run warns and postpones', () => {
    const late = new Date(due.getTime() + 3 * DAY)
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [], lastNoticeAt: null }, 12, late)).toEqual({
      kind: 'notice',
      days: 7,
      covers: [30, 7],
      dormantAt: new Date(late.getTime() + 7 * DAY),
    })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30, 7], lastNoticeAt: late }, 12, new Date(late.getTime() + 6 * DAY))).toEqual({ kind: 'none' })
    expect(dormancyStep({ lastActiveAt: last, noticesSent: [30, 7], lastNoticeAt: late }, 12, new Date(late.getTime() + 7 * DAY))).toEqual({ kind: 'dormant' })
  })
})

import { ACCOUNT_STATES, type AccountState } from '../../shared/account'
import { applyTransition, effectiveState, isBanned, TRANSITIONS, type TransitionName } from '../../shared/rules/lifecycle'

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

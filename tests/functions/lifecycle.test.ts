/**
 * The account lifecycle as users and staff meet it: self-freezing, staff
 * decisions with reasons and end times, timed states that end by themselves,
 * the history and the inbox messages every transition leaves.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import { AppError } from '../../cloudfunctions/_core/errors'
import { requireFeature } from '../../cloudfunctions/_core/lifecycle/features'
import { recordTransition, type AccountEventDoc } from '../../cloudfunctions/_core/lifecycle/transition'
import { startTestCloud, ensureTestDocuments, type TestCloud } from '../../local/testing'
import type { StaffAccountView } from '../../shared/contract/admin'
import { ACCOUNT_STATE_LABELS } from '../../shared/account'
import { errorOf, ok } from './helpers'
import { DAY, fire, inbox, lifecycleOf, makeStaff, signUp, stored } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-05-04T02:00:00.000Z')
const REVIEWER = 'lc-reviewer'
const ADMIN = 'lc-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
  await makeStaff(cloud, REVIEWER, 'reviewer')
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

const account = (openid: string, action: string, input: unknown = {}) => cloud.call('account', { action, input }, openid)
const admin = (openid: string, action: string, input: unknown) => cloud.call('admin', { action, input }, openid)
const events = (accountId: string) =>
  cloud.store.collection<AccountEventDoc>('account_events').find({ accountId }, { orderBy: [['at', 'asc']], limit: 100 })

function later(ms: number): string {
  return new Date(cloud.clock.now().getTime() + ms).toISOString()
}

describe('my account state', () => {
  it('reads as normal for a new account, offering freezing and deletion', async () => {
    await signUp(cloud, 'lc-new')
    const view = lifecycleOf(ok(await account('lc-new', 'getState')))
    expect(view).toMatchObject({ state: 'active', label: '正常', reason: null, until: null, bans: [], deletionDueAt: null, appeal: null })
    expect(view.available).toEqual(['freeze', 'requestDeletion'])
  })

  it('is shown on login too', async () => {
    await signUp(cloud, 'lc-login')
    const login = ok<{ lifecycle: { state: string }; woke: boolean }>(await account('lc-login', 'login'))
    expect(login.lifecycle.state).toBe('active')
    expect(login.woke).toBe(false)
  })
})

describe('self-freezing', () => {
  it('stops the account at once, and only I can undo it after signing in again', async () => {
    await signUp(cloud, 'lc-freeze')
    const frozen = lifecycleOf(ok(await account('lc-freeze', 'freeze')))
    expect(frozen.state).toBe('frozenBySelf')
    expect(frozen.available).toEqual(['unfreeze', 'requestDeletion'])

    // Frozen: ordinary features refuse with the reason in words.
    const refused = errorOf(await account('lc-freeze', 'getProfile'))
    expect(refused.code).toBe('ACCOUNT_UNAVAILABLE')
    expect(refused.message).toContain('冻结')
    // …but the state itself, export and the access log stay reachable.
    expect(lifecycleOf(ok(await account('lc-freeze', 'getState'))).state).toBe('frozenBySelf')

    // Someone holding the phone long after the last sign-in cannot unfreeze.
    cloud.clock.advance(30 * 60 * 1000)
    expect(errorOf(await account('lc-freeze', 'unfreeze', { confirm: true })).code).toBe('REAUTH_REQUIRED')
    expect(errorOf(await account('lc-freeze', 'unfreeze', {})).code).toBe('INVALID_INPUT')

    ok(await account('lc-freeze', 'login'))
    const unfrozen = lifecycleOf(ok(await account('lc-freeze', 'unfreeze', { confirm: true })))
    expect(unfrozen.state).toBe('active')
    expect(ok<{ account: { state: string } }>(await account('lc-freeze', 'getProfile')).account.state).toBe('active')

    const messages = await inbox(cloud, 'lc-freeze')
    expect(messages.map((m) => m.title)).toEqual(expect.arrayContaining(['账号已冻结', '账号已解冻']))
    // Each message opens 账号与安全 (where unfreezing is), and names the menu item as 我的 shows it.
    for (const message of messages.filter((m) => m.type === 'accountState')) expect(message.link).toBe('/packageAccount/pages/security/index')
    const frozenMessage = messages.find((m) => m.title === '账号已冻结')
    expect(frozenMessage?.body).toContain('「我的 → 账号与安全」')
    expect(frozenMessage?.body).not.toContain('账号状态」')
    const history = await events((await stored(cloud, 'lc-freeze'))._id)
    expect(history.map((e) => [e.transition, e.from, e.to, e.actor])).toEqual([
      ['freezeSelf', 'active', 'frozenBySelf', 'user'],
      ['unfreezeSelf', 'frozenBySelf', 'active', 'user'],
    ])
  })

  it('cannot be taken twice', async () => {
    await signUp(cloud, 'lc-freeze-2')
    ok(await account('lc-freeze-2', 'freeze'))
    // A frozen account is not usable, so freezing again is refused at the door.
    expect(errorOf(await account('lc-freeze-2', 'freeze')).code).toBe('ACCOUNT_UNAVAILABLE')
  })
})

describe('staff decisions', () => {
  it('suspend until a time: a reason is required, the person is told why and until when, and it ends by itself', async () => {
    const target = await signUp(cloud, 'lc-suspend')
    const noReason = errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: ' ', until: later(DAY) }))
    expect(noReason.code).toBe('INVALID_INPUT')
    const noUntil = errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '多次发布广告信息' }))
    expect(noUntil.code).toBe('END_TIME_REQUIRED')
    const past = errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '多次发布广告信息', until: later(-1000) }))
    expect(past.code).toBe('END_TIME_REQUIRED')

    const until = later(3 * DAY)
    const view = ok<{ account: StaffAccountView }>(
      await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '多次发布广告信息', until }),
    ).account
    expect(view.lifecycle).toMatchObject({ state: 'suspended', reason: '多次发布广告信息', until })
    expect(view.events[0]).toMatchObject({ transition: 'suspend', actor: 'reviewer', reason: '多次发布广告信息', until })

    const refused = errorOf(await account('lc-suspend', 'getProfile'))
    expect(refused.code).toBe('ACCOUNT_UNAVAILABLE')
    expect(refused.message).toContain('多次发布广告信息')
    const mine = lifecycleOf(ok(await account('lc-suspend', 'getState')))
    expect(mine).toMatchObject({ state: 'suspended', label: ACCOUNT_STATE_LABELS.suspended, reason: '多次发布广告信息', until })
    expect(mine.appeal).toContain('申诉')

    const message = (await inbox(cloud, 'lc-suspend')).find((m) => m.title === '账号已被暂停使用')
    expect(message?.type).toBe('accountState')
    expect(message?.body).toContain('多次发布广告信息')
    expect(message?.body).toContain('申诉')
    expect(message?.body).toMatch(/暂停使用至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)

    // At the end time the suspension is over, before any timer runs.
    cloud.clock.set(new Date(until))
    expect(ok<{ account: { state: string } }>(await account('lc-suspend', 'getProfile')).account.state).toBe('active')
    expect((await stored(cloud, 'lc-suspend')).state).toBe('suspended')

    // The timer tidies the stored state and tells the person.
    await fire(cloud, 'tidyTimedStates')
    expect((await stored(cloud, 'lc-suspend')).state).toBe('active')
    expect((await inbox(cloud, 'lc-suspend')).map((m) => m.title)).toContain('账号已恢复使用')
    const history = await events(target._id)
    expect(history.at(-1)).toMatchObject({ transition: 'endSuspension', from: 'suspended', to: 'active', actor: 'system' })
  })

  it('restrict bans the named features only, until their end; the rest of the account works', async () => {
    const target = await signUp(cloud, 'lc-restrict')
    const until = later(2 * DAY)
    const noFeatures = errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '评论区辱骂他人', until }))
    expect(noFeatures.code).toBe('INVALID_INPUT')
    const view = ok<{ account: StaffAccountView }>(
      await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '评论区辱骂他人', until, features: ['comment'] }),
    ).account
    expect(view.lifecycle.state).toBe('restricted')
    expect(view.lifecycle.bans).toEqual([{ feature: 'comment', label: '评论', until, reason: '评论区辱骂他人' }])
    // Restricted accounts still use everything else.
    ok(await account('lc-restrict', 'getProfile'))
    expect((await stored(cloud, 'lc-restrict')).bans.map((b) => b.until instanceof Date)).toEqual([true])

    // A second restriction adds a ban; the end of the state is the last ban's end.
    const longer = later(5 * DAY)
    ok(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '发布虚假活动', until: longer, features: ['publish'] }))
    const mine = lifecycleOf(ok(await account('lc-restrict', 'getState')))
    expect(mine.bans.map((b) => b.feature).sort()).toEqual(['comment', 'publish'])
    expect(mine.until).toBe(longer)

    cloud.clock.set(new Date(until))
    expect(lifecycleOf(ok(await account('lc-restrict', 'getState'))).bans.map((b) => b.feature)).toEqual(['publish'])
    cloud.clock.set(new Date(longer))
    expect(lifecycleOf(ok(await account('lc-restrict', 'getState'))).state).toBe('active')
    await fire(cloud, 'tidyTimedStates')
    const after = await stored(cloud, 'lc-restrict')
    expect(after.state).toBe('active')
    expect(after.bans).toEqual([])
    expect((await inbox(cloud, 'lc-restrict')).map((m) => m.title)).toEqual(expect.arrayContaining(['部分功能已被限制', '功能限制已到期']))
  })

  it('lets other domains refuse a banned feature with its end time and reason (requireFeature)', async () => {
    const target = await signUp(cloud, 'lc-feature')
    ok(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '发布广告名片', until: later(DAY), features: ['publish'] }))
    const ctx = { ...cloud.runtimeFor('lc-feature'), requestId: 'feature', fn: 'cards', action: 'publish', now: cloud.clock.now(), account: await stored(cloud, 'lc-feature') }
    let refusal: unknown = null
    try {
      requireFeature(ctx, 'publish')
    } catch (error) {
      refusal = error
    }
    expect(refusal instanceof AppError ? [refusal.code, refusal.userMessage] : null).toEqual(['FEATURE_RESTRICTED', expect.stringContaining('发布广告名片')])
    expect(() => requireFeature(ctx, 'comment')).not.toThrow()
    expect(() => requireFeature({ ...ctx, now: new Date(later(DAY)) }, 'publish')).not.toThrow()
  })

  it('freezing by staff hides content; only an admin restores, with a reason', async () => {
    const target = await signUp(cloud, 'lc-staff-freeze')
    ok(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'freezeByStaff', category: 'spam', rule: 'harassment', reason: '账号疑似被盗，保护性冻结' }))
    expect(await stored(cloud, 'lc-staff-freeze')).toMatchObject({ state: 'frozenByStaff', contentHidden: true })
    // A user cannot unfreeze a staff freeze.
    expect(errorOf(await account('lc-staff-freeze', 'unfreeze', { confirm: true })).code).toBe('ACCOUNT_UNAVAILABLE')

    expect(errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'restore', reason: '核实为本人操作' })).code).toBe('FORBIDDEN')
    ok(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'restore', reason: '核实为本人操作' }))
    expect(await stored(cloud, 'lc-staff-freeze')).toMatchObject({ state: 'active', contentHidden: false, stateReason: '核实为本人操作' })
    expect((await inbox(cloud, 'lc-staff-freeze')).map((m) => m.title)).toEqual(expect.arrayContaining(['账号已被平台冻结', '账号已恢复']))
  })

  it('refuses transitions the state machine does not allow, staff acting on their own account, and unknown accounts', async () => {
    const target = await signUp(cloud, 'lc-refusals')
    const refused = errorOf(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'liftRestrictions', reason: '误操作解除' }))
    expect(refused.code).toBe('TRANSITION_NOT_ALLOWED')
    expect(refused.message).toContain('解除功能限制')
    const self = await stored(cloud, ADMIN)
    expect(errorOf(await admin(ADMIN, 'transition', { accountId: self._id, transition: 'terminate', category: 'spam', rule: 'harassment', reason: '测试自我终止' })).code).toBe('FORBIDDEN')
    expect(errorOf(await admin(ADMIN, 'transition', { accountId: 'no-such-account', transition: 'terminate', category: 'spam', rule: 'harassment', reason: '测试不存在' })).code).toBe('NOT_FOUND')
    expect(errorOf(await admin('lc-refusals', 'transition', { accountId: self._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '普通用户越权', until: later(DAY) })).code).toBe('FORBIDDEN')
    expect((await stored(cloud, ADMIN)).state).toBe('active')
  })

  it('two staff decisions made on the same reading of the account: exactly one is taken, the other must refresh', async () => {
    const target = await signUp(cloud, 'lc-race')
    // Both staff members opened the account page before either decided.
    const seen = await stored(cloud, 'lc-race')
    const ctxOf = (openid: string) => ({ ...cloud.runtimeFor(openid), requestId: `race-${openid}`, fn: 'admin', action: 'transition', now: cloud.clock.now() })
    const outcomes = await Promise.allSettled([
      recordTransition(ctxOf(REVIEWER), seen, { name: 'suspend', actor: 'reviewer', reason: '刷屏广告（一）', until: new Date(later(DAY)) }),
      recordTransition(ctxOf(ADMIN), seen, { name: 'freezeByStaff', actor: 'admin', reason: '涉嫌诈骗（二）' }),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const lost = outcomes.find((o) => o.status === 'rejected')
    expect(lost?.status === 'rejected' && lost.reason instanceof AppError ? lost.reason.code : null).toBe('CONFLICT')
    const history = await events(target._id)
    expect(history).toHaveLength(1)
    expect((await stored(cloud, 'lc-race')).state).toBe(history[0]?.to)
    expect((await inbox(cloud, 'lc-race')).filter((m) => m.type === 'accountState')).toHaveLength(1)
  })

  it('decisions taken one after the other each start from the state the previous one left', async () => {
    const target = await signUp(cloud, 'lc-sequence')
    ok(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '刷屏广告', until: later(DAY) }))
    const view = ok<{ account: StaffAccountView }>(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'freezeByStaff', category: 'spam', rule: 'harassment', reason: '涉嫌诈骗' })).account
    expect(view.events.map((e) => [e.from, e.to])).toEqual([
      ['suspended', 'frozenByStaff'],
      ['active', 'suspended'],
    ])
  })

  it('a terminated account is told the reason and how to appeal', async () => {
    const target = await signUp(cloud, 'lc-terminate')
    ok(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'terminate', category: 'spam', rule: 'harassment', reason: '冒用他人身份，情节严重' }))
    const mine = lifecycleOf(ok(await account('lc-terminate', 'getState')))
    expect(mine).toMatchObject({ state: 'terminated', reason: '冒用他人身份，情节严重', available: [] })
    expect(mine.appeal).toContain('申诉')
  })
})

describe('accounts written before the lifecycle fields existed', () => {
  it('still read, and still take transitions', async () => {
    await accounts(cloud.store).add({
      _id: 'legacy-account',
      openid: 'lc-legacy',
      state: 'active',
      roles: ['user'],
      nickname: '老用户',
      avatarUrl: null,
      createdAt: START,
      updatedAt: START,
      lastActiveAt: START,
      birthDate: '1990-01-01',
      birthDateSource: 'declared',
      verifiedAt: null,
    } as never)
    await signUp(cloud, 'lc-legacy')
    ok(await account('lc-legacy', 'freeze'))
    expect(await stored(cloud, 'lc-legacy')).toMatchObject({ state: 'frozenBySelf', stateVersion: 1 })
  })
})

describe('the scheduler', () => {
  it('has no callable actions, and its timers cannot be forged by a user', async () => {
    expect(errorOf(await cloud.call('scheduler', { action: 'runDeletions' }, 'lc-new')).code).toBe('UNKNOWN_ACTION')
    expect(errorOf(await cloud.call('scheduler', { Type: 'Timer', TriggerName: 'runDeletions' }, 'lc-new')).code).toBe('INVALID_REQUEST')
  })

  it('declares one trigger in config.json, which runs its jobs', () => {
    expect(cloud.triggers.filter((t) => t.fn === 'scheduler').map((t) => t.name)).toEqual(['tick'])
  })
})

/**
 * The review queue and decisions (moderation.queue, item, claim, release,
 * decide): order and filters, audited views, claims and the race between two
 * reviewers, statements of reasons, strikes and the escalation ladder, staff
 * safety — through the real dispatcher, SDK and local database.
 */
import type { AuditDoc } from '../../cloudfunctions/_core/audit'
import type { TestCloud } from '../../local/testing'
import type { AccessLogEntry } from '../../shared/contract/account'
import type { OwnCardView } from '../../shared/contract/cards'
import type { ConductDecisionView, QueueCount, QueueRow, StaffDecisionView } from '../../shared/contract/moderation'
import { errorOf, ok } from './helpers'
import { decideAs, inboxOf, itemIdOf, itemOf, personWithCard, removal, reporter, reviewStage, staff, type Call } from './review-helpers'

const stage = reviewStage('rd')
const ADMIN = stage.admin
const REVIEWER = stage.reviewer
const REVIEWER2 = stage.reviewer2
const DAY = 24 * 3600 * 1000
let cloud: TestCloud
let call: Call
beforeAll(() => {
  cloud = stage.cloud
  call = stage.call
})

const report = (openid: string, kind: string, targetId: string, category = 'spam') => call(openid, 'moderation', 'report', { kind, targetId, category })
const queue = (openid: string, input: Record<string, unknown> = {}) => call(openid, 'moderation', 'queue', input)

async function heldCard(openid: string): Promise<OwnCardView> {
  const card = await personWithCard(cloud, openid, { intro: '欢迎合作，沙箱待审' })
  expect(card.moderation.state).toBe('pendingReview')
  return card
}

describe('the queue', () => {
  let urgent: OwnCardView
  let popular: OwnCardView
  let held: OwnCardView
  beforeAll(async () => {
    held = await heldCard('rq-held')
    popular = await personWithCard(cloud, 'rq-popular')
    for (const who of ['rd-r1', 'rd-r2']) ok(await report(who, 'card', popular.id))
    urgent = await personWithCard(cloud, 'rq-urgent')
    ok(await report('rd-r3', 'card', urgent.id, 'minors'))
  })

  it('puts illegal, minors and privacy first, then the higher score, then the older item', async () => {
    const { items } = ok<{ items: QueueRow[] }>(await queue(REVIEWER, { limit: 50 }))
    const ids = await Promise.all([itemIdOf(cloud, 'card', urgent.id), itemIdOf(cloud, 'card', popular.id), itemIdOf(cloud, 'card', held.id)])
    const positions = ids.map((id) => items.findIndex((row) => row.id === id))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(items.find((row) => row.id === ids[0])).toMatchObject({ urgent: true, category: 'minors', queue: 'reports', kindLabel: '名片' })
    expect(items.find((row) => row.id === ids[2])).toMatchObject({ queue: 'held', sources: ['gate'], sourceLabels: ['自动审核待复核'] })
  })

  it('filters by queue, kind and category, pages with a cursor, and counts each queue', async () => {
    const held = ok<{ items: QueueRow[]; counts: QueueCount[] }>(await queue(REVIEWER, { queue: 'held' }))
    expect(held.items.every((row) => row.queue === 'held')).toBe(true)
    expect(held.counts.map((c) => c.queue)).toEqual(['held', 'reports', 'identity', 'appeals'])
    const reports = held.counts.find((c) => c.queue === 'reports')
    expect(reports?.open).toBeGreaterThanOrEqual(2)
    expect(reports?.oldestAt).not.toBeNull()
    expect(ok<{ items: QueueRow[] }>(await queue(REVIEWER, { category: 'minors' })).items.map((r) => r.category)).toEqual(['minors'])
    expect(ok<{ items: QueueRow[] }>(await queue(REVIEWER, { kind: 'article' })).items).toEqual([])

    const first = ok<{ items: QueueRow[]; nextCursor: string | null }>(await queue(REVIEWER, { limit: 1 }))
    expect(first.nextCursor).not.toBeNull()
    const second = ok<{ items: QueueRow[] }>(await queue(REVIEWER, { limit: 1, cursor: first.nextCursor }))
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id)
    expect(errorOf(await queue(REVIEWER, { cursor: 'not-a-cursor' })).code).toBe('INVALID_INPUT')
  })

  it('is for staff only, and a refused caller leaves nothing in the audit log', async () => {
    expect(errorOf(await queue('rd-r1')).code).toBe('FORBIDDEN')
    expect(errorOf(await queue('')).code).toBe('UNAUTHENTICATED')
    expect(await cloud.store.collection<AuditDoc>('audit_logs').count({ actorOpenid: 'rd-r1' })).toBe(0)
  })
})

describe('moderation.item', () => {
  it('shows the content as published, the reports with pseudonymous reporters, and the person’s record — and the person sees the view in their access log', async () => {
    const card = await personWithCard(cloud, 'ri-author')
    ok(await report('rd-r1', 'card', card.id))
    ok(await call('rd-r2', 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'fraud', comment: '要求先转账' }))
    const id = await itemIdOf(cloud, 'card', card.id)
    expect(errorOf(await call(REVIEWER, 'moderation', 'item', { reviewableId: id })).code).toBe('INVALID_INPUT')
    const item = await itemOf(cloud, REVIEWER, id)
    expect(item.content?.fields).toContainEqual({ field: 'phone', label: '电话', text: '13812345678' })
    expect(item.reports.map((r) => [r.reporter, r.category, r.comment])).toEqual([
      ['举报人 1', 'spam', ''],
      ['举报人 2', 'fraud', '要求先转账'],
    ])
    expect(JSON.stringify(item)).not.toContain('rd-r1')
    expect(item.subject).toMatchObject({ verified: true, staff: false, activeStrikes: 0, decisions: [] })
    expect(item.suggested).toMatchObject({ action: 'warn', label: '警告' })
    expect(item.outcomes).toEqual(['approve', 'remove'])
    expect(item.canDecide).toBe(true)

    const log = ok<{ entries: AccessLogEntry[] }>(await call('ri-author', 'account', 'accessLog', {})).entries
    expect(log[0]).toMatchObject({ role: 'reviewer', action: 'moderation.item', reason: '处理举报队列' })
  })
})

describe('claims and the race between reviewers', () => {
  it('keeps others off a claimed item for 15 minutes; the claim can be given up', async () => {
    const card = await heldCard('rc-claimed')
    const id = await itemIdOf(cloud, 'card', card.id)
    const claimed = ok<{ item: QueueRow }>(await call(REVIEWER, 'moderation', 'claim', { reviewableId: id })).item
    expect(claimed.claim).toMatchObject({ mine: true })
    expect(errorOf(await call(REVIEWER2, 'moderation', 'claim', { reviewableId: id })).code).toBe('CONFLICT')
    const item = await itemOf(cloud, REVIEWER2, id)
    expect(item).toMatchObject({ canDecide: false, cannotDecideReason: '另一位审核员已认领这一项' })
    expect(errorOf(await call(REVIEWER2, 'moderation', 'decide', { reviewableId: id, outcome: 'approve' })).code).toBe('CONFLICT')

    ok(await call(REVIEWER, 'moderation', 'release', { reviewableId: id }))
    ok(await call(REVIEWER2, 'moderation', 'claim', { reviewableId: id }))
    cloud.clock.advance(16 * 60 * 1000)
    // The claim lapsed: anyone may take it.
    ok(await call(REVIEWER, 'moderation', 'claim', { reviewableId: id }))
  })

  it('lets exactly one of two reviewers deciding the same item at once win; the other gets CONFLICT', async () => {
    const card = await heldCard('rc-race')
    const id = await itemIdOf(cloud, 'card', card.id)
    const item = await itemOf(cloud, REVIEWER, id)
    const [a, b] = await Promise.all([
      call(REVIEWER, 'moderation', 'decide', { reviewableId: id, outcome: 'approve', moderationDecisionId: item.moderationDecisionId }),
      call(REVIEWER2, 'moderation', 'decide', removal(item)),
    ])
    const results = [a, b]
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(['CONFLICT'])
    expect(await cloud.store.collection('review_decisions').count({ reviewableId: id })).toBe(1)
  })

  it('refuses a decision about content edited after the reviewer looked at it', async () => {
    const card = await heldCard('rc-edited')
    const id = await itemIdOf(cloud, 'card', card.id)
    const seen = await itemOf(cloud, REVIEWER, id)
    ok(await call('rc-edited', 'cards', 'update', { cardId: card.id, card: { name: '王小明', intro: '改过的简介，沙箱待审' } }))
    const refused = errorOf(await call(REVIEWER, 'moderation', 'decide', { reviewableId: id, outcome: 'approve', moderationDecisionId: seen.moderationDecisionId }))
    expect(refused.code).toBe('CONFLICT')
    expect(refused.message).toContain('被作者修改')
  })
})

describe('decisions', () => {
  it('approves content the gate held: it is published, its author told, its reporters told nothing was found', async () => {
    const card = await heldCard('rdc-approve')
    // What nobody but its author could see cannot be reported.
    expect(errorOf(await report('rd-r1', 'card', card.id)).code).toBe('NOT_FOUND')
    const item = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', card.id))
    const decision = await decideAs(cloud, REVIEWER, { reviewableId: item.reviewable.id, outcome: 'approve', moderationDecisionId: item.moderationDecisionId })
    expect(decision).toMatchObject({ outcome: 'approve', adverse: false, strike: null, deciderRole: 'reviewer' })
    expect(ok(await call('rdc-stranger', 'cards', 'view', { cardId: card.id }))).toBeTruthy()
    expect((await inboxOf(cloud, 'rdc-approve')).map((m) => m.title)).toContain('名片已通过审核')

    ok(await report('rd-r1', 'card', card.id))
    const reported = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', card.id))
    await decideAs(cloud, REVIEWER, { reviewableId: reported.reviewable.id, outcome: 'approve', moderationDecisionId: reported.moderationDecisionId, facts: '名片内容正常' })
    expect((await inboxOf(cloud, 'rd-r1')).map((m) => m.title)).toContain('你举报的内容未发现违规')
    const mine = ok<{ reports: Array<{ targetId: string; outcomeLabel: string }> }>(await call('rd-r1', 'moderation', 'myReports', {})).reports
    expect(mine.find((r) => r.targetId === card.id)?.outcomeLabel).toBe('未发现违规')
  })

  it('removes content with a statement of reasons the author reads, a strike, and the reporters told it was dealt with — never how', async () => {
    const card = await personWithCard(cloud, 'rdc-remove')
    ok(await report('rd-r2', 'card', card.id))
    const item = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', card.id))
    const missing = errorOf(await call(REVIEWER, 'moderation', 'decide', { reviewableId: item.reviewable.id, outcome: 'remove', moderationDecisionId: item.moderationDecisionId }))
    expect(missing.code).toBe('INVALID_INPUT')
    expect(missing.issues?.map((i) => i.path)).toEqual(['category'])

    const decision = await decideAs(cloud, REVIEWER, removal(item))
    expect(decision).toMatchObject({
      adverse: true,
      statement: { category: 'spam', categoryLabel: '广告或垃圾信息', rule: 'harassment', automated: false },
      accountAction: { action: 'warn' },
      strike: { state: 'active' },
      appeal: { canAppeal: true },
    })
    expect(errorOf(await call('rdc-stranger', 'cards', 'view', { cardId: card.id })).code).toBe('CARD_HIDDEN')
    const own = ok<{ card: OwnCardView }>(await call('rdc-remove', 'cards', 'get', { cardId: card.id })).card
    expect(own.moderation.state).toBe('rejected')
    expect(own.moderation.reasons.join('')).toContain('经人工审核')

    const statement = (await inboxOf(cloud, 'rdc-remove')).find((m) => m.title === '你的名片已被处理')
    expect(statement?.body).toContain('违规类别：广告或垃圾信息')
    expect(statement?.body).toContain('依据：《用户协议》第四条：骚扰他人，或者大量发送广告、垃圾信息')
    expect(statement?.body).toContain('事实：名片简介中反复出现引流广告')
    expect(statement?.body).toContain('发现方式：用户举报')
    expect(statement?.body).toContain('申诉')
    const told = (await inboxOf(cloud, 'rd-r2')).find((m) => m.title === '你举报的内容已处理')
    expect(told?.body).not.toMatch(/警告|暂停|限制/)
  })

  it('suggests the next step of the ladder from active strikes, and asks why when the reviewer does otherwise', async () => {
    const first = await personWithCard(cloud, 'rdc-ladder')
    ok(await report('rd-r1', 'card', first.id))
    await decideAs(cloud, REVIEWER, removal(await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', first.id))))
    const second = ok<{ card: OwnCardView }>(await call('rdc-ladder', 'cards', 'create', { name: '王小明', title: '第二张' })).card
    ok(await report('rd-r1', 'card', second.id))
    const item = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', second.id))
    expect(item.suggested).toMatchObject({ action: 'restrict', label: '禁止发布内容 7 天', features: ['publish'] })
    expect(item.subject?.activeStrikes).toBe(1)

    const unexplained = errorOf(await call(REVIEWER, 'moderation', 'decide', removal(item, { accountAction: 'warn' })))
    expect(unexplained.issues?.map((i) => i.path)).toEqual(['deviationReason'])
    const decision = await decideAs(cloud, REVIEWER, removal(item))
    expect(decision.accountAction).toMatchObject({ action: 'restrict', features: ['publish'], skipped: null })
    const banned = errorOf(await call('rdc-ladder', 'cards', 'create', { name: '王小明', title: '第三张' }))
    expect(banned.code).toBe('FEATURE_RESTRICTED')
    // Strikes expire: after 90 days the ladder starts again.
    cloud.clock.advance(91 * DAY)
    const third = await personWithCard(cloud, 'rdc-ladder-late')
    ok(await report('rd-r1', 'card', third.id))
    const late = ok<{ decisions: ConductDecisionView[]; activeStrikes: number }>(await call('rdc-ladder', 'moderation', 'myDecisions', {}))
    expect(late.activeStrikes).toBe(0)
    expect(late.decisions.map((d) => d.strike?.state)).toEqual(['expired', 'expired'])
  })
})

describe('staff safety', () => {
  it('keeps a reviewer from acting against staff, and from deciding about themself', async () => {
    const card = await personWithCard(cloud, 'rs-user')
    const adminCard = ok<{ card: OwnCardView }>(await call(ADMIN, 'cards', 'create', { name: '王小明', title: '平台管理员' })).card
    ok(await report('rd-r1', 'card', adminCard.id))
    const item = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', adminCard.id))
    expect(errorOf(await call(REVIEWER, 'moderation', 'decide', removal(item, { accountAction: 'suspend', until: new Date(cloud.clock.now().getTime() + DAY).toISOString(), deviationReason: '情节严重' }))).code).toBe('FORBIDDEN')
    expect(errorOf(await call(REVIEWER, 'moderation', 'decide', removal(item, { accountAction: 'none', deviationReason: '只删除内容' }))).code).toBe('FORBIDDEN')
    const adminAccount = await cloud.store.collection('accounts').findOne({ openid: ADMIN })
    const suspend = { accountId: adminAccount?._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '测试暂停管理员', until: new Date(cloud.clock.now().getTime() + DAY).toISOString() }
    expect(errorOf(await call(REVIEWER, 'admin', 'transition', suspend)).code).toBe('FORBIDDEN')
    expect(errorOf(await call(ADMIN, 'moderation', 'claim', { reviewableId: item.reviewable.id })).code).toBe('FORBIDDEN')
    expect((await itemOf(cloud, ADMIN, item.reviewable.id)).canDecide).toBe(false)
    expect(card).toBeTruthy()
  })

  it('never leaves the product without a usable admin', async () => {
    const adminAccount = await cloud.store.collection('accounts').findOne({ openid: ADMIN })
    expect(errorOf(await call(ADMIN, 'account', 'freeze', {})).code).toBe('FORBIDDEN')
    expect(errorOf(await call(ADMIN, 'admin', 'revokeRole', { accountId: adminAccount?._id, role: 'admin', reason: '交接给他人' })).code).toBe('FORBIDDEN')
    // With a second admin, either may be frozen by the other.
    const second = await staff(cloud, 'rs-admin-2', 'admin')
    ok(await call(ADMIN, 'admin', 'transition', { accountId: second, transition: 'freezeByStaff', category: 'other', rule: 'accountLending', reason: '账号疑似出借他人使用' }))
    // Now the first is the last usable admin again.
    expect(errorOf(await call(ADMIN, 'account', 'freeze', {})).code).toBe('FORBIDDEN')
  })

  it('grants and revokes roles with a reason, only for verified usable accounts, audited', async () => {
    await reporter(cloud, 'rs-unverified', false)
    const unverified = await cloud.store.collection('accounts').findOne({ openid: 'rs-unverified' })
    expect(errorOf(await call(ADMIN, 'admin', 'grantRole', { accountId: unverified?._id, role: 'reviewer', reason: '新入职审核员' })).code).toBe('VERIFICATION_REQUIRED')
    const target = await cloud.store.collection('accounts').findOne({ openid: 'rd-r3' })
    expect(errorOf(await call(REVIEWER, 'admin', 'grantRole', { accountId: target?._id, role: 'reviewer', reason: '新入职审核员' })).code).toBe('FORBIDDEN')
    const granted = ok<{ account: { roles: string[] } }>(await call(ADMIN, 'admin', 'grantRole', { accountId: target?._id, role: 'reviewer', reason: '新入职审核员' }))
    expect(granted.account.roles).toEqual(['user', 'reviewer'])
    ok(await queue('rd-r3'))
    ok(await call(ADMIN, 'admin', 'revokeRole', { accountId: target?._id, role: 'reviewer', reason: '调岗至其他部门' }))
    expect(errorOf(await queue('rd-r3')).code).toBe('FORBIDDEN')
    const log = ok<{ entries: AccessLogEntry[] }>(await call('rd-r3', 'account', 'accessLog', {})).entries
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['admin.grantRole', 'admin.revokeRole']))
  })
})

describe('identity and corrections from the same queue', () => {
  it('decides a correction request and tells the person', async () => {
    await reporter(cloud, 'rq-correct', true)
    ok(await call('rq-correct', 'account', 'requestCorrection', { field: 'realName', note: '姓名中有一个字登记错了' }))
    const request = await cloud.store.collection('correction_requests').findOne({ subject: 'rq-correct' })
    const id = await itemIdOf(cloud, 'correction', request?._id ?? '')
    const item = await itemOf(cloud, REVIEWER, id)
    expect(item).toMatchObject({ outcomes: ['accept', 'reject'], correction: { field: 'realName', note: '姓名中有一个字登记错了' } })
    expect(errorOf(await call(REVIEWER, 'moderation', 'decide', { reviewableId: id, outcome: 'reject' })).issues?.map((i) => i.path)).toEqual(['facts'])
    const decision = await decideAs(cloud, REVIEWER, { reviewableId: id, outcome: 'reject', facts: '提交的材料不能证明姓名有误' })
    expect(decision.note).toBe('提交的材料不能证明姓名有误')
    expect((await inboxOf(cloud, 'rq-correct')).map((m) => m.title)).toContain('「真实姓名」更正申请未通过')
  })
})

describe('every new action against every kind of caller', () => {
  it('refuses those who may not, and lets those who may', async () => {
    await reporter(cloud, 'rm-unverified', false)
    const card = await personWithCard(cloud, 'rm-owner')
    ok(await report('rd-r1', 'card', card.id))
    const id = await itemIdOf(cloud, 'card', card.id)
    await staff(cloud, 'rm-suspended-reviewer', 'reviewer')
    const suspended = await cloud.store.collection('accounts').findOne({ openid: 'rm-suspended-reviewer' })
    ok(await call(ADMIN, 'admin', 'transition', { accountId: suspended?._id, transition: 'suspend', category: 'other', rule: 'law', reason: '调查期间暂停', until: new Date(cloud.clock.now().getTime() + DAY).toISOString() }))

    const staffOnly: Array<[string, string, Record<string, unknown>]> = [
      ['moderation', 'queue', {}],
      ['moderation', 'item', { reviewableId: id, reason: '例行检查' }],
      ['moderation', 'claim', { reviewableId: id }],
      ['moderation', 'release', { reviewableId: id }],
      ['moderation', 'decide', { reviewableId: id, outcome: 'approve' }],
      ['moderation', 'decideAppeal', { appealId: 'none', outcome: 'uphold', reason: '维持原决定' }],
    ]
    const expectations: Array<[string, string]> = [
      ['', 'UNAUTHENTICATED'],
      ['rm-nobody', 'ACCOUNT_REQUIRED'],
      ['rm-unverified', 'FORBIDDEN'],
      ['rd-r2', 'FORBIDDEN'],
      ['rm-owner', 'FORBIDDEN'],
      ['rm-suspended-reviewer', 'ACCOUNT_UNAVAILABLE'],
    ]
    for (const [fn, action, input] of staffOnly) {
      for (const [who, code] of expectations) expect([`${action} as ${who}`, errorOf(await call(who, fn, action, input)).code]).toEqual([`${action} as ${who}`, code])
    }
    for (const role of [REVIEWER, ADMIN]) {
      ok(await queue(role))
      ok(await call(role, 'moderation', 'item', { reviewableId: id, reason: '例行检查' }))
    }
    const roleAdmin = [['admin', 'grantRole'], ['admin', 'revokeRole'], ['admin', 'listStaff']] as const
    for (const [fn, action] of roleAdmin) expect(errorOf(await call(REVIEWER, fn, action, { accountId: 'x', role: 'reviewer', reason: '测试权限' })).code).toMatch(/FORBIDDEN|INVALID_INPUT/)
    expect(errorOf(await call(REVIEWER, 'admin', 'listStaff', {})).code).toBe('FORBIDDEN')
    expect(ok<{ staff: unknown[] }>(await call(ADMIN, 'admin', 'listStaff', {})).staff.length).toBeGreaterThanOrEqual(3)

    // Signed-in actions: anyone with an account, verified or not.
    expect(errorOf(await call('', 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam' })).code).toBe('UNAUTHENTICATED')
    ok(await call('rm-unverified', 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam' }))
    for (const who of ['rm-unverified', 'rm-owner', REVIEWER, ADMIN, 'rm-suspended-reviewer']) {
      ok(await call(who, 'moderation', 'myReports', {}))
      ok(await call(who, 'moderation', 'myDecisions', {}))
    }
  })
})

describe('the decision record', () => {
  it('reads the same for the person as for staff, without who decided', async () => {
    const card = await personWithCard(cloud, 'rr-record')
    ok(await report('rd-r1', 'card', card.id))
    const staffView: StaffDecisionView = await decideAs(cloud, REVIEWER, removal(await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', card.id))))
    const mine = ok<{ decisions: ConductDecisionView[] }>(await call('rr-record', 'moderation', 'myDecisions', {})).decisions
    const { deciderRole: _role, suggested: _suggested, deviationReason: _deviation, ...shared } = staffView
    expect(mine[0]).toEqual(shared)
    expect(JSON.stringify(mine)).not.toContain(REVIEWER)
  })
})

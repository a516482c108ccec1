/**
 * Appeals (moderation.appeal, decideAppeal, myDecisions), impersonation
 * reports decided from the queue, and the whole staff workflow end to end —
 * through the real dispatcher, SDK and local database.
 */
import { freshTestIdNumber, acceptCurrentTerms, grantConsents, type TestCloud } from '../../local/testing'
import type { OwnCardView } from '../../shared/contract/cards'
import type { ConductDecisionView, MyAppealView, QueueCount, QueueRow } from '../../shared/contract/moderation'
import type { MessageView } from '../../shared/contract/inbox'
import { errorOf, ok } from './helpers'
import { decideAs, inboxOf, itemIdOf, itemOf, personWithCard, removal, reporter, reviewStage, type Call } from './review-helpers'

const stage = reviewStage('ra')
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

const report = (openid: string, targetId: string) => call(openid, 'moderation', 'report', { kind: 'card', targetId, category: 'spam' })
const later = (ms: number) => new Date(cloud.clock.now().getTime() + ms).toISOString()

async function removed(author: string, extra: Record<string, unknown> = {}, by = REVIEWER): Promise<{ card: OwnCardView; decision: ConductDecisionView }> {
  const card = await personWithCard(cloud, author)
  ok(await report('ra-r1', card.id))
  const item = await itemOf(cloud, by, await itemIdOf(cloud, 'card', card.id))
  return { card, decision: await decideAs(cloud, by, removal(item, extra)) }
}

async function appealOf(openid: string, decisionId: string, text = '名片内容是我们公司真实的业务介绍，不是广告'): Promise<MyAppealView> {
  return ok<{ appeal: MyAppealView }>(await call(openid, 'moderation', 'appeal', { decisionId, text })).appeal
}

describe('moderation.appeal', () => {
  it('takes one appeal per decision, from the person it was about, within 14 days', async () => {
    const { decision } = await removed('ap-once')
    expect(errorOf(await call('ra-r2', 'moderation', 'appeal', { decisionId: decision.id, text: '我替他申诉一下' })).code).toBe('NOT_FOUND')
    const appeal = await appealOf('ap-once', decision.id)
    expect(appeal).toMatchObject({ state: 'open', stateLabel: '复核中' })
    expect(errorOf(await call('ap-once', 'moderation', 'appeal', { decisionId: decision.id, text: '再申诉一次试试' })).code).toBe('ALREADY_APPEALED')
    const mine = ok<{ decisions: ConductDecisionView[] }>(await call('ap-once', 'moderation', 'myDecisions', {})).decisions
    expect(mine[0]?.appeal).toMatchObject({ state: 'open', canAppeal: false, text: '名片内容是我们公司真实的业务介绍，不是广告' })
    const queued = ok<{ items: QueueRow[]; counts: QueueCount[] }>(await call(REVIEWER2, 'moderation', 'queue', { queue: 'appeals' }))
    expect(queued.items.map((r) => r.kind)).toContain('appeal')

    const { decision: late } = await removed('ap-late')
    cloud.clock.advance(15 * DAY)
    expect(errorOf(await call('ap-late', 'moderation', 'appeal', { decisionId: late.id, text: '过了很久才看到通知' })).code).toBe('APPEAL_CLOSED')
  })

  it('can be reached while suspended, along with the inbox that told of it', async () => {
    const { decision } = await removed('ap-suspended', { accountAction: 'suspend', until: later(30 * DAY), deviationReason: '短时间内大量发布广告' })
    expect(decision.accountAction).toMatchObject({ action: 'suspend', skipped: null })
    expect(errorOf(await call('ap-suspended', 'cards', 'mine', {})).code).toBe('ACCOUNT_UNAVAILABLE')
    const inbox = ok<{ messages: MessageView[] }>(await call('ap-suspended', 'inbox', 'list', {})).messages
    expect(inbox.map((m) => m.title)).toContain('你的名片已被处理')
    ok(await call('ap-suspended', 'inbox', 'markRead', { all: true }))
    const appeal = await appealOf('ap-suspended', decision.id)
    expect(appeal.state).toBe('open')
  })
})

describe('moderation.decideAppeal', () => {
  it('is never ruled by the reviewer who decided, and a termination only by an admin', async () => {
    const { decision } = await removed('ap-self')
    const appeal = await appealOf('ap-self', decision.id)
    const refused = errorOf(await call(REVIEWER, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'overturn', reason: '我再看了一遍' }))
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: '不能复核自己作出的决定，请交给其他工作人员' })
    const upheld = ok<{ appeal: MyAppealView }>(await call(REVIEWER2, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'uphold', reason: '名片中确有引流联系方式' })).appeal
    expect(upheld).toMatchObject({ state: 'upheld', reason: '名片中确有引流联系方式' })
    expect((await inboxOf(cloud, 'ap-self')).map((m) => m.title)).toContain('申诉复核结果：维持原决定')
    expect(errorOf(await call(ADMIN, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'overturn', reason: '改判为撤销原决定' })).code).toBe('CONFLICT')

    const terminated = await removed('ap-terminated', { accountAction: 'terminate', deviationReason: '冒充官方客服实施诈骗' }, ADMIN)
    expect(terminated.decision.accountAction?.action).toBe('terminate')
    const appealed = await appealOf('ap-terminated', terminated.decision.id)
    expect(errorOf(await call(REVIEWER, 'moderation', 'decideAppeal', { appealId: appealed.id, outcome: 'overturn', reason: '证据不足以终止' })).code).toBe('FORBIDDEN')
  })

  it('overturning restores the content, lifts the ban, overrules the strike and tells the person', async () => {
    const { card, decision } = await removed('ap-overturn', { accountAction: 'restrict', features: ['publish'], until: later(7 * DAY), deviationReason: '首次违规但情节较重' })
    expect(errorOf(await call('ap-overturn', 'cards', 'create', { name: '王小明', title: '另一张' })).code).toBe('FEATURE_RESTRICTED')
    const appeal = await appealOf('ap-overturn', decision.id)
    const ruled = ok<{ appeal: MyAppealView }>(await call(REVIEWER2, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'overturn', reason: '简介为正常的业务介绍' })).appeal
    expect(ruled.state).toBe('overturned')
    expect(ruled.effects).toEqual(['违规记录已撤销', '功能限制已解除', '内容已恢复显示'])

    ok(await call('ap-stranger', 'cards', 'view', { cardId: card.id }))
    ok(await call('ap-overturn', 'cards', 'create', { name: '王小明', title: '另一张' }))
    const mine = ok<{ decisions: ConductDecisionView[]; activeStrikes: number }>(await call('ap-overturn', 'moderation', 'myDecisions', {}))
    expect(mine.activeStrikes).toBe(0)
    expect(mine.decisions[0]).toMatchObject({ strike: { state: 'overruled', stateLabel: '已撤销' }, appeal: { state: 'overturned', reason: '简介为正常的业务介绍' } })
    const told = (await inboxOf(cloud, 'ap-overturn')).find((m) => m.title === '申诉成立，原决定已撤销')
    expect(told?.body).toContain('内容已恢复显示')
  })

  it('leaves content down when today’s checks still refuse it, and says so', async () => {
    const { card, decision } = await removed('ap-still-bad')
    // The operator's rules changed since: the card's text is now refused outright.
    await cloud.store.collection<{ _id: string; intro: string }>('cards').update(card.id, { intro: '专注企业服务产品十年。沙箱违规' })
    const appeal = await appealOf('ap-still-bad', decision.id)
    const ruled = ok<{ appeal: MyAppealView }>(await call(REVIEWER2, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'overturn', reason: '原决定理由不充分' })).appeal
    expect(ruled.effects).toContain('内容按现行审核标准仍不能发布，暂不恢复；你可以修改后重新发布')
    expect(errorOf(await call('ap-stranger', 'cards', 'view', { cardId: card.id })).code).toBe('CARD_HIDDEN')
  })
})

describe('impersonation reports in the queue', () => {
  it('confirming removes the impostor’s verification and freezes the account; the real person is told to verify', async () => {
    const idNumber = freshTestIdNumber()
    await acceptCurrentTerms(cloud, 'im-holder')
    await grantConsents(cloud, 'im-holder', ['idNumber', 'face', 'partnerSharing'])
    const started = ok<{ verificationId: string }>(await call('im-holder', 'identity', 'start', { name: '王小明', idNumber }))
    ok(await call('im-holder', 'identity', 'complete', { verificationId: started.verificationId }))
    await acceptCurrentTerms(cloud, 'im-owner')
    await grantConsents(cloud, 'im-owner', ['idNumber', 'face', 'partnerSharing'])
    const mine = ok<{ verificationId: string }>(await call('im-owner', 'identity', 'start', { name: '王小明', idNumber }))
    expect(errorOf(await call('im-owner', 'identity', 'complete', { verificationId: mine.verificationId })).code).toBe('ID_ALREADY_BOUND')
    const filed = ok<{ reportId: string }>(await call('im-owner', 'identity', 'reportImpersonation', { verificationId: mine.verificationId, reason: '我从未注册过另一个账号，身份证曾经遗失' }))

    const id = await itemIdOf(cloud, 'impersonation', filed.reportId)
    const item = await itemOf(cloud, REVIEWER, id)
    expect(item).toMatchObject({ outcomes: ['confirm', 'reject'], impersonation: { reason: '我从未注册过另一个账号，身份证曾经遗失' }, subject: { verified: true } })
    const decision = await decideAs(cloud, REVIEWER, { reviewableId: id, outcome: 'confirm', category: 'impersonation', rule: 'realIdentity', facts: '对方账号的人脸核验照片与身份证本人不符' })
    expect(decision.accountAction).toMatchObject({ action: 'freeze', skipped: null })
    const holder = await cloud.store.collection('accounts').findOne({ openid: 'im-holder' })
    expect(holder).toMatchObject({ state: 'frozenByStaff', verifiedAt: null })
    expect(await cloud.store.collection('identities').count({ openid: 'im-holder' })).toBe(0)
    expect((await inboxOf(cloud, 'im-owner')).map((m) => m.title)).toContain('冒用申诉核实成立')
    // Now the real person verifies with their ID.
    const again = ok<{ verificationId: string }>(await call('im-owner', 'identity', 'start', { name: '王小明', idNumber }))
    expect(ok<{ outcome: string }>(await call('im-owner', 'identity', 'complete', { verificationId: again.verificationId })).outcome).toBe('passed')
  })
})

describe('the whole workflow', () => {
  it('a held post and a card three people reported are decided with reasons; the author appeals; another reviewer overturns; the content is back', async () => {
    // The gate holds dev-alice-like author's article for a person.
    await personWithCard(cloud, 'wf-author')
    const held = ok<{ article: { id: string } }>(await call('wf-author', 'articles', 'create', { title: '合作招募', body: '欢迎联系我们洽谈合作，沙箱待审。' })).article
    const published = ok<{ article: { moderation: { state: string } | null } }>(await call('wf-author', 'articles', 'publish', { id: held.id })).article
    expect(published.moderation?.state).toBe('pendingReview')
    const card = ok<{ card: OwnCardView }>(await call('wf-author', 'cards', 'create', { name: '王小明', title: '销售总监', intro: '优惠活动进行中' })).card
    for (const who of ['wf-r1', 'wf-r2', 'wf-r3']) {
      await reporter(cloud, who, true)
      ok(await report(who, card.id))
    }

    const board = ok<{ counts: QueueCount[] }>(await call(REVIEWER, 'moderation', 'queue', {})).counts
    expect(board.find((c) => c.queue === 'held')?.open).toBeGreaterThanOrEqual(1)
    expect(board.find((c) => c.queue === 'reports')?.open).toBeGreaterThanOrEqual(1)

    const article = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'article', held.id))
    await decideAs(cloud, REVIEWER, { reviewableId: article.reviewable.id, outcome: 'approve', moderationDecisionId: article.moderationDecisionId })
    ok(await call('wf-reader', 'articles', 'detail', { id: held.id }))

    const reported = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', card.id))
    expect(reported.reviewable).toMatchObject({ reportCount: 3, score: 3 })
    const decision = await decideAs(cloud, REVIEWER, removal(reported))
    expect(errorOf(await call('wf-reader', 'cards', 'view', { cardId: card.id })).code).toBe('CARD_HIDDEN')

    const inbox = ok<{ messages: MessageView[] }>(await call('wf-author', 'inbox', 'list', {})).messages
    expect(inbox.find((m) => m.title === '你的名片已被处理')?.link).toBe('/packageAccount/pages/conduct/index')
    const appeal = await appealOf('wf-author', decision.id)
    ok(await call(REVIEWER2, 'moderation', 'decideAppeal', { appealId: appeal.id, outcome: 'overturn', reason: '优惠活动为正常营销信息' }))
    ok(await call('wf-reader', 'cards', 'view', { cardId: card.id }))
  })
})

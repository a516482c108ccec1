/**
 * Reports (moderation.report, moderation.myReports) and what they add up to:
 * weighted scores, hiding at the threshold, and an edit of hidden content
 * going back to a reviewer — through the real dispatcher, SDK and local database.
 */
import { startTestCloud, type TestCloud } from '../../local/testing'
import type { OutputOf } from '../../shared/contract'
import type { OwnCardView } from '../../shared/contract/cards'
import type { MyReportView } from '../../shared/contract/moderation'
import { REPORT_DAILY_LIMIT } from '../../shared/review'
import { errorOf, ok } from './helpers'
import { caller, decideAs, inboxOf, itemIdOf, itemOf, personWithCard, reporter, staff, type Call } from './review-helpers'

let cloud: TestCloud
let call: Call
const START = new Date('2026-12-07T02:00:00.000Z')
const REVIEWER = 'rr-reviewer'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  call = caller(cloud)
  await staff(cloud, REVIEWER, 'reviewer')
})
afterAll(async () => {
  await cloud.close()
})
beforeEach(() => {
  cloud.clock.advance(1000)
})

const report = (openid: string, input: Record<string, unknown>) => call(openid, 'moderation', 'report', input)

async function score(kind: string, targetId: string): Promise<number> {
  const item = await cloud.store.collection<{ _id: string; score: number }>('moderation_reviewables').byId(await itemIdOf(cloud, kind, targetId))
  return item?.score ?? -1
}

async function landingFor(viewer: string, cardId: string) {
  return call(viewer, 'cards', 'view', { cardId })
}

describe('moderation.report', () => {
  let card: OwnCardView
  beforeAll(async () => {
    card = await personWithCard(cloud, 'rr-author')
    await reporter(cloud, 'rr-verified', true)
    await reporter(cloud, 'rr-unverified', false)
  })

  it('needs an account, refuses one’s own content and what does not exist', async () => {
    expect(errorOf(await report('rr-no-account', { kind: 'card', targetId: card.id, category: 'spam' })).code).toBe('ACCOUNT_REQUIRED')
    expect(errorOf(await report('rr-author', { kind: 'card', targetId: card.id, category: 'spam' })).code).toBe('FORBIDDEN')
    expect(errorOf(await report('rr-verified', { kind: 'card', targetId: 'nosuchcard', category: 'spam' })).code).toBe('NOT_FOUND')
    expect(errorOf(await report('rr-verified', { kind: 'card', targetId: card.id, category: 'gossip' })).code).toBe('INVALID_INPUT')
  })

  it('counts a verified reporter more than an unverified one; a second report updates the first', async () => {
    const first = ok<{ report: MyReportView; updated: boolean }>(await report('rr-unverified', { kind: 'card', targetId: card.id, category: 'spam' }))
    expect(first).toMatchObject({ updated: false, report: { category: 'spam', outcome: 'open', outcomeLabel: '处理中' } })
    expect(await score('card', card.id)).toBe(0.5)
    ok(await report('rr-verified', { kind: 'card', targetId: card.id, category: 'spam' }))
    expect(await score('card', card.id)).toBe(1.5)

    const again = ok<{ report: MyReportView; updated: boolean }>(await report('rr-verified', { kind: 'card', targetId: card.id, category: 'fraud', comment: '冒充客服要求转账' }))
    expect(again).toMatchObject({ updated: true, report: { id: again.report.id, category: 'fraud', comment: '冒充客服要求转账' } })
    // Still one report each, the weight counted once.
    expect(await score('card', card.id)).toBe(1.5)
    expect(await cloud.store.collection('moderation_reports').count({ targetId: card.id })).toBe(2)
    const mine = ok<{ reports: MyReportView[] }>(await call('rr-verified', 'moderation', 'myReports', {})).reports
    expect(mine.map((r) => [r.category, r.outcomeLabel])).toEqual([['fraud', '处理中']])
  })

  it('moderates the comment: refused when it must be, kept with what was found otherwise', async () => {
    const refused = errorOf(await report('rr-unverified', { kind: 'card', targetId: card.id, category: 'spam', comment: '他写了沙箱违规的内容' }))
    expect(refused.code).toBe('CONTENT_REFUSED')
    expect(refused.issues?.map((i) => i.path)).toEqual(['comment'])
    ok(await report('rr-unverified', { kind: 'card', targetId: card.id, category: 'spam', comment: '名片上写着沙箱待审' }))
    const stored = await cloud.store.collection<{ _id: string; reporterOpenid: string; commentFlags: string[] }>('moderation_reports').findOne({ reporterOpenid: 'rr-unverified' })
    expect(stored?.commentFlags.length).toBeGreaterThan(0)
  })

  it('reports a person’s profile through their content, and never one’s own', async () => {
    const filed = ok<{ report: MyReportView }>(await report('rr-verified', { kind: 'card', targetId: card.id, about: 'author', category: 'impersonation' }))
    const author = await cloud.store.collection('accounts').findOne({ openid: 'rr-author' })
    expect(filed.report).toMatchObject({ kind: 'account', targetId: author?._id, kindLabel: '用户资料（昵称、头像）' })
    const self = await cloud.store.collection('accounts').findOne({ openid: 'rr-verified' })
    expect(errorOf(await report('rr-verified', { kind: 'account', targetId: self?._id ?? '', category: 'other' })).code).toBe('FORBIDDEN')
  })

  it('stops at the daily limit, saying when it is back', async () => {
    const target = await personWithCard(cloud, 'rr-limit-author')
    await reporter(cloud, 'rr-busy', false)
    let last = ok(await report('rr-busy', { kind: 'card', targetId: target.id, category: 'spam' }))
    for (let i = 1; i < REPORT_DAILY_LIMIT; i++) last = ok(await report('rr-busy', { kind: 'card', targetId: target.id, category: i % 2 === 0 ? 'spam' : 'other' }))
    expect(last).toBeTruthy()
    const limited = errorOf(await report('rr-busy', { kind: 'card', targetId: target.id, category: 'spam' }))
    expect(limited.code).toBe('RATE_LIMITED')
    expect(new Date(limited.retryAt ?? 0).getTime()).toBeGreaterThan(cloud.clock.now().getTime())
  })
})

describe('hiding at the threshold', () => {
  it('hides a card reported by three verified people from others at once; its owner sees why', async () => {
    const card = await personWithCard(cloud, 'rh-author')
    for (const who of ['rh-1', 'rh-2']) {
      await reporter(cloud, who, true)
      ok(await report(who, { kind: 'card', targetId: card.id, category: 'spam' }))
    }
    // Below the threshold the card is still up.
    expect((await landingFor('rh-stranger', card.id)).ok).toBe(true)
    await reporter(cloud, 'rh-3', true)
    ok(await report('rh-3', { kind: 'card', targetId: card.id, category: 'spam' }))

    expect(errorOf(await landingFor('rh-stranger', card.id)).code).toBe('CARD_HIDDEN')
    const own = ok<OutputOf<'cards', 'view'>>(await landingFor('rh-author', card.id))
    expect(own.own?.moderation).toMatchObject({ state: 'reported', label: '因被举报暂时隐藏，等待审核' })
    expect((await inboxOf(cloud, 'rh-author')).map((m) => m.title)).toContain('你的名片因被举报暂时隐藏')
  })

  it('does not hide staff content, or content a reviewer approved since its last edit; reviewers still see the reports', async () => {
    await staff(cloud, 'rh-staff-author', 'reviewer')
    const staffCard = ok<{ card: OwnCardView }>(await call('rh-staff-author', 'cards', 'create', { name: '审核员名片', title: '社区运营' })).card
    const approved = await personWithCard(cloud, 'rh-approved-author')
    await reporter(cloud, 'rh-early', true)
    ok(await report('rh-early', { kind: 'card', targetId: approved.id, category: 'spam' }))
    const item = await itemOf(cloud, REVIEWER, await itemIdOf(cloud, 'card', approved.id))
    await decideAs(cloud, REVIEWER, { reviewableId: item.reviewable.id, outcome: 'approve', moderationDecisionId: item.moderationDecisionId })

    for (const who of ['rh-4', 'rh-5', 'rh-6', 'rh-7']) {
      await reporter(cloud, who, true)
      ok(await report(who, { kind: 'card', targetId: staffCard.id, category: 'spam' }))
      ok(await report(who, { kind: 'card', targetId: approved.id, category: 'spam' }))
    }
    expect((await landingFor('rh-stranger', staffCard.id)).ok).toBe(true)
    expect((await landingFor('rh-stranger', approved.id)).ok).toBe(true)
    expect(await score('card', approved.id)).toBe(4)
  })

  it('keeps hidden content hidden when its author edits it, and sends the new version to the same queue item', async () => {
    const card = await personWithCard(cloud, 'rh-editor')
    for (const who of ['rh-1', 'rh-2', 'rh-3']) ok(await report(who, { kind: 'card', targetId: card.id, category: 'spam' }))
    const before = await itemIdOf(cloud, 'card', card.id)
    const edited = ok<{ card: OwnCardView }>(await call('rh-editor', 'cards', 'update', { cardId: card.id, card: { name: '王小明', intro: '删掉了广告的简介' } })).card
    expect(edited.moderation).toMatchObject({ state: 'pendingReview', reasons: ['因被举报暂时隐藏，修改后需人工复审'] })
    expect(errorOf(await landingFor('rh-stranger', card.id)).code).toBe('CARD_HIDDEN')
    expect(await itemIdOf(cloud, 'card', card.id)).toBe(before)
    const item = await itemOf(cloud, REVIEWER, before)
    expect(item.reviewable).toMatchObject({ edits: 1, sources: expect.arrayContaining(['report', 'gate']) })
    expect(item.content?.fields).toContainEqual(expect.objectContaining({ field: 'intro', text: '删掉了广告的简介' }))
  })
})

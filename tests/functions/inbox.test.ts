import type { Context } from '../../cloudfunctions/_core/context'
import { notify, type OutgoingMessage } from '../../cloudfunctions/_core/inbox'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { errorOf, ok } from './helpers'

const START = new Date('2026-07-01T02:00:00.000Z')
let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({
    start: START,
    // accountState deliberately has no template: its messages stay in the inbox only.
    env: {
      LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-system',
      LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'title=thing1,body=thing2,time=time3',
      LECHAT_SUBSCRIBE_TEMPLATE_MODERATION_DECISION: 'tmpl-moderation',
      // A template with keywords of its own: a short phrase and a date.
      LECHAT_SUBSCRIBE_FIELDS_MODERATION_DECISION: 'title=phrase7,time=date2',
    },
  })
})
afterAll(async () => {
  await cloud.close()
})

interface Message {
  id: string
  type: string
  title: string
  body: string
  link: string | null
  read: boolean
  createdAt: string
}
interface Page {
  messages: Message[]
  nextCursor: string | null
  unread: number
}

const call = (openid: string, action: string, input: unknown = {}) => cloud.call('inbox', { action, input }, openid)

/** What a domain function has when it calls notify(). */
function contextAs(openid: string): Context {
  return { ...cloud.runtimeFor(openid), requestId: 'test', fn: 'moderation', action: 'decide', now: cloud.clock.now() }
}

const message = (recipient: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  recipient,
  type: 'system',
  title: '系统通知',
  body: '这是一条测试消息。',
  ...overrides,
})

async function signedIn(openid: string): Promise<void> {
  ok(await cloud.call('account', { action: 'login', input: {} }, openid))
}

describe('inbox.list', () => {
  it('pages newest first without skipping or repeating messages that share a timestamp', async () => {
    const user = 'pager'
    await signedIn(user)
    const ctx = contextAs('system')
    const sameInstant = []
    for (let i = 0; i < 23; i++) sameInstant.push((await notify(ctx, message(user, { title: `同一时刻 ${i}` }))).id)
    cloud.clock.advance(60_000)
    const newest = (await notify(contextAs('system'), message(user, { title: '最新' }))).id

    const seen: Message[] = []
    let cursor: string | null = null
    do {
      const page: Page = ok<Page>(await call(user, 'list', { limit: 5, cursor }))
      seen.push(...page.messages)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(24)
    expect(seen[0]?.id).toBe(newest)
    expect(new Set(seen.map((m) => m.id))).toEqual(new Set([newest, ...sameInstant]))
    const times = seen.map((m) => Date.parse(m.createdAt))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })

  it('works before the agreement is accepted (the inbox is how changes are told)', async () => {
    await signedIn('newcomer')
    expect(ok<Page>(await call('newcomer', 'list')).messages).toEqual([])
    expect(errorOf(await call('nobody-yet', 'list')).code).toBe('ACCOUNT_REQUIRED')
  })

  it('refuses a forged cursor', async () => {
    await signedIn('forger')
    const refused = errorOf(await call('forger', 'list', { cursor: 'not-a-cursor' }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('cursor')
  })
})

describe('reading', () => {
  it('counts unread messages and marks my own as read, never someone else\'s', async () => {
    const [me, other] = ['reader-me', 'reader-other']
    await signedIn(me)
    await signedIn(other)
    const ctx = contextAs('system')
    const mine = [await notify(ctx, message(me)), await notify(ctx, message(me)), await notify(ctx, message(me))].map((r) => r.id)
    const theirs = (await notify(ctx, message(other))).id
    expect(ok<{ unread: number }>(await call(me, 'unreadCount')).unread).toBe(3)

    expect(ok<{ unread: number }>(await call(me, 'markRead', { ids: [mine[0], theirs] })).unread).toBe(2)
    expect(ok<{ unread: number }>(await call(other, 'unreadCount')).unread).toBe(1)
    const page = ok<Page>(await call(me, 'list'))
    expect(page.messages.filter((m) => m.read).map((m) => m.id)).toEqual([mine[0]])

    expect(ok<{ unread: number }>(await call(me, 'markRead', { all: true })).unread).toBe(0)
    expect(ok<{ unread: number }>(await call(other, 'unreadCount')).unread).toBe(1)
    expect(errorOf(await call(me, 'markRead', {})).code).toBe('INVALID_INPUT')
  })
})

describe('notify', () => {
  it('delivers a message with a dedupe key once', async () => {
    const user = 'dedupe'
    await signedIn(user)
    const first = await notify(contextAs('system'), message(user, { dedupeKey: 'legal:privacy-policy@9' }))
    const second = await notify(contextAs('system'), message(user, { dedupeKey: 'legal:privacy-policy@9', title: '又一次' }))
    expect([first.delivered, second.delivered]).toEqual([true, false])
    expect(second.id).toBe(first.id)
    // The same key for someone else is their own message.
    expect((await notify(contextAs('system'), message('dedupe-other', { dedupeKey: 'legal:privacy-policy@9' }))).delivered).toBe(true)
    expect(ok<Page>(await call(user, 'list')).messages.map((m) => m.title)).toEqual(['系统通知'])
  })

  it('pushes a subscribe message only against a credit the person granted, one credit per push', async () => {
    const user = 'subscriber'
    await signedIn(user)
    const sentBefore = cloud.openApi.sent.length
    expect((await notify(contextAs('system'), message(user))).pushed).toBe(false)

    const credits = ok<{ credits: Record<string, number> }>(await call(user, 'subscribe', { accepted: ['system', 'system', 'accountState'] })).credits
    expect(credits).toEqual({ legalUpdate: 0, accountState: 1, moderationDecision: 0, activity: 0, cardExchange: 0, system: 1 })

    const pushed = await notify(contextAs('system'), message(user, { title: '你的名片「乐聊名片产品经理张小乐」已通过审核，快去分享给朋友吧', link: '/pages/card/index?id=c1' }))
    expect(pushed.pushed).toBe(true)
    expect(cloud.openApi.sent.slice(sentBefore)).toEqual([
      {
        touser: user,
        templateId: 'tmpl-system',
        page: 'pages/card/index?id=c1',
        data: { thing1: { value: '你的名片「乐聊名片产品经理张小乐」已通…' }, thing2: { value: '这是一条测试消息。' }, time3: { value: '2026-07-01 10:01' } },
      },
    ])
    expect((await notify(contextAs('system'), message(user))).pushed).toBe(false)
    // No template configured for accountState: the credit is kept, the message is in the inbox.
    expect((await notify(contextAs('system'), message(user, { type: 'accountState' }))).pushed).toBe(false)
    expect(ok<{ credits: Record<string, number> }>(await call(user, 'subscribe', { accepted: ['moderationDecision'] })).credits).toEqual({
      legalUpdate: 0,
      accountState: 1,
      moderationDecision: 1,
      activity: 0,
      cardExchange: 0,
      system: 0,
    })
    const sentBeforeDecision = cloud.openApi.sent.length
    expect((await notify(contextAs('system'), message(user, { type: 'moderationDecision', title: '名片已下架' }))).pushed).toBe(true)
    // That template's own keywords: a phrase of at most 5 characters and a date; the body is not mapped.
    expect(cloud.openApi.sent.slice(sentBeforeDecision).map((m) => [m.templateId, m.data])).toEqual([
      ['tmpl-moderation', { phrase7: { value: '名片已下架' }, date2: { value: '2026-07-01' } }],
    ])
    expect(ok<Page>(await call(user, 'list')).messages).toHaveLength(5)
  })

  it('spends each credit once under concurrent notifications', async () => {
    const user = 'busy-subscriber'
    await signedIn(user)
    ok(await call(user, 'subscribe', { accepted: ['system'] }))
    ok(await call(user, 'subscribe', { accepted: ['system'] }))
    const results = await Promise.all(Array.from({ length: 6 }, () => notify(contextAs('system'), message(user))))
    expect(results.filter((r) => r.pushed)).toHaveLength(2)
    expect(ok<Page>(await call(user, 'list')).messages).toHaveLength(6)
    expect(ok<{ credits: Record<string, number> }>(await call(user, 'subscribe', { accepted: ['legalUpdate'] })).credits.system).toBe(0)
  })

  it('keeps the inbox message when the push fails', async () => {
    const user = 'unlucky'
    await signedIn(user)
    ok(await call(user, 'subscribe', { accepted: ['moderationDecision'] }))
    const failing = jest.spyOn(cloud.openApi, 'sendSubscribeMessage').mockRejectedValueOnce(new Error('errcode 43101 user refuse to accept the msg'))
    try {
      const result = await notify(contextAs('moderation'), message(user, { type: 'moderationDecision', title: '审核结果' }))
      expect(result).toMatchObject({ delivered: true, pushed: false })
    } finally {
      failing.mockRestore()
    }
    expect(ok<Page>(await call(user, 'list')).messages.map((m) => [m.type, m.title, m.read])).toEqual([['moderationDecision', '审核结果', false]])
  })
})

/**
 * The card holder (名片夹) and exchanging cards: save, notes and tags, search
 * over what I may see, cursor paging; request → accept / decline, both sides'
 * lists, exchanged-only fields, ending an exchange, races and bans; the
 * request's message through the moderation gate.
 */
import { exchangeIdOf, exchanges, holder as holderStore } from '../../cloudfunctions/_core/cards/store'
import { decisions } from '../../cloudfunctions/_core/moderation/decisions'
import { acceptCurrentTerms, SAMPLE_CARD, startTestCloud, type TestCloud } from '../../local/testing'
import type { CardFace, ExchangeView, HolderItem } from '../../shared/contract/cards'
import type { DecisionView } from '../../shared/contract/moderation'
import { accountIdOf, cardsAs, createCard, publisher } from './cards-helpers'
import { DAY, errorOf, ok } from './helpers'
import { makeStaff } from './lifecycle-helpers'

let cloud: TestCloud
const ADMIN = 'holder-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-06-01T02:00:00.000Z') })
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

type Page = { items: HolderItem[]; nextCursor: string | null; tags: string[] }
type Landing = { card: CardFace; relation: string; saved: boolean; exchange: { id: string; status: string; outgoing: boolean } | null }
type Exchanges = { exchanges: ExchangeView[]; nextCursor: string | null; pendingIncoming: number }

const view = (openid: string, cardId: string) => cloud.call('cards', { action: 'view', input: { cardId } }, openid)

interface InboxItem {
  type: string
  title: string
  body: string
  link: string | null
}
const inboxOf = async (openid: string): Promise<InboxItem[]> =>
  ok<{ messages: InboxItem[] }>(await cloud.call('inbox', { action: 'list', input: {} }, openid)).messages

describe('the card holder', () => {
  it('saves, annotates, tags, searches what I can see, pages with a cursor, and removes', async () => {
    const owners = await Promise.all(['h-o1', 'h-o2', 'h-o3'].map((o) => publisher(cloud, o)))
    const [o1, o2, o3] = owners
    if (!o1 || !o2 || !o3) throw new Error('setup')
    const c1 = await createCard(o1, { name: '张三', company: '星辰科技', title: '架构师', phone: '13800000001' })
    const c2 = await createCard(o2, { name: '李四', company: '秘密公司', visibility: { company: 'hidden' } })
    const c3 = await createCard(o3, { name: '王五', company: '海洋贸易' })
    await acceptCurrentTerms(cloud, 'h-me')
    const me = cardsAs(cloud, 'h-me')

    const saved = ok<{ item: HolderItem }>(await me('holderSave', { cardId: c1.id, note: '展会上认识，做云服务', tags: ['客户', '展会'] })).item
    expect(saved).toMatchObject({ cardId: c1.id, note: '展会上认识，做云服务', tags: ['客户', '展会'], exchanged: false, unavailable: null })
    expect(saved.card).toMatchObject({ name: '张三', company: '星辰科技', phone: null })
    cloud.clock.advance(1000)
    ok(await me('holderSave', { cardId: c2.id, tags: ['供应商'] }))
    cloud.clock.advance(1000)
    ok(await me('holderSave', { cardId: c3.id }))
    // Saving again keeps one entry.
    ok(await me('holderSave', { cardId: c3.id }))
    expect(await holderStore(cloud.store).count({ ownerOpenid: 'h-me' })).toBe(3)
    expect(ok<Landing>(await view('h-me', c3.id)).saved).toBe(true)

    const updated = ok<{ item: HolderItem }>(await me('holderUpdate', { cardId: c3.id, note: '老同学', tags: ['朋友'] })).item
    expect(updated).toMatchObject({ note: '老同学', tags: ['朋友'] })
    expect(errorOf(await me('holderUpdate', { cardId: '0000000000', note: 'x' })).code).toBe('NOT_FOUND')

    // Newest first, with a cursor.
    const first = ok<Page>(await me('holderList', { limit: 2 }))
    expect(first.items.map((i) => i.cardId)).toEqual([c3.id, c2.id])
    expect(first.tags).toEqual(expect.arrayContaining(['客户', '展会', '供应商', '朋友']))
    const second = ok<Page>(await me('holderList', { limit: 2, cursor: first.nextCursor }))
    expect(second.items.map((i) => i.cardId)).toEqual([c1.id])
    expect(second.nextCursor).toBeNull()

    const search = async (input: Record<string, unknown>): Promise<string[]> => ok<Page>(await me('holderList', input)).items.map((i) => i.cardId)
    expect(await search({ q: '星辰' })).toEqual([c1.id]) // company
    expect(await search({ q: '架构' })).toEqual([c1.id]) // title
    expect(await search({ q: '云服务' })).toEqual([c1.id]) // my note
    expect(await search({ q: '朋友' })).toEqual([c3.id]) // my tag
    expect(await search({ q: '李四' })).toEqual([c2.id]) // name
    // A field its owner hides is not searchable: it would leak.
    expect(await search({ q: '秘密' })).toEqual([])
    expect(await search({ tag: '供应商' })).toEqual([c2.id])
    expect(await search({ q: '138' })).toEqual([])
    // Search pages too.
    const page1 = ok<Page>(await me('holderList', { q: '', limit: 1 }))
    expect(page1.items).toHaveLength(1)
    const wide = ok<Page>(await me('holderList', { q: 'a', limit: 1 }))
    expect(wide).toMatchObject({ items: [], nextCursor: null })
    const all = ok<Page>(await me('holderList', { q: '四', limit: 1 }))
    expect(all.items.map((i) => i.cardId)).toEqual([c2.id])

    expect(ok<{ removed: boolean }>(await me('holderRemove', { cardId: c2.id })).removed).toBe(true)
    expect(ok<{ removed: boolean }>(await me('holderRemove', { cardId: c2.id })).removed).toBe(false)

    // A card its owner deletes stays in my holder, marked, with my note.
    ok(await o1('remove', { cardId: c1.id }))
    const after = ok<Page>(await me('holderList', {}))
    expect(after.items.find((i) => i.cardId === c1.id)).toMatchObject({ card: null, unavailable: 'deleted', note: '展会上认识，做云服务' })
  })

  it('refuses to save my own card, hidden cards and missing cards', async () => {
    const owner = await publisher(cloud, 'h-self')
    const card = await createCard(owner)
    expect(errorOf(await owner('holderSave', { cardId: card.id })).code).toBe('FORBIDDEN')
    const hiddenOwner = await publisher(cloud, 'h-hidden', { publicCard: false })
    const hidden = await createCard(hiddenOwner)
    await acceptCurrentTerms(cloud, 'h-saver')
    const saver = cardsAs(cloud, 'h-saver')
    expect(errorOf(await saver('holderSave', { cardId: hidden.id })).code).toBe('CARD_HIDDEN')
    expect(errorOf(await saver('holderSave', { cardId: '0000000000' })).code).toBe('NOT_FOUND')
    expect(errorOf(await saver('holderSave', { cardId: card.id, tags: Array(11).fill('标签') })).code).toBe('INVALID_INPUT')
  })
})

describe('exchanging cards', () => {
  it('request → both sides list it → accept: both see exchanged-only fields and both holders get the card', async () => {
    const alice = await publisher(cloud, 'x-alice')
    const bob = await publisher(cloud, 'x-bob')
    const aCard = await createCard(alice, { ...SAMPLE_CARD, name: '艾丽丝' })
    const bCard = await createCard(bob, { ...SAMPLE_CARD, name: '鲍勃', phone: '13900000002' })

    const asked = ok<{ exchange: ExchangeView }>(await alice('exchangeRequest', { myCardId: aCard.id, theirCardId: bCard.id, message: '很高兴认识你' })).exchange
    expect(asked).toMatchObject({ status: 'pending', outgoing: true, myCardId: aCard.id, message: '很高兴认识你' })
    expect(asked.theirCard).toMatchObject({ id: bCard.id, name: '鲍勃' })
    // Asking twice is the same request.
    expect(ok<{ exchange: ExchangeView }>(await alice('exchangeRequest', { myCardId: aCard.id, theirCardId: bCard.id })).exchange.id).toBe(asked.id)

    // Bob hears of it once, although Alice asked twice.
    const bobInbox = await inboxOf('x-bob')
    // It opens the holder on the tab of received requests, where Bob answers.
    expect(bobInbox.filter((m) => m.type === 'cardExchange')).toEqual([expect.objectContaining({ title: '收到名片交换请求', link: '/packageCards/pages/holder/index?tab=incoming' })])
    expect(bobInbox.find((m) => m.type === 'cardExchange')?.body).toContain('艾丽丝')

    const incoming = ok<Exchanges>(await bob('exchangeList', { box: 'incoming' }))
    expect(incoming.pendingIncoming).toBe(1)
    expect(incoming.exchanges).toEqual([expect.objectContaining({ id: asked.id, outgoing: false, statusLabel: '等待你回应', myCardId: bCard.id })])
    expect(incoming.exchanges[0]?.theirCard?.name).toBe('艾丽丝')
    expect(ok<Exchanges>(await alice('exchangeList', { box: 'outgoing' })).exchanges.map((e) => e.id)).toEqual([asked.id])
    expect(ok<Landing>(await view('x-bob', aCard.id)).exchange).toEqual({ id: asked.id, status: 'pending', outgoing: false })
    // Before accepting, Bob sees only the public fields.
    expect(ok<Landing>(await view('x-bob', aCard.id)).card.phone).toBeNull()

    // Only the addressee answers.
    expect(errorOf(await alice('exchangeRespond', { exchangeId: asked.id, accept: true })).code).toBe('FORBIDDEN')
    expect(errorOf(await cardsAs(cloud, 'x-alice')('exchangeRespond', { exchangeId: 'nope_nope', accept: true })).code).toBe('NOT_FOUND')
    const accepted = ok<{ exchange: ExchangeView }>(await bob('exchangeRespond', { exchangeId: asked.id, accept: true })).exchange
    expect(accepted).toMatchObject({ status: 'accepted', statusLabel: '已交换' })
    // Alice's notice opens Bob's card, where the exchanged-only fields now show.
    expect((await inboxOf('x-alice')).filter((m) => m.type === 'cardExchange').map((m) => [m.title, m.link])).toEqual([['对方同意了交换名片', `/pages/card/index?id=${bCard.id}`]])
    expect(errorOf(await bob('exchangeRespond', { exchangeId: asked.id, accept: false })).code).toBe('CONFLICT')

    const bobSees = ok<Landing>(await view('x-bob', aCard.id))
    expect(bobSees).toMatchObject({ relation: 'exchanged', saved: true, exchange: { status: 'accepted' } })
    expect(bobSees.card).toMatchObject({ phone: '13812345678', email: 'xiaoming@example.com', wechatId: 'wxm_2024' })
    expect(ok<Landing>(await view('x-alice', bCard.id)).card.phone).toBe('13900000002')
    const aliceHolder = ok<Page>(await alice('holderList', {}))
    expect(aliceHolder.items).toEqual([expect.objectContaining({ cardId: bCard.id, exchanged: true })])
    expect(aliceHolder.items[0]?.card?.phone).toBe('13900000002')

    // Ending the exchange takes the exchanged-only fields back (from both sides).
    expect(ok<{ exchange: ExchangeView }>(await alice('exchangeEnd', { exchangeId: asked.id })).exchange.status).toBe('ended')
    expect(ok<Landing>(await view('x-bob', aCard.id))).toMatchObject({ relation: 'member', card: { phone: null } })
    expect(ok<Landing>(await view('x-alice', bCard.id)).card.phone).toBeNull()
  })

  it('declines, lets the requester withdraw and ask again, and asking back is accepting', async () => {
    const carol = await publisher(cloud, 'x-carol')
    const dave = await publisher(cloud, 'x-dave')
    const cCard = await createCard(carol, { name: '卡萝' })
    const dCard = await createCard(dave, { name: '戴夫' })
    const first = ok<{ exchange: ExchangeView }>(await carol('exchangeRequest', { myCardId: cCard.id, theirCardId: dCard.id })).exchange
    expect(ok<{ exchange: ExchangeView }>(await dave('exchangeRespond', { exchangeId: first.id, accept: false })).exchange.status).toBe('declined')
    expect(ok<Exchanges>(await carol('exchangeList', { box: 'outgoing' })).exchanges[0]).toMatchObject({ status: 'declined', statusLabel: '对方已婉拒' })
    // A declined request cannot be ended or answered again.
    expect(errorOf(await carol('exchangeEnd', { exchangeId: first.id })).code).toBe('CONFLICT')

    // Asking again waits a day after a decline or a withdrawal (cards-security.test.ts has the details).
    expect(errorOf(await carol('exchangeRequest', { myCardId: cCard.id, theirCardId: dCard.id })).code).toBe('RATE_LIMITED')
    cloud.clock.advance(DAY)
    const again = ok<{ exchange: ExchangeView }>(await carol('exchangeRequest', { myCardId: cCard.id, theirCardId: dCard.id })).exchange
    expect(again).toMatchObject({ id: first.id, status: 'pending' })
    expect(ok<{ exchange: ExchangeView }>(await carol('exchangeEnd', { exchangeId: first.id })).exchange.status).toBe('cancelled')
    cloud.clock.advance(DAY)
    ok(await carol('exchangeRequest', { myCardId: cCard.id, theirCardId: dCard.id }))
    // The addressee asks back for the same pair: that accepts.
    const back = ok<{ exchange: ExchangeView }>(await dave('exchangeRequest', { myCardId: dCard.id, theirCardId: cCard.id })).exchange
    expect(back.status).toBe('accepted')
    expect(ok<Landing>(await view('x-carol', dCard.id)).relation).toBe('exchanged')
    // Third parties cannot see or touch the exchange.
    const eve = await publisher(cloud, 'x-eve')
    expect(errorOf(await eve('exchangeEnd', { exchangeId: first.id })).code).toBe('NOT_FOUND')
    expect(ok<Exchanges>(await eve('exchangeList', { box: 'incoming' })).exchanges).toEqual([])
  })

  it('accepts exactly once when both answers race', async () => {
    const p = await publisher(cloud, 'x-race-p')
    const q = await publisher(cloud, 'x-race-q')
    const pCard = await createCard(p, { name: '佩' })
    const qCard = await createCard(q, { name: '丘' })
    const asked = ok<{ exchange: ExchangeView }>(await p('exchangeRequest', { myCardId: pCard.id, theirCardId: qCard.id })).exchange
    const answers = await Promise.all([
      q('exchangeRespond', { exchangeId: asked.id, accept: true }),
      q('exchangeRespond', { exchangeId: asked.id, accept: false }),
      q('exchangeRespond', { exchangeId: asked.id, accept: true }),
    ])
    expect(answers.filter((a) => a.ok)).toHaveLength(1)
    for (const refused of answers.filter((a) => !a.ok)) expect(errorOf(refused).code).toBe('CONFLICT')
  })

  it('needs my own published, publicly shown card, someone else’s visible card, and no exchange ban', async () => {
    const me = await publisher(cloud, 'x-rules')
    const mine = await createCard(me, { name: '规则' })
    const held = await createCard(me, { name: '沙箱待审' })
    const other = await publisher(cloud, 'x-rules-other')
    const theirs = await createCard(other, { name: '对方' })
    const hiddenOwner = await publisher(cloud, 'x-rules-hidden', { publicCard: false })
    const hidden = await createCard(hiddenOwner, { name: '隐藏' })

    expect(errorOf(await other('exchangeRequest', { myCardId: mine.id, theirCardId: theirs.id })).code).toBe('FORBIDDEN')
    expect(errorOf(await me('exchangeRequest', { myCardId: mine.id, theirCardId: mine.id })).code).toBe('FORBIDDEN')
    expect(errorOf(await me('exchangeRequest', { myCardId: held.id, theirCardId: theirs.id })).code).toBe('NOT_PUBLISHED')
    expect(errorOf(await me('exchangeRequest', { myCardId: mine.id, theirCardId: hidden.id })).code).toBe('CARD_HIDDEN')
    expect(errorOf(await me('exchangeRequest', { myCardId: mine.id, theirCardId: '0000000000' })).code).toBe('NOT_FOUND')
    expect(errorOf(await hiddenOwner('exchangeRequest', { myCardId: hidden.id, theirCardId: theirs.id })).code).toBe('CONSENT_REQUIRED')

    const accountId = await accountIdOf(cloud, 'x-rules')
    const until = new Date(cloud.clock.now().getTime() + DAY).toISOString()
    ok(await cloud.call('admin', { action: 'transition', input: { accountId, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '骚扰他人交换名片', until, features: ['exchange'] } }, ADMIN))
    const banned = errorOf(await me('exchangeRequest', { myCardId: mine.id, theirCardId: theirs.id }))
    expect(banned.code).toBe('FEATURE_RESTRICTED')
    expect(banned.message).toContain('骚扰他人交换名片')
  })
})

describe('the exchange message passes the moderation gate', () => {
  /** What reviewers see of the decisions on messages sent with this exchange. */
  const decisionsOn = async (exchangeId: string): Promise<DecisionView[]> =>
    ok<{ decisions: DecisionView[] }>(await cloud.call('moderation', { action: 'decisions', input: { kind: 'exchangeMessage', limit: 50 } }, ADMIN)).decisions.filter(
      (d) => d.targetId === exchangeId,
    )

  it('sends a clean message with the request, shows it to the addressee, and keeps its decision on record only', async () => {
    const from = await publisher(cloud, 'xm-clean-from')
    const to = await publisher(cloud, 'xm-clean-to')
    const fromCard = await createCard(from, { name: '留言人' })
    const toCard = await createCard(to, { name: '收信人' })

    const asked = ok<{ exchange: ExchangeView }>(await from('exchangeRequest', { myCardId: fromCard.id, theirCardId: toCard.id, message: '上周在展会上聊过，想保持联系' })).exchange
    expect(asked).toMatchObject({ status: 'pending', message: '上周在展会上聊过，想保持联系' })
    const incoming = ok<Exchanges>(await to('exchangeList', { box: 'incoming' })).exchanges
    expect(incoming).toEqual([expect.objectContaining({ id: asked.id, message: '上周在展会上聊过，想保持联系' })])
    expect((await inboxOf('xm-clean-to')).filter((m) => m.type === 'cardExchange')).toHaveLength(1)

    const [decision] = await decisionsOn(asked.id)
    expect(decision).toMatchObject({ kind: 'exchangeMessage', kindLabel: '交换名片留言', state: 'published', reasons: [], sources: [] })

    // A later verdict on a message (as a reviewer's would be) is written nowhere: the exchange has no
    // moderation to show, the sweep settles the decision instead of retrying it, and nobody is told.
    await decisions(cloud.store).update(decision?.id ?? '', { state: 'rejected', reasons: ['复审认为不宜发送'], targetSyncedAt: null })
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect(await exchanges(cloud.store).byId(asked.id)).not.toHaveProperty('moderation')
    expect((await decisions(cloud.store).byId(decision?.id ?? ''))?.targetSyncedAt).not.toBeNull()
    expect((await inboxOf('xm-clean-from')).filter((m) => m.type === 'moderationDecision')).toEqual([])
  })

  it.each([
    ['WeChat finds it risky', 'xm-risky', '沙箱违规，加我详聊', 'refuse', '含有「违法犯罪」类违规内容，不能发布'],
    ['WeChat wants a review', 'xm-review', '沙箱待审', 'review', '可能含有「其他」类内容，留言不能发送'],
    ['the local scanner refuses it', 'xm-local-refuse', '兼职刷单返利，日结', 'refuse', '含有「诈骗」类违规内容“刷单返利”，不能发布'],
    ['the local scanner wants a review', 'xm-local-review', '我的手机 13912345678', 'review', '公开内容中含有手机号（139****5678），留言不能发送'],
  ] as const)('refuses the request when %s: an issue on `message`, no exchange, no notice, the decision on record', async (_case, tag, message, verdict, issue) => {
    const from = await publisher(cloud, `${tag}-from`)
    const to = await publisher(cloud, `${tag}-to`)
    const fromCard = await createCard(from, { name: '留言人' })
    const toCard = await createCard(to, { name: '收信人' })
    const exchangeId = exchangeIdOf(fromCard.id, toCard.id)

    const refused = errorOf(await from('exchangeRequest', { myCardId: fromCard.id, theirCardId: toCard.id, message }))
    expect(refused.code).toBe('CONTENT_REFUSED')
    expect(refused.issues).toEqual([{ path: 'message', message: issue }])
    expect(await exchanges(cloud.store).byId(exchangeId)).toBeNull()
    expect(ok<Exchanges>(await to('exchangeList', { box: 'incoming' })).exchanges).toEqual([])
    expect((await inboxOf(`${tag}-to`)).filter((m) => m.type === 'cardExchange')).toEqual([])

    const [decision, ...more] = await decisionsOn(exchangeId)
    expect(more).toEqual([])
    expect(decision).toMatchObject({ kind: 'exchangeMessage', state: 'refused', stateLabel: '已拒绝：未通过安全审核，没有发布' })
    expect(decision?.sources).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'message', verdict })]))
    expect(decision?.reasons.length).toBeGreaterThan(0)

    // Without the message, the same request goes through.
    const asked = ok<{ exchange: ExchangeView }>(await from('exchangeRequest', { myCardId: fromCard.id, theirCardId: toCard.id })).exchange
    expect(asked).toMatchObject({ id: exchangeId, status: 'pending', message: '' })
    expect((await inboxOf(`${tag}-to`)).filter((m) => m.type === 'cardExchange')).toHaveLength(1)
  })
})

/**
 * The cards domain under pressure: races between a save and a consent
 * withdrawal, a new version of the public-card notice, exchanges that outlive
 * a card, text that reaches others unchecked, the 已实名 badge on another name,
 * requests from hidden and erased people, request spam, holders past 100
 * owners and at their limit, and avatars from other hosts. Everything goes
 * through the real dispatcher, the real SDK and the local database.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import { cards as cardStore, cardSettings, exchangeIdOf, exchanges, holder as holderStore, type CardDoc, type ExchangeDoc } from '../../cloudfunctions/_core/cards/store'
import { Ledger } from '../../cloudfunctions/_core/consent/ledger'
import { identities } from '../../cloudfunctions/_core/identity/records'
import { inboxMessages } from '../../cloudfunctions/_core/inbox'
import { documentCatalogue } from '../../cloudfunctions/_core/legal'
import { acceptCurrentTerms, freshTestIdNumber, grantConsents, SAMPLE_CARD, startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import { DEFAULT_VISIBILITY, EXCHANGE_DAILY_LIMIT, HOLDER_LIMIT } from '../../shared/cards'
import { PURPOSES } from '../../shared/consent'
import type { CardFace, ExchangeView, HolderItem, OwnCardView } from '../../shared/contract/cards'
import { accountIdOf, cardsAs, createCard, publisher, type Call } from './cards-helpers'
import { DAY, errorOf, ok, publish } from './helpers'
import { fire, makeStaff } from './lifecycle-helpers'

// Several tests here drive hundreds of calls (30 requests at once, 105 owners, 1,000 saved cards): a few seconds
// alone, several times that on a loaded machine, so they get room far from jest's 5 s default.
jest.setTimeout(60_000)

let cloud: TestCloud
const START = new Date('2026-06-01T02:00:00.000Z')
const ADMIN = 'sec-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

type Landing = { card: CardFace; relation: string; exchange: { id: string; status: string } | null }
type Mine = { cards: OwnCardView[]; verified: boolean }
type Page = { items: HolderItem[]; nextCursor: string | null }
type Exchanges = { exchanges: ExchangeView[]; pendingIncoming: number }

const view = (openid: string, cardId: string) => cloud.call('cards', { action: 'view', input: { cardId } }, openid)
const mine = async (call: Call): Promise<Mine> => ok<Mine>(await call('mine'))
const withdraw = (openid: string, purpose: string) => cloud.call('consent', { action: 'withdraw', input: { purpose } }, openid)

async function requestAndAccept(from: Call, fromCard: string, to: Call, toCard: string): Promise<string> {
  const asked = ok<{ exchange: ExchangeView }>(await from('exchangeRequest', { myCardId: fromCard, theirCardId: toCard })).exchange
  ok(await to('exchangeRespond', { exchangeId: asked.id, accept: true }))
  return asked.id
}

/**
 * Holds the sandbox's msgSecCheck (the text check every card save waits for)
 * until released, so that something else can happen in the middle of a save.
 */
function holdTextCheck(): { reached: Promise<void>; release(): void; restore(): void } {
  const original = cloud.openApi.msgSecCheck
  let release: () => void = () => undefined
  let arrive: () => void = () => undefined
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const reached = new Promise<void>((resolve) => {
    arrive = resolve
  })
  cloud.openApi.msgSecCheck = async (input) => {
    arrive()
    await gate
    return original(input)
  }
  return { reached, release: () => release(), restore: () => void (cloud.openApi.msgSecCheck = original) }
}

describe('a save racing a withdrawal of「公开展示我的名片」(item 1)', () => {
  it('an edit checked while the consent was withdrawn leaves the card hidden, flagged as the withdrawal left it', async () => {
    const call = await publisher(cloud, 's1-edit')
    const card = await createCard(call)
    await acceptCurrentTerms(cloud, 's1-viewer')
    expect(ok<Landing>(await view('s1-viewer', card.id)).card.name).toBe('王小明')

    const held = holdTextCheck()
    const saving = call('update', { cardId: card.id, card: { ...SAMPLE_CARD, title: '产品总监' } })
    try {
      await held.reached
      // The withdrawal lands while the save waits for the text check: its effect flags the card now.
      ok(await withdraw('s1-edit', 'publicCard'))
      expect((await cardStore(cloud.store).byId(card.id))?.consentHidden).toBe(true)
    } finally {
      held.release()
      held.restore()
    }
    const saved = ok<{ card: OwnCardView }>(await saving).card
    expect(saved).toMatchObject({ title: '产品总监', shownToOthers: false, hiddenReason: 'consent' })
    // The save did not undo the withdrawal's flag.
    expect((await cardStore(cloud.store).byId(card.id))?.consentHidden).toBe(true)
    expect(errorOf(await view('s1-viewer', card.id)).code).toBe('CARD_HIDDEN')

    // Granting again is what shows it (and clears the flag).
    await grantConsents(cloud, 's1-edit', ['publicCard'])
    expect(ok<Landing>(await view('s1-viewer', card.id)).card.title).toBe('产品总监')
    expect((await cardStore(cloud.store).byId(card.id))?.consentHidden).toBe(false)
  })

  it('a new card written after the withdrawal took effect is flagged too', async () => {
    const call = await publisher(cloud, 's1-new')
    await createCard(call, { name: '第一张' })
    const held = holdTextCheck()
    const creating = call('create', { ...SAMPLE_CARD, name: '第二张' })
    try {
      await held.reached
      // The withdrawal's effect runs before the new card exists: it cannot flag it.
      ok(await withdraw('s1-new', 'publicCard'))
    } finally {
      held.release()
      held.restore()
    }
    const created = ok<{ card: OwnCardView }>(await creating).card
    expect(created).toMatchObject({ name: '第二张', shownToOthers: false, hiddenReason: 'consent' })
    expect((await cardStore(cloud.store).byId(created.id))?.consentHidden).toBe(true)
    expect((await cardStore(cloud.store).find({ ownerOpenid: 's1-new' }, { limit: 10 })).map((c) => c.consentHidden)).toEqual([true, true])
  })
})

describe('exchanges need my own card of the exchange (item 3)', () => {
  it('open nothing while my card is hidden, and end when I remove it', async () => {
    const a = await publisher(cloud, 's3-a')
    const b = await publisher(cloud, 's3-b')
    const aCard = await createCard(a, { ...SAMPLE_CARD, name: '甲方' })
    const bCard = await createCard(b, { ...SAMPLE_CARD, name: '乙方', phone: '13900000009' })
    const id = await requestAndAccept(a, aCard.id, b, bCard.id)
    expect(ok<Landing>(await view('s3-a', bCard.id))).toMatchObject({ relation: 'exchanged', card: { phone: '13900000009' } })

    // My card of the exchange goes back to review (an edit held for people): the exchange opens nothing meanwhile.
    expect(ok<{ card: OwnCardView }>(await a('update', { cardId: aCard.id, card: { ...SAMPLE_CARD, name: '甲方', company: '沙箱待审公司' } })).card.shownToOthers).toBe(false)
    expect(ok<Landing>(await view('s3-a', bCard.id))).toMatchObject({ relation: 'member', card: { phone: null } })
    expect(ok<Page>(await a('holderList', {})).items.find((i) => i.cardId === bCard.id)).toMatchObject({ exchanged: false, card: { phone: null } })
    ok(await a('update', { cardId: aCard.id, card: { ...SAMPLE_CARD, name: '甲方' } }))
    expect(ok<Landing>(await view('s3-a', bCard.id)).relation).toBe('exchanged')

    // Removing my card ends its exchanges: for me and for the other side's lists.
    ok(await a('remove', { cardId: aCard.id }))
    expect((await exchanges(cloud.store).byId(id))?.status).toBe('ended')
    expect(ok<Landing>(await view('s3-a', bCard.id))).toMatchObject({ relation: 'member', card: { phone: null } })
    expect(ok<Exchanges>(await b('exchangeList', { box: 'incoming' })).exchanges).toEqual([expect.objectContaining({ id, status: 'ended', theirCard: null })])
    // A card I make afterwards does not inherit anything.
    const next = await createCard(a, { ...SAMPLE_CARD, name: '甲方' })
    expect(ok<Landing>(await view('s3-a', bCard.id)).relation).toBe('member')
    expect(next.id).not.toBe(aCard.id)
  })

  it('withdraws pending requests sent with a removed card and declines those asking for it', async () => {
    const a = await publisher(cloud, 's3-pa')
    const b = await publisher(cloud, 's3-pb')
    const c = await publisher(cloud, 's3-pc')
    const aCard = await createCard(a, { name: '甲卡' })
    const bCard = await createCard(b, { name: '乙卡' })
    const cCard = await createCard(c, { name: '丙卡' })
    const sent = ok<{ exchange: ExchangeView }>(await a('exchangeRequest', { myCardId: aCard.id, theirCardId: bCard.id })).exchange
    const asked = ok<{ exchange: ExchangeView }>(await c('exchangeRequest', { myCardId: cCard.id, theirCardId: aCard.id })).exchange
    ok(await a('remove', { cardId: aCard.id }))
    expect((await exchanges(cloud.store).byId(sent.id))?.status).toBe('cancelled')
    expect((await exchanges(cloud.store).byId(asked.id))?.status).toBe('declined')
    expect(errorOf(await b('exchangeRespond', { exchangeId: sent.id, accept: true })).code).toBe('CONFLICT')
  })
})

describe('card text shown to others passes the gate, e-mail in a real address shape (item 4)', () => {
  it('checks link addresses and the e-mail address like the other texts', async () => {
    const call = await publisher(cloud, 's4-gate')
    const refusedLink = errorOf(await call('create', { ...SAMPLE_CARD, links: [{ label: '官网', url: 'https://a.cn/沙箱违规' }] }))
    expect(refusedLink.code).toBe('CONTENT_REFUSED')
    expect(refusedLink.issues?.map((i) => i.path)).toEqual(['links.0.url'])
    // A resident ID number as the mailbox name: personal data in public text, refused.
    const refusedEmail = errorOf(await call('create', { ...SAMPLE_CARD, email: `${freshTestIdNumber()}@example.com` }))
    expect(refusedEmail.code).toBe('CONTENT_REFUSED')
    expect(refusedEmail.issues?.map((i) => i.path)).toEqual(['email'])
    expect(await cardStore(cloud.store).count({ ownerOpenid: 's4-gate' })).toBe(0)
    // What a card usually carries passes.
    const clean = await createCard(call, { ...SAMPLE_CARD, email: 'zhang.san+card@mail.example.cn', links: [{ label: '作品集', url: 'https://example.com/works?id=1' }] })
    expect(clean.moderation.state).toBe('published')
  })

  it.each([
    ['王小明@例子.中国'],
    ['王小明@example.com'],
    ['xiaoming@example.com 加我微信'],
    ['a..b@example.com'],
    ['.a@example.com'],
    ['a@example'],
    ['a@-example.com'],
    ['a@example.c'],
    ['"a b"@example.com'],
  ])('refuses %s as an e-mail address', async (address) => {
    const call = cardsAs(cloud, 's4-gate')
    const refused = errorOf(await call('create', { ...SAMPLE_CARD, email: address }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues).toEqual([{ path: 'email', message: '请填写正确的邮箱' }])
  })

  it('takes ASCII addresses, an IDN domain in punycode, and an empty field', async () => {
    const call = cardsAs(cloud, 's4-gate')
    for (const address of ['A.B_c-d%e+f@Sub-1.Example.COM', 'xiaoming@xn--fsqu00a.xn--fiqs8s', '']) {
      expect(ok<{ card: OwnCardView }>(await call('update', { cardId: (await mine(call)).cards[0]?.id, card: { ...SAMPLE_CARD, email: address } })).card.email).toBe(address)
    }
  })
})

describe('the 已实名 badge follows the verified legal name (item 5)', () => {
  it('shows the badge only on cards that carry the owner’s verified name; the owner is told their account is verified', async () => {
    const call = await publisher(cloud, 's5-owner', { name: '欧阳实名' })
    const real = await createCard(call, { ...SAMPLE_CARD, name: '欧阳实名' })
    const spaced = await createCard(call, { ...SAMPLE_CARD, name: '欧阳 实名' })
    const other = await createCard(call, { ...SAMPLE_CARD, name: '张化名' })
    expect([real, spaced, other].map((c) => [c.verified, c.ownerVerified])).toEqual([
      [true, true],
      [true, true],
      [false, true],
    ])
    expect((await mine(call)).verified).toBe(true)

    // Others see the badge on the real name only: the landing page, the holder, exchange lists.
    const viewer = await publisher(cloud, 's5-viewer', { name: '看名片' })
    const viewerCard = await createCard(viewer, { ...SAMPLE_CARD, name: '看名片' })
    expect(ok<Landing>(await view('s5-viewer', real.id)).card.verified).toBe(true)
    expect(ok<Landing>(await view('s5-viewer', other.id)).card).toMatchObject({ name: '张化名', verified: false })
    expect(ok<Landing>(await view('s5-anon', other.id)).card.verified).toBe(false)
    ok(await viewer('holderSave', { cardId: other.id }))
    expect(ok<Page>(await viewer('holderList', {})).items[0]?.card).toMatchObject({ name: '张化名', verified: false })
    ok(await viewer('exchangeRequest', { myCardId: viewerCard.id, theirCardId: other.id }))
    expect(ok<Exchanges>(await call('exchangeList', { box: 'incoming' })).exchanges[0]?.theirCard).toMatchObject({ name: '看名片', verified: true })
    expect(ok<Exchanges>(await viewer('exchangeList', { box: 'outgoing' })).exchanges[0]?.theirCard).toMatchObject({ name: '张化名', verified: false })

    // Renaming to the legal name earns the badge; verification ending takes it from every card.
    expect(ok<{ card: OwnCardView }>(await call('update', { cardId: other.id, card: { ...SAMPLE_CARD, name: '欧阳实名' } })).card.verified).toBe(true)
    ok(await withdraw('s5-owner', 'face'))
    expect((await mine(call)).cards.map((c) => [c.verified, c.ownerVerified])).toEqual([
      [false, false],
      [false, false],
      [false, false],
    ])
  })

  it('keeps only a keyed reference of the name; identities from before it get no badge until the identity function fills it in', async () => {
    const call = await publisher(cloud, 's5-legacy', { name: '李旧账' })
    const card = await createCard(call, { ...SAMPLE_CARD, name: '李旧账' })
    expect(card.verified).toBe(true)
    const identity = await identities(cloud.store).findOne({ openid: 's5-legacy' })
    expect(identity?.nameRef).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(identity)).not.toContain('李旧账')

    // As identities bound before name references were kept.
    const forget = () => identities(cloud.store).updateWhere({ openid: 's5-legacy' }, { nameRef: cloud.store.cmd.remove() })
    await forget()
    expect((await mine(call)).cards[0]).toMatchObject({ verified: false, ownerVerified: true })
    // The owner opening their verification status fills it in …
    ok(await cloud.call('identity', { action: 'status', input: {} }, 's5-legacy'))
    expect((await mine(call)).cards[0]?.verified).toBe(true)
    // … and so does the identity function's daily timer.
    await forget()
    ok(await cloud.gateway.fireTimer('identity', 'purgeAttempts'))
    expect((await identities(cloud.store).findOne({ openid: 's5-legacy' }))?.nameRef).toBe(identity?.nameRef)
    expect((await mine(call)).cards[0]?.verified).toBe(true)
  })
})

describe('requests from hidden and erased people (item 6)', () => {
  it('leaves requests from accounts that hide content out of the lists, and refuses to accept them', async () => {
    const to = await publisher(cloud, 's6-to')
    const from = await publisher(cloud, 's6-from')
    const toCard = await createCard(to, { name: '收件人' })
    const fromCard = await createCard(from, { name: '请求人' })
    const asked = ok<{ exchange: ExchangeView }>(await from('exchangeRequest', { myCardId: fromCard.id, theirCardId: toCard.id, message: '你好' })).exchange
    expect(ok<Exchanges>(await to('exchangeList', { box: 'incoming' }))).toMatchObject({ pendingIncoming: 1, exchanges: [expect.objectContaining({ id: asked.id })] })

    const accountId = await accountIdOf(cloud, 's6-from')
    await accounts(cloud.store).update(accountId, { state: 'dormant', contentHidden: true })
    expect(ok<Exchanges>(await to('exchangeList', { box: 'incoming' }))).toEqual({ exchanges: [], nextCursor: null, pendingIncoming: 0 })
    const refused = errorOf(await to('exchangeRespond', { exchangeId: asked.id, accept: true }))
    expect(refused.code).toBe('CARD_HIDDEN')
    expect((await exchanges(cloud.store).byId(asked.id))?.status).toBe('pending')
    expect(await holderStore(cloud.store).count({ ownerOpenid: 's6-to' })).toBe(0)

    // Back: listed again and can be answered.
    await accounts(cloud.store).update(accountId, { state: 'active', contentHidden: false })
    expect(ok<Exchanges>(await to('exchangeList', { box: 'incoming' })).pendingIncoming).toBe(1)
    expect(ok<{ exchange: ExchangeView }>(await to('exchangeRespond', { exchangeId: asked.id, accept: true })).exchange.status).toBe('accepted')
  })

  it('erasing a person removes the exchange notices they caused in others’ inboxes, and only those', async () => {
    const person = 's6-erased'
    const erased = await publisher(cloud, person)
    const addressee = await publisher(cloud, 's6-addressee')
    const asker = await publisher(cloud, 's6-asker')
    const bystander = await publisher(cloud, 's6-bystander')
    const erasedCard = await createCard(erased, { name: '将注销' })
    const addresseeCard = await createCard(addressee, { name: '收到请求' })
    const askerCard = await createCard(asker, { name: '发出请求' })
    const bystanderCard = await createCard(bystander, { name: '旁人' })
    // The person asked the addressee (a notice naming their card) …
    ok(await erased('exchangeRequest', { myCardId: erasedCard.id, theirCardId: addresseeCard.id }))
    // … and accepted the asker's request (a notice of their acceptance).
    await requestAndAccept(asker, askerCard.id, erased, erasedCard.id)
    // Notices between other people stay.
    ok(await bystander('exchangeRequest', { myCardId: bystanderCard.id, theirCardId: addresseeCard.id }))
    const exchangeNotices = async (openid: string) => (await inboxMessages(cloud.store).find({ recipient: openid, type: 'cardExchange' }, { limit: 50 })).map((m) => m.body)
    expect((await exchangeNotices('s6-addressee')).join('\n')).toContain('将注销')
    expect(await exchangeNotices('s6-asker')).toHaveLength(1)

    const accountId = await accountIdOf(cloud, person)
    const now = cloud.clock.now()
    await accounts(cloud.store).update(accountId, { state: 'pendingDeletion', contentHidden: true, deletionRequestedAt: now, deletionDueAt: now })
    await fire(cloud, 'runDeletions')
    expect((await accounts(cloud.store).byId(accountId))?.erasure).toBe('done')

    expect(await exchangeNotices('s6-addressee')).toEqual([expect.stringContaining('旁人')])
    expect(await exchangeNotices('s6-asker')).toEqual([])
    expect(await exchanges(cloud.store).count({ fromOpenid: person })).toBe(0)
    expect(await exchanges(cloud.store).count({ toOpenid: person })).toBe(0)
  })
})

describe('request spam (item 7)', () => {
  it('waits a day after a decline or a withdrawal before the same requester asks for the same pair', async () => {
    const asker = await publisher(cloud, 's7-asker')
    const other = await publisher(cloud, 's7-other')
    const askerCard = await createCard(asker, { name: '申请人' })
    const otherCard = await createCard(other, { name: '被申请' })
    const request = () => asker('exchangeRequest', { myCardId: askerCard.id, theirCardId: otherCard.id })
    const asked = ok<{ exchange: ExchangeView }>(await request()).exchange
    ok(await other('exchangeRespond', { exchangeId: asked.id, accept: false }))
    const declinedAt = cloud.clock.now()
    const notices = async () => (await inboxMessages(cloud.store).find({ recipient: 's7-other', type: 'cardExchange' }, { limit: 50 })).length
    expect(await notices()).toBe(1)

    cloud.clock.advance(DAY - 60_000)
    const tooSoon = errorOf(await request())
    expect(tooSoon.code).toBe('RATE_LIMITED')
    expect(tooSoon.retryAt).toBe(new Date(declinedAt.getTime() + DAY).toISOString())
    expect(tooSoon.message).toContain('24 小时')
    expect(await notices()).toBe(1)
    // The one who declined may still ask for the pair themselves (and asking back then accepts).
    expect(ok<{ exchange: ExchangeView }>(await other('exchangeRequest', { myCardId: otherCard.id, theirCardId: askerCard.id })).exchange.status).toBe('pending')
    expect(ok<{ exchange: ExchangeView }>(await request()).exchange.status).toBe('accepted')

    // Withdrawing and asking again at once (to notify again) waits as well.
    const third = await publisher(cloud, 's7-third')
    const thirdCard = await createCard(third, { name: '第三人' })
    const again = () => asker('exchangeRequest', { myCardId: askerCard.id, theirCardId: thirdCard.id })
    const pending = ok<{ exchange: ExchangeView }>(await again()).exchange
    ok(await asker('exchangeEnd', { exchangeId: pending.id }))
    expect(errorOf(await again()).code).toBe('RATE_LIMITED')
    cloud.clock.advance(DAY)
    expect(ok<{ exchange: ExchangeView }>(await again()).exchange.status).toBe('pending')
  })

  it(`caps each requester at ${EXCHANGE_DAILY_LIMIT} requests a Beijing day, also when they are sent at once`, async () => {
    cloud.clock.set(new Date('2026-07-01T04:00:00.000Z'))
    const spammer = await publisher(cloud, 's7-spammer')
    const spamCard = await createCard(spammer, { name: '群发' })
    const targets: string[] = []
    for (let owner = 0; owner < 7; owner++) {
      const call = await publisher(cloud, `s7-target-${owner}`)
      for (let n = 0; n < 5; n++) targets.push((await createCard(call, { name: `目标${owner}-${n}` })).id)
    }
    const burst = await Promise.all(targets.map((theirCardId) => spammer('exchangeRequest', { myCardId: spamCard.id, theirCardId })))
    expect(burst.filter((r) => r.ok)).toHaveLength(EXCHANGE_DAILY_LIMIT)
    const refused = burst.filter((r) => !r.ok).map(errorOf)
    expect(refused.map((e) => e.code)).toEqual(Array(targets.length - EXCHANGE_DAILY_LIMIT).fill('RATE_LIMITED'))
    // The next Beijing midnight (16:00 UTC).
    expect(refused[0]?.retryAt).toBe('2026-07-01T16:00:00.000Z')
    expect(refused[0]?.message).toContain(`${EXCHANGE_DAILY_LIMIT}`)
    expect(await exchanges(cloud.store).count({ fromOpenid: 's7-spammer' })).toBe(EXCHANGE_DAILY_LIMIT)
    // Asking again for a pending pair sends nothing and is not counted.
    const sent = burst.flatMap((r, i) => (r.ok ? [targets[i] ?? ''] : []))
    ok(await spammer('exchangeRequest', { myCardId: spamCard.id, theirCardId: sent[0] }))

    cloud.clock.set(new Date('2026-07-01T16:00:00.000Z'))
    const rest = targets.filter((t) => !sent.includes(t))
    for (const theirCardId of rest) ok(await spammer('exchangeRequest', { myCardId: spamCard.id, theirCardId }))
    expect(await exchanges(cloud.store).count({ fromOpenid: 's7-spammer' })).toBe(targets.length)
  })
})

/** A card of someone who only signed in and granted「公开展示我的名片」: written directly, the way the seed does. */
async function seededOwner(openid: string, cardId: string, name: string, phone: string): Promise<CardDoc> {
  ok(await cloud.call('account', { action: 'login', input: {} }, openid))
  const now = cloud.clock.now()
  const current = (await documentCatalogue(cloud.store, { fresh: true })).current(PURPOSES.publicCard.document, now)
  if (!current) throw new Error('no public-card notice')
  await new Ledger(cloud.store, cloud.config).append(openid, now, [
    { purpose: 'publicCard', action: 'grant', method: 'settings', docId: current.docId, version: current.version, hash: current.hash, guardian: null },
  ])
  const card: CardDoc = {
    _id: cardId,
    ownerOpenid: openid,
    slot: 0,
    slotKey: `${openid}:0`,
    isDefault: true,
    defaultKey: openid,
    name,
    title: '批量',
    company: '',
    phone,
    email: '',
    wechatId: '',
    address: '',
    intro: '',
    avatarUrl: null,
    links: [],
    visibility: { ...DEFAULT_VISIBILITY, phone: 'exchanged' },
    moderation: { state: 'published', decisionId: 'seeded', reasons: [], decidedAt: now },
    consentHidden: false,
    createdAt: now,
    updatedAt: now,
  }
  await cardStore(cloud.store).add(card)
  return card
}

describe('holders with more than 100 owners (item 8)', () => {
  it('lists and searches a holder of 105 owners’ cards, each exchanged with one of my cards among ended ones', async () => {
    const me = await publisher(cloud, 's8-me')
    const myCard = await createCard(me, { name: '我自己' })
    const now = cloud.clock.now()
    const theirs: CardDoc[] = []
    for (let i = 0; i < 105; i++) {
      const n = String(i).padStart(3, '0')
      theirs.push(await seededOwner(`s8-owner-${n}`, `b800000${n}`, `批量${i}`, `13800000${n}`))
    }
    const exchange = (mineId: string, theirs: CardDoc, status: ExchangeDoc['status']): ExchangeDoc => ({
      _id: exchangeIdOf(mineId, theirs._id),
      fromOpenid: 's8-me',
      fromCardId: mineId,
      toOpenid: theirs.ownerOpenid,
      toCardId: theirs._id,
      status,
      message: '',
      createdAt: now,
      updatedAt: now,
      decidedAt: now,
    })
    // Older exchanges from cards I have since removed come first, then the live one: more than a page per lookup.
    for (const old of ['0ldcard00a', '0ldcard00b']) for (const card of theirs) await exchanges(cloud.store).add(exchange(old, card, 'ended'))
    for (const card of theirs) await exchanges(cloud.store).add(exchange(myCard.id, card, 'accepted'))
    for (const [index, card] of theirs.entries()) {
      await holderStore(cloud.store).add({ ownerOpenid: 's8-me', cardId: card._id, note: '', tags: [], savedAt: new Date(now.getTime() + index), updatedAt: now })
    }

    const found = ok<Page>(await me('holderList', { q: '批量', limit: 50 }))
    expect(found.items).toHaveLength(50)
    // Each with the「交换名片后可见」phone: the exchange with my live card was found behind the ended ones.
    expect(found.items.every((i) => i.exchanged && /^13800000\d{3}$/.test(i.card?.phone ?? ''))).toBe(true)
    let all = [...found.items]
    for (let cursor = found.nextCursor; cursor; ) {
      const page = ok<Page>(await me('holderList', { q: '批量', limit: 50, cursor }))
      all = all.concat(page.items)
      cursor = page.nextCursor
    }
    expect(all).toHaveLength(105)
    expect(new Set(all.map((i) => i.cardId)).size).toBe(105)
    expect(all.filter((i) => !i.exchanged)).toEqual([])
    expect(ok<Page>(await me('holderList', { q: '批量104' })).items.map((i) => i.cardId)).toEqual([theirs[104]?._id])
  })
})

describe('the holder limit holds under concurrency (item 9)', () => {
  it(`never keeps more than ${HOLDER_LIMIT} cards, whether saved at once or by accepted exchanges`, async () => {
    const me = await publisher(cloud, 's9-me')
    const myCard = await createCard(me, { name: '收藏家' })
    const now = cloud.clock.now()
    // Saved before the count was kept: it starts from what is there.
    for (let i = 0; i < HOLDER_LIMIT - 3; i++) {
      await holderStore(cloud.store).add({ ownerOpenid: 's9-me', cardId: `g${String(i).padStart(9, '0')}`, note: '', tags: [], savedAt: now, updatedAt: now })
    }
    const others: Array<{ call: Call; cardId: string }> = []
    for (let i = 0; i < 6; i++) {
      const call = await publisher(cloud, `s9-other-${i}`)
      others.push({ call, cardId: (await createCard(call, { name: `卡${i}` })).id })
    }
    // Three accepted requests and three saves, all at once, for the last three places.
    const asked: string[] = []
    for (const other of others.slice(0, 3)) asked.push(ok<{ exchange: ExchangeView }>(await other.call('exchangeRequest', { myCardId: other.cardId, theirCardId: myCard.id })).exchange.id)
    const results = await Promise.all([
      ...asked.map((exchangeId) => me('exchangeRespond', { exchangeId, accept: true })),
      ...others.slice(3).map((other) => me('holderSave', { cardId: other.cardId })),
    ])
    // Accepting works with a full holder (the card is simply not kept); saving is refused.
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true)
    const saves = results.slice(3)
    const keptBySaves = saves.filter((r) => r.ok).length
    for (const refused of saves.filter((r) => !r.ok)) expect(errorOf(refused).code).toBe('HOLDER_FULL')
    expect(await holderStore(cloud.store).count({ ownerOpenid: 's9-me' })).toBe(HOLDER_LIMIT)
    expect(keptBySaves).toBeLessThanOrEqual(3)
    expect((await cardSettings(cloud.store).findOne({ ownerOpenid: 's9-me' }))?.holderCount).toBe(HOLDER_LIMIT)

    // Removing one frees exactly one place.
    ok(await me('holderRemove', { cardId: 'g000000000' }))
    const again = await Promise.all(others.map((other) => me('holderSave', { cardId: other.cardId })))
    expect(await holderStore(cloud.store).count({ ownerOpenid: 's9-me' })).toBe(HOLDER_LIMIT)
    expect(again.filter((r) => !r.ok).every((r) => errorOf(r).code === 'HOLDER_FULL')).toBe(true)
  })

  it('corrects a count left too high by an interrupted run, once it has been still for a while', async () => {
    const me = await publisher(cloud, 's9-drift')
    const other = await publisher(cloud, 's9-drift-other')
    const cardId = (await createCard(other, { name: '漂移' })).id
    const secondId = (await createCard(other, { name: '漂移二' })).id
    await cardSettings(cloud.store).add({ ownerOpenid: 's9-drift', shareCardOnVisit: false, updatedAt: cloud.clock.now(), holderCount: HOLDER_LIMIT, holderCountAt: cloud.clock.now() })
    // Just moved: a reservation may be in flight, the count stands.
    expect(errorOf(await me('holderSave', { cardId })).code).toBe('HOLDER_FULL')
    cloud.clock.advance(11 * 60 * 1000)
    ok(await me('holderSave', { cardId }))
    expect((await cardSettings(cloud.store).findOne({ ownerOpenid: 's9-drift' }))?.holderCount).toBe(1)
    ok(await me('holderSave', { cardId: secondId }))
    expect((await cardSettings(cloud.store).findOne({ ownerOpenid: 's9-drift' }))?.holderCount).toBe(2)
  })
})

describe('card avatars (item 10)', () => {
  let call: Call
  beforeAll(async () => {
    call = await publisher(cloud, 's10-owner')
  })

  it.each([
    ['https://example.com/a.png'],
    ['https://wx.qlogo.cn.evil.example/mmopen/a/132'],
    ['https://wx.qlogo.cn@evil.example/mmopen/a/132'],
    ['http://wx.qlogo.cn/mmopen/a/132'],
    ['https://qlogo.cn/mmopen/a/132'],
    ['https://thirdwx.qlogo.cn:8443/mmopen/a/132'],
  ])('refuses %s', async (avatarUrl) => {
    const refused = errorOf(await call('create', { ...SAMPLE_CARD, avatarUrl }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]).toMatchObject({ path: 'avatarUrl' })
    expect(refused.issues?.[0]?.message).toContain('wx.qlogo.cn')
  })

  it('takes an uploaded file and WeChat profile pictures', async () => {
    for (const avatarUrl of [(await uploadsOf(cloud, 's10-owner'))('cards/a.png'), 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132', 'https://wx.qlogo.cn/mmhead/abc/0']) {
      const card = await createCard(call, { ...SAMPLE_CARD, avatarUrl })
      expect(card.avatarUrl).toBe(avatarUrl)
      ok(await call('remove', { cardId: card.id }))
    }
  })

  it("refuses a file from someone else's upload folder, or one outside any, and stores nothing", async () => {
    const someoneElse = await publisher(cloud, 's10-other')
    const theirs = (await uploadsOf(cloud, 's10-other'))('cards/photo.png')
    await createCard(someoneElse, { ...SAMPLE_CARD, avatarUrl: theirs })
    const mine = (await uploadsOf(cloud, 's10-owner'))('')
    const before = (await cloud.store.collection('cards').count({ ownerOpenid: 's10-owner' }))
    for (const avatarUrl of [theirs, 'cloud://env-1.abc/cards/a.png', `${mine}../s10-other/cards/photo.png`, `${mine}cards//a.png`]) {
      const refused = errorOf(await call('create', { ...SAMPLE_CARD, avatarUrl }))
      expect([avatarUrl, refused.code, refused.message]).toEqual([avatarUrl, 'INVALID_INPUT', '只能使用你自己上传的图片，请重新选择图片'])
    }
    expect(await cloud.store.collection('cards').count({ ownerOpenid: 's10-owner' })).toBe(before)
  })
})

// Last: a new version of the public-card notice concerns every card of this cloud.
describe('a new version of the public-card notice (item 2)', () => {
  it('hides cards that were public under the old version until their owner grants the new one', async () => {
    const owner = await publisher(cloud, 's2-owner')
    const card = await createCard(owner)
    const viewer = await publisher(cloud, 's2-viewer')
    const viewerCard = await createCard(viewer, { name: '访客' })
    ok(await viewer('holderSave', { cardId: card.id }))
    expect(ok<Landing>(await view('s2-viewer', card.id)).card.name).toBe('王小明')

    const now = cloud.clock.now()
    await publish(cloud, ADMIN, { docId: 'notice-public-card', version: '2', announcedAt: now, effectiveAt: new Date(now.getTime() + 7 * DAY) })
    expect(ok<Landing>(await view('s2-viewer', card.id)).card.name).toBe('王小明')
    cloud.clock.advance(7 * DAY)

    // Not flagged by anything, yet not granted for the notice in effect: hidden, the same rule as asking to exchange.
    expect((await cardStore(cloud.store).byId(card.id))?.consentHidden).toBe(false)
    expect(errorOf(await view('s2-viewer', card.id)).code).toBe('CARD_HIDDEN')
    expect(errorOf(await view('s2-anon', card.id)).code).toBe('CARD_HIDDEN')
    expect((await mine(owner)).cards[0]).toMatchObject({ shownToOthers: false, hiddenReason: 'consent' })
    expect(ok<Page>(await viewer('holderList', {})).items[0]).toMatchObject({ cardId: card.id, card: null, unavailable: 'hidden' })
    expect(errorOf(await owner('exchangeRequest', { myCardId: card.id, theirCardId: viewerCard.id })).code).toBe('CONSENT_REQUIRED')

    await grantConsents(cloud, 's2-owner', ['publicCard'])
    expect(ok<Landing>(await view('s2-viewer', card.id)).card.name).toBe('王小明')
    expect((await mine(owner)).cards[0]?.shownToOthers).toBe(true)
  })
})

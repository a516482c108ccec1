/**
 * My cards: create, edit, default, the limit, field visibility by relation,
 * the verified badge, who may publish, the public-card consent, moderation and
 * ownership — all through the real dispatcher, the real SDK and the local DB.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import { cards as cardStore } from '../../cloudfunctions/_core/cards/store'
import { acceptCurrentTerms, grantConsents, SAMPLE_CARD, startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import { CARD_LIMIT, DEFAULT_VISIBILITY } from '../../shared/cards'
import type { CardFace, OwnCardView } from '../../shared/contract/cards'
import { accountIdOf, cardsAs, createCard, publisher, type Call } from './cards-helpers'
import { DAY, errorOf, ok, publish } from './helpers'
import { makeStaff } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-06-01T02:00:00.000Z')
const ADMIN = 'cards-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

type Mine = { cards: OwnCardView[]; limit: number; verified: boolean; publicConsent: boolean }
type Landing = { card: CardFace; relation: string; own: { moderation: { state: string }; shownToOthers: boolean } | null }

const mine = async (call: Call): Promise<Mine> => ok<Mine>(await call('mine'))
const view = (openid: string, cardId: string) => cloud.call('cards', { action: 'view', input: { cardId } }, openid)

async function restrict(openid: string, features: string[]): Promise<void> {
  const accountId = await accountIdOf(cloud, openid)
  const until = new Date(cloud.clock.now().getTime() + 2 * DAY).toISOString()
  ok(await cloud.call('admin', { action: 'transition', input: { accountId, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '发布广告名片', until, features } }, ADMIN))
}

describe('creating and editing my cards', () => {
  it('creates a card with defaults for visibility, makes the first one the default and lists it', async () => {
    const call = await publisher(cloud, 'c-create', { name: SAMPLE_CARD.name })
    const card = await createCard(call)
    expect(card).toMatchObject({
      name: '王小明',
      title: '产品经理',
      isDefault: true,
      verified: true,
      visibility: DEFAULT_VISIBILITY,
      moderation: { state: 'published', reasons: [] },
      shownToOthers: true,
      hiddenReason: null,
    })
    expect(card.id).toMatch(/^[0-9a-z]{10}$/)
    const second = await createCard(call, { name: '王小明', company: '另一家公司' })
    expect(second).toMatchObject({ isDefault: false, title: '', phone: '', avatarUrl: null, links: [] })
    const list = await mine(call)
    expect(list.cards.map((c) => c.id)).toEqual([card.id, second.id])
    expect(list).toMatchObject({ limit: CARD_LIMIT, verified: true, publicConsent: true })
    // Stored for erasure and export by the owner's openid.
    expect((await cardStore(cloud.store).byId(card.id))?.ownerOpenid).toBe('c-create')
  })

  it('updates the whole card (omitted fields become empty) and keeps its id', async () => {
    const call = await publisher(cloud, 'c-update')
    const card = await createCard(call)
    const updated = ok<{ card: OwnCardView }>(
      await call('update', { cardId: card.id, card: { name: '王小明', title: '总监', visibility: { phone: 'public', email: 'hidden' } } }),
    ).card
    expect(updated).toMatchObject({ id: card.id, title: '总监', company: '', phone: '', isDefault: true })
    expect(updated.visibility).toEqual({ ...DEFAULT_VISIBILITY, phone: 'public', email: 'hidden' })
    expect(ok<{ card: OwnCardView }>(await call('get', { cardId: card.id })).card.title).toBe('总监')
  })

  it('refuses malformed fields with a Chinese message per field', async () => {
    const call = await publisher(cloud, 'c-invalid')
    const bad = errorOf(
      await call('create', {
        name: '',
        phone: '12ab',
        email: 'not-an-email',
        wechatId: '1abc',
        links: [{ label: '官网', url: 'http://insecure.example.com' }],
        avatarUrl: 'file:///tmp/a.png',
      }),
    )
    expect(bad.code).toBe('INVALID_INPUT')
    const paths = (bad.issues ?? []).map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['name', 'phone', 'email', 'wechatId', 'links.0.url', 'avatarUrl']))
    for (const issue of bad.issues ?? []) expect(issue.message).toMatch(/[\u4e00-\u9fff]/)
    expect(errorOf(await call('create', { ...SAMPLE_CARD, links: Array.from({ length: 6 }, () => ({ label: 'a', url: 'https://a.cn' })) })).code).toBe('INVALID_INPUT')
    expect(await cardStore(cloud.store).count({ ownerOpenid: 'c-invalid' })).toBe(0)
  })

  it('cannot set the verified badge through input; it follows the owner’s verification', async () => {
    const call = await publisher(cloud, 'c-badge')
    const refused = errorOf(await call('create', { ...SAMPLE_CARD, verified: false }))
    expect(refused.code).toBe('INVALID_INPUT')
    const card = await createCard(call)
    expect(errorOf(await call('update', { cardId: card.id, card: { ...SAMPLE_CARD, verified: true } })).code).toBe('INVALID_INPUT')
    // Verification ends (e.g. the face consent withdrawn): the badge goes with it, and so does publishing.
    ok(await cloud.call('consent', { action: 'withdraw', input: { purpose: 'face' } }, 'c-badge'))
    const after = await mine(call)
    expect(after.verified).toBe(false)
    expect(after.cards[0]?.verified).toBe(false)
    await acceptCurrentTerms(cloud, 'c-badge-viewer')
    expect(ok<Landing>(await view('c-badge-viewer', card.id)).card.verified).toBe(false)
    expect(errorOf(await call('update', { cardId: card.id, card: SAMPLE_CARD })).code).toBe('VERIFICATION_REQUIRED')
  })

  it('keeps at most CARD_LIMIT cards, also when the last slots are claimed concurrently', async () => {
    const call = await publisher(cloud, 'c-limit')
    for (let i = 0; i < CARD_LIMIT - 2; i++) await createCard(call, { name: `名片${i}` })
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => call('create', { name: `并发${i}` })))
    expect(burst.filter((r) => r.ok)).toHaveLength(2)
    expect(burst.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(Array(4).fill('CARD_LIMIT'))
    const list = await mine(call)
    expect(list.cards).toHaveLength(CARD_LIMIT)
    expect(list.cards.filter((c) => c.isDefault)).toHaveLength(1)
    const refused = errorOf(await call('create', { name: '第六张' }))
    expect(refused).toMatchObject({ code: 'CARD_LIMIT' })
    expect(refused.message).toContain(`${CARD_LIMIT}`)
    // Removing one frees its slot.
    ok(await call('remove', { cardId: list.cards[CARD_LIMIT - 1]?.id }))
    await createCard(call, { name: '补上' })
  })

  it('has exactly one default: setDefault moves it, removing the default passes it to the oldest card', async () => {
    const call = await publisher(cloud, 'c-default')
    const a = await createCard(call, { name: '甲' })
    const b = await createCard(call, { name: '乙' })
    const c = await createCard(call, { name: '丙' })
    expect(ok<{ card: OwnCardView }>(await call('setDefault', { cardId: c.id })).card.isDefault).toBe(true)
    let list = await mine(call)
    expect(list.cards.filter((x) => x.isDefault).map((x) => x.id)).toEqual([c.id])
    expect(list.cards[0]?.id).toBe(c.id)
    // Racing setDefaults never leave two defaults.
    await Promise.all([call('setDefault', { cardId: a.id }), call('setDefault', { cardId: b.id }), call('setDefault', { cardId: c.id })])
    list = await mine(call)
    expect(list.cards.filter((x) => x.isDefault)).toHaveLength(1)

    ok(await call('setDefault', { cardId: b.id }))
    const removed = ok<{ removed: true; defaultCardId: string | null }>(await call('remove', { cardId: b.id }))
    expect(removed.defaultCardId).toBe(a.id)
    list = await mine(call)
    expect(list.cards.map((x) => [x.id, x.isDefault])).toEqual([
      [a.id, true],
      [c.id, false],
    ])
    ok(await call('remove', { cardId: a.id }))
    expect(ok<{ defaultCardId: string | null }>(await call('remove', { cardId: c.id })).defaultCardId).toBeNull()
    expect((await mine(call)).cards).toEqual([])
  })
})

describe('who may publish a card', () => {
  it('refuses without an account, before the terms, and without verification', async () => {
    const stranger = cardsAs(cloud, 'c-nobody')
    expect(errorOf(await stranger('create', SAMPLE_CARD)).code).toBe('ACCOUNT_REQUIRED')
    ok(await cloud.call('account', { action: 'login', input: {} }, 'c-noterms'))
    // Signed-in card actions wait for the agreement and the policy (creating waits for verification first).
    expect(errorOf(await cardsAs(cloud, 'c-noterms')('mine')).code).toBe('TERMS_NOT_ACCEPTED')
    expect(errorOf(await cardsAs(cloud, 'c-noterms')('holderList', {})).code).toBe('TERMS_NOT_ACCEPTED')
    await acceptCurrentTerms(cloud, 'c-unverified')
    const unverified = errorOf(await cardsAs(cloud, 'c-unverified')('create', SAMPLE_CARD))
    expect(unverified.code).toBe('VERIFICATION_REQUIRED')
    expect(await cardStore(cloud.store).count({ ownerOpenid: 'c-unverified' })).toBe(0)
  })

  it('refuses accounts banned from publishing (FEATURE_RESTRICTED with the end and reason), for new cards and edits', async () => {
    const call = await publisher(cloud, 'c-banned')
    const card = await createCard(call)
    await restrict('c-banned', ['publish'])
    const refused = errorOf(await call('create', SAMPLE_CARD))
    expect(refused.code).toBe('FEATURE_RESTRICTED')
    expect(refused.message).toContain('发布广告名片')
    expect(errorOf(await call('update', { cardId: card.id, card: SAMPLE_CARD })).code).toBe('FEATURE_RESTRICTED')
    // Removing my own card is always possible.
    ok(await call('remove', { cardId: card.id }))
  })
})

describe('field visibility', () => {
  it('shows public fields to strangers, exchanged-only fields after an exchange, everything to the owner, hidden fields to nobody else', async () => {
    const owner = await publisher(cloud, 'c-vis-owner')
    const card = await createCard(owner, { ...SAMPLE_CARD, visibility: { intro: 'hidden', company: 'exchanged' } })
    const friend = await publisher(cloud, 'c-vis-friend')
    const friendCard = await createCard(friend, { name: '李朋友' })
    await acceptCurrentTerms(cloud, 'c-vis-stranger')

    const asStranger = ok<Landing>(await view('c-vis-stranger', card.id))
    expect(asStranger.relation).toBe('member')
    expect(asStranger.card).toMatchObject({ name: '王小明', title: '产品经理', company: null, phone: null, email: null, wechatId: null, address: null, intro: null })
    expect(asStranger.card.links).toEqual([{ label: '公司官网', url: 'https://example.com' }])
    expect(asStranger.card.exchangeOnly.sort()).toEqual(['address', 'company', 'email', 'phone', 'wechatId'])

    const request = ok<{ exchange: { id: string } }>(await friend('exchangeRequest', { myCardId: friendCard.id, theirCardId: card.id })).exchange
    ok(await owner('exchangeRespond', { exchangeId: request.id, accept: true }))
    const asFriend = ok<Landing>(await view('c-vis-friend', card.id))
    expect(asFriend.relation).toBe('exchanged')
    expect(asFriend.card).toMatchObject({ company: '乐聊科技', phone: '13812345678', email: 'xiaoming@example.com', wechatId: 'wxm_2024', intro: null, exchangeOnly: [] })

    const asOwner = ok<Landing>(await view('c-vis-owner', card.id))
    expect(asOwner.relation).toBe('owner')
    expect(asOwner.card).toMatchObject({ intro: '专注企业服务产品十年。', phone: '13812345678', company: '乐聊科技' })
    expect(asOwner.own?.shownToOthers).toBe(true)
  })
})

describe('the public-card consent', () => {
  it('saves a card without the consent but shows it to nobody else; granting shows it on the next read, withdrawing hides it at once', async () => {
    const call = await publisher(cloud, 'c-consent', { publicCard: false })
    const card = await createCard(call)
    expect(card).toMatchObject({ shownToOthers: false, hiddenReason: 'consent' })
    expect(card.hiddenNotice).toContain('公开展示我的名片')
    expect((await mine(call)).publicConsent).toBe(false)
    await acceptCurrentTerms(cloud, 'c-consent-viewer')
    expect(errorOf(await view('c-consent-viewer', card.id)).code).toBe('CARD_HIDDEN')
    expect(errorOf(await view('c-consent-anon', card.id)).code).toBe('CARD_HIDDEN')
    // The owner still sees it, with why others do not.
    expect(ok<Landing>(await view('c-consent', card.id)).own?.shownToOthers).toBe(false)

    // Granting: visible at the next read, without saving again.
    await grantConsents(cloud, 'c-consent', ['publicCard'])
    expect(ok<Landing>(await view('c-consent-viewer', card.id)).card.name).toBe('王小明')
    expect((await cardStore(cloud.store).byId(card.id))?.consentHidden).toBe(false)

    // Withdrawing: the effect hides every card of the owner at once.
    ok(await cloud.call('consent', { action: 'withdraw', input: { purpose: 'publicCard' } }, 'c-consent'))
    expect(errorOf(await view('c-consent-viewer', card.id)).code).toBe('CARD_HIDDEN')
    expect((await mine(call)).cards[0]).toMatchObject({ shownToOthers: false, hiddenReason: 'consent' })

    // Granting again shows it again.
    await grantConsents(cloud, 'c-consent', ['publicCard'])
    expect(ok<Landing>(await view('c-consent-viewer', card.id)).relation).toBe('member')
  })
})

describe('moderation of cards', () => {
  it('refuses risky text with the field, stores nothing; holds review text for the owner only; publishes clean text', async () => {
    const call = await publisher(cloud, 'c-mod')
    await acceptCurrentTerms(cloud, 'c-mod-viewer')
    const refused = errorOf(await call('create', { ...SAMPLE_CARD, intro: '这里有沙箱违规的内容' }))
    expect(refused.code).toBe('CONTENT_REFUSED')
    expect(refused.issues?.map((i) => i.path)).toEqual(['intro'])
    expect(await cardStore(cloud.store).count({ ownerOpenid: 'c-mod' })).toBe(0)

    const held = await createCard(call, { ...SAMPLE_CARD, company: '沙箱待审公司' })
    expect(held).toMatchObject({ moderation: { state: 'pendingReview' }, shownToOthers: false, hiddenReason: 'moderation' })
    expect(held.moderation.label).toContain('审核中')
    expect(errorOf(await view('c-mod-viewer', held.id)).code).toBe('CARD_HIDDEN')
    expect(ok<Landing>(await view('c-mod', held.id)).own?.moderation.state).toBe('pendingReview')

    // Link labels are text too; phone numbers in the phone field are the point of a card.
    expect(errorOf(await call('update', { cardId: held.id, card: { ...SAMPLE_CARD, links: [{ label: '沙箱违规', url: 'https://a.cn' }] } })).issues?.[0]?.path).toBe(
      'links.0.label',
    )
    const clean = ok<{ card: OwnCardView }>(await call('update', { cardId: held.id, card: SAMPLE_CARD })).card
    expect(clean.moderation.state).toBe('published')
    expect(ok<Landing>(await view('c-mod-viewer', held.id)).card.phone).toBeNull()
  })

  it('holds a card with an avatar, uploaded or https, until the image check (pendingImages)', async () => {
    const call = await publisher(cloud, 'c-mod-img')
    const withUpload = await createCard(call, { ...SAMPLE_CARD, avatarUrl: (await uploadsOf(cloud, 'c-mod-img'))('cards/x.png') })
    expect(withUpload.moderation.state).toBe('pendingImages')
    expect(withUpload.shownToOthers).toBe(false)
    const withHttps = await createCard(call, { ...SAMPLE_CARD, avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/x/132' })
    expect(withHttps.moderation.state).toBe('pendingImages')
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect(ok<{ card: OwnCardView }>(await call('get', { cardId: withHttps.id })).card.moderation.state).toBe('published')
  })

  it('keeps a card published through an edit that leaves its checked avatar as it was (the pass carries over)', async () => {
    const call = await publisher(cloud, 'c-mod-keep')
    const file = await uploadsOf(cloud, 'c-mod-keep')
    const avatarUrl = file('cards/keep.png')
    const card = await createCard(call, { ...SAMPLE_CARD, avatarUrl })
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect(ok<{ card: OwnCardView }>(await call('get', { cardId: card.id })).card.moderation.state).toBe('published')
    const sent = cloud.openApi.media.length

    const edited = ok<{ card: OwnCardView }>(await call('update', { cardId: card.id, card: { ...SAMPLE_CARD, avatarUrl, title: '产品总监' } })).card
    expect(edited).toMatchObject({ title: '产品总监', moderation: { state: 'published' }, shownToOthers: true })
    expect(cloud.openApi.media.length).toBe(sent)
    expect(ok<Landing>(await view('c-mod-keep-viewer', card.id)).card.title).toBe('产品总监')

    // A new avatar is checked (and hides the card until it passes).
    const replaced = ok<{ card: OwnCardView }>(await call('update', { cardId: card.id, card: { ...SAMPLE_CARD, avatarUrl: file('cards/new.png') } })).card
    expect(replaced.moderation.state).toBe('pendingImages')
    expect(cloud.openApi.media.length).toBe(sent + 1)
  })
})

describe('ownership', () => {
  it('another user cannot read, edit, remove, default or QR my card; missing cards are NOT_FOUND', async () => {
    const owner = await publisher(cloud, 'c-own-a')
    const card = await createCard(owner)
    const other = await publisher(cloud, 'c-own-b')
    for (const [action, input] of [
      ['get', { cardId: card.id }],
      ['update', { cardId: card.id, card: { name: '篡改' } }],
      ['remove', { cardId: card.id }],
      ['setDefault', { cardId: card.id }],
      ['qrCode', { cardId: card.id }],
    ] as const) {
      expect(errorOf(await other(action, input)).code).toBe('FORBIDDEN')
    }
    expect(errorOf(await other('get', { cardId: '0000000000' })).code).toBe('NOT_FOUND')
    expect(errorOf(await other('visitors', { cardId: card.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await other('visitStats', { cardId: card.id })).code).toBe('NOT_FOUND')
    // The body cannot name another owner: input is strict, identity comes from the WeChat context.
    expect(errorOf(await other('create', { ...SAMPLE_CARD, ownerOpenid: 'c-own-a' })).code).toBe('INVALID_INPUT')
    expect((await cardStore(cloud.store).byId(card.id))?.name).toBe('王小明')
  })
})

describe('owners whose accounts hide content', () => {
  it('does not show cards of dormant owners to others, and shows them again when the owner is back', async () => {
    const call = await publisher(cloud, 'c-dormant')
    const card = await createCard(call)
    await acceptCurrentTerms(cloud, 'c-dormant-viewer')
    const id = await accountIdOf(cloud, 'c-dormant')
    await accounts(cloud.store).update(id, { state: 'dormant', contentHidden: true })
    expect(errorOf(await view('c-dormant-viewer', card.id)).code).toBe('CARD_HIDDEN')
    await accounts(cloud.store).update(id, { state: 'active', contentHidden: false })
    expect(ok<Landing>(await view('c-dormant-viewer', card.id)).card.name).toBe('王小明')
  })

  it('hides cards of owners frozen by staff (contentHidden), from the landing page and the holder', async () => {
    const call = await publisher(cloud, 'c-frozen')
    const card = await createCard(call)
    const viewer = await publisher(cloud, 'c-frozen-viewer')
    ok(await viewer('holderSave', { cardId: card.id }))
    const accountId = await accountIdOf(cloud, 'c-frozen')
    ok(await cloud.call('admin', { action: 'transition', input: { accountId, transition: 'freezeByStaff', category: 'spam', rule: 'harassment', reason: '账号疑似被盗，冻结核查' } }, ADMIN))
    expect(errorOf(await view('c-frozen-viewer', card.id)).code).toBe('CARD_HIDDEN')
    const holder = ok<{ items: Array<{ cardId: string; card: unknown; unavailable: string | null }> }>(await viewer('holderList', {}))
    expect(holder.items).toEqual([expect.objectContaining({ cardId: card.id, card: null, unavailable: 'hidden' })])
  })
})

// Last: a new agreement version concerns every account of this cloud.
describe('updated terms', () => {
  it('refuses verified publishers until they accept the updated agreement (TERMS_UPDATED)', async () => {
    const call = await publisher(cloud, 'c-terms')
    await createCard(call)
    const now = cloud.clock.now()
    await publish(cloud, ADMIN, { docId: 'user-agreement', version: '2', announcedAt: now, effectiveAt: new Date(now.getTime() + 7 * DAY) })
    cloud.clock.advance(7 * DAY)
    expect(errorOf(await call('create', SAMPLE_CARD)).code).toBe('TERMS_UPDATED')
    expect(errorOf(await call('mine')).code).toBe('TERMS_UPDATED')
  })
})

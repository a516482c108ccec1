/**
 * The QR code and the landing page: the sandbox PNG decodes (jsQR) to the
 * scene and the scene to the card; visitors without an account see public
 * fields; visits are recorded once per viewer per card per Beijing day, only
 * with the personalization consent; visitors and 30-day stats for the owner.
 */
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { visits as visitStore, visitCounts } from '../../cloudfunctions/_core/cards/store'
import { sandboxWxacode } from '../../cloudfunctions/_core/ports/sandbox-wxacode'
import { wechatWxacode } from '../../cloudfunctions/_core/ports/wxacode'
import { DEMO_CARD_ID } from '../../local/seed-cards'
import { seedDemoData } from '../../local/seed'
import { acceptCurrentTerms, grantConsents, SAMPLE_CARD, startTestCloud, type TestCloud } from '../../local/testing'
import { CARD_PAGE, decodeCardScene, encodeCardScene, SCENE_MAX } from '../../shared/cards'
import type { CardFace, VisitorView } from '../../shared/contract/cards'
import { cardsAs, createCard, publisher } from './cards-helpers'
import { DAY, errorOf, ok } from './helpers'

let cloud: TestCloud
// 23:30 Beijing time on 1 June 2026: the Beijing day changes half an hour later.
const START = new Date('2026-06-01T15:30:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
})
afterAll(async () => {
  await cloud.close()
})

interface Landing {
  card: CardFace
  relation: string
  saved: boolean
  exchange: unknown
  visit: { recorded: boolean; counted: boolean; notice: string }
}
interface Stats {
  days: Array<{ date: string; visitors: number; anonymous: number }>
  totalVisitors: number
  totalAnonymous: number
}

const view = (openid: string, cardId: string) => cloud.call('cards', { action: 'view', input: { cardId } }, openid)

function decodePng(base64: string): string | null {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'))
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

describe('the card scene', () => {
  it('encodes a card id in at most 32 visible characters and decodes what the card page receives', () => {
    const scene = encodeCardScene('0123456789')
    expect(scene).toBe('c=0123456789')
    expect(scene.length).toBeLessThanOrEqual(SCENE_MAX)
    expect(decodeCardScene(scene)).toBe('0123456789')
    // options.scene arrives URL-encoded.
    expect(decodeCardScene(encodeURIComponent(scene))).toBe('0123456789')
    for (const bad of [undefined, '', 'c=short', 'x=0123456789', 'c=0123456789x', '%E0%A4%A', 'c=ABCDEFGHIJ', 'c=iiiiiiiiii']) expect(decodeCardScene(bad)).toBeNull()
    expect(() => encodeCardScene('bad id')).toThrow()
  })

  it('the WeChat adapter sends the documented parameters and reads the image reply', async () => {
    const sent: Array<Record<string, unknown>> = []
    const port = wechatWxacode({
      async getUnlimited(input) {
        sent.push(input)
        return { contentType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff]), errCode: 0, errMsg: 'openapi.wxacode.getUnlimited:ok' }
      },
    })
    const image = await port.getUnlimited({ scene: 'c=0123456789', page: CARD_PAGE })
    expect(sent).toEqual([{ scene: 'c=0123456789', page: 'pages/card/index', checkPath: true, envVersion: 'release', width: 430 }])
    expect(image.contentType).toBe('image/jpeg')
    const failing = wechatWxacode({ getUnlimited: async () => ({ errCode: 41030, errMsg: 'invalid page' }) })
    await expect(failing.getUnlimited({ scene: 'c=0123456789', page: CARD_PAGE })).rejects.toThrow(/41030/)
    await expect(sandboxWxacode().getUnlimited({ scene: 'c=中文', page: CARD_PAGE })).rejects.toThrow()
    await expect(sandboxWxacode().getUnlimited({ scene: 'x'.repeat(33), page: CARD_PAGE })).rejects.toThrow()
  })
})

describe('the QR code', () => {
  it('returns a real PNG (sandbox) whose QR decodes to the scene, and the scene to the card the landing page shows', async () => {
    const owner = await publisher(cloud, 'l-qr')
    const card = await createCard(owner)
    const qr = ok<{ scene: string; page: string; contentType: string; imageBase64: string; sandbox: boolean }>(await owner('qrCode', { cardId: card.id, width: 300 }))
    expect(qr).toMatchObject({ scene: `c=${card.id}`, page: CARD_PAGE, contentType: 'image/png', sandbox: true })
    expect(Buffer.from(qr.imageBase64, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    // Small enough to return inline.
    expect(qr.imageBase64.length).toBeLessThan(50_000)
    const scanned = decodePng(qr.imageBase64)
    expect(scanned).toBe(qr.scene)
    const cardId = decodeCardScene(encodeURIComponent(scanned ?? ''))
    expect(cardId).toBe(card.id)
    const landed = ok<Landing>(await view('l-qr-scanner', cardId ?? ''))
    expect(landed.card.name).toBe('王小明')
  })
})

describe('the landing page', () => {
  it('shows visitors without an account only the public fields, counted anonymously and told so', async () => {
    // Verified under the name the card carries: the card gets the 已实名 badge.
    const owner = await publisher(cloud, 'l-anon-owner', { name: SAMPLE_CARD.name })
    const card = await createCard(owner, { ...SAMPLE_CARD, visibility: { phone: 'public', intro: 'hidden' } })
    const landed = ok<Landing>(await view('l-anon-visitor', card.id))
    expect(landed.relation).toBe('visitor')
    expect(landed.card).toMatchObject({ name: '王小明', verified: true, title: '产品经理', company: '乐聊科技', phone: '13812345678', email: null, wechatId: null, address: null, intro: null })
    expect(landed).toMatchObject({ saved: false, exchange: null, visit: { recorded: false, counted: true } })
    expect(landed.visit.notice).toContain('匿名')
    expect(await visitStore(cloud.store).count({ cardId: card.id })).toBe(0)
    // Saving needs an account.
    expect(errorOf(await cloud.call('cards', { action: 'holderSave', input: { cardId: card.id } }, 'l-anon-visitor')).code).toBe('ACCOUNT_REQUIRED')
    expect(errorOf(await view('l-anon-visitor', '0000000000')).code).toBe('NOT_FOUND')
    expect(errorOf(await view('l-anon-visitor', 'not-a-code')).code).toBe('INVALID_INPUT')
  })

  it('records a registered viewer with the personalization consent once a Beijing day, also under concurrent visits', async () => {
    const owner = await publisher(cloud, 'l-idem-owner')
    const card = await createCard(owner)
    await acceptCurrentTerms(cloud, 'l-idem-viewer')
    await grantConsents(cloud, 'l-idem-viewer', ['personalization'])
    const burst = await Promise.all(Array.from({ length: 12 }, () => view('l-idem-viewer', card.id)))
    for (const reply of burst) expect(ok<Landing>(reply).visit).toMatchObject({ recorded: true, counted: false })
    expect(ok<Landing>(burst[0] ?? { ok: false, error: { code: 'INTERNAL', message: '' } }).visit.notice).toContain('撤回「个性化与访问记录」')
    expect(await visitStore(cloud.store).count({ cardId: card.id, viewerOpenid: 'l-idem-viewer' })).toBe(1)
    const counter = await visitCounts(cloud.store).findOne({ cardId: card.id })
    expect(counter).toMatchObject({ day: '2026-06-01', visitors: 1, anonymous: 0 })

    // Past midnight Beijing time (16:00 UTC) is a new day: one more record.
    cloud.clock.advance(31 * 60_000)
    ok(await view('l-idem-viewer', card.id))
    ok(await view('l-idem-viewer', card.id))
    const records = await visitStore(cloud.store).find({ cardId: card.id }, { orderBy: [['day', 'asc']], limit: 10 })
    expect(records.map((r) => [r.day, r.ownerOpenid, r.viewerOpenid])).toEqual([
      ['2026-06-01', 'l-idem-owner', 'l-idem-viewer'],
      ['2026-06-02', 'l-idem-owner', 'l-idem-viewer'],
    ])
    // The owner's own views are not visits.
    const own = ok<Landing>(await view('l-idem-owner', card.id))
    expect(own.visit).toMatchObject({ recorded: false, counted: false })
    expect(await visitStore(cloud.store).count({ cardId: card.id })).toBe(2)
  })

  it('counts registered viewers without the personalization consent only anonymously, and withdrawing deletes their records', async () => {
    const owner = await publisher(cloud, 'l-consent-owner')
    const card = await createCard(owner)
    await acceptCurrentTerms(cloud, 'l-consent-viewer')
    const plain = ok<Landing>(await view('l-consent-viewer', card.id))
    expect(plain.visit).toMatchObject({ recorded: false, counted: true })
    expect(await visitStore(cloud.store).count({ viewerOpenid: 'l-consent-viewer' })).toBe(0)

    await grantConsents(cloud, 'l-consent-viewer', ['personalization'])
    expect(ok<Landing>(await view('l-consent-viewer', card.id)).visit.recorded).toBe(true)
    expect(await visitStore(cloud.store).count({ viewerOpenid: 'l-consent-viewer' })).toBe(1)
    ok(await cloud.call('consent', { action: 'withdraw', input: { purpose: 'personalization' } }, 'l-consent-viewer'))
    expect(await visitStore(cloud.store).count({ viewerOpenid: 'l-consent-viewer' })).toBe(0)
    expect(ok<Landing>(await view('l-consent-viewer', card.id)).visit).toMatchObject({ recorded: false, counted: true })
  })
})

describe('visitors and stats', () => {
  it('lists recorded visitors newest first with cursor paging, and the visitor’s default card only when they share it', async () => {
    const owner = await publisher(cloud, 'l-vis-owner')
    const card = await createCard(owner)
    const sharer = await publisher(cloud, 'l-vis-sharer', { name: '赵分享' })
    const sharerCard = await createCard(sharer, { name: '赵分享', title: '销售总监', phone: '13900000000' })
    await grantConsents(cloud, 'l-vis-sharer', ['personalization'])
    const settings = ok<{ shareCardOnVisit: boolean; recording: boolean }>(await sharer('updateVisitSettings', { shareCardOnVisit: true }))
    expect(settings).toMatchObject({ shareCardOnVisit: true, recording: true })
    for (const viewer of ['l-vis-a', 'l-vis-b', 'l-vis-c']) {
      await acceptCurrentTerms(cloud, viewer)
      await grantConsents(cloud, viewer, ['personalization'])
    }
    ok(await view('l-vis-a', card.id))
    cloud.clock.advance(60_000)
    ok(await view('l-vis-b', card.id))
    cloud.clock.advance(60_000)
    const landed = ok<Landing>(await view('l-vis-sharer', card.id))
    expect(landed.visit.notice).toContain('默认名片')
    cloud.clock.advance(60_000)
    ok(await view('l-vis-c', card.id))
    ok(await view('l-vis-anon', card.id))

    const first = ok<{ visitors: VisitorView[]; nextCursor: string | null }>(await owner('visitors', { limit: 2 }))
    expect(first.visitors.map((v) => v.nickname)).toHaveLength(2)
    expect(first.visitors[0]).toMatchObject({ cardId: card.id, viewerCard: null })
    expect(first.visitors[1]?.viewerCard).toEqual({ id: sharerCard.id, name: '赵分享', verified: true, avatarUrl: null, title: '销售总监', company: null })
    expect(first.nextCursor).not.toBeNull()
    const second = ok<{ visitors: VisitorView[]; nextCursor: string | null }>(await owner('visitors', { limit: 2, cursor: first.nextCursor }))
    expect(second.visitors).toHaveLength(2)
    expect(second.visitors.every((v) => v.viewerCard === null)).toBe(true)
    const ids = [...first.visitors, ...second.visitors].map((v) => v.id)
    expect(new Set(ids).size).toBe(4)
    const third = ok<{ visitors: VisitorView[]; nextCursor: string | null }>(await owner('visitors', { limit: 2, cursor: second.nextCursor }))
    expect(third).toEqual({ visitors: [], nextCursor: null })

    // Turning sharing off takes the card away from past visits too.
    ok(await sharer('updateVisitSettings', { shareCardOnVisit: false }))
    const again = ok<{ visitors: VisitorView[] }>(await owner('visitors', { cardId: card.id }))
    expect(again.visitors.every((v) => v.viewerCard === null)).toBe(true)
    expect(errorOf(await owner('visitors', { cursor: 'garbage!' })).code).toBe('INVALID_INPUT')
  })

  it('gives daily counts for the last 30 Beijing days, zero-filled, per card or for all my cards', async () => {
    const owner = await publisher(cloud, 'l-stats-owner')
    const a = await createCard(owner, { name: '甲卡' })
    const b = await createCard(owner, { name: '乙卡' })
    await acceptCurrentTerms(cloud, 'l-stats-viewer')
    await grantConsents(cloud, 'l-stats-viewer', ['personalization'])
    // Forward in time: 40 days before the stats (outside the window), 3 days before, and the day of the stats.
    ok(await view('l-stats-anon', a.id))
    cloud.clock.advance(37 * DAY)
    ok(await view('l-stats-viewer', a.id))
    ok(await view('l-stats-anon', a.id))
    ok(await view('l-stats-anon', a.id))
    cloud.clock.advance(3 * DAY)
    const today = cloud.clock.now()
    ok(await view('l-stats-viewer', a.id))
    ok(await view('l-stats-viewer', b.id))
    ok(await view('l-stats-anon', b.id))

    const all = ok<Stats>(await owner('visitStats', {}))
    expect(all.days).toHaveLength(30)
    const dates = all.days.map((d) => d.date)
    const beijingToday = new Date(today.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
    expect(dates.at(-1)).toBe(beijingToday)
    expect(new Set(dates).size).toBe(30)
    expect([...dates].sort()).toEqual(dates)
    const threeDaysAgo = new Date(today.getTime() - 3 * DAY + 8 * 3600_000).toISOString().slice(0, 10)
    expect(all.days.find((d) => d.date === threeDaysAgo)).toEqual({ date: threeDaysAgo, visitors: 1, anonymous: 2 })
    expect(all.days.at(-1)).toEqual({ date: beijingToday, visitors: 2, anonymous: 1 })
    expect(all.days.filter((d) => d.visitors + d.anonymous === 0)).toHaveLength(28)
    expect(all).toMatchObject({ totalVisitors: 3, totalAnonymous: 3 })
    const onlyB = ok<Stats>(await owner('visitStats', { cardId: b.id }))
    expect(onlyB).toMatchObject({ totalVisitors: 1, totalAnonymous: 1 })
  })

  it('tells a visitor what is recorded, from their visit settings', async () => {
    await acceptCurrentTerms(cloud, 'l-settings')
    const call = cardsAs(cloud, 'l-settings')
    const off = ok<{ shareCardOnVisit: boolean; recording: boolean; notice: string }>(await call('visitSettings', {}))
    expect(off).toMatchObject({ shareCardOnVisit: false, recording: false })
    expect(off.notice).toContain('匿名')
    await grantConsents(cloud, 'l-settings', ['personalization'])
    const on = ok<{ recording: boolean; notice: string }>(await call('updateVisitSettings', { shareCardOnVisit: false }))
    expect(on.recording).toBe(true)
    expect(on.notice).toContain('看不到你的名片')
  })
})

describe('demo data for npm start', () => {
  it('seeds one published, verified card of dev-alice that a visitor without an account can open, once', async () => {
    await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)
    const landed = ok<Landing>(await view('l-demo-visitor', DEMO_CARD_ID))
    expect(landed.card).toMatchObject({ id: DEMO_CARD_ID, name: '张小乐', verified: true, title: '产品经理', phone: null })
    expect(decodeCardScene('c%3D' + DEMO_CARD_ID)).toBe(DEMO_CARD_ID)
    expect(await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)).toBe(false)
    const mine = ok<{ cards: Array<{ id: string; shownToOthers: boolean }> }>(await cardsAs(cloud, 'dev-alice')('mine', {}))
    expect(mine.cards).toEqual([expect.objectContaining({ id: DEMO_CARD_ID, shownToOthers: true })])
  })
})

/**
 * The moderation gate on text, as domain handlers call it (real SDK, local
 * database, sandbox WeChat through a counting wrapper): the order of checks,
 * the three outcomes, and the stored decisions with their reasons.
 */
import { decisions } from '../../cloudfunctions/_core/moderation/decisions'
import { moderate } from '../../cloudfunctions/_core/moderation/gate'
import { DEMO_LEXICON_VERSION } from '../../cloudfunctions/_core/moderation/lexicon-store'
import { acceptCurrentTerms, freshTestIdNumber, startTestCloud, type TestCloud } from '../../local/testing'
import { countingOpenApi, decisionOf, handlerContext, latestDecision, refusalOf, type CountingOpenApi } from './gate-helpers'

let cloud: TestCloud
let wechat: CountingOpenApi
const AUTHOR = 'gate-author'
const START = new Date('2026-12-01T02:00:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await acceptCurrentTerms(cloud, AUTHOR)
})
afterAll(async () => {
  await cloud.close()
})
beforeEach(() => {
  wechat = countingOpenApi(cloud.openApi)
  // One decision per instant, so "the latest" is well defined.
  cloud.clock.advance(1000)
})

async function check(texts: Record<string, string>, kind: 'card' | 'article' = 'card') {
  const ctx = await handlerContext(cloud, AUTHOR, wechat.api)
  return moderate(ctx, { kind, targetId: `target-${cloud.clock.now().getTime()}`, texts })
}

describe('the order of checks', () => {
  it('refuses on the local scanner without asking WeChat', async () => {
    const refusal = await refusalOf(check({ name: '王小明', intro: '兼职刷单返利，日结' }))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.issues).toEqual([{ path: 'intro', message: '含有「诈骗」类违规内容“刷单返利”，不能发布' }])
    expect(wechat.calls.msgSecCheck).toEqual([])
    const decision = await latestDecision(cloud, AUTHOR)
    expect(decision).toMatchObject({ kind: 'card', state: 'refused', verdict: 'refuse', lexiconVersion: DEMO_LEXICON_VERSION })
    expect(decision.sources).toEqual([
      {
        field: 'intro',
        source: 'local',
        verdict: 'refuse',
        reasons: ['含有「诈骗」类违规内容“刷单返利”，不能发布'],
        labels: ['fraud'],
        matches: [{ term: '刷单返利', written: '刷单返利', reads: '刷单返利', bySound: false }],
      },
    ])
  })

  it('asks WeChat once for clean fields together, and publishes', async () => {
    const moderation = await check({ name: '王小明', title: '产品经理', intro: '周六下午在园区咖啡馆办产品分享会' })
    expect(moderation).toMatchObject({ state: 'published', reasons: [] })
    expect(wechat.calls.msgSecCheck).toEqual(['王小明\n产品经理\n周六下午在园区咖啡馆办产品分享会'])
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ state: 'published', verdict: 'pass', sources: [], reasons: [] })
  })

  it('still asks WeChat after a local review, and WeChat can turn it into a refusal', async () => {
    const refusal = await refusalOf(check({ name: '王小明', intro: '扫码领福利，沙箱违规' }))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.issues).toEqual([{ path: 'intro', message: '含有「违法犯罪」类违规内容，不能发布' }])
    expect(wechat.calls.msgSecCheck.length).toBeGreaterThan(0)
    const decision = await latestDecision(cloud, AUTHOR)
    expect(decision.sources.map((s) => [s.source, s.field, s.verdict])).toEqual([
      ['local', 'intro', 'review'],
      ['wechat', 'intro', 'refuse'],
    ])
    // The refusal comes first in what the author reads.
    expect(decision.reasons[0]).toBe('含有「违法犯罪」类违规内容，不能发布')
  })
})

describe('outcomes', () => {
  it('holds a local review hit for people, with the lexicon category in the reason', async () => {
    const moderation = await check({ intro: '欢迎扫码领福利' })
    expect(moderation.state).toBe('pendingReview')
    expect(moderation.reasons).toEqual(['含有「广告」类敏感内容“扫码领福利”，需人工复审'])
    expect((await decisionOf(cloud, moderation.decisionId)).sources[0]).toMatchObject({ source: 'local', labels: ['ad'] })
  })

  it("holds WeChat's review for people", async () => {
    const moderation = await check({ title: '标题', body: '这段话沙箱待审' }, 'article')
    expect(moderation.state).toBe('pendingReview')
    expect(moderation.reasons).toEqual(['可能含有「其他」类内容，需人工复审'])
    const decision = await decisionOf(cloud, moderation.decisionId)
    expect(decision.sources).toEqual([{ field: 'body', source: 'wechat', verdict: 'review', reasons: ['可能含有「其他」类内容，需人工复审'], labels: [21000] }])
    // Together first, then each field to say which one.
    expect(wechat.calls.msgSecCheck).toEqual(['标题\n这段话沙箱待审', '标题', '这段话沙箱待审'])
  })

  it("refuses WeChat's risky verdict with its category, naming the field", async () => {
    const refusal = await refusalOf(check({ name: '王小明', company: '沙箱广告有限公司' }))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.message).toContain('「广告」')
    expect(refusal.issues).toEqual([{ path: 'company', message: '含有「广告」类违规内容，不能发布' }])
    expect((await latestDecision(cloud, AUTHOR)).sources).toEqual([
      { field: 'company', source: 'wechat', verdict: 'refuse', reasons: ['含有「广告」类违规内容，不能发布'], labels: [10001] },
    ])
  })

  it('refuses an ID number in public text, masked in the reason, and never sends it to WeChat', async () => {
    const id = freshTestIdNumber()
    const refusal = await refusalOf(check({ intro: `我的身份证 ${id} 请核对` }))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.issues?.[0]?.path).toBe('intro')
    expect(refusal.issues?.[0]?.message).toMatch(/^公开内容中含有身份证号（.+），请删除后再发布$/)
    expect(JSON.stringify(refusal)).not.toContain(id)
    expect(JSON.stringify(await latestDecision(cloud, AUTHOR))).not.toContain(id)
    expect(wechat.calls.msgSecCheck).toEqual([])
  })

  it('refuses a bank card number in public text', async () => {
    const refusal = await refusalOf(check({ intro: '打款到 4111 1111 1111 1111' }))
    expect(refusal.issues).toEqual([{ path: 'intro', message: '公开内容中含有银行卡号（4111********1111），请删除后再发布' }])
    expect(wechat.calls.msgSecCheck).toEqual([])
  })

  it('holds the content for people when WeChat cannot be asked, never publishing it unchecked', async () => {
    wechat.failText = true
    const moderation = await check({ intro: '周末读书会' })
    expect(moderation.state).toBe('pendingReview')
    expect(moderation.reasons).toEqual(['微信内容安全检查暂时不可用，需人工复审'])
  })

  it('sends an edit of content that was taken down to a person whatever the checks say, unless an appeal overturned the take-down', async () => {
    const ctx = await handlerContext(cloud, AUTHOR, wechat.api)
    const first = await moderate(ctx, { kind: 'activity', targetId: 'act-x', texts: { title: '读书会' } })
    // The activity shows that decision, taken down since.
    await decisions(cloud.store).update(first.decisionId, { state: 'rejected' })
    await cloud.store.collection<{ _id: string; ownerOpenid: string; moderation: unknown }>('activities').add({ _id: 'act-x', ownerOpenid: AUTHOR, moderation: { ...first, state: 'rejected' } })
    const edit = await moderate(ctx, { kind: 'activity', targetId: 'act-x', texts: { title: '读书会（改）' } })
    expect(edit).toMatchObject({ state: 'pendingReview', reasons: ['此前未通过审核，修改后需人工复审'] })
    const restored = await moderate(ctx, { kind: 'activity', targetId: 'act-x', texts: { title: '读书会（改）' }, afterAppeal: true })
    expect(restored.state).toBe('published')
  })

  it('checks long text in chunks WeChat accepts (at most 2,500 characters each), overlapping by 100', async () => {
    const long = '读书'.repeat(1500)
    const moderation = await check({ body: long }, 'article')
    expect(moderation.state).toBe('published')
    expect(wechat.calls.msgSecCheck.map((c) => c.length)).toEqual([2500, 600])
    // The second piece starts 100 characters before the first one ends.
    expect(wechat.calls.msgSecCheck[1]).toBe(long.slice(2400))
  })

  it('finds a term cut in two by the 2,500-character boundary', async () => {
    // 「沙箱违规」 straddles the end of the first piece: two of its characters on each side.
    const filler = (n: number): string => '读书会'.repeat(Math.ceil(n / 3)).slice(0, n)
    const body = `${filler(2498)}沙箱违规${filler(1000)}`
    expect(body.slice(0, 2500).includes('沙箱违规')).toBe(false)
    const refusal = await refusalOf(check({ body }, 'article'))
    expect(refusal.code).toBe('CONTENT_REFUSED')
    expect(refusal.issues).toEqual([{ path: 'body', message: '含有「违法犯罪」类违规内容，不能发布' }])
    expect(wechat.calls.msgSecCheck.every((c) => c.length <= 2500)).toBe(true)
  })
})

describe('stored decisions', () => {
  it('keep kind, target, author, findings with reasons and labels, and the lexicon version', async () => {
    const ctx = await handlerContext(cloud, AUTHOR, wechat.api)
    const moderation = await moderate(ctx, { kind: 'article', targetId: 'article-42', texts: { title: '联系 13912345678', body: '正文沙箱待审' } })
    const decision = await decisionOf(cloud, moderation.decisionId)
    expect(decision).toMatchObject({
      kind: 'article',
      targetId: 'article-42',
      authorOpenid: AUTHOR,
      state: 'pendingReview',
      images: { total: 0, pending: 0, passed: 0, review: 0, risky: 0 },
      lexiconVersion: DEMO_LEXICON_VERSION,
      createdAt: cloud.clock.now(),
      settledAt: cloud.clock.now(),
    })
    expect(decision.sources.map((s) => [s.field, s.source, s.verdict])).toEqual([
      ['title', 'local', 'review'],
      ['body', 'wechat', 'review'],
    ])
    expect(decision.reasons).toEqual(moderation.reasons)
    expect(decision.reasons[0]).toMatch(/^公开内容中含有手机号（139\*+5678）/)
    expect(JSON.stringify(decision)).not.toContain('13912345678')
  })
})

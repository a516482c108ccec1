/**
 * Images: held until WeChat's asynchronous verdicts arrive (the sandbox's,
 * delivered by the moderation function's sweep, or a push through the
 * moderation function's dispatcher route), then published, taken down with an
 * inbox notice, or held for people — only while the target still shows that
 * decision. Real SDK, local database, real moderation function.
 */
import { serve } from '../../cloudfunctions/_core/dispatch'
import { callerOf } from '../../cloudfunctions/_core/entry'
import type { InboxMessageDoc } from '../../cloudfunctions/_core/inbox'
import type { ContentModeration } from '../../cloudfunctions/_core/moderation/decisions'
import { moderate } from '../../cloudfunctions/_core/moderation/gate'
import { mediaChecks, sandboxMediaPush, MEDIA_VERDICT_TIMEOUT_MS, type MediaCheckDoc } from '../../cloudfunctions/_core/moderation/media'
import { SANDBOX_FILE_URL_PREFIX, type OpenApi } from '../../cloudfunctions/_core/ports/openapi'
import { moderationFunction } from '../../cloudfunctions/moderation/handlers'
import { acceptCurrentTerms, startTestCloud, type TestCloud } from '../../local/testing'
import type { ApiResult } from '../../shared/errors'
import { countingOpenApi, decisionOf, handlerContext, refusalOf, type CountingOpenApi, type LooseDoc } from './gate-helpers'

let cloud: TestCloud
let wechat: CountingOpenApi
const AUTHOR = 'img-author'
const START = new Date('2026-12-02T02:00:00.000Z')
const OK = 'cloud://env-1.6c65/cards/avatar.png'
const RISKY = 'cloud://env-1.6c65/cards/沙箱违规图.png'
const REVIEW = 'cloud://env-1.6c65/cards/沙箱待审图.jpg'
let serial = 0

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await acceptCurrentTerms(cloud, AUTHOR)
})
afterAll(async () => {
  await cloud.close()
})
beforeEach(() => {
  wechat = countingOpenApi(cloud.openApi)
  cloud.clock.advance(1000)
})

const cards = () => cloud.store.collection<LooseDoc & { moderation: ContentModeration }>('cards')

/** A card as the cards domain stores it: the gate's answer as `moderation`. */
async function publishCard(texts: Record<string, string>, images: string[], options: { id?: string; store?: boolean; openApi?: OpenApi } = {}) {
  serial += 1
  const id = options.id ?? `card-img-${serial}`
  const ctx = await handlerContext(cloud, AUTHOR, options.openApi ?? wechat.api)
  const moderation = await moderate(ctx, { kind: 'card', targetId: id, texts, images })
  if (options.store !== false) await cards().put({ _id: id, ownerOpenid: AUTHOR, name: texts.name ?? '', moderation })
  return { id, moderation }
}

async function cardModeration(id: string): Promise<ContentModeration | undefined> {
  return (await cards().byId(id))?.moderation
}

async function sweep(openApi: OpenApi = cloud.openApi): Promise<ApiResult<unknown>> {
  return serve(moderationFunction, { Type: 'Timer', TriggerName: 'sweepMediaChecks' }, { ...cloud.runtimeFor(''), openApi })
}

async function noticesOf(openid: string): Promise<InboxMessageDoc[]> {
  return cloud.store.collection<InboxMessageDoc>('inbox_messages').find({ recipient: openid, type: 'moderationDecision' }, { orderBy: [['createdAt', 'asc']], limit: 100 })
}

async function checksOf(decisionId: string): Promise<MediaCheckDoc[]> {
  return mediaChecks(cloud.store).find({ decisionId }, { orderBy: [['index', 'asc']], limit: 10 })
}

describe('images wait for their verdicts', () => {
  it('sends each image to mediaCheckAsync v2 as a downloadable URL and holds the content, then publishes it when all pass', async () => {
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK, 'cloud://env-1.6c65/cards/cover.png'])
    expect(moderation).toMatchObject({ state: 'pendingImages', reasons: [] })
    expect(wechat.calls.mediaCheckAsync).toEqual([
      { openid: AUTHOR, scene: 1, mediaType: 2, mediaUrl: `${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(OK)}` },
      { openid: AUTHOR, scene: 1, mediaType: 2, mediaUrl: `${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent('cloud://env-1.6c65/cards/cover.png')}` },
    ])
    const checks = await checksOf(moderation.decisionId)
    expect(checks.map((c) => [c.fileId, c.status])).toEqual([
      [OK, 'pending'],
      ['cloud://env-1.6c65/cards/cover.png', 'pending'],
    ])
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ state: 'pendingImages', settledAt: null, images: { total: 2, pending: 2 } })

    cloud.clock.advance(5000)
    expect((await sweep()).ok).toBe(true)
    expect(await cardModeration(id)).toEqual({ state: 'published', decisionId: moderation.decisionId, reasons: [], decidedAt: cloud.clock.now() })
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({
      state: 'published',
      images: { total: 2, pending: 0, passed: 2, review: 0, risky: 0 },
      settledAt: cloud.clock.now(),
      targetSyncedAt: cloud.clock.now(),
    })
    expect((await checksOf(moderation.decisionId)).map((c) => [c.status, c.label, c.via])).toEqual([
      ['pass', 100, 'push'],
      ['pass', 100, 'push'],
    ])
    expect(await noticesOf(AUTHOR)).toEqual([])
  })

  it('takes the content down on a risky image, with the reason, and tells the author once', async () => {
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK, RISKY])
    await sweep()
    const after = await cardModeration(id)
    expect(after).toMatchObject({ state: 'rejected', decisionId: moderation.decisionId, reasons: ['第 2 张图片含有「色情」类违规内容，已对他人隐藏'] })
    const decision = await decisionOf(cloud, moderation.decisionId)
    expect(decision.state).toBe('rejected')
    expect(decision.sources).toEqual([
      { field: 'images.1', source: 'image', verdict: 'refuse', reasons: ['第 2 张图片含有「色情」类违规内容，已对他人隐藏'], labels: [20002] },
    ])
    await sweep()
    const notices = await noticesOf(AUTHOR)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ title: '名片未通过审核' })
    expect(notices[0]?.body).toContain('第 2 张图片含有「色情」类违规内容')
  })

  it('holds the content for people when WeChat says an image needs review', async () => {
    const { id } = await publishCard({ name: '王小明' }, [REVIEW])
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'pendingReview', reasons: ['第 1 张图片可能含有「其他」类内容，需人工复审'] })
  })

  it('keeps text that needs review held after its images pass', async () => {
    const { id, moderation } = await publishCard({ name: '王小明', intro: '沙箱待审' }, [OK])
    expect(moderation.state).toBe('pendingReview')
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'pendingReview', reasons: ['可能含有「其他」类内容，需人工复审'] })
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ state: 'pendingReview', settledAt: cloud.clock.now(), images: { passed: 1 } })
  })

  it('does not send the images of refused text', async () => {
    await refusalOf(publishCard({ name: '沙箱违规' }, [OK], { store: false }))
    expect(wechat.calls.mediaCheckAsync).toEqual([])
  })

  it('holds an image that cannot be sent for people', async () => {
    wechat.failMedia = true
    const { moderation } = await publishCard({ name: '王小明' }, [OK])
    expect(moderation).toMatchObject({ state: 'pendingReview', reasons: ['第 1 张图片暂时无法送检，需人工复审'] })
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ images: { total: 1, pending: 0, review: 1 } })
  })
})

describe('which version a verdict applies to', () => {
  it('ignores a verdict on an earlier version once the content was edited (a newer edit wins)', async () => {
    const id = 'card-edited'
    const first = await publishCard({ name: '王小明' }, [RISKY], { id })
    cloud.clock.advance(1000)
    const second = await publishCard({ name: '王小明' }, [], { id })
    expect(second.moderation.state).toBe('published')
    const before = (await noticesOf(AUTHOR)).length
    await sweep()
    expect(await decisionOf(cloud, first.moderation.decisionId)).toMatchObject({ state: 'rejected' })
    expect(await cardModeration(id)).toEqual(second.moderation)
    expect(await noticesOf(AUTHOR)).toHaveLength(before)
  })

  it('writes a verdict onto a target that was stored after the verdict came', async () => {
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK], { store: false })
    await sweep()
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ state: 'published', targetSyncedAt: null })
    await cards().put({ _id: id, ownerOpenid: AUTHOR, name: '王小明', moderation })
    cloud.clock.advance(60_000)
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'published', decisionId: moderation.decisionId })
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ targetSyncedAt: cloud.clock.now() })
  })
})

describe("WeChat's verdict push", () => {
  const production = () => countingOpenApi(cloud.openApi, 'wechat')

  it('is handled by the moderation function without a caller; a repeated push counts once; a string label is read', async () => {
    const api = production()
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK], { openApi: api.api })
    const traceId = cloud.openApi.media.at(-1)?.traceId ?? ''
    const push = { ...sandboxMediaPush(traceId, { suggest: 'pass', label: 100 }, cloud.clock.now()), result: { suggest: 'pass', label: '100' } }
    const runtime = { ...cloud.runtimeFor(''), openApi: api.api }
    expect(await serve(moderationFunction, push, runtime)).toEqual({ ok: true, data: null })
    expect(await serve(moderationFunction, push, runtime)).toEqual({ ok: true, data: null })
    expect(await cardModeration(id)).toMatchObject({ state: 'published', decisionId: moderation.decisionId })
    expect(await decisionOf(cloud, moderation.decisionId)).toMatchObject({ images: { total: 1, pending: 0, passed: 1 } })
  })

  it('is refused when it comes with a caller (forged from the mini-program), and changes nothing', async () => {
    const api = production()
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK], { openApi: api.api })
    const traceId = cloud.openApi.media.at(-1)?.traceId ?? ''
    const forged = sandboxMediaPush(traceId, { suggest: 'pass', label: 100 }, cloud.clock.now())
    const refused = await cloud.call('moderation', forged, AUTHOR)
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    // Also when it names the caller as its sender, as a real push names the platform's account.
    expect(await cloud.call('moderation', { ...forged, FromUserName: AUTHOR }, AUTHOR)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect((await mediaChecks(cloud.store).byId(traceId))?.status).toBe('pending')
    expect(await cardModeration(id)).toEqual(moderation)
  })

  it('refuses a malformed push and an unknown event with typed errors', async () => {
    const runtime = cloud.runtimeFor('')
    const malformed = { MsgType: 'event', Event: 'wxa_media_check', result: { suggest: 'pass' } }
    const reply = await serve(moderationFunction, malformed, runtime)
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(reply.ok ? [] : reply.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['trace_id', 'result.label']))
    expect(await serve(moderationFunction, { MsgType: 'event', Event: 'subscribe_msg_popup_event' }, runtime)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
    })
  })

  it('is told apart from a mini-program call by the platform-given WeChat context (entry.ts)', () => {
    const push = sandboxMediaPush('t-1', { suggest: 'pass', label: 100 }, START)
    const platform = { ...push, FromUserName: 'o-platform-push' }
    // The platform's push: its sender is not a caller.
    expect(callerOf({ OPENID: 'o-platform-push' }, platform)).toBe('')
    expect(callerOf({}, push)).toBe('')
    // A mini-program call keeps its caller whatever it sends, so the dispatcher refuses it.
    expect(callerOf({ OPENID: 'o-user', SOURCE: 'wx_client' }, { ...push, FromUserName: 'o-user' })).toBe('o-user')
    expect(callerOf({ OPENID: 'o-user', SOURCE: 'wx_devtools' }, push)).toBe('o-user')
    expect(callerOf({ OPENID: 'o-user' }, { ...push, FromUserName: 'o-other' })).toBe('o-user')
    expect(callerOf({ OPENID: 'o-user', SOURCE: 'wx_client' }, { action: 'putLexicon' })).toBe('o-user')
  })

  it('is given up on after an hour: the image goes to people', async () => {
    const api = production()
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK], { openApi: api.api })
    cloud.clock.advance(MEDIA_VERDICT_TIMEOUT_MS - 60_000)
    await sweep(api.api)
    expect(await cardModeration(id)).toMatchObject({ state: 'pendingImages' })
    cloud.clock.advance(120_000)
    await sweep(api.api)
    expect(await cardModeration(id)).toMatchObject({ state: 'pendingReview', reasons: ['第 1 张图片的安全检查超时未返回结果，需人工复审'] })
    expect((await checksOf(moderation.decisionId))[0]).toMatchObject({ status: 'review', via: 'timeout' })
    // The verdict arriving after all changes nothing.
    const late = sandboxMediaPush(cloud.openApi.media.at(-1)?.traceId ?? '', { suggest: 'pass', label: 100 }, cloud.clock.now())
    await serve(moderationFunction, late, { ...cloud.runtimeFor(''), openApi: api.api })
    expect(await cardModeration(id)).toMatchObject({ state: 'pendingReview' })
  })
})

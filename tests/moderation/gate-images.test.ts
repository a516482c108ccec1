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
import { acceptCurrentTerms, startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import type { ApiResult } from '../../shared/errors'
import { countingOpenApi, decisionOf, handlerContext, refusalOf, type CountingOpenApi, type LooseDoc } from './gate-helpers'

let cloud: TestCloud
let wechat: CountingOpenApi
const AUTHOR = 'img-author'
const START = new Date('2026-12-02T02:00:00.000Z')
/** The author's uploads (their own folder), set once they have signed up. */
let file: (name: string) => string = () => ''
let OK = ''
let RISKY = ''
let REVIEW = ''
let serial = 0

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await acceptCurrentTerms(cloud, AUTHOR)
  file = await uploadsOf(cloud, AUTHOR)
  OK = file('cards/avatar.png')
  RISKY = file('cards/沙箱违规图.png')
  REVIEW = file('cards/沙箱待审图.jpg')
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
  return serve(moderationFunction, { Type: 'Timer', TriggerName: 'sweep', Time: cloud.clock.now().toISOString() }, { ...cloud.runtimeFor(''), openApi })
}

async function noticesOf(openid: string): Promise<InboxMessageDoc[]> {
  return cloud.store.collection<InboxMessageDoc>('inbox_messages').find({ recipient: openid, type: 'moderationDecision' }, { orderBy: [['createdAt', 'asc']], limit: 100 })
}

async function checksOf(decisionId: string): Promise<MediaCheckDoc[]> {
  return mediaChecks(cloud.store).find({ decisionId }, { orderBy: [['index', 'asc']], limit: 10 })
}

describe('images wait for their verdicts', () => {
  it('sends each image to mediaCheckAsync v2 as a downloadable URL and holds the content, then publishes it when all pass', async () => {
    const { id, moderation } = await publishCard({ name: '王小明' }, [OK, file('cards/cover.png')])
    expect(moderation).toMatchObject({ state: 'pendingImages', reasons: [] })
    expect(wechat.calls.mediaCheckAsync).toEqual([
      { openid: AUTHOR, scene: 1, mediaType: 2, mediaUrl: `${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(OK)}` },
      { openid: AUTHOR, scene: 1, mediaType: 2, mediaUrl: `${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(file('cards/cover.png'))}` },
    ])
    const checks = await checksOf(moderation.decisionId)
    expect(checks.map((c) => [c.fileId, c.status])).toEqual([
      [OK, 'pending'],
      [file('cards/cover.png'), 'pending'],
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
    // It opens the card's editor, where the author replaces the image.
    expect(notices[0]).toMatchObject({ title: '名片未通过审核', link: `/packageCards/pages/editor/index?cardId=${id}` })
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
    const envelope = { ToUserName: 'gh_sandbox', FromUserName: 'sandbox-push', CreateTime: 1764640800, MsgType: 'event' }
    const malformed = { ...envelope, Event: 'wxa_media_check', result: { suggest: 'pass' } }
    const reply = await serve(moderationFunction, malformed, runtime)
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(reply.ok ? [] : reply.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['trace_id', 'result.label']))
    expect(await serve(moderationFunction, { ...envelope, Event: 'subscribe_msg_popup_event' }, runtime)).toMatchObject({
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

describe('unchanged images of an edit are not checked again', () => {
  let COVER = ''
  let OTHER = ''
  beforeAll(() => {
    COVER = file('cards/cover-kept.png')
    OTHER = file('cards/cover-new.png')
  })

  it("carries over a pass for the same file on the same target: published at once, nothing sent, the pass recorded for the next edit", async () => {
    const id = 'card-reuse'
    const first = await publishCard({ name: '王小明' }, [COVER], { id })
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'published', decisionId: first.moderation.decisionId })
    const [passed] = await checksOf(first.moderation.decisionId)

    wechat = countingOpenApi(cloud.openApi)
    cloud.clock.advance(1000)
    const second = await publishCard({ name: '王小明', intro: '改了简介' }, [COVER], { id })
    expect(second.moderation).toMatchObject({ state: 'published', reasons: [] })
    expect(wechat.calls.mediaCheckAsync).toEqual([])
    expect(await decisionOf(cloud, second.moderation.decisionId)).toMatchObject({
      state: 'published',
      images: { total: 1, pending: 0, passed: 1, review: 0, risky: 0 },
      settledAt: cloud.clock.now(),
    })
    expect(await checksOf(second.moderation.decisionId)).toEqual([
      expect.objectContaining({ fileId: COVER, index: 0, status: 'pass', via: 'reuse', reusedFrom: passed?._id, label: 100, settledAt: cloud.clock.now() }),
    ])

    // The next edit finds the carried pass; a new image beside it is the only one sent.
    cloud.clock.advance(1000)
    const third = await publishCard({ name: '王小明', intro: '又改了简介' }, [OTHER, COVER], { id })
    expect(third.moderation.state).toBe('pendingImages')
    expect(wechat.calls.mediaCheckAsync.map((c) => c.mediaUrl)).toEqual([`${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(OTHER)}`])
    expect(await decisionOf(cloud, third.moderation.decisionId)).toMatchObject({ images: { total: 2, pending: 1, passed: 1 } })
    expect((await checksOf(third.moderation.decisionId)).map((c) => [c.index, c.fileId, c.via])).toEqual([
      [0, OTHER, null],
      [1, COVER, 'reuse'],
    ])
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'published', decisionId: third.moderation.decisionId })
  })

  it('keeps the text check and a hold for review: only the image verdict carries over', async () => {
    const id = 'card-reuse-text'
    await publishCard({ name: '王小明' }, [COVER], { id })
    await sweep()
    wechat = countingOpenApi(cloud.openApi)
    cloud.clock.advance(1000)
    const held = await publishCard({ name: '王小明', intro: '沙箱待审' }, [COVER], { id })
    expect(held.moderation).toMatchObject({ state: 'pendingReview', reasons: ['可能含有「其他」类内容，需人工复审'] })
    expect(wechat.calls.mediaCheckAsync).toEqual([])
    expect(wechat.calls.msgSecCheck.length).toBeGreaterThan(0)
  })

  it('sends the image again when its verdict in the current decision is still pending', async () => {
    const id = 'card-reuse-pending'
    await publishCard({ name: '王小明' }, [COVER], { id })
    cloud.clock.advance(1000)
    await publishCard({ name: '王小明', intro: '等不及了' }, [COVER], { id })
    expect(wechat.calls.mediaCheckAsync).toHaveLength(2)
    await sweep()
  })

  it('sends the image again when it needed review, or when its pass belongs to another target', async () => {
    const reviewed = 'card-reuse-review'
    await publishCard({ name: '王小明' }, [REVIEW], { id: reviewed })
    await sweep()
    wechat = countingOpenApi(cloud.openApi)
    cloud.clock.advance(1000)
    await publishCard({ name: '王小明', intro: '再试一次' }, [REVIEW], { id: reviewed })
    expect(wechat.calls.mediaCheckAsync).toHaveLength(1)

    const shared = file('cards/shared.png')
    await publishCard({ name: '王小明' }, [shared], { id: 'card-reuse-a' })
    await sweep()
    wechat = countingOpenApi(cloud.openApi)
    const other = await publishCard({ name: '王小明' }, [shared], { id: 'card-reuse-b' })
    expect(other.moderation.state).toBe('pendingImages')
    expect(wechat.calls.mediaCheckAsync).toHaveLength(1)
    await sweep()
  })

  it('only looks at the decision the target shows now: a pass of an earlier version does not carry over', async () => {
    const id = 'card-reuse-older'
    await publishCard({ name: '王小明' }, [COVER], { id })
    await sweep()
    cloud.clock.advance(1000)
    await publishCard({ name: '王小明' }, [OTHER], { id })
    await sweep()
    wechat = countingOpenApi(cloud.openApi)
    cloud.clock.advance(1000)
    const back = await publishCard({ name: '王小明' }, [COVER], { id })
    expect(back.moderation.state).toBe('pendingImages')
    expect(wechat.calls.mediaCheckAsync.map((c) => c.mediaUrl)).toEqual([`${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(COVER)}`])
    await sweep()
  })

  it("does not carry over another kind's pass on the same target id, and another author cannot use the file at all", async () => {
    const id = 'card-reuse-kind'
    await publishCard({ name: '王小明' }, [COVER], { id })
    await sweep()
    // The same id as an activity's: the activity has its own decisions.
    const ctx = await handlerContext(cloud, AUTHOR, wechat.api)
    wechat = countingOpenApi(cloud.openApi)
    const activity = await moderate({ ...ctx, openApi: wechat.api }, { kind: 'activity', targetId: id, texts: { title: '活动' }, images: [COVER] })
    expect(activity.state).toBe('pendingImages')
    expect(wechat.calls.mediaCheckAsync).toHaveLength(1)

    const someoneElse = 'img-other-author'
    await acceptCurrentTerms(cloud, someoneElse)
    // Not their upload: refused before any check, so nothing carries over and nothing is sent.
    const theirs = moderate(await handlerContext(cloud, someoneElse, wechat.api), { kind: 'card', targetId: id, texts: { name: '冒名' }, images: [COVER] })
    await expect(theirs).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'images', message: '这张图片不是你上传的，请重新选择' }] })
    expect(wechat.calls.mediaCheckAsync).toHaveLength(1)
    await sweep()
  })

  it('always checks an https image afresh: what its URL serves may have changed', async () => {
    const url = 'https://thirdwx.qlogo.cn/mmopen/reuse/132'
    const ctx = await handlerContext(cloud, AUTHOR, wechat.api)
    const target = await cloud.store.collection<LooseDoc>('accounts').findOne({ openid: AUTHOR })
    const accountId = target?._id ?? ''
    const first = await moderate(ctx, { kind: 'avatar', targetId: accountId, texts: {}, images: [url] })
    await cloud.store.collection<LooseDoc>('accounts').update(accountId, { avatarModeration: first, pendingAvatarUrl: url })
    await sweep()
    expect((await cloud.store.collection<LooseDoc>('accounts').byId(accountId))?.avatarUrl).toBe(url)
    wechat = countingOpenApi(cloud.openApi)
    await moderate({ ...ctx, openApi: wechat.api }, { kind: 'avatar', targetId: accountId, texts: {}, images: [url] })
    // Sent as it is: WeChat downloads an https image itself.
    expect(wechat.calls.mediaCheckAsync).toEqual([{ openid: AUTHOR, scene: 1, mediaType: 2, mediaUrl: url }])
    await sweep()
  })
})

describe('a verdict that comes before the domain stored its decision', () => {
  it('waits while the target still shows an earlier decision, and is written once the domain catches up', async () => {
    const id = 'card-behind'
    const first = await publishCard({ name: '王小明' }, [], { id })
    expect(first.moderation.state).toBe('published')
    cloud.clock.advance(1000)
    // The edit's decision exists, its verdict arrives, the edit is not stored yet.
    const second = await publishCard({ name: '王小明' }, [OK], { id, store: false })
    await sweep()
    expect(await decisionOf(cloud, second.moderation.decisionId)).toMatchObject({ state: 'published', targetSyncedAt: null })
    expect(await cardModeration(id)).toEqual(first.moderation)
    await cards().update(id, { moderation: second.moderation })
    cloud.clock.advance(60_000)
    await sweep()
    expect(await cardModeration(id)).toMatchObject({ state: 'published', decisionId: second.moderation.decisionId })
    expect(await decisionOf(cloud, second.moderation.decisionId)).toMatchObject({ targetSyncedAt: cloud.clock.now() })
  })
})

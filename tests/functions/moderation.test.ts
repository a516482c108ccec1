/**
 * The moderation function (lexicon as data, decisions for the review queue)
 * and nickname moderation in account.updateProfile, through the real
 * dispatcher, the real SDK and the local database.
 */
import type { AuditDoc } from '../../cloudfunctions/_core/audit'
import type { Context } from '../../cloudfunctions/_core/context'
import { erasureRules, erasureSubject } from '../../cloudfunctions/_core/erasure'
import { decisions } from '../../cloudfunctions/_core/moderation/decisions'
import { createLexiconCache, LEXICON_RECHECK_MS, lexicons } from '../../cloudfunctions/_core/moderation/lexicon-store'
import { mediaChecks } from '../../cloudfunctions/_core/moderation/media'
import { rejectionLink, syncTarget, type ProfileAccount } from '../../cloudfunctions/_core/moderation/targets'
import { startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import type { ExportDocument } from '../../shared/contract/account'
import type { ModerationView } from '../../shared/contract/content'
import type { DecisionView, LexiconSummary } from '../../shared/contract/moderation'
import demoLexicon from '../../shared/moderation/demo-lexicon.json'
import type { Category, LexiconCategory } from '../../shared/moderation/lexicon'
import type { ApiResult } from '../../shared/errors'
import { errorOf, ok } from './helpers'
import { inbox, makeStaff, signUp, stored } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-12-03T02:00:00.000Z')
const ADMIN = 'mod-admin'
const REVIEWER = 'mod-reviewer'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await makeStaff(cloud, ADMIN, 'admin')
  await makeStaff(cloud, REVIEWER, 'reviewer')
})
afterAll(async () => {
  await cloud.close()
})
beforeEach(() => {
  cloud.clock.advance(1000)
})

const moderation = (openid: string, action: string, input: unknown = {}) => cloud.call('moderation', { action, input }, openid)
const account = (openid: string, action: string, input: unknown = {}) => cloud.call('account', { action, input }, openid)

interface ProfileReply {
  account: { nickname: string }
  pendingNickname: { nickname: string; moderation: ModerationView } | null
}
const rename = (openid: string, nickname: string): Promise<ApiResult<unknown>> => account(openid, 'updateProfile', { nickname })

interface InfoReply {
  current: LexiconSummary
  history: Array<{ version: string; storedAt: string; termCount: number }>
  lexicon?: { version: string; categories: Partial<Record<Category, LexiconCategory>> }
}

function lexiconWith(version: string, extra: Partial<Record<Category, LexiconCategory>>) {
  return { version, categories: { ...demoLexicon.categories, ...extra } }
}

function put(version: string, extra: Partial<Record<Category, LexiconCategory>>, by = ADMIN) {
  return moderation(by, 'putLexicon', { lexicon: lexiconWith(version, extra), reason: '新增近期出现的违规词' })
}

function handlerCtx(): Context {
  return { ...cloud.runtimeFor(''), requestId: 'test', fn: 'cards', action: 'update', now: cloud.clock.now() }
}

describe('the lexicon as data', () => {
  it('is the demo lexicon until an operator stores one', async () => {
    const info = ok<InfoReply>(await moderation(ADMIN, 'lexiconInfo'))
    expect(info.current).toMatchObject({ version: demoLexicon.version, source: 'demo', storedAt: null })
    expect(info.current.categories.find((c) => c.category === 'fraud')).toEqual({
      category: 'fraud',
      label: '诈骗',
      action: 'refuse',
      termCount: 4,
      folds: { skipBetween: true, traditional: true, digits: false, pinyin: true },
    })
    expect(info.history).toEqual([])
  })

  it('an admin stores a version with a new term, and a publish containing it is refused right after', async () => {
    const person = 'mod-lex-user'
    await signUp(cloud, person)
    ok(await rename(person, '专业代写好评'))
    const stored1 = ok<{ current: LexiconSummary }>(await put('2026-12-03.1', { fraud: { label: '诈骗', action: 'refuse', terms: [...demoLexicon.categories.fraud.terms, '代写好评'] } }))
    expect(stored1.current).toMatchObject({ version: '2026-12-03.1', source: 'stored', storedAt: cloud.clock.now().toISOString() })

    const refused = errorOf(await rename(person, '诚接代写好评'))
    expect(refused.code).toBe('CONTENT_REFUSED')
    expect(refused.issues).toEqual([{ path: 'nickname', message: '含有「诈骗」类违规内容“代写好评”，不能发布' }])
    const [decision] = await decisions(cloud.store).find({ authorOpenid: person, state: 'refused' }, { limit: 1 })
    expect(decision?.lexiconVersion).toBe('2026-12-03.1')

    const audit = await cloud.store.collection<AuditDoc>('audit_logs').findOne({ fn: 'moderation', action: 'putLexicon', outcome: 'ok' })
    expect(audit).toMatchObject({ actorOpenid: ADMIN, actorRole: 'admin', reason: '新增近期出现的违规词', detail: 'lexicon 2026-12-03.1' })
  })

  it('reaches another function instance within LEXICON_RECHECK_MS of its clock, without a deploy', async () => {
    const other = createLexiconCache()
    expect((await other.current(handlerCtx())).version).toBe('2026-12-03.1')
    ok(await put('2026-12-03.2', { illegal: { label: '违法违规', action: 'refuse', terms: ['代办资质'] } }))
    // The other instance trusts what it read for a while, then asks again.
    cloud.clock.advance(LEXICON_RECHECK_MS - 1000)
    expect((await other.current(handlerCtx())).version).toBe('2026-12-03.1')
    cloud.clock.advance(1000)
    const now = await other.current(handlerCtx())
    expect(now.version).toBe('2026-12-03.2')
    expect(now.scanner.terms.map((t) => t.term)).toContain('代办资质')
  })

  it('refuses a version that exists already, naming it, and is audited as refused', async () => {
    const again = errorOf(await put('2026-12-03.1', {}))
    expect(again.code).toBe('CONFLICT')
    expect(again.issues).toEqual([{ path: 'lexicon.version', message: '词库版本“2026-12-03.1”已经存在，请使用新的版本号' }])
    expect(errorOf(await put(demoLexicon.version, {})).code).toBe('CONFLICT')
    const audit = await cloud.store.collection<AuditDoc>('audit_logs').findOne({ fn: 'moderation', action: 'putLexicon', outcome: 'refused' })
    expect(audit).toMatchObject({ code: 'CONFLICT', actorOpenid: ADMIN })
  })

  it('refuses an invalid lexicon with every problem named, and stores nothing', async () => {
    const before = await lexicons(cloud.store).count({})
    const bad = errorOf(
      await moderation(ADMIN, 'putLexicon', {
        lexicon: { version: '2026-12-03.9', categories: { ad: { label: '广告', action: 'review', terms: ['加微信', '加ＷＥＩ信', '加weI信', ' 空白 '] }, gambling: { label: '赌博', action: 'refuse', terms: ['x'] } } },
        reason: '测试',
      }),
    )
    expect(bad.code).toBe('INVALID_INPUT')
    const messages = bad.issues?.map((i) => `${i.path} ${i.message}`) ?? []
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lexicon categories\.ad\.terms\[2\]：与 terms\[1\] 重复/),
        'lexicon categories.ad.terms[3]：词条首尾有空白（" 空白 "）',
        expect.stringMatching(/^lexicon categories\.gambling：未知的分类/),
      ]),
    )
    expect(await lexicons(cloud.store).count({})).toBe(before)
  })

  it('is for admins only', async () => {
    expect(errorOf(await put('2026-12-03.8', {}, REVIEWER)).code).toBe('FORBIDDEN')
    await signUp(cloud, 'mod-nobody')
    expect(errorOf(await moderation('mod-nobody', 'lexiconInfo')).code).toBe('FORBIDDEN')
  })

  it('shows the current version, counts by category and the history; its terms come back to be edited and stored anew', async () => {
    const info = ok<InfoReply>(await moderation(ADMIN, 'lexiconInfo', { withTerms: true }))
    expect(info.current).toMatchObject({ version: '2026-12-03.2', source: 'stored' })
    expect(info.current.categories.find((c) => c.category === 'illegal')?.termCount).toBe(1)
    expect(info.history.map((h) => h.version)).toEqual(['2026-12-03.2', '2026-12-03.1'])
    const edited = info.lexicon
    if (!edited) throw new Error('no terms')
    const illegal = edited.categories.illegal
    if (!illegal) throw new Error('no illegal category')
    illegal.terms.push('代办证件')
    // The folds come back with the terms, so an edit keeps them.
    expect(edited.categories.fraud?.folds).toEqual(demoLexicon.categories.fraud.folds)
    ok(await moderation(ADMIN, 'putLexicon', { lexicon: { ...edited, version: '2026-12-03.3' }, reason: '补充词条' }))
    expect(ok<InfoReply>(await moderation(ADMIN, 'lexiconInfo')).current).toMatchObject({ version: '2026-12-03.3', termCount: info.current.termCount + 1 })
  })

  it('stores the readings of its terms with it, so traditional and pinyin spellings are found by every function', async () => {
    const person = 'mod-lex-sound'
    await signUp(cloud, person)
    ok(await put('2026-12-03.4', { illegal: { label: '违法违规', action: 'refuse', terms: ['代写论文'], folds: { pinyin: true } } }))
    const doc = await lexicons(cloud.store).findOne({ version: '2026-12-03.4' })
    expect(doc?.readings.syllables['代写论文']).toEqual(['dai', 'xie', 'lun', 'wen'])
    expect(doc?.readings.variants['寫']).toBe('写')
    // Traditional spelling: the category's action (refuse). Spelled by sound: held for a person, never refused.
    expect(errorOf(await rename(person, '代寫論文')).code).toBe('CONTENT_REFUSED')
    expect(ok<ProfileReply>(await rename(person, '代xie论wen')).pendingNickname?.moderation.state).toBe('pendingReview')
    const [held] = await decisions(cloud.store).find({ authorOpenid: person, state: 'pendingReview' }, { limit: 1 })
    expect(held?.sources[0]?.matches).toEqual([{ term: '代写论文', written: '代xie论wen', reads: 'dai xie lun wen', bySound: true }])
  })
})

describe('nicknames pass the gate (account.updateProfile)', () => {
  it('publishes a clean nickname at once', async () => {
    await signUp(cloud, 'mod-nick-clean')
    const reply = ok<ProfileReply>(await rename('mod-nick-clean', '李小聊'))
    expect(reply).toMatchObject({ account: { nickname: '李小聊' }, pendingNickname: null })
    expect((await stored(cloud, 'mod-nick-clean')) as ProfileAccount).toMatchObject({ nickname: '李小聊', pendingNickname: null, nicknameModeration: { state: 'published' } })
  })

  it('refuses a risky nickname on the nickname field and changes nothing', async () => {
    const person = 'mod-nick-risky'
    await signUp(cloud, person)
    const before = await stored(cloud, person)
    const refused = errorOf(await rename(person, '沙箱违规的名字'))
    expect(refused).toMatchObject({ code: 'CONTENT_REFUSED', issues: [{ path: 'nickname', message: '含有「违法犯罪」类违规内容，不能发布' }] })
    expect(await stored(cloud, person)).toEqual(before)
  })

  it('holds a nickname that needs review: only its owner sees it, everyone else keeps the old one', async () => {
    const person = 'mod-nick-held'
    const original = (await signUp(cloud, person)).nickname
    const reply = ok<ProfileReply>(await rename(person, '沙箱待审小王'))
    expect(reply.account.nickname).toBe(original)
    expect(reply.pendingNickname).toEqual({
      nickname: '沙箱待审小王',
      moderation: { state: 'pendingReview', label: '审核中：需要人工复审，通过前只有你能看到', reasons: ['可能含有「其他」类内容，需人工复审'] },
    })
    expect(ok<ProfileReply>(await account(person, 'getProfile')).account.nickname).toBe(original)
    // Another profile change keeps telling the owner about the held one.
    const later = ok<ProfileReply>(await account(person, 'updateProfile', { avatarUrl: null }))
    expect(later.pendingNickname?.nickname).toBe('沙箱待审小王')
    // Going back to the public nickname withdraws the held one.
    const back = ok<ProfileReply>(await rename(person, original))
    expect(back).toMatchObject({ account: { nickname: original }, pendingNickname: null })
    expect((await stored(cloud, person)) as ProfileAccount).toMatchObject({ pendingNickname: null, nicknameModeration: null })
  })

  it('makes a held nickname public only when its own decision is approved; a rejection keeps the old one and tells the owner', async () => {
    const person = 'mod-nick-review'
    const original = (await signUp(cloud, person)).nickname
    ok(await rename(person, '沙箱待审甲'))
    const first = ((await stored(cloud, person)) as ProfileAccount).nicknameModeration?.decisionId ?? ''
    cloud.clock.advance(1000)
    ok(await rename(person, '沙箱待审乙'))
    const second = ((await stored(cloud, person)) as ProfileAccount).nicknameModeration?.decisionId ?? ''

    // What the coming review action does: settle a decision, then write it onto its target.
    const settle = async (id: string, state: 'published' | 'rejected', reasons: string[]) => {
      await decisions(cloud.store).update(id, { state, reasons })
      const decision = await decisions(cloud.store).byId(id)
      if (!decision) throw new Error('no decision')
      return syncTarget(handlerCtx(), decision)
    }
    expect(await settle(first, 'published', [])).toBe('stale')
    expect((await stored(cloud, person)) as ProfileAccount).toMatchObject({ nickname: original, pendingNickname: '沙箱待审乙' })

    expect(await settle(second, 'rejected', ['昵称含有广告信息'])).toBe('applied')
    expect((await stored(cloud, person)) as ProfileAccount).toMatchObject({ nickname: original, pendingNickname: null, nicknameModeration: { state: 'rejected', decisionId: second } })
    const notices = (await inbox(cloud, person)).filter((m) => m.type === 'moderationDecision')
    expect(notices.map((m) => [m.title, m.body])).toEqual([['新昵称未通过审核', '你提交的新昵称未通过审核，仍使用原来的昵称。原因：昵称含有广告信息']])
    // The notice opens 我的, where the nickname is changed.
    expect(notices.map((m) => m.link)).toEqual(['/pages/me/index'])

    ok(await rename(person, '沙箱待审丙'))
    const third = ((await stored(cloud, person)) as ProfileAccount).nicknameModeration?.decisionId ?? ''
    expect(await settle(third, 'published', [])).toBe('applied')
    expect((await stored(cloud, person)) as ProfileAccount).toMatchObject({ nickname: '沙箱待审丙', pendingNickname: null })
  })
})

describe('avatars pass the image check (account.updateProfile)', () => {
  interface AvatarReply {
    account: { avatarUrl: string | null }
    pendingAvatar: { avatarUrl: string; moderation: ModerationView } | null
  }
  /** The person's own upload, set once they have signed up (their folder: u/<account id>/). */
  let UPLOADED = ''
  const signUpWithUpload = async (person: string) => {
    await signUp(cloud, person)
    UPLOADED = (await uploadsOf(cloud, person))('avatars/1.png')
  }
  const setAvatar = (openid: string, avatarUrl: string | null) => account(openid, 'updateProfile', { avatarUrl })
  const sweep = async () => ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
  const held = async (openid: string) => (await stored(cloud, openid)) as ProfileAccount

  it('holds a new avatar for its image check: only its owner sees it, then it becomes public when it passes', async () => {
    const person = 'mod-avatar-ok'
    await signUpWithUpload(person)
    const sent = cloud.openApi.media.length
    const reply = ok<AvatarReply>(await setAvatar(person, UPLOADED))
    expect(reply.account.avatarUrl).toBeNull()
    expect(reply.pendingAvatar).toEqual({
      avatarUrl: UPLOADED,
      moderation: { state: 'pendingImages', label: '审核中：图片安全检查进行中，通过前只有你能看到', reasons: [] },
    })
    expect(cloud.openApi.media.slice(sent).map((m) => ({ openid: m.openid, scene: m.scene }))).toEqual([{ openid: person, scene: 1 }])
    // The owner keeps seeing it as pending wherever the profile comes back; others see no avatar.
    expect(ok<AvatarReply>(await account(person, 'getProfile')).pendingAvatar?.avatarUrl).toBe(UPLOADED)
    expect(ok<AvatarReply>(await account(person, 'login')).pendingAvatar?.avatarUrl).toBe(UPLOADED)
    expect(await held(person)).toMatchObject({ avatarUrl: null, pendingAvatarUrl: UPLOADED, avatarModeration: { state: 'pendingImages' } })

    await sweep()
    expect(await held(person)).toMatchObject({ avatarUrl: UPLOADED, pendingAvatarUrl: null, avatarModeration: { state: 'published' } })
    expect(ok<AvatarReply>(await account(person, 'getProfile'))).toMatchObject({ account: { avatarUrl: UPLOADED }, pendingAvatar: null })
    const queue = ok<{ decisions: DecisionView[] }>(await moderation(REVIEWER, 'decisions', { kind: 'avatar', limit: 5 }))
    expect(queue.decisions[0]).toMatchObject({ kind: 'avatar', kindLabel: '头像', state: 'published', images: { total: 1, passed: 1 } })
  })

  it('drops a risky avatar: the old one stays public and the owner is told in the inbox', async () => {
    const person = 'mod-avatar-risky'
    await signUpWithUpload(person)
    ok(await setAvatar(person, UPLOADED))
    await sweep()
    ok(await setAvatar(person, (await uploadsOf(cloud, person))('avatars/a2/沙箱违规图.png')))
    await sweep()
    expect(await held(person)).toMatchObject({ avatarUrl: UPLOADED, pendingAvatarUrl: null, avatarModeration: { state: 'rejected' } })
    expect(ok<AvatarReply>(await account(person, 'getProfile'))).toMatchObject({ account: { avatarUrl: UPLOADED }, pendingAvatar: null })
    const notices = (await inbox(cloud, person)).filter((m) => m.type === 'moderationDecision')
    expect(notices.map((m) => [m.title, m.body])).toEqual([
      ['新头像未通过审核', '你提交的新头像未通过审核，其他人看到的仍是原来的头像。原因：新头像含有「色情」类违规内容，不会展示给他人。可以换一张重新提交。'],
    ])
  })

  it('keeps an avatar WeChat wants people to look at pending, with the reason for its owner', async () => {
    const person = 'mod-avatar-review'
    await signUpWithUpload(person)
    ok(await setAvatar(person, (await uploadsOf(cloud, person))('avatars/a3/沙箱待审图.png')))
    await sweep()
    const reply = ok<AvatarReply>(await account(person, 'getProfile'))
    expect(reply.account.avatarUrl).toBeNull()
    expect(reply.pendingAvatar?.moderation).toEqual({
      state: 'pendingReview',
      label: '审核中：需要人工复审，通过前只有你能看到',
      reasons: ['新头像可能含有「其他」类内容，需人工复审'],
    })
  })

  it('checks an https avatar too, sending its URL as it is', async () => {
    const person = 'mod-avatar-https'
    await signUpWithUpload(person)
    const url = 'https://thirdwx.qlogo.cn/mmopen/vi_32/abc/132'
    const reply = ok<AvatarReply>(await setAvatar(person, url))
    expect(reply).toMatchObject({ account: { avatarUrl: null }, pendingAvatar: { avatarUrl: url, moderation: { state: 'pendingImages' } } })
    expect(cloud.openApi.media.at(-1)).toMatchObject({ openid: person, scene: 1, mediaType: 2, mediaUrl: url })
    await sweep()
    expect((await held(person)).avatarUrl).toBe(url)
  })

  it('lets the newer change win: a verdict on an avatar replaced meanwhile changes nothing', async () => {
    const person = 'mod-avatar-newer'
    await signUpWithUpload(person)
    ok(await setAvatar(person, (await uploadsOf(cloud, person))('avatars/a4/沙箱违规图.png')))
    cloud.clock.advance(1000)
    const second = (await uploadsOf(cloud, person))('avatars/a4/second.png')
    ok(await setAvatar(person, second))
    await sweep()
    expect(await held(person)).toMatchObject({ avatarUrl: second, pendingAvatarUrl: null, avatarModeration: { state: 'published' } })
    expect((await inbox(cloud, person)).filter((m) => m.type === 'moderationDecision')).toEqual([])
  })

  it('withdraws a held avatar without a check when going back to the public one or removing the avatar', async () => {
    const person = 'mod-avatar-back'
    await signUpWithUpload(person)
    ok(await setAvatar(person, UPLOADED))
    await sweep()
    ok(await setAvatar(person, (await uploadsOf(cloud, person))('avatars/a5/沙箱待审图.png')))
    const sent = cloud.openApi.media.length
    expect(ok<AvatarReply>(await setAvatar(person, UPLOADED))).toMatchObject({ account: { avatarUrl: UPLOADED }, pendingAvatar: null })
    expect(await held(person)).toMatchObject({ avatarUrl: UPLOADED, pendingAvatarUrl: null, avatarModeration: null })
    ok(await setAvatar(person, (await uploadsOf(cloud, person))('avatars/a5/沙箱待审图.png')))
    expect(ok<AvatarReply>(await setAvatar(person, null))).toMatchObject({ account: { avatarUrl: null }, pendingAvatar: null })
    expect(cloud.openApi.media.length).toBe(sent + 1)
    // The withdrawn avatar's verdict, when it comes, finds nothing to change.
    await sweep()
    expect(await held(person)).toMatchObject({ avatarUrl: null, pendingAvatarUrl: null, avatarModeration: null })
  })

  it('checks nickname and avatar separately when both change at once', async () => {
    const person = 'mod-avatar-both'
    await signUpWithUpload(person)
    const reply = ok<AvatarReply & ProfileReply>(await account(person, 'updateProfile', { nickname: '双改小王', avatarUrl: UPLOADED }))
    expect(reply).toMatchObject({ account: { nickname: '双改小王', avatarUrl: null }, pendingNickname: null, pendingAvatar: { avatarUrl: UPLOADED } })
    const mine = await decisions(cloud.store).find({ authorOpenid: person }, { orderBy: [['createdAt', 'asc']], limit: 5 })
    expect(mine.map((d) => [d.kind, d.state]).sort()).toEqual([
      ['avatar', 'pendingImages'],
      ['nickname', 'published'],
    ])
  })
})

describe('moderation.decisions (the review queue)', () => {
  const person = 'mod-queue-user'

  beforeAll(async () => {
    await signUp(cloud, person)
    for (const nickname of ['队列正常', '队列沙箱待审', '队列沙箱违规', '队列沙箱待审二']) {
      cloud.clock.advance(1000)
      await rename(person, nickname)
    }
  })

  it('lists decisions newest first for reviewers, with their reasons, filtered by state and kind, page by page', async () => {
    const held = ok<{ decisions: DecisionView[]; nextCursor: string | null }>(await moderation(REVIEWER, 'decisions', { state: 'pendingReview', kind: 'nickname', limit: 1 }))
    expect(held.decisions).toHaveLength(1)
    expect(held.decisions[0]).toMatchObject({
      kind: 'nickname',
      kindLabel: '昵称',
      state: 'pendingReview',
      stateLabel: '审核中：需要人工复审，通过前只有你能看到',
      reasons: ['可能含有「其他」类内容，需人工复审'],
      sources: [{ field: 'nickname', source: 'wechat', verdict: 'review', reasons: ['可能含有「其他」类内容，需人工复审'], labels: [21000] }],
      images: { total: 0, pending: 0, passed: 0, review: 0, risky: 0 },
    })
    expect(held.nextCursor).not.toBeNull()
    const next = ok<{ decisions: DecisionView[] }>(await moderation(REVIEWER, 'decisions', { state: 'pendingReview', kind: 'nickname', limit: 1, cursor: held.nextCursor }))
    expect(next.decisions[0]?.id).not.toBe(held.decisions[0]?.id)
    expect(Date.parse(next.decisions[0]?.createdAt ?? '')).toBeLessThanOrEqual(Date.parse(held.decisions[0]?.createdAt ?? ''))

    const refused = ok<{ decisions: DecisionView[] }>(await moderation(REVIEWER, 'decisions', { state: 'refused' }))
    expect(refused.decisions.map((d) => d.state)).toEqual(refused.decisions.map(() => 'refused'))
    expect(refused.decisions.some((d) => d.reasons.includes('含有「违法犯罪」类违规内容，不能发布'))).toBe(true)

    // Every page walked to its end without repeats.
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { decisions: DecisionView[]; nextCursor: string | null } = ok(await moderation(REVIEWER, 'decisions', { limit: 3, cursor }))
      seen.push(...page.decisions.map((d) => d.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBe(await decisions(cloud.store).count({}))
  })

  it('is audited, and refused to ordinary users', async () => {
    const audit = await cloud.store.collection<AuditDoc>('audit_logs').findOne({ fn: 'moderation', action: 'decisions', actorOpenid: REVIEWER })
    expect(audit).toMatchObject({ outcome: 'ok', actorRole: 'reviewer' })
    expect(errorOf(await moderation(person, 'decisions')).code).toBe('FORBIDDEN')
    expect(errorOf(await moderation(REVIEWER, 'decisions', { cursor: 'not-a-cursor' })).code).toBe('INVALID_INPUT')
  })
})

describe("the person's data", () => {
  it('the copy lists their decisions and a held nickname; deletion keeps decisions under a pseudonym and deletes image checks', async () => {
    const person = 'mod-data-user'
    const me = await signUp(cloud, person)
    ok(await rename(person, '沙箱待审数据'))
    const heldAvatar = (await uploadsOf(cloud, person))('avatars/held.png')
    ok(await account(person, 'updateProfile', { avatarUrl: heldAvatar }))
    await mediaChecks(cloud.store).add({
      _id: 'trace-data-1',
      decisionId: 'd-x',
      kind: 'card',
      targetId: 'card-x',
      authorOpenid: person,
      fileId: 'cloud://env/cards/a.png',
      index: 0,
      status: 'pending',
      label: null,
      via: null,
      createdAt: cloud.clock.now(),
      settledAt: null,
    })
    const { document } = ok<{ document: ExportDocument }>(await account(person, 'exportData'))
    const section = (domain: string) => document.sections.find((s) => s.domain === domain)
    expect(section('moderation')?.records).toHaveLength(2)
    expect(section('moderation')?.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'nickname', state: 'pendingReview', reasons: ['可能含有「其他」类内容，需人工复审'] }),
        expect.objectContaining({ kind: 'avatar', kindLabel: '头像', state: 'pendingImages' }),
      ]),
    )
    expect(section('pendingNickname')?.records).toEqual([{ nickname: '沙箱待审数据', state: 'pendingReview', reasons: ['可能含有「其他」类内容，需人工复审'] }])
    expect(section('pendingAvatar')?.records).toEqual([{ avatarUrl: heldAvatar, state: 'pendingImages', reasons: [] }])
    expect(section('moderationImages')?.records).toHaveLength(2)
    expect(section('moderationImages')?.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fileId: 'cloud://env/cards/a.png', status: 'pending' }),
        expect.objectContaining({ fileId: heldAvatar, kind: 'avatar', status: 'pending' }),
      ]),
    )
    expect(JSON.stringify(document)).not.toContain(person)

    const subject = erasureSubject(cloud.config, me)
    for (const rule of erasureRules().filter((r) => r.collection.startsWith('moderation_'))) await rule.erase(handlerCtx(), subject)
    expect(await decisions(cloud.store).count({ authorOpenid: person })).toBe(0)
    expect(await decisions(cloud.store).count({ authorOpenid: subject.pseudonym })).toBe(2)
    expect(await mediaChecks(cloud.store).count({ authorOpenid: person })).toBe(0)
  })
})

describe('a rejection notice', () => {
  it('links to where the author fixes the content: the editor of its kind, 我的 for the profile', () => {
    expect(rejectionLink({ kind: 'card', targetId: 'c123' })).toBe('/packageCards/pages/editor/index?cardId=c123')
    expect(rejectionLink({ kind: 'activity', targetId: 'a123' })).toBe('/packageActivities/pages/editor/index?id=a123')
    expect(rejectionLink({ kind: 'article', targetId: 'r123' })).toBe('/packageArticles/pages/editor/index?id=r123')
    expect(rejectionLink({ kind: 'nickname', targetId: 'acc1' })).toBe('/pages/me/index')
    expect(rejectionLink({ kind: 'avatar', targetId: 'acc1' })).toBe('/pages/me/index')
    expect(rejectionLink({ kind: 'exchangeMessage', targetId: 'x1' })).toBeNull()
  })
})

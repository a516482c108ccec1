/**
 * Account deletion: a cooling-off period that can be cancelled, then erasure
 * through the registry — every collection's documents of the person deleted,
 * anonymized or pseudonymized, the consent ledger still provable, and the same
 * WeChat user starting afresh if they come back.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { accounts, type AccountDoc } from '../../cloudfunctions/_core/accounts'
import { Ledger } from '../../cloudfunctions/_core/consent/ledger'
import { erasureRules, pseudonymOf } from '../../cloudfunctions/_core/erasure'
import { recordTransition } from '../../cloudfunctions/_core/lifecycle/transition'
import { SANDBOX_UNDELETABLE } from '../../cloudfunctions/_core/ports/storage'
import { ensureTestDocuments, startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import type { CompleteResult } from '../../shared/contract/identity'
import type { DeletionPreviewItem } from '../../shared/contract/account'
import { errorOf, grant, ok } from './helpers'
import { arrange, DAY, fire, idNumberOf, inbox, lifecycleOf, makeStaff, signUp, stored } from './lifecycle-helpers'

const root = join(__dirname, '..', '..')
const collectionNames = (JSON.parse(readFileSync(join(root, 'database', 'collections.json'), 'utf8')) as { collections: Array<{ name: string }> }).collections.map(
  (c) => c.name,
)

let cloud: TestCloud
const START = new Date('2026-06-01T02:00:00.000Z')
const ADMIN = 'del-admin'
/** What the functions logged as errors (the erasure logs what it could not delete). */
const errorsLogged: Array<{ message: string; fields: Record<string, unknown> }> = []

beforeAll(async () => {
  cloud = await startTestCloud({ start: START, log: { info: () => undefined, error: (message, fields) => void errorsLogged.push({ message, fields: fields ?? {} }) } })
  await ensureTestDocuments(cloud)
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

const account = (openid: string, action: string, input: unknown = {}) => cloud.call('account', { action, input }, openid)
const identity = (openid: string, action: string, input: unknown = {}) => cloud.call('identity', { action, input }, openid)

async function verify(openid: string, name: string, idNumber: string): Promise<CompleteResult> {
  const { verificationId } = ok<{ verificationId: string }>(await identity(openid, 'start', { name, idNumber }))
  return ok<CompleteResult>(await identity(openid, 'complete', { verificationId }))
}

/** Every document of every collection, page by page. */
async function everything(name: string): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = []
  for (;;) {
    const page = await cloud.store.collection(name).find({}, { orderBy: [['_id', 'asc']], skip: all.length, limit: 100 })
    all.push(...(page as unknown as Array<Record<string, unknown>>))
    if (page.length < 100) return all
  }
}

describe('the erasure registry', () => {
  it('has a rule for every collection in database/collections.json, and none for collections that do not exist', () => {
    const ruled = erasureRules().map((rule) => rule.collection)
    expect(new Set(ruled).size).toBe(ruled.length)
    // A new collection must say what deletion does to it (delete, anonymize, pseudonymize, keep with a reason, or none).
    expect([...ruled].sort()).toEqual([...collectionNames].sort())
    for (const rule of erasureRules()) expect(rule.detail).toMatch(/[\u4e00-\u9fff]/)
  })

  it('erases the account last, so that a run stopped half-way can still be found and finished', () => {
    expect(erasureRules().at(-1)?.collection).toBe('accounts')
  })
})

describe('the cooling-off period', () => {
  it('needs a recent sign-in and a confirmation, then shows the due date on every login until cancelled', async () => {
    await signUp(cloud, 'del-cool')
    cloud.clock.advance(20 * 60 * 1000)
    expect(errorOf(await account('del-cool', 'requestDeletion', { confirm: true })).code).toBe('REAUTH_REQUIRED')
    expect(errorOf(await account('del-cool', 'requestDeletion', { confirm: false })).code).toBe('INVALID_INPUT')
    ok(await account('del-cool', 'login'))
    const pending = lifecycleOf(ok(await account('del-cool', 'requestDeletion', { confirm: true })))
    const due = new Date(cloud.clock.now().getTime() + 15 * DAY).toISOString()
    expect(pending).toMatchObject({ state: 'pendingDeletion', deletionDueAt: due, available: ['cancelDeletion'] })
    const told = (await inbox(cloud, 'del-cool')).find((m) => m.title === '已收到你的注销申请')
    expect(told?.body).toContain('15 个工作日')

    // During the cooling-off period: login shows it, ordinary features refuse, export and preview still work.
    cloud.clock.advance(3 * DAY)
    const login = ok<{ lifecycle: { state: string; deletionDueAt: string | null } }>(await account('del-cool', 'login'))
    expect(login.lifecycle).toMatchObject({ state: 'pendingDeletion', deletionDueAt: due })
    expect(errorOf(await account('del-cool', 'getProfile')).code).toBe('ACCOUNT_UNAVAILABLE')
    ok(await account('del-cool', 'exportData'))
    expect(await stored(cloud, 'del-cool')).toMatchObject({ contentHidden: true })

    // The job leaves it alone before the due date.
    await fire(cloud, 'runDeletions')
    expect((await stored(cloud, 'del-cool')).state).toBe('pendingDeletion')

    const restored = lifecycleOf(ok(await account('del-cool', 'cancelDeletion')))
    expect(restored).toMatchObject({ state: 'active', deletionDueAt: null })
    expect(await stored(cloud, 'del-cool')).toMatchObject({ contentHidden: false, deletionDueAt: null })
    ok(await account('del-cool', 'getProfile'))
    expect((await inbox(cloud, 'del-cool')).map((m) => m.title)).toContain('已撤销注销')

    // Long after the first due date nothing happens to a cancelled request.
    cloud.clock.advance(30 * DAY)
    await fire(cloud, 'runDeletions')
    expect((await stored(cloud, 'del-cool')).state).toBe('active')
  })

  it('is refused from states the person cannot leave by deleting (a staff freeze)', async () => {
    const target = await signUp(cloud, 'del-frozen')
    ok(await cloud.call('admin', { action: 'transition', input: { accountId: target._id, transition: 'freezeByStaff', category: 'spam', rule: 'harassment', reason: '涉嫌诈骗，冻结调查' } }, ADMIN))
    expect(errorOf(await account('del-frozen', 'requestDeletion', { confirm: true })).code).toBe('ACCOUNT_UNAVAILABLE')
  })
})

describe('erasure after the cooling-off period', () => {
  const person = 'u-erase-7f3k'
  const nickname = '王小明删除测试'
  let before: AccountDoc
  let preview: DeletionPreviewItem[]
  let deletedBefore = 0
  let avatar = ''

  beforeAll(async () => {
    cloud.clock.set(new Date('2026-08-03T02:00:00.000Z'))
    before = await signUp(cloud, person)
    avatar = (await uploadsOf(cloud, person))('avatars/wang.png')
    ok(await account(person, 'updateProfile', { nickname, avatarUrl: avatar }))
    // Consents, verification, a pending verification, the start counter.
    ok(await grant(cloud, person, ['idNumber', 'face', 'partnerSharing', 'location']))
    const theirs = idNumberOf('1985-02-03', '731')
    await signUp(cloud, 'del-holder')
    ok(await grant(cloud, 'del-holder', ['idNumber', 'face', 'partnerSharing']))
    expect((await verify('del-holder', '赵本人', theirs)).outcome).toBe('passed')
    // The person tries an ID someone else holds and reports impersonation…
    const { verificationId: boundId } = ok<{ verificationId: string }>(await identity(person, 'start', { name: '赵本人', idNumber: theirs }))
    expect(errorOf(await identity(person, 'complete', { verificationId: boundId })).code).toBe('ID_ALREADY_BOUND')
    ok(await identity(person, 'reportImpersonation', { verificationId: boundId, reason: '这是我的身份证，被别人冒用了' }))
    // …then verifies with their own, and someone else reports them.
    const own = idNumberOf('1992-09-10', '512')
    expect((await verify(person, '王小明', own)).outcome).toBe('passed')
    await signUp(cloud, 'del-claimant')
    ok(await grant(cloud, 'del-claimant', ['idNumber', 'face', 'partnerSharing']))
    const { verificationId: claimId } = ok<{ verificationId: string }>(await identity('del-claimant', 'start', { name: '王小明', idNumber: own }))
    expect(errorOf(await identity('del-claimant', 'complete', { verificationId: claimId })).code).toBe('ID_ALREADY_BOUND')
    ok(await identity('del-claimant', 'reportImpersonation', { verificationId: claimId, reason: '这是我的身份证，请核查这个账号' }))
    ok(await cloud.call('inbox', { action: 'subscribe', input: { accepted: ['accountState', 'system'] } }, person))

    // Cards, visits both ways and locations (their domains come later: arranged in the database).
    await arrange(cloud, 'cards', { ownerOpenid: person, title: '王小明的名片', phone: '13800000000', avatarUrl: 'cloud://env/cards/wang-card.png' })
    // Uploaded images the person's documents name; one of them another person's card names too, one is not in our storage.
    await arrange(cloud, 'activities', { ownerOpenid: person, title: '王小明的活动', status: 'cancelled', startAt: cloud.clock.now(), coverImage: 'cloud://env/activities/wang-cover.png' })
    await arrange(cloud, 'articles', { ownerOpenid: person, title: '王小明的文章', status: 'draft', cover: 'cloud://env/articles/wang-cover.png' })
    await arrange(cloud, 'articles', { ownerOpenid: person, title: '王小明转用的封面', status: 'draft', cover: 'cloud://env/shared/common.png' })
    await arrange(cloud, 'cards', { ownerOpenid: 'del-holder', title: '别人的名片', avatarUrl: 'cloud://env/shared/common.png' })
    await arrange(cloud, 'cards', { ownerOpenid: person, title: '王小明的第二张名片', avatarUrl: 'https://example.com/wang-web.png' })
    await arrange(cloud, 'card_visits', { cardId: 'card-of-other', ownerOpenid: 'del-holder', viewerOpenid: person, at: cloud.clock.now() })
    await arrange(cloud, 'card_visits', { cardId: 'card-of-mine', ownerOpenid: person, viewerOpenid: 'del-holder', at: cloud.clock.now() })
    await arrange(cloud, 'locations', { openid: person, lat: 39.9, lng: 116.4, at: cloud.clock.now() })

    // Staff looked at and decided about the account; the person froze and unfroze; corrections open and resolved.
    const me = await stored(cloud, person)
    ok(await cloud.call('admin', { action: 'getAccount', input: { accountId: me._id, reason: '核查冒用申诉' } }, ADMIN))
    ok(await cloud.call('admin', { action: 'transition', input: { accountId: me._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '核查期间限制交换名片', until: new Date(cloud.clock.now().getTime() + DAY).toISOString(), features: ['exchange'] } }, ADMIN))
    ok(await cloud.call('consent', { action: 'prove', input: { openid: person, at: cloud.clock.now().toISOString(), reason: '核查冒用申诉' } }, ADMIN))
    const resolved = ok<{ request: { id: string } }>(await account(person, 'requestCorrection', { field: 'birthDate', note: '出生日期登记错了，应为九月' }))
    ok(await cloud.call('admin', { action: 'resolveCorrection', input: { requestId: resolved.request.id, decision: 'rejected', reason: '出生日期来自身份证，无法单独更改' } }, ADMIN))
    ok(await account(person, 'requestCorrection', { field: 'realName', note: '姓名中有一个字写错了' }))

    cloud.clock.advance(2 * DAY)
    ok(await account(person, 'login'))
    preview = ok<{ items: DeletionPreviewItem[] }>(await account(person, 'deletionPreview')).items
    // A verified person proves it is them with a fresh face check.
    const recheck = ok<{ verificationId: string }>(await identity(person, 'recheck', {}))
    ok(await identity(person, 'completeRecheck', { verificationId: recheck.verificationId }))
    ok(await account(person, 'requestDeletion', { confirm: true, verificationId: recheck.verificationId }))
    cloud.clock.advance(15 * DAY + 1000)
    deletedBefore = cloud.openApi.storage.deleted.length
    await fire(cloud, 'runDeletions')
  })

  it('deletes the images the person uploaded from cloud storage, and no one else’s', () => {
    expect([...cloud.openApi.storage.deleted.slice(deletedBefore)].sort()).toEqual([
      // The new avatar still waiting for its image check (in the person's upload folder).
      avatar,
      'cloud://env/activities/wang-cover.png',
      'cloud://env/articles/wang-cover.png',
      'cloud://env/cards/wang-card.png',
    ])
    // Another person's card shows it: a file id is no proof of who uploaded the file.
    expect(cloud.openApi.storage.deleted).not.toContain('cloud://env/shared/common.png')
  })

  it('previewed, per collection, what would be erased and what kept, with counts', () => {
    const byCollection = new Map(preview.map((item) => [item.collection, item]))
    for (const name of ['accounts', 'identities', 'identity_attempts', 'inbox_messages', 'consent_records', 'cards', 'card_visits', 'locations', 'audit_logs', 'account_events']) {
      expect(byCollection.get(name)?.count).toBeGreaterThan(0)
    }
    expect(byCollection.get('card_visits')?.count).toBe(2)
    expect(byCollection.get('consent_records')?.treatment).toBe('pseudonymize')
    expect(byCollection.get('identities')?.treatment).toBe('delete')
    expect(byCollection.get('accounts')?.treatment).toBe('anonymize')
    // A person who never published documents is not told about the staff-only rule.
    expect(byCollection.has('legal_documents')).toBe(false)
    expect(byCollection.has('demo_items')).toBe(false)
  })

  it('leaves no document anywhere that names the person or shows their nickname', async () => {
    for (const name of collectionNames) {
      const leaks = (await everything(name)).filter((doc) => {
        const text = JSON.stringify(doc)
        return text.includes(person) || text.includes(nickname) || text.includes('wang.png') || text.includes('13800000000')
      })
      expect({ collection: name, leaks }).toEqual({ collection: name, leaks: [] })
    }
  })

  it('keeps an anonymous tombstone of the account: state deleted, no nickname, avatar, birth date or roles', async () => {
    const tombstone = await accounts(cloud.store).byId(before._id)
    expect(tombstone).toMatchObject({
      state: 'deleted',
      nickname: '已注销用户',
      avatarUrl: null,
      birthDate: null,
      verifiedAt: null,
      roles: [],
      erasure: 'done',
      openid: pseudonymOf(cloud.config, person, before._id),
    })
    expect(tombstone?.deletionDueAt).toBeInstanceOf(Date)
  })

  it('deletes identity data, inbox, subscriptions, cards, visits both ways and locations', async () => {
    const count = (name: string, where: Record<string, unknown>) => cloud.store.collection(name).count(where)
    expect(await count('identities', { openid: person })).toBe(0)
    expect(await count('identity_attempts', { openid: person })).toBe(0)
    expect(await cloud.store.collection('counters').byId(`identity-start:${person}`)).toBeNull()
    expect(await count('inbox_messages', { recipient: person })).toBe(0)
    expect(await count('subscriptions', { openid: person })).toBe(0)
    expect(await count('cards', { ownerOpenid: person })).toBe(0)
    expect(await count('card_visits', { viewerOpenid: person })).toBe(0)
    expect(await count('card_visits', { ownerOpenid: person })).toBe(0)
    expect(await count('locations', { openid: person })).toBe(0)
    // Reports: theirs gone; the one against them kept for the other person, unlinked.
    expect(await count('impersonation_reports', { reporter: person })).toBe(0)
    expect(await count('impersonation_reports', { reporter: 'del-claimant', holder: 'erased' })).toBe(1)
    // Someone else's data is untouched.
    expect(await count('identities', { openid: 'del-holder' })).toBe(1)
    expect(await count('card_visits', { cardId: 'card-of-other' })).toBe(0)
  })

  it('keeps the consent ledger under the pseudonym, and its chain still verifies', async () => {
    const pseudonym = pseudonymOf(cloud.config, person, before._id)
    const ledger = new Ledger(cloud.store, cloud.config)
    const records = await ledger.all(pseudonym)
    expect(records.length).toBeGreaterThanOrEqual(6)
    expect(await ledger.verifyChain(pseudonym)).toEqual({ ok: true, records: records.length, firstBrokenSeq: null })
    expect(await ledger.all(person)).toEqual([])
  })

  it('keeps staff records and the state history, pseudonymized', async () => {
    const pseudonym = pseudonymOf(cloud.config, person, before._id)
    const audits = cloud.store.collection('audit_logs')
    expect(await audits.count({ subject: pseudonym })).toBeGreaterThanOrEqual(3)
    expect(await audits.count({ target: pseudonym })).toBe(1)
    const history = await cloud.store.collection('account_events').find({ accountId: before._id }, { orderBy: [['at', 'asc']], limit: 50 })
    expect(history.map((e) => (e as unknown as { transition: string }).transition)).toEqual(['restrict', 'requestDeletion', 'completeDeletion'])
    expect(history.every((e) => (e as unknown as { subject: string }).subject === pseudonym)).toBe(true)
    const corrections = await cloud.store.collection('correction_requests').find({ accountId: before._id }, { limit: 10 })
    expect(corrections).toHaveLength(1)
    expect(corrections[0]).toMatchObject({ status: 'rejected', note: '', subject: pseudonym, resolution: '出生日期来自身份证，无法单独更改' })
  })

  it('gives the same WeChat user a fresh account when they come back, and lets them delete it again', async () => {
    const again = ok<{ created: boolean; account: { id: string; nickname: string; verified: boolean }; pending: string[] }>(await account(person, 'login'))
    expect(again.created).toBe(true)
    expect(again.account.id).not.toBe(before._id)
    expect(again.account.nickname).not.toBe(nickname)
    expect(again.account.verified).toBe(false)
    expect(again.pending).toEqual(['agreement', 'realName'])

    await signUp(cloud, person)
    const second = await stored(cloud, person)
    ok(await account(person, 'requestDeletion', { confirm: true }))
    cloud.clock.advance(15 * DAY + 1000)
    await fire(cloud, 'runDeletions')
    expect(await accounts(cloud.store).byId(second._id)).toMatchObject({ state: 'deleted', openid: pseudonymOf(cloud.config, person, second._id) })
    // Both ledgers verify on their own.
    const ledger = new Ledger(cloud.store, cloud.config)
    for (const id of [before._id, second._id]) expect((await ledger.verifyChain(pseudonymOf(cloud.config, person, id))).ok).toBe(true)
  })
})

describe('an erasure interrupted half-way', () => {
  it('is finished by the next run, and the person cannot sign in meanwhile', async () => {
    await signUp(cloud, 'del-interrupted')
    ok(await account('del-interrupted', 'requestDeletion', { confirm: true }))
    cloud.clock.advance(16 * DAY)
    // The claim happened, then the run died before erasing anything.
    const claimed = await stored(cloud, 'del-interrupted')
    const ctx = { ...cloud.runtimeFor(''), requestId: 'crashed-run', fn: 'scheduler', action: 'timer:runDeletions', now: cloud.clock.now() }
    await recordTransition(ctx, claimed, { name: 'completeDeletion', actor: 'system', notify: false, patch: { erasure: 'running' } })
    expect(errorOf(await account('del-interrupted', 'login')).code).toBe('ACCOUNT_UNAVAILABLE')

    await fire(cloud, 'runDeletions')
    expect(await accounts(cloud.store).byId(claimed._id)).toMatchObject({ state: 'deleted', erasure: 'done', nickname: '已注销用户' })
    expect(await cloud.store.collection('consent_records').count({ subject: 'del-interrupted' })).toBe(0)
    expect(ok<{ created: boolean }>(await account('del-interrupted', 'login')).created).toBe(true)
  })
})

describe('an uploaded file storage will not delete', () => {
  it('is logged (not named) and leaves the erasure complete; the next files are still asked for', async () => {
    const person = 'del-file-stuck'
    const account = await signUp(cloud, person)
    const stuck = `cloud://env/avatars/${SANDBOX_UNDELETABLE}-${person}.png`
    await accounts(cloud.store).update(account._id, { avatarUrl: stuck })
    await arrange(cloud, 'articles', { ownerOpenid: person, title: '封面能删', status: 'draft', cover: 'cloud://env/articles/stuck-neighbour.png' })
    ok(await cloud.call('account', { action: 'login', input: {} }, person))
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true } }, person))
    cloud.clock.advance(16 * DAY)
    const loggedBefore = errorsLogged.length
    await fire(cloud, 'runDeletions')

    expect(cloud.openApi.storage.deleted).toEqual(expect.arrayContaining([stuck, 'cloud://env/articles/stuck-neighbour.png']))
    expect(await accounts(cloud.store).byId(account._id)).toMatchObject({ state: 'deleted', erasure: 'done', avatarUrl: null })
    expect(await cloud.store.collection('articles').count({ ownerOpenid: person })).toBe(0)
    const logged = errorsLogged.slice(loggedBefore)
    expect(logged.map((e) => e.message)).toEqual(['uploaded files not deleted on erasure'])
    expect(logged[0]?.fields).toMatchObject({ found: 2, deleted: 1, failed: 1, accountId: account._id })
    expect(JSON.stringify(logged)).not.toContain(person)
  })
})


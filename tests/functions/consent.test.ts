import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import { requireConsent } from '../../cloudfunctions/_core/consent/gate'
import { GENESIS_HASH, type ConsentRecordDoc } from '../../cloudfunctions/_core/consent/ledger'
import type { AccountContext } from '../../cloudfunctions/_core/context'
import { appendOnly, type Doc } from '../../cloudfunctions/_core/db'
import { AppError } from '../../cloudfunctions/_core/errors'
import { PURPOSES, type PurposeId } from '../../shared/consent'
import type { ConsentReceipt } from '../../shared/contract/consent'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { DAY, errorOf, grant, makeAdmin, ok, publish, shownCurrent, statusOf, type RecordData } from './helpers'

const START = new Date('2026-06-01T02:00:00.000Z')
let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

const call = (openid: string, fn: string, action: string, input: unknown = {}) => cloud.call(fn, { action, input }, openid)
const storedRecords = (subject: string) => cloud.store.collection<ConsentRecordDoc>('consent_records').find({ subject }, { orderBy: [['seq', 'asc']], limit: 100 })

async function register(openid: string): Promise<void> {
  await acceptCurrentTerms(cloud, openid)
}

describe('registration consent', () => {
  const user = 'reg-user'

  it('keeps signed-in features closed until the agreement and policy are accepted', async () => {
    const login = ok<{ pending: string[] }>(await call(user, 'account', 'login'))
    expect(login.pending).toEqual(['agreement', 'realName'])
    const refused = errorOf(await call(user, 'account', 'getProfile'))
    expect(refused.code).toBe('TERMS_NOT_ACCEPTED')
    expect(refused.message).toBe('请先阅读并同意用户协议和隐私政策')
    expect((await statusOf(cloud, user)).blocked).toBe('TERMS_NOT_ACCEPTED')
  })

  it('asks for a birth date when the account has none, and records nothing without it', async () => {
    const refused = errorOf(await grant(cloud, user, ['terms', 'privacy'], { method: 'checkbox' }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues).toEqual([{ path: 'declaredBirthDate', message: expect.stringMatching(/出生日期/) }])
    expect(await storedRecords(user)).toEqual([])
  })

  it.each([
    ['in the future', '2026-06-02'],
    ['before 1900', '1899-12-31'],
  ])('refuses a declared birth date %s', async (_name, date) => {
    const refused = errorOf(await grant(cloud, user, ['terms', 'privacy'], { method: 'checkbox', declaredBirthDate: date }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('declaredBirthDate')
    expect(refused.issues?.[0]?.message).toMatch(/[\u4e00-\u9fff]/)
    expect((await findAccount(cloud.store, user))?.birthDate).toBeNull()
  })

  it('refuses a decision on text other than the stored version', async () => {
    const terms = await shownCurrent(cloud, 'terms')
    const privacy = await shownCurrent(cloud, 'privacy')
    const attempts = [
      [terms, { ...privacy, hash: 'f'.repeat(64) }],
      [terms, { ...privacy, version: '7' }],
      // The hash of the user agreement is not the hash of the policy.
      [terms, { ...privacy, hash: terms.hash }],
    ]
    for (const items of attempts) {
      const refused = errorOf(await call(user, 'consent', 'grant', { items, method: 'checkbox', declaredBirthDate: '1990-04-01' }))
      expect(refused.code).toBe('DOCUMENT_OUTDATED')
    }
    expect(await storedRecords(user)).toEqual([])
  })

  it('records each acceptance against the exact version and hash, at server time, and opens the service', async () => {
    const terms = await shownCurrent(cloud, 'terms')
    const privacy = await shownCurrent(cloud, 'privacy')
    const reply = ok<{ records: RecordData[]; status: { blocked: string | null; ageClass: string } }>(
      await call(user, 'consent', 'grant', { items: [terms, privacy], method: 'checkbox', declaredBirthDate: '1990-04-01' }),
    )
    expect(reply.status).toMatchObject({ blocked: null, ageClass: 'adult' })
    expect(reply.records.map((r) => [r.seq, r.purpose, r.action, r.method, r.version, r.hash])).toEqual([
      [1, 'terms', 'grant', 'checkbox', terms.version, terms.hash],
      [2, 'privacy', 'grant', 'checkbox', privacy.version, privacy.hash],
    ])
    const stored = await storedRecords(user)
    expect(stored.map((r) => r.at.getTime())).toEqual([START.getTime(), START.getTime()])
    expect(stored[0]?.prevHash).toBe(GENESIS_HASH)
    expect(stored[1]?.prevHash).toBe(stored[0]?.recordHash)
    // Minimal facts: no client data, no IP; the projection of the decisions so far is made of these same facts.
    expect(Object.keys(stored[0] ?? {}).sort()).toEqual(
      ['_id', 'action', 'at', 'current', 'docId', 'guardian', 'hash', 'method', 'prevHash', 'purpose', 'recordHash', 'seq', 'subject', 'subjectRef', 'version'].sort(),
    )
    expect(Object.keys(stored[1]?.current ?? {}).sort()).toEqual(['privacy', 'terms'])
    expect(Object.keys(stored[1]?.current?.terms?.latest ?? {})).not.toContain('subject')

    expect(ok<{ pending: string[] }>(await call(user, 'account', 'login')).pending).toEqual(['realName'])
    expect(ok<{ pending: string[] }>(await call(user, 'account', 'getProfile')).pending).toEqual(['realName'])
    expect(await findAccount(cloud.store, user)).toMatchObject({ birthDate: '1990-04-01', birthDateSource: 'declared' })
  })

  it('does not record a repeated tap twice', async () => {
    const again = ok<{ records: RecordData[] }>(await grant(cloud, user, ['terms', 'privacy'], { method: 'checkbox' }))
    expect(again.records.map((r) => r.seq)).toEqual([1, 2])
    expect(await storedRecords(user)).toHaveLength(2)
  })

  it('keeps the declared birth date: it cannot be declared again differently', async () => {
    const refused = errorOf(await grant(cloud, user, ['location'], { declaredBirthDate: '2015-01-01' }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('declaredBirthDate')
    expect((await findAccount(cloud.store, user))?.birthDate).toBe('1990-04-01')
  })

  it('takes one declared birth date when two arrive at once', async () => {
    const racer = 'reg-racer'
    ok(await call(racer, 'account', 'login'))
    const results = await Promise.all(['1990-02-02', '2000-03-03'].map((date) => grant(cloud, racer, ['terms', 'privacy'], { method: 'checkbox', declaredBirthDate: date })))
    const winners = results.filter((r) => r.ok)
    expect(winners).toHaveLength(1)
    const loser = results.find((r) => !r.ok)
    expect(loser && errorOf(loser).code).toBe('INVALID_INPUT')
    const stored = (await findAccount(cloud.store, racer))?.birthDate
    expect(['1990-02-02', '2000-03-03']).toContain(stored)
    expect(await storedRecords(racer)).toHaveLength(2)
  })

  it('is not complete with the agreement alone', async () => {
    const only = 'reg-terms-only'
    ok(await call(only, 'account', 'login'))
    ok(await grant(cloud, only, ['terms'], { method: 'checkbox', declaredBirthDate: '1991-01-01' }))
    const status = await statusOf(cloud, only)
    expect(status.blocked).toBe('TERMS_NOT_ACCEPTED')
    expect(status.required.map((r) => [r.purpose, r.state])).toEqual([
      ['terms', 'current'],
      ['privacy', 'missing'],
    ])
    expect(errorOf(await call(only, 'account', 'updateProfile', { nickname: '新名字' })).code).toBe('TERMS_NOT_ACCEPTED')
  })
})

describe('the ledger', () => {
  it('serializes concurrent decisions of one person into one unbroken chain', async () => {
    const user = 'ledger-concurrent'
    await register(user)
    const optional: PurposeId[] = ['location', 'personalization', 'publicCard', 'idNumber', 'face', 'partnerSharing']
    const results = await Promise.all(optional.map((p) => grant(cloud, user, [p])))
    for (const result of results) ok(result)
    const stored = await storedRecords(user)
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(new Set(stored.map((r) => r.purpose))).toEqual(new Set(['terms', 'privacy', ...optional]))
    expect(ok(await call(user, 'consent', 'verifyChain'))).toEqual({ ok: true, records: 8, firstBrokenSeq: null })
  })

  it('detects a record rewritten behind its back, and where', async () => {
    const user = 'ledger-tamper'
    await register(user)
    ok(await grant(cloud, user, ['location']))
    expect(ok(await call(user, 'consent', 'verifyChain'))).toEqual({ ok: true, records: 3, firstBrokenSeq: null })
    const second = (await storedRecords(user))[1]
    // Straight through the store, as someone bypassing the ledger would.
    await cloud.store.collection('consent_records').update(second?._id ?? '', { action: 'refuse' })
    expect(ok(await call(user, 'consent', 'verifyChain'))).toEqual({ ok: false, records: 3, firstBrokenSeq: 2 })
  })

  it('detects a record moved to another person', async () => {
    const [owner, thief] = ['ledger-owner', 'ledger-thief']
    await register(owner)
    const first = (await storedRecords(owner))[0]
    await cloud.store.collection('consent_records').update(first?._id ?? '', { subject: thief })
    ok(await call(thief, 'account', 'login'))
    expect(ok(await call(thief, 'consent', 'verifyChain'))).toEqual({ ok: false, records: 1, firstBrokenSeq: 1 })
    expect(ok(await call(owner, 'consent', 'verifyChain'))).toEqual({ ok: false, records: 1, firstBrokenSeq: 1 })
  })

  it('is reachable only through an append-only wrapper', () => {
    const wrapped = appendOnly(cloud.store.collection<Doc>('consent_records'))
    expect(Object.keys(wrapped).sort()).toEqual(['add', 'byId', 'count', 'find', 'findOne', 'name'])
    expect(Object.isFrozen(wrapped)).toBe(true)
  })
})

describe('separate and optional consents', () => {
  it('cannot withdraw the agreement, the policy or the children rules: that is account deletion', async () => {
    const user = 'withdraw-contract'
    await register(user)
    for (const purpose of ['terms', 'privacy', 'childrenRules'] as const) {
      const refused = errorOf(await call(user, 'consent', 'withdraw', { purpose }))
      expect(refused.code).toBe('WITHDRAW_VIA_DELETION')
    }
    expect(await storedRecords(user)).toHaveLength(2)
  })

  it('has nothing to withdraw before a grant', async () => {
    const user = 'withdraw-nothing'
    await register(user)
    const refused = errorOf(await call(user, 'consent', 'withdraw', { purpose: 'location' }))
    expect(refused.code).toBe('NOT_FOUND')
    expect(refused.message).toContain('使用位置信息')
  })

  const arrange = async (user: string, other: string) => {
    const db = cloud.store
    const collection = (name: string) => db.collection<Doc & Record<string, unknown>>(name)
    await collection('identities').add({ openid: user, nameCipher: 'x', blindIndex: `bi-${user}` })
    await collection('identities').add({ openid: other, nameCipher: 'y', blindIndex: `bi-${other}` })
    await collection('cards').add({ ownerOpenid: user, title: '我的名片' })
    await collection('cards').add({ ownerOpenid: other, title: '别人的名片' })
    await collection('locations').add({ openid: user, lat: 39.9, lng: 116.4 })
    await collection('locations').add({ openid: other, lat: 31.2, lng: 121.5 })
    await collection('card_visits').add({ viewerOpenid: user, ownerOpenid: other })
    await collection('card_visits').add({ viewerOpenid: other, ownerOpenid: user })
    for (const id of [user, other]) {
      const account = await findAccount(db, id)
      await accounts(db).update(account?._id ?? '', { verifiedAt: START })
    }
  }

  const counts = async (user: string) => ({
    identities: await cloud.store.collection('identities').count({ openid: user }),
    hiddenCards: await cloud.store.collection('cards').count({ ownerOpenid: user, consentHidden: true }),
    locations: await cloud.store.collection('locations').count({ openid: user }),
    visitsAsViewer: await cloud.store.collection('card_visits').count({ viewerOpenid: user }),
    verified: (await findAccount(cloud.store, user))?.verifiedAt !== null,
  })

  const untouched = { identities: 1, hiddenCards: 0, locations: 1, visitsAsViewer: 1, verified: true }

  it.each([
    ['idNumber', { identities: 0, verified: false }, /实名/],
    ['face', { identities: 0, verified: false }, /实名/],
    ['partnerSharing', { identities: 0, verified: false }, /实名/],
    ['publicCard', { hiddenCards: 1 }, /隐藏/],
    ['location', { locations: 0 }, /位置/],
    ['personalization', { visitsAsViewer: 0 }, /访问记录/],
  ] as const)('withdrawing %s takes effect at once, on my data only', async (purpose, changed, said) => {
    const [user, other] = [`withdraw-${purpose}`, `withdraw-${purpose}-other`]
    await register(user)
    await register(other)
    await arrange(user, other)
    ok(await grant(cloud, user, [purpose]))
    ok(await grant(cloud, other, [purpose]))
    expect(await counts(user)).toEqual(untouched)

    const reply = ok<{ record: RecordData; effect: string; status: { purposes: Array<{ purpose: string; state: string }> } }>(
      await call(user, 'consent', 'withdraw', { purpose }),
    )
    expect(reply.record).toMatchObject({ purpose, action: 'withdraw', seq: 4 })
    expect(reply.effect).toMatch(said)
    expect(reply.status.purposes.find((p) => p.purpose === purpose)?.state).toBe('withdrawn')
    expect(await counts(user)).toEqual({ ...untouched, ...changed })
    expect(await counts(other)).toEqual(untouched)

    // Withdrawing again records nothing new but finishes the effect, should it have been interrupted.
    const again = ok<{ record: RecordData }>(await call(user, 'consent', 'withdraw', { purpose }))
    expect(again.record.id).toBe(reply.record.id)
    expect(await storedRecords(user)).toHaveLength(4)
  })

  it('refusing after granting stops the processing too', async () => {
    const [user, other] = ['refuse-location', 'refuse-location-other']
    await register(user)
    await register(other)
    await arrange(user, other)
    ok(await grant(cloud, user, ['location']))
    const shown = await shownCurrent(cloud, 'location')
    const reply = ok<{ record: RecordData }>(await call(user, 'consent', 'refuse', { ...shown, method: 'popup' }))
    expect(reply.record).toMatchObject({ action: 'refuse', method: 'popup' })
    expect((await counts(user)).locations).toBe(0)
    expect((await counts(other)).locations).toBe(1)
  })

  it('never lets refusing or withdrawing an optional consent block the basic service (PIPL Art. 16)', async () => {
    const user = 'optional-free'
    await register(user)
    for (const purpose of ['location', 'personalization'] as const) {
      ok(await call(user, 'consent', 'refuse', { ...(await shownCurrent(cloud, purpose)), method: 'popup' }))
    }
    ok(await call(user, 'account', 'getProfile'))
    for (const purpose of ['location', 'personalization'] as const) {
      ok(await grant(cloud, user, [purpose]))
      ok(await call(user, 'consent', 'withdraw', { purpose }))
    }
    expect(ok<{ pending: string[] }>(await call(user, 'account', 'login')).pending).toEqual(['realName'])
    ok(await call(user, 'account', 'getProfile'))
    expect(ok<{ account: { nickname: string } }>(await call(user, 'account', 'updateProfile', { nickname: '照常使用' })).account.nickname).toBe('照常使用')
    const status = await statusOf(cloud, user)
    expect(status.blocked).toBeNull()
    expect(status.purposes.filter((p) => p.purpose === 'location' || p.purpose === 'personalization').map((p) => p.state)).toEqual(['withdrawn', 'withdrawn'])
  })

  it('lets a domain refuse processing without the separate consent (requireConsent)', async () => {
    const user = 'require-consent'
    await register(user)
    const contextOf = async (): Promise<AccountContext> => {
      const account = await findAccount(cloud.store, user)
      if (!account) throw new Error('no account')
      return { ...cloud.runtimeFor(user), requestId: 'test', fn: 'cards', action: 'publish', now: cloud.clock.now(), account }
    }
    const codeOf = async (): Promise<string> =>
      requireConsent(await contextOf(), 'publicCard').then(
        () => 'ok',
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      )
    expect(await codeOf()).toBe('CONSENT_REQUIRED')
    ok(await grant(cloud, user, ['publicCard']))
    expect(await codeOf()).toBe('ok')
    ok(await call(user, 'consent', 'withdraw', { purpose: 'publicCard' }))
    expect(await codeOf()).toBe('CONSENT_REQUIRED')
  })
})

describe('history, receipts and proof', () => {
  it('pages my history newest first, optionally for one purpose', async () => {
    const user = 'history-user'
    await register(user)
    for (let i = 0; i < 3; i++) {
      ok(await grant(cloud, user, ['location']))
      ok(await call(user, 'consent', 'withdraw', { purpose: 'location' }))
    }
    const first = ok<{ records: RecordData[]; nextCursor: string | null }>(await call(user, 'consent', 'history', { limit: 5 }))
    expect(first.records.map((r) => r.seq)).toEqual([8, 7, 6, 5, 4])
    const second = ok<{ records: RecordData[]; nextCursor: string | null }>(await call(user, 'consent', 'history', { limit: 5, cursor: first.nextCursor }))
    expect(second.records.map((r) => r.seq)).toEqual([3, 2, 1])
    expect(second.nextCursor).toBeNull()
    const location = ok<{ records: RecordData[] }>(await call(user, 'consent', 'history', { purpose: 'location' }))
    expect(location.records.map((r) => r.action)).toEqual(['withdraw', 'grant', 'withdraw', 'grant', 'withdraw', 'grant'])
    expect(errorOf(await call(user, 'consent', 'history', { cursor: 'abc' })).code).toBe('INVALID_INPUT')
  })

  it('gives a receipt for one record and for the whole history, with what the catalogue says of each purpose', async () => {
    const user = 'receipt-user'
    await register(user)
    ok(await grant(cloud, user, ['idNumber']))
    const stored = await storedRecords(user)
    const idRecord = stored[2]
    const { receipt } = ok<{ receipt: ConsentReceipt }>(await call(user, 'consent', 'receipt', { recordId: idRecord?._id }))
    expect(receipt.controller.name).toBe(cloud.config.operator.name)
    expect(receipt.controller.contact).toContain(cloud.config.operator.email)
    expect(receipt.subject.reference).toMatch(/^[0-9a-f]{64}$/)
    expect(receipt.subject.reference).not.toContain(user)
    expect(receipt.records).toEqual([
      expect.objectContaining({
        recordId: idRecord?._id,
        seq: 3,
        purpose: 'idNumber',
        purposeTitle: PURPOSES.idNumber.title,
        legalBasis: 'separate',
        categories: [...PURPOSES.idNumber.categories],
        sensitive: true,
        notice: { docId: 'notice-id-number', title: '身份证号处理单独告知', version: '1', hash: idRecord?.hash },
        action: 'grant',
        stateAfter: 'granted',
        prevHash: stored[1]?.recordHash,
        recordHash: idRecord?.recordHash,
      }),
    ])
    const all = ok<{ receipt: ConsentReceipt }>(await call(user, 'consent', 'receipts')).receipt
    expect(all.records.map((r) => [r.seq, r.purpose, r.legalBasis])).toEqual([
      [1, 'terms', 'contract'],
      [2, 'privacy', 'contract'],
      [3, 'idNumber', 'separate'],
    ])
    expect(errorOf(await call('history-user', 'consent', 'receipt', { recordId: idRecord?._id })).code).toBe('NOT_FOUND')
  })

  it('proves which version someone had accepted at a given time, from the ledger alone, and says when the chain is broken', async () => {
    const [admin, user] = ['prove-admin', 'prove-user']
    await makeAdmin(cloud, admin)
    await register(admin)
    await register(user)
    const v1 = await shownCurrent(cloud, 'privacy')
    const t1 = cloud.clock.now()
    cloud.clock.advance(2 * DAY)
    const v2 = await publish(cloud, 'prove-admin', { docId: 'privacy-policy', version: '2', announcedAt: cloud.clock.now(), effectiveAt: new Date(cloud.clock.now().getTime() + DAY) })
    cloud.clock.advance(3 * DAY)
    ok(await grant(cloud, user, ['privacy']))
    ok(await grant(cloud, admin, ['privacy']))
    const between = new Date(t1.getTime() + DAY)
    const prove = async (at: Date) =>
      ok<{ chain: { ok: boolean; firstBrokenSeq: number | null }; purposes: Array<{ purpose: string; state: string; version: string | null; hash: string | null }> }>(
        await call(admin, 'consent', 'prove', { openid: user, at: at.toISOString(), reason: '用户投诉核查' }),
      )

    const earlier = await prove(between)
    expect(earlier.chain).toEqual({ ok: true, records: 3, firstBrokenSeq: null })
    expect(earlier.purposes.find((p) => p.purpose === 'privacy')).toEqual(expect.objectContaining({ state: 'granted', version: '1', hash: v1.hash }))
    expect(earlier.purposes.find((p) => p.purpose === 'location')).toEqual(expect.objectContaining({ state: 'none', version: null }))
    const later = await prove(cloud.clock.now())
    expect(later.purposes.find((p) => p.purpose === 'privacy')).toEqual(expect.objectContaining({ version: '2', hash: v2.hash }))
    const before = await prove(new Date(t1.getTime() - DAY))
    expect(before.purposes.every((p) => p.state === 'none')).toBe(true)

    const audit = await cloud.store.collection<{ _id: string; target: string; reason: string }>('audit_logs').find({ action: 'prove', actorOpenid: admin }, { limit: 10 })
    expect(audit).toHaveLength(3)
    expect(audit.every((a) => a.target === user && a.reason === '用户投诉核查')).toBe(true)

    await cloud.store.collection('consent_records').update((await storedRecords(user))[0]?._id ?? '', { hash: v2.hash })
    expect((await prove(between)).chain).toEqual({ ok: false, records: 3, firstBrokenSeq: 1 })
    expect(errorOf(await call(user, 'consent', 'prove', { openid: user, at: between.toISOString(), reason: '看看自己' })).code).toBe('FORBIDDEN')
  })
})

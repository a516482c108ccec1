/**
 * Real-name verification through the real dispatcher, the real SDK and the
 * local database, with the sandbox provider (outcomes chosen by the name, see
 * docs/identity-providers.md).
 */
import type { AuditDoc } from '../../cloudfunctions/_core/audit'
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { blindIndex } from '../../cloudfunctions/_core/identity/crypto'
import { nameRefOf, type IdentityAttemptDoc, type IdentityDoc, type ImpersonationReportDoc } from '../../cloudfunctions/_core/identity/records'
import type { CompleteResult, IdentityStatus } from '../../shared/contract/identity'
import { ERROR_MESSAGES } from '../../shared/errors'
import { ID_NUMBER_PROBLEMS, checkCharacter, maskIdNumber } from '../../shared/rules/id-number'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { errorOf, grant, makeAdmin, ok, statusOf } from './helpers'

let cloud: TestCloud
const START = new Date('2026-03-02T02:00:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

/** A valid resident ID number (Dongcheng, Beijing) born on `date`; `seq` tells people apart. */
function idNumberOf(date: string, seq = '123'): string {
  const first17 = `110101${date.replaceAll('-', '')}${seq}`
  return `${first17}${checkCharacter(first17)}`
}

let serial = 0
/** A distinct adult ID number per call. */
function freshIdNumber(): string {
  serial += 1
  return idNumberOf('1990-01-01', String(100 + serial).padStart(3, '0'))
}

const call = (openid: string, action: string, input: unknown = {}) => cloud.call('identity', { action, input }, openid)
const identities = () => cloud.store.collection<IdentityDoc>('identities')
const attempts = () => cloud.store.collection<IdentityAttemptDoc>('identity_attempts')

/** Signed up, with the three separate consents real-name verification needs. */
async function ready(openid: string, birthDate = '1990-01-01'): Promise<void> {
  await acceptCurrentTerms(cloud, openid, { birthDate })
  ok(await grant(cloud, openid, ['idNumber', 'face', 'partnerSharing']))
}

interface Started {
  verificationId: string
  clientAction: { kind: string }
  expiresAt: string
}

async function start(openid: string, name: string, idNumber: string): Promise<Started> {
  return ok<Started>(await call(openid, 'start', { name, idNumber }))
}

async function verify(openid: string, name: string, idNumber: string): Promise<CompleteResult> {
  const { verificationId } = await start(openid, name, idNumber)
  return ok<CompleteResult>(await call(openid, 'complete', { verificationId }))
}

describe('a verification that passes', () => {
  const person = 'id-pass'
  const idNumber = idNumberOf('1988-07-15', '451')
  let started: Started
  let completed: CompleteResult

  beforeAll(async () => {
    await ready(person)
    started = await start(person, '张三丰', idNumber)
    completed = ok<CompleteResult>(await call(person, 'complete', { verificationId: started.verificationId }))
  })

  it('hands the client its next step and an expiry', () => {
    expect(started.clientAction.kind).toBe('sandbox')
    expect(new Date(started.expiresAt).getTime()).toBe(START.getTime() + 60 * 60 * 1000)
  })

  it('answers with the masked identity and marks the account verified with the birth date from the ID', async () => {
    expect(completed).toEqual({
      outcome: 'passed',
      identity: {
        maskedName: '张**',
        maskedIdNumber: '1***************' + idNumber.slice(-2),
        provider: 'sandbox',
        verifiedAt: START.toISOString(),
        birthDate: '1988-07-15',
        ageClass: 'adult',
      },
    })
    expect(await findAccount(cloud.store, person)).toMatchObject({ verifiedAt: START, birthDate: '1988-07-15', birthDateSource: 'verified' })
    const profile = ok<{ account: { verified: boolean }; pending: string[] }>(await cloud.call('account', { action: 'getProfile', input: {} }, person))
    expect(profile.account.verified).toBe(true)
    expect(profile.pending).not.toContain('realName')
  })

  it('keeps sealed values, the blind index and the verification facts, and nothing of the face', async () => {
    const doc = await identities().findOne({ openid: person })
    expect(Object.keys(doc ?? {}).sort()).toEqual(
      [
        '_id',
        'openid',
        'nameSealed',
        'idNumberSealed',
        'idIndex',
        'provider',
        'verificationId',
        'result',
        'providerCode',
        'verifiedAt',
        'birthDate',
        'maskedName',
        'maskedIdNumber',
        'nameRef',
      ].sort(),
    )
    // The verified name as a keyed reference only (cards compare their name with it for the 已实名 badge).
    expect(doc?.nameRef).toBe(nameRefOf(cloud.config, '张三丰'))
    expect(doc).toMatchObject({ maskedName: '张**', maskedIdNumber: maskIdNumber(idNumber) })
    expect(doc).toMatchObject({ provider: 'sandbox', verificationId: started.verificationId, result: 'passed', providerCode: 'sandbox:pass' })
    expect(doc?.nameSealed.kid).toBe('INSECURE-DEV-ONLY')
    expect(doc?.idIndex).toBe(blindIndex(cloud.config.identity!.blindIndex, idNumber))
    expect(JSON.stringify(doc)).not.toContain(idNumber)
    expect(JSON.stringify(doc)).not.toContain('张三丰')
    // The attempt is settled and no longer holds the sealed subject.
    expect(await attempts().findOne({ verificationId: started.verificationId })).toMatchObject({ usedAt: START, result: 'passed', subject: null })
  })

  it('shows its owner the masked status, never the plain values', async () => {
    const status = ok<IdentityStatus>(await call(person, 'status'))
    expect(status).toMatchObject({ state: 'verified', pending: null, identity: { maskedName: '张**', birthDate: '1988-07-15' } })
    expect(status.attempts).toEqual({ limit: 5, remaining: 4, retryAt: null })
    expect(JSON.stringify(status)).not.toContain(idNumber)
    expect(JSON.stringify(status)).not.toContain('三丰')
  })

  it('uses a verification id once', async () => {
    const again = errorOf(await call(person, 'complete', { verificationId: started.verificationId }))
    expect(again.code).toBe('VERIFICATION_USED')
    expect(again.message).toBe(ERROR_MESSAGES.VERIFICATION_USED)
  })

  it('refuses a second verification of a verified account', async () => {
    expect(errorOf(await call(person, 'start', { name: '张三丰', idNumber })).code).toBe('ALREADY_VERIFIED')
  })

  it('does not know verification ids of other people, nor made-up ones', async () => {
    await ready('id-other')
    expect(errorOf(await call('id-other', 'complete', { verificationId: started.verificationId })).code).toBe('NOT_FOUND')
    expect(errorOf(await call('id-other', 'complete', { verificationId: 'sbx.pass.1.000000000000000000000000' })).code).toBe('NOT_FOUND')
  })
})

describe('verifications that fail', () => {
  beforeAll(async () => {
    await ready('id-fail')
  })

  it.each([
    ['张沙箱不符', '姓名与身份证号不一致'],
    ['李沙箱非本人', '人脸与身份证照片比对未通过'],
    ['王沙箱取消', '取消'],
  ])('%s: a clear reason, no identity, the attempt used up', async (name, reason) => {
    const { verificationId } = await start('id-fail', name, freshIdNumber())
    const result = ok<CompleteResult>(await call('id-fail', 'complete', { verificationId }))
    expect(result.outcome).toBe('failed')
    if (result.outcome === 'failed') expect(result.reason).toContain(reason)
    expect(await identities().count({ openid: 'id-fail' })).toBe(0)
    expect((await findAccount(cloud.store, 'id-fail'))?.verifiedAt).toBeNull()
    expect(errorOf(await call('id-fail', 'complete', { verificationId })).code).toBe('VERIFICATION_USED')
  })

  it('a provider outage is a retryable refusal that leaves the attempt open', async () => {
    const { verificationId } = await start('id-fail', '赵沙箱故障', freshIdNumber())
    const refused = errorOf(await call('id-fail', 'complete', { verificationId }))
    expect(refused.code).toBe('IDENTITY_SERVICE_UNAVAILABLE')
    expect(await attempts().findOne({ verificationId })).toMatchObject({ usedAt: null })
    expect(ok<IdentityStatus>(await call('id-fail', 'status')).pending?.verificationId).toBe(verificationId)
  })
})

describe('a pending result', () => {
  it('tells the client to ask again, then passes', async () => {
    await ready('id-wait')
    const { verificationId } = await start('id-wait', '钱沙箱等待', freshIdNumber())
    const first = ok<CompleteResult>(await call('id-wait', 'complete', { verificationId }))
    expect(first).toMatchObject({ outcome: 'pending', retryAfterSeconds: 3 })
    expect(ok<IdentityStatus>(await call('id-wait', 'status'))).toMatchObject({ state: 'pending', pending: { verificationId, provider: 'sandbox' } })
    expect((await findAccount(cloud.store, 'id-wait'))?.verifiedAt).toBeNull()
    cloud.clock.advance(5000)
    expect(ok<CompleteResult>(await call('id-wait', 'complete', { verificationId })).outcome).toBe('passed')
  })

  it('expires: after its lifetime it cannot be completed', async () => {
    await ready('id-late')
    const { verificationId, expiresAt } = await start('id-late', '孙沙箱等待', freshIdNumber())
    cloud.clock.set(new Date(expiresAt))
    expect(errorOf(await call('id-late', 'complete', { verificationId })).code).toBe('VERIFICATION_EXPIRED')
    expect(ok<IdentityStatus>(await call('id-late', 'status'))).toMatchObject({ state: 'unverified', pending: null })
  })
})

describe('the separate consents', () => {
  it('are all required before anything is sent to the provider, each one named', async () => {
    await acceptCurrentTerms(cloud, 'id-noconsent')
    const none = errorOf(await call('id-noconsent', 'start', { name: '周星', idNumber: freshIdNumber() }))
    expect(none.code).toBe('CONSENT_REQUIRED')
    expect(none.issues?.map((issue) => issue.path)).toEqual(['consents.idNumber', 'consents.face', 'consents.partnerSharing'])
    expect(none.message).toContain('处理身份证号')

    ok(await grant(cloud, 'id-noconsent', ['idNumber']))
    const some = errorOf(await call('id-noconsent', 'start', { name: '周星', idNumber: freshIdNumber() }))
    expect(some.issues?.map((issue) => issue.path)).toEqual(['consents.face', 'consents.partnerSharing'])
    expect(some.message).toContain('人脸核验')
    expect(some.message).toContain('向实名核验服务商提供信息')
    expect(await attempts().count({ openid: 'id-noconsent' })).toBe(0)
    expect(ok<IdentityStatus>(await call('id-noconsent', 'status')).attempts.remaining).toBe(5)
  })

  it('withdrawn between start and complete: nothing is stored', async () => {
    await ready('id-withdraw-mid')
    const { verificationId } = await start('id-withdraw-mid', '吴用', freshIdNumber())
    ok(await cloud.call('consent', { action: 'withdraw', input: { purpose: 'face' } }, 'id-withdraw-mid'))
    // The withdrawal removed the pending verification with its sealed name and ID number.
    expect(await attempts().count({ openid: 'id-withdraw-mid' })).toBe(0)
    expect(errorOf(await call('id-withdraw-mid', 'complete', { verificationId })).code).toBe('NOT_FOUND')
  })

  it('withdrawn after verification: the identity is deleted and the account is no longer verified', async () => {
    await ready('id-withdraw')
    expect((await verify('id-withdraw', '郑和', freshIdNumber())).outcome).toBe('passed')
    const reply = ok<{ effect: string }>(await cloud.call('consent', { action: 'withdraw', input: { purpose: 'partnerSharing' } }, 'id-withdraw'))
    expect(reply.effect).toContain('已删除你的实名信息')
    expect(await identities().count({ openid: 'id-withdraw' })).toBe(0)
    expect(await attempts().count({ openid: 'id-withdraw' })).toBe(0)
    expect((await findAccount(cloud.store, 'id-withdraw'))?.verifiedAt).toBeNull()
    expect(ok<IdentityStatus>(await call('id-withdraw', 'status'))).toMatchObject({ state: 'unverified', identity: null })
  })
})

describe('checking the input', () => {
  beforeAll(async () => {
    await ready('id-input')
  })

  /** 17 digits with the right check character, so only the intended problem shows. */
  const withCheck = (first17: string) => `${first17}${checkCharacter(first17)}`
  const good = idNumberOf('1990-01-01', '321')
  const cases: Array<[keyof typeof ID_NUMBER_PROBLEMS, string]> = [
    ['shape', '11010119900101'],
    ['region', withCheck('00010119900101321')],
    ['birthDate', withCheck('11010119900231321')],
    ['future', withCheck('11010120270101321')],
    ['checkDigit', `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`],
  ]

  it.each(cases)('an ID number with a %s problem is a field issue, and costs no attempt', async (problem, idNumber) => {
    const refused = errorOf(await call('id-input', 'start', { name: '冯唐', idNumber }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues).toEqual([{ path: 'idNumber', message: ID_NUMBER_PROBLEMS[problem] }])
    expect(ok<IdentityStatus>(await call('id-input', 'status')).attempts.remaining).toBe(5)
  })

  it('accepts a lower-case x and surrounding spaces in the ID number', async () => {
    const seq = ['010', '011', '012', '013', '014', '015', '016', '017', '018', '019', '020'].find((s) => idNumberOf('1991-01-01', s).endsWith('X'))
    const upper = idNumberOf('1991-01-01', seq)
    expect(upper.endsWith('X')).toBe(true)
    const { verificationId } = await start('id-input', ' 陈 小·明 ', ` ${upper.toLowerCase()} `)
    expect(ok<CompleteResult>(await call('id-input', 'complete', { verificationId })).outcome).toBe('passed')
    const doc = await identities().findOne({ openid: 'id-input' })
    expect(doc?.idIndex).toBe(blindIndex(cloud.config.identity!.blindIndex, upper))
  })

  it.each([['Zhang San'], ['张'], ['张三3'], ['张\u200b三'], ['·张三']])('refuses the name %j as a field issue', async (name) => {
    const refused = errorOf(await call('id-input', 'start', { name, idNumber: good }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('name')
  })
})

describe('the start limit', () => {
  it('allows five starts per 24 hours, then says when to retry', async () => {
    await ready('id-limit')
    const first = cloud.clock.now()
    for (let i = 0; i < 5; i++) await start('id-limit', '卫青', freshIdNumber())
    cloud.clock.advance(3600 * 1000)
    const refused = errorOf(await call('id-limit', 'start', { name: '卫青', idNumber: freshIdNumber() }))
    expect(refused.code).toBe('RATE_LIMITED')
    const retryAt = new Date(first.getTime() + 24 * 3600 * 1000)
    expect(refused.retryAt).toBe(retryAt.toISOString())
    expect(refused.message).toContain('最多发起 5 次')
    expect(ok<IdentityStatus>(await call('id-limit', 'status')).attempts).toEqual({ limit: 5, remaining: 0, retryAt: retryAt.toISOString() })
    // A refused start leaves no attempt behind.
    expect(await attempts().count({ openid: 'id-limit' })).toBe(5)

    cloud.clock.set(retryAt)
    await start('id-limit', '卫青', freshIdNumber())
    expect(ok<IdentityStatus>(await call('id-limit', 'status')).attempts.remaining).toBe(4)
  })

  it('holds under concurrent starts: exactly five of twelve get through', async () => {
    await ready('id-burst')
    const replies = await Promise.all(Array.from({ length: 12 }, () => call('id-burst', 'start', { name: '霍去病', idNumber: freshIdNumber() })))
    expect(replies.filter((r) => r.ok)).toHaveLength(5)
    expect(replies.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(Array(7).fill('RATE_LIMITED'))
    expect(await attempts().count({ openid: 'id-burst' })).toBe(5)
  })
})

describe('one person, one account', () => {
  const shared = idNumberOf('1985-11-30', '777')

  it('refuses a second account presenting a verified ID, only after its face check, and offers the report', async () => {
    await ready('id-holder')
    await ready('id-claimant')
    expect((await verify('id-holder', '林冲', shared)).outcome).toBe('passed')
    // Starting does not reveal that the ID is taken.
    const { verificationId } = await start('id-claimant', '林冲', shared)
    const refused = errorOf(await call('id-claimant', 'complete', { verificationId }))
    expect(refused.code).toBe('ID_ALREADY_BOUND')
    expect(refused.message).toContain('一个人只能实名认证一个账号')
    expect(refused.message).toContain('申诉')
    expect(await identities().count({ openid: 'id-claimant' })).toBe(0)
    expect(await findAccount(cloud.store, 'id-claimant')).toMatchObject({ verifiedAt: null, birthDateSource: 'declared' })
    expect(await attempts().findOne({ verificationId })).toMatchObject({ result: 'bound', boundTo: 'id-holder', subject: null })

    const report = ok<{ reportId: string; created: boolean }>(
      await call('id-claimant', 'reportImpersonation', { verificationId, reason: '我本人从未注册过另一个账号，怀疑身份证被盗用' }),
    )
    expect(report.created).toBe(true)
    const queued = await cloud.store.collection<ImpersonationReportDoc>('impersonation_reports').byId(report.reportId)
    expect(queued).toMatchObject({ reporter: 'id-claimant', holder: 'id-holder', verificationId, status: 'open', reason: '我本人从未注册过另一个账号，怀疑身份证被盗用' })
    const inbox = await cloud.store.collection('inbox_messages').find({ recipient: 'id-claimant' }, { limit: 10 })
    expect(inbox.map((m) => (m as unknown as { title: string }).title)).toContain('已收到你的冒用申诉')
    // The holder is not tipped off.
    expect(await cloud.store.collection('inbox_messages').count({ recipient: 'id-holder', title: '已收到你的冒用申诉' })).toBe(0)

    const again = ok<{ reportId: string; created: boolean }>(await call('id-claimant', 'reportImpersonation', { verificationId, reason: '再次提交同一份申诉' }))
    expect(again).toMatchObject({ reportId: report.reportId, created: false })
  })

  it('takes reports only for verifications refused because the ID was bound, and only from their owner', async () => {
    const bound = await attempts().findOne({ openid: 'id-claimant', result: 'bound' })
    const reason = { reason: '这是我的身份证' }
    expect(errorOf(await call('id-holder', 'reportImpersonation', { verificationId: bound?.verificationId, ...reason })).code).toBe('NOT_FOUND')
    const passed = await attempts().findOne({ openid: 'id-holder', result: 'passed' })
    expect(errorOf(await call('id-holder', 'reportImpersonation', { verificationId: passed?.verificationId, ...reason })).code).toBe('NOT_FOUND')
    expect(errorOf(await call('id-claimant', 'reportImpersonation', { verificationId: bound?.verificationId, reason: '短' })).code).toBe('INVALID_INPUT')
  })

  it('two accounts completing the same ID at once: exactly one wins, nothing half-written', async () => {
    const idNumber = idNumberOf('1979-04-04', '888')
    const people = ['id-race-a', 'id-race-b']
    for (const person of people) await ready(person)
    const ids = await Promise.all(people.map(async (person) => (await start(person, '鲁智深', idNumber)).verificationId))
    const replies = await Promise.all(people.map((person, i) => call(person, 'complete', { verificationId: ids[i] })))
    const winners = replies.filter((r) => r.ok)
    expect(winners).toHaveLength(1)
    expect(replies.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(['ID_ALREADY_BOUND'])
    await expectOneHolder(idNumber, people)
  })

  it('many concurrent completes of one ID by several accounts, each repeating its own: one identity, one verified account', async () => {
    const idNumber = idNumberOf('1979-04-04', '999')
    const people = Array.from({ length: 6 }, (_, i) => `id-swarm-${i}`)
    for (const person of people) await ready(person)
    const ids = await Promise.all(people.map(async (person) => (await start(person, '武松', idNumber)).verificationId))
    const calls = people.flatMap((person, i) => Array.from({ length: 4 }, () => call(person, 'complete', { verificationId: ids[i] })))
    const replies = await Promise.all(calls)
    expect(replies.filter((r) => r.ok)).toHaveLength(1)
    const codes = new Set(replies.filter((r) => !r.ok).map((r) => errorOf(r).code))
    for (const code of codes) expect(['ID_ALREADY_BOUND', 'VERIFICATION_USED', 'ALREADY_VERIFIED']).toContain(code)
    expect(replies.filter((r) => !r.ok && errorOf(r).code === 'ID_ALREADY_BOUND')).toHaveLength(5)
    await expectOneHolder(idNumber, people)
  })

  async function expectOneHolder(idNumber: string, people: string[]): Promise<void> {
    const idIndex = blindIndex(cloud.config.identity!.blindIndex, idNumber)
    const holders = await identities().find({ idIndex }, { limit: 10 })
    expect(holders).toHaveLength(1)
    const verified = []
    for (const person of people) {
      const account = await findAccount(cloud.store, person)
      if (account?.verifiedAt) verified.push(person)
      // Losers keep their declared birth date: nothing of the ID reached their account.
      else expect(account?.birthDateSource).toBe('declared')
      if (person !== holders[0]?.openid) expect(await identities().count({ openid: person })).toBe(0)
    }
    expect(verified).toEqual([holders[0]?.openid])
  }
})

describe('a run interrupted between storing the identity and marking the account', () => {
  /** What a function timeout right after the identity insert leaves: an identity, an unverified account. */
  async function interruptedVerification(openid: string, idNumber: string): Promise<void> {
    await ready(openid)
    expect((await verify(openid, '杨志', idNumber)).outcome).toBe('passed')
    const account = await findAccount(cloud.store, openid)
    await cloud.store.collection('accounts').update(account?._id ?? '', { verifiedAt: null, birthDateSource: 'declared', birthDate: '1990-01-01' })
  }

  it('is finished by verifying the same ID again', async () => {
    const idNumber = idNumberOf('1982-08-08', '531')
    await interruptedVerification('id-orphan-same', idNumber)
    expect((await verify('id-orphan-same', '杨志', idNumber)).outcome).toBe('passed')
    expect(await findAccount(cloud.store, 'id-orphan-same')).toMatchObject({ birthDate: '1982-08-08', birthDateSource: 'verified' })
    expect(await identities().count({ openid: 'id-orphan-same' })).toBe(1)
  })

  it('does not block the account: a stale leftover gives way to a new verification', async () => {
    await interruptedVerification('id-orphan-other', idNumberOf('1982-08-08', '642'))
    const { verificationId } = await start('id-orphan-other', '杨志', idNumberOf('1983-09-09', '642'))
    // Moments later the leftover might be a concurrent run still finishing: refused.
    expect(errorOf(await call('id-orphan-other', 'complete', { verificationId })).code).toBe('ALREADY_VERIFIED')
    cloud.clock.advance(11 * 60 * 1000)
    expect((await verify('id-orphan-other', '杨志', idNumberOf('1983-09-09', '642'))).outcome).toBe('passed')
    const docs = await identities().find({ openid: 'id-orphan-other' }, { limit: 10 })
    expect(docs.map((d) => d.birthDate)).toEqual(['1983-09-09'])
  })
})

describe('the admin reveal', () => {
  const subject = 'id-revealed'
  const idNumber = idNumberOf('1970-02-03', '246')

  beforeAll(async () => {
    await ready(subject)
    expect((await verify(subject, '宋江', idNumber)).outcome).toBe('passed')
    await makeAdmin(cloud, 'id-admin')
    await acceptCurrentTerms(cloud, 'id-admin')
  })

  it('gives staff the plain values with a stated reason, and the audit names the person and the reason', async () => {
    const reason = '公安机关协助调查函（2026）第 15 号'
    const revealed = ok<{ name: string; idNumber: string; openid: string }>(await call('id-admin', 'reveal', { openid: subject, reason }))
    expect(revealed).toMatchObject({ openid: subject, name: '宋江', idNumber, provider: 'sandbox' })
    const audit = await cloud.store.collection('audit_logs').findOne({ fn: 'identity', action: 'reveal', actorOpenid: 'id-admin' })
    // `subject` is what the person's own access log reads.
    expect(audit).toMatchObject({ target: subject, subject, reason, outcome: 'ok' })
    expect(JSON.stringify(audit)).not.toContain(idNumber)
  })

  it('refuses without a reason, to people who are not admins, and for accounts without an identity', async () => {
    expect(errorOf(await call('id-admin', 'reveal', { openid: subject })).code).toBe('INVALID_INPUT')
    expect(errorOf(await call('id-admin', 'reveal', { openid: subject, reason: '看看' })).code).toBe('INVALID_INPUT')
    expect(errorOf(await call(subject, 'reveal', { openid: subject, reason: '想看看我自己的身份证号码' })).code).toBe('FORBIDDEN')
    expect(errorOf(await call('id-admin', 'reveal', { openid: 'nobody-here', reason: '公安机关协助调查函（2026）第 16 号' })).code).toBe('NOT_FOUND')
    const refusals = await cloud.store.collection<AuditDoc>('audit_logs').find({ fn: 'identity', action: 'reveal', outcome: 'refused' }, { limit: 10 })
    // The admin's refused look-up is on record; a caller who is not staff never reached the action and wrote nothing.
    expect(refusals.map((r) => r.actorOpenid)).toEqual(['id-admin'])
  })
})

describe('minors', () => {
  it('a verified ID under 14 overrides a declared adult birth date: the guardian must then consent', async () => {
    const child = 'id-child'
    await ready(child, '2000-01-01')
    const result = await verify(child, '小明', idNumberOf('2015-06-01', '135'))
    expect(result).toMatchObject({ outcome: 'passed', identity: { birthDate: '2015-06-01', ageClass: 'under14' } })
    expect(await findAccount(cloud.store, child)).toMatchObject({ birthDate: '2015-06-01', birthDateSource: 'verified' })

    expect(errorOf(await cloud.call('account', { action: 'getProfile', input: {} }, child)).code).toBe('GUARDIAN_CONSENT_REQUIRED')
    expect(await statusOf(cloud, child)).toMatchObject({ ageClass: 'under14', blocked: 'GUARDIAN_CONSENT_REQUIRED' })

    const guardian = { relation: 'mother', name: '李红', idNumber: idNumberOf('1985-03-03', '246') }
    ok(await grant(cloud, child, ['terms', 'privacy', 'childrenRules'], { method: 'guardian', guardian }))
    ok(await cloud.call('account', { action: 'getProfile', input: {} }, child))
  })

  it('a child declared under 14 starts only with the guardian’s separate consents', async () => {
    const child = 'id-child-2'
    ok(await cloud.call('account', { action: 'login', input: {} }, child))
    const guardian = { relation: 'father', name: '张大山', idNumber: idNumberOf('1980-01-01', '357') }
    ok(await grant(cloud, child, ['terms', 'privacy', 'childrenRules'], { method: 'guardian', guardian, declaredBirthDate: '2016-01-01' }))
    const refused = errorOf(await call(child, 'start', { name: '张小山', idNumber: idNumberOf('2016-01-01', '468') }))
    expect(refused.code).toBe('CONSENT_REQUIRED')
    ok(await grant(cloud, child, ['idNumber', 'face', 'partnerSharing'], { method: 'guardian', guardian }))
    expect((await verify(child, '张小山', idNumberOf('2016-01-01', '468'))).outcome).toBe('passed')
    ok(await cloud.call('account', { action: 'getProfile', input: {} }, child))
  })
})

describe('the local demo data', () => {
  it('gives the accounts seeded as verified a sealed demo identity, once', async () => {
    const { seedDemoData } = await import('../../local/seed')
    await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)
    await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)
    expect(await identities().count({ openid: 'dev-alice' })).toBe(1)
    expect(await identities().count({ openid: 'dev-bob' })).toBe(0)
    expect(await findAccount(cloud.store, 'dev-alice')).toMatchObject({ birthDate: '1990-05-12', birthDateSource: 'verified' })
    const status = ok<IdentityStatus>(await call('dev-alice', 'status'))
    expect(status).toMatchObject({ state: 'verified', identity: { maskedName: '张**', birthDate: '1990-05-12', provider: 'sandbox' } })
  })
})

describe('the daily purge', () => {
  it('drops the sealed subject of expired verifications at once and the verifications themselves after 30 days', async () => {
    await ready('id-purge')
    const { verificationId } = await start('id-purge', '花荣', freshIdNumber())
    expect((await attempts().findOne({ verificationId }))?.subject).not.toBeNull()
    ok(await cloud.gateway.fireTimer('identity', 'purgeAttempts'))
    expect((await attempts().findOne({ verificationId }))?.subject).not.toBeNull()
    cloud.clock.advance(61 * 60 * 1000)
    ok(await cloud.gateway.fireTimer('identity', 'purgeAttempts'))
    expect(await attempts().findOne({ verificationId })).toMatchObject({ subject: null, usedAt: null })
    cloud.clock.advance(30 * 24 * 3600 * 1000)
    ok(await cloud.gateway.fireTimer('identity', 'purgeAttempts'))
    expect(await attempts().count({ verificationId })).toBe(0)
  })

  it('is refused to callers: a user cannot forge the timer event', async () => {
    expect(errorOf(await cloud.call('identity', { Type: 'Timer', TriggerName: 'purgeAttempts' }, 'id-purge')).code).toBe('INVALID_REQUEST')
  })
})

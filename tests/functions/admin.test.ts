/**
 * Staff views and the person's transparency view: every staff look at personal
 * data carries a reason, is audited, and shows in the person's access log by
 * role (never by name). Correction requests for locked fields.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import type { AuditDoc } from '../../cloudfunctions/_core/audit'
import { ensureTestDocuments, freshTestIdNumber, startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { AccessLogEntry, CorrectionView } from '../../shared/contract/account'
import type { StaffAccountView, StaffCorrectionView } from '../../shared/contract/admin'
import { errorOf, grant, ok } from './helpers'
import { idNumberOf, inbox, makeStaff, signUp, stored } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-04-06T02:00:00.000Z')
const REVIEWER = 'adm-reviewer'
const ADMIN = 'adm-admin'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
  await makeStaff(cloud, REVIEWER, 'reviewer')
  await makeStaff(cloud, ADMIN, 'admin')
})
afterAll(async () => {
  await cloud.close()
})

const account = (openid: string, action: string, input: unknown = {}) => cloud.call('account', { action, input }, openid)
const admin = (openid: string, action: string, input: unknown) => cloud.call('admin', { action, input }, openid)

interface LogPage {
  entries: AccessLogEntry[]
  nextCursor: string | null
}

describe('admin.getAccount', () => {
  it('shows staff a masked view, requires a reason, and audits the look with the person as subject', async () => {
    const person = await signUp(cloud, 'adm-viewed')
    expect(errorOf(await admin(REVIEWER, 'getAccount', { accountId: person._id })).code).toBe('INVALID_INPUT')
    const view = ok<{ account: StaffAccountView }>(await admin(REVIEWER, 'getAccount', { accountId: person._id, reason: '处理举报：疑似广告' })).account
    expect(view).toMatchObject({ id: person._id, maskedBirthDate: '1990-**-**', ageClass: 'adult', verified: false, lifecycle: { state: 'active' } })
    expect(JSON.stringify(view)).not.toContain('adm-viewed')
    expect(JSON.stringify(view)).not.toContain('1990-01-01')

    const audit = await cloud.store.collection<AuditDoc>('audit_logs').findOne({ actorOpenid: REVIEWER, action: 'getAccount' }, [['createdAt', 'desc']])
    expect(audit).toMatchObject({ fn: 'admin', outcome: 'ok', subject: 'adm-viewed', target: person._id, reason: '处理举报：疑似广告', actorRole: 'reviewer' })
  })

  it('is refused to ordinary users, and unknown accounts are NOT_FOUND', async () => {
    const person = await signUp(cloud, 'adm-nosy')
    expect(errorOf(await admin('adm-nosy', 'getAccount', { accountId: person._id, reason: '想看看别人的资料' })).code).toBe('FORBIDDEN')
    expect(errorOf(await admin(REVIEWER, 'getAccount', { accountId: 'missing-account', reason: '查看不存在的账号' })).code).toBe('NOT_FOUND')
  })
})

describe('account.accessLog', () => {
  const person = 'adm-subject'

  beforeAll(async () => {
    const target = await signUp(cloud, person)
    ok(await grant(cloud, person, ['idNumber', 'face', 'partnerSharing']))
    const { verificationId } = ok<{ verificationId: string }>(
      await cloud.call('identity', { action: 'start', input: { name: '钱多多', idNumber: idNumberOf('1991-03-04', '271') } }, person),
    )
    ok(await cloud.call('identity', { action: 'complete', input: { verificationId } }, person))
    cloud.clock.advance(60_000)
    ok(await admin(REVIEWER, 'getAccount', { accountId: target._id, reason: '处理举报：名片信息不实' }))
    cloud.clock.advance(60_000)
    ok(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '名片信息不实，限制发布', until: new Date(cloud.clock.now().getTime() + 86_400_000).toISOString(), features: ['publish'] }))
    cloud.clock.advance(60_000)
    ok(await cloud.call('identity', { action: 'reveal', input: { openid: person, reason: '公安机关协助调查函（2026）第12号' } }, ADMIN))
    cloud.clock.advance(60_000)
    ok(await cloud.call('consent', { action: 'prove', input: { openid: person, at: cloud.clock.now().toISOString(), reason: '用户投诉举证' } }, ADMIN))
    // A refused staff call looked at nothing and is not shown.
    expect(errorOf(await admin(REVIEWER, 'transition', { accountId: target._id, transition: 'terminate', category: 'spam', rule: 'harassment', reason: '审核员越权终止' })).code).toBe('FORBIDDEN')
    // Someone else's log entries are not mine.
    const other = await signUp(cloud, 'adm-other')
    ok(await admin(REVIEWER, 'getAccount', { accountId: other._id, reason: '处理另一条举报' }))
  })

  it('shows me who (by role) saw or acted on my data, what, when and why — newest first, never their identity', async () => {
    const page = ok<LogPage>(await account(person, 'accessLog', {}))
    expect(page.entries.map((e) => [e.role, e.roleLabel, e.action, e.actionLabel, e.reason])).toEqual([
      ['admin', '管理员', 'consent.prove', '调取了你的同意记录', '用户投诉举证'],
      ['admin', '管理员', 'identity.reveal', '查看了你的实名信息原文', '公安机关协助调查函（2026）第12号'],
      ['admin', '管理员', 'admin.transition', '处理了你的账号状态：限制部分功能', '名片信息不实，限制发布'],
      ['reviewer', '审核员', 'admin.getAccount', '查看了你的账号资料', '处理举报：名片信息不实'],
    ])
    const text = JSON.stringify(page)
    expect(text).not.toContain(REVIEWER)
    expect(text).not.toContain(ADMIN)
    expect(page.nextCursor).toBeNull()
  })

  it('pages', async () => {
    const first = ok<LogPage>(await account(person, 'accessLog', { limit: 3 }))
    expect(first.entries).toHaveLength(3)
    expect(first.nextCursor).not.toBeNull()
    const second = ok<LogPage>(await account(person, 'accessLog', { limit: 3, cursor: first.nextCursor }))
    expect(second.entries.map((e) => e.action)).toEqual(['admin.getAccount'])
    expect(second.nextCursor).toBeNull()
  })

  it('is reachable whatever state the account is in', async () => {
    // The restriction above leaves the account usable; a suspension must not hide the log either.
    const target = await stored(cloud, person)
    cloud.clock.advance(60_000)
    ok(await admin(ADMIN, 'transition', { accountId: target._id, transition: 'suspend', category: 'spam', rule: 'harassment', reason: '再次违规，暂停三天', until: new Date(cloud.clock.now().getTime() + 3 * 86_400_000).toISOString() }))
    expect(errorOf(await account(person, 'getProfile')).code).toBe('ACCOUNT_UNAVAILABLE')
    expect(ok<LogPage>(await account(person, 'accessLog', {})).entries[0]?.actionLabel).toBe('处理了你的账号状态：暂停使用')
  })
})

describe('correction requests', () => {
  it('queue a locked field for staff, one open request per field', async () => {
    await signUp(cloud, 'adm-correct')
    const first = ok<{ request: CorrectionView }>(await account('adm-correct', 'requestCorrection', { field: 'birthDate', note: '出生日期填错了，应为1991-01-01' }))
    expect(first.request).toMatchObject({ field: 'birthDate', status: 'open', resolution: null })
    expect(errorOf(await account('adm-correct', 'requestCorrection', { field: 'birthDate', note: '再提交一次出生日期' })).code).toBe('CORRECTION_PENDING')
    cloud.clock.advance(60_000)
    ok(await account('adm-correct', 'requestCorrection', { field: 'realName', note: '名字里有一个字写错了' }))
    expect(errorOf(await account('adm-correct', 'requestCorrection', { field: 'nickname', note: '昵称不是锁定字段' })).code).toBe('INVALID_INPUT')

    const queue = ok<{ requests: StaffCorrectionView[]; nextCursor: string | null }>(await admin(REVIEWER, 'listCorrections', { limit: 1 }))
    expect(queue.requests).toHaveLength(1)
    const rest = ok<{ requests: StaffCorrectionView[] }>(await admin(REVIEWER, 'listCorrections', { cursor: queue.nextCursor }))
    const accountId = (await stored(cloud, 'adm-correct'))._id
    const mine = [...queue.requests, ...rest.requests].filter((r) => r.accountId === accountId)
    expect(mine.map((r) => r.field)).toEqual(['birthDate', 'realName'])
    expect(mine[0]?.id).toBe(first.request.id)
    expect(errorOf(await admin('adm-correct', 'listCorrections', {})).code).toBe('FORBIDDEN')
  })

  it('resolving one with a reason updates a declared birth date, tells the person, and cannot be done twice', async () => {
    const { requests } = ok<{ requests: CorrectionView[] }>(await account('adm-correct', 'corrections'))
    const request = requests.find((r) => r.field === 'birthDate')
    const nameRequest = requests.find((r) => r.field === 'realName')
    if (!request || !nameRequest) throw new Error('requests missing')
    expect(errorOf(await admin(REVIEWER, 'resolveCorrection', { requestId: nameRequest.id, decision: 'accepted', reason: '核实无误', correctedBirthDate: '1991-01-01' })).code).toBe('INVALID_INPUT')

    const resolved = ok<{ request: StaffCorrectionView }>(
      await admin(REVIEWER, 'resolveCorrection', { requestId: request.id, decision: 'accepted', reason: '已核对户口本照片', correctedBirthDate: '1991-01-01' }),
    ).request
    expect(resolved).toMatchObject({ status: 'accepted', resolution: '已核对户口本照片' })
    expect(await stored(cloud, 'adm-correct')).toMatchObject({ birthDate: '1991-01-01', birthDateSource: 'declared' })
    const message = (await inbox(cloud, 'adm-correct')).find((m) => m.title === '「出生日期」更正申请已通过')
    expect(message?.body).toContain('已核对户口本照片')
    expect(errorOf(await admin(ADMIN, 'resolveCorrection', { requestId: request.id, decision: 'rejected', reason: '重复处理测试' })).code).toBe('CORRECTION_RESOLVED')
    // Resolved, the field can be asked about again.
    ok(await account('adm-correct', 'requestCorrection', { field: 'birthDate', note: '还是有问题，再次申请' }))
    // The person sees the decision in their access log.
    expect(ok<LogPage>(await account('adm-correct', 'accessLog', {})).entries.map((e) => e.actionLabel)).toContain('处理了你的信息更正申请')
  })

  it('an accepted name correction of a verified person removes the wrong identity so they can verify again', async () => {
    await verifiedPublisher(cloud, 'adm-rename', { name: '张错字' })
    const { request } = ok<{ request: CorrectionView }>(await account('adm-rename', 'requestCorrection', { field: 'realName', note: '认证时名字打错了一个字' }))
    ok(await admin(ADMIN, 'resolveCorrection', { requestId: request.id, decision: 'accepted', reason: '已核对身份证照片，同意重新认证' }))
    expect((await stored(cloud, 'adm-rename')).verifiedAt).toBeNull()
    expect(await cloud.store.collection('identities').count({ openid: 'adm-rename' })).toBe(0)
    const message = (await inbox(cloud, 'adm-rename')).find((m) => m.title === '「真实姓名」更正申请已通过')
    expect(message?.body).toContain('重新完成实名认证')
    // The person verifies again with the right name.
    const { verificationId } = ok<{ verificationId: string }>(
      await cloud.call('identity', { action: 'start', input: { name: '张对字', idNumber: freshTestIdNumber() } }, 'adm-rename'),
    )
    expect(ok<{ outcome: string }>(await cloud.call('identity', { action: 'complete', input: { verificationId } }, 'adm-rename')).outcome).toBe('passed')
  })

  it('does not change a birth date read from a verified ID number', async () => {
    await signUp(cloud, 'adm-verified-correct')
    const me = await stored(cloud, 'adm-verified-correct')
    await accounts(cloud.store).update(me._id, { birthDateSource: 'verified', verifiedAt: new Date() })
    const { request } = ok<{ request: CorrectionView }>(await account('adm-verified-correct', 'requestCorrection', { field: 'birthDate', note: '身份证上的日期和实际不同' }))
    const refused = errorOf(await admin(ADMIN, 'resolveCorrection', { requestId: request.id, decision: 'accepted', reason: '核实后同意', correctedBirthDate: '1990-02-02' }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect((await stored(cloud, 'adm-verified-correct')).birthDate).toBe('1990-01-01')
  })
})

/**
 * 实名认证 (packageAccount/pages/verify/index) against the real backend with the
 * sandbox identity provider (outcomes chosen by the name: 沙箱不符, 沙箱等待 …):
 * the separate consents, the form with its instant ID-number check, start →
 * sandbox → complete, pending results, failures, the impersonation report, the
 * start limit, and the re-check mode that hands its pass back to the opener.
 */
import simulate from 'miniprogram-simulate'
import { PURPOSE_STATE_LABELS, type PurposeId } from '../../shared/consent'
import type { ImpersonationReportDoc } from '../../cloudfunctions/_core/identity/records'
import { ID_NUMBER_PROBLEMS, checkCharacter } from '../../shared/rules/id-number'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { attrOf, load, renderedTags, tap, textOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const VERIFY_PURPOSES: PurposeId[] = ['idNumber', 'face', 'partnerSharing']

let backend: Backend
let openid = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const navigateBack = jest.fn((_options?: { delta?: number }) => undefined)
const redirectTo = jest.fn((_options: { url: string }) => undefined)
const setNavigationBarTitle = jest.fn((_options: { title: string }) => undefined)

const pageId = load('packageAccount/pages/verify/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, navigateBack, redirectTo, setNavigationBarTitle })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(async () => {
  seq += 1
  openid = `verify-user-${seq}`
  backend.signIn(openid)
  await acceptCurrentTerms(backend.cloud, openid)
  navigateTo.mockClear()
  navigateBack.mockClear()
  redirectTo.mockClear()
  backend.callFunction.mockClear()
})

/** A valid resident ID number (Dongcheng, Beijing) born on `date`; `serial` tells people apart. */
function idNumberOf(date: string, serial: string): string {
  const first17 = `110101${date.replaceAll('-', '')}${serial}`
  return `${first17}${checkCharacter(first17)}`
}

let serial = 100
function freshIdNumber(date = '1990-01-01'): string {
  serial += 1
  return idNumberOf(date, String(serial).padStart(3, '0'))
}

async function grantVerificationConsents(user: string): Promise<void> {
  const items = []
  for (const purpose of VERIFY_PURPOSES) {
    const docId = purpose === 'idNumber' ? 'notice-id-number' : purpose === 'face' ? 'notice-face' : 'notice-partner-sharing'
    const { document } = await callAs(backend.cloud, user, 'legal', 'get', { docId })
    items.push({ purpose, version: document.version, hash: document.hash })
  }
  await callAs(backend.cloud, user, 'consent', 'grant', { items, method: 'settings' })
}

/** Verified through the backend directly, with `name` and `idNumber`. */
async function verifiedAs(user: string, name: string, idNumber: string): Promise<void> {
  await grantVerificationConsents(user)
  const { verificationId } = await callAs(backend.cloud, user, 'identity', 'start', { name, idNumber })
  const result = await callAs(backend.cloud, user, 'identity', 'complete', { verificationId })
  expect(result.outcome).toBe('passed')
}

async function openPage(query: Record<string, string> = {}, prepare?: (page: Page) => void): Promise<Page> {
  const page = simulate.render(pageId, query)
  prepare?.(page)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the page to load', () => page.data.status !== 'loading')
  return page
}

function identityCalls(action: string): number {
  return backend.callFunction.mock.calls.filter(([param]) => {
    const data = param.data as { action?: string } | undefined
    return param.name === 'identity' && data?.action === action
  }).length
}

async function fillAndSubmit(page: Page, name: string, idNumber: string): Promise<void> {
  await type(page, '#name', name)
  await type(page, '#id-number', idNumber)
  await tap(page, '#submit')
}

test('unverified: the why, what is kept and the consents; granting them, then start → sandbox → passed with the masked result', async () => {
  const page = await openPage()
  expect(page.data.status).toBe('ready')
  // The face check waits for WeChat's privacy authorization, and a refusal for updated terms needs its popup: both are on the page.
  expect(renderedTags(page)).toEqual(expect.arrayContaining(['privacy-popup', 'terms-popup']))
  expect(textOf(page, '#why-text')).toContain('发布名片等内容前，需要先完成实名认证')
  expect(textOf(page, '#collected')).toContain('我们不保存人脸图像或视频，只保存核验服务商、核验编号、核验结果和时间')
  expect(textOf(page, '#attempts')).toContain('还可以发起 5 次')
  for (const purpose of VERIFY_PURPOSES) expect(textOf(page, `#consent-state-${purpose}`)).toBe(PURPOSE_STATE_LABELS.none)
  expect(attrOf(page, '#grant-face', 'aria-label')).toBe('同意人脸核验')

  // Without the consents nothing is sent.
  await fillAndSubmit(page, '张三丰', freshIdNumber('1988-07-15'))
  expect(textOf(page, '#form-error')).toBe('请先同意上面的 3 项单独同意，再开始实名认证')
  expect(identityCalls('start')).toBe(0)

  // One consent on its own, then the two left with one button.
  await tap(page, '#grant-idNumber')
  await waitFor('the first grant', () => page.data.consentBusy === '')
  expect(textOf(page, '#consent-state-idNumber')).toBe(PURPOSE_STATE_LABELS.granted)
  expect(textOf(page, '#consent-message')).toBe('已同意，还差 2 项。')
  expect(textOf(page, '#grant-all')).toBe('已阅读说明，同意以上 2 项')
  await tap(page, '#grant-all')
  await waitFor('the other grants', () => page.data.consentBusy === '')
  const { status: consentStatus } = await callAs(backend.cloud, openid, 'consent', 'status', {})
  for (const purpose of VERIFY_PURPOSES) {
    expect(consentStatus.purposes.find((p) => p.purpose === purpose)?.state).toBe('granted')
    expect(textOf(page, `#consent-state-${purpose}`)).toBe(PURPOSE_STATE_LABELS.granted)
  }
  expect(page.querySelector('#grant-all')).toBeUndefined()

  // The submit is disabled while start is in flight.
  const idNumber = idNumberOf('1988-07-15', '451')
  let release = (): void => undefined
  backend.hold(new Promise<void>((resolve) => (release = resolve)))
  await type(page, '#name', '张三丰')
  await type(page, '#id-number', idNumber)
  await tap(page, '#submit')
  expect(page.data.busy).toBe(true)
  expect(attrOf(page, '#submit', 'disabled')).toBe('true')
  expect(textOf(page, '#submit')).toBe('正在提交…')
  backend.hold(null)
  release()

  await waitFor('the result', () => page.data.phase === 'passed')
  expect(textOf(page, '#result-name')).toBe('张**')
  expect(textOf(page, '#result-id-number')).toBe(`1***************${idNumber.slice(-2)}`)
  expect(textOf(page, '#result-birth-date')).toBe('1988年7月15日')
  expect(textOf(page, '#sandbox-notice')).toBe('沙箱环境：不会进行真实的人脸识别')
  expect(attrOf(page, '#step-2', 'aria-label')).toBe('第 3 步，核验结果，进行中')
  expect(attrOf(page, '#step-0', 'aria-label')).toBe('第 1 步，填写信息，已完成')
  // The plain values are gone from the page once sent.
  expect(page.data.name).toBe('')
  expect(page.data.idNumber).toBe('')
  expect(identityCalls('start')).toBe(1)
  expect(identityCalls('complete')).toBe(1)

  const status = await callAs(backend.cloud, openid, 'identity', 'status', {})
  expect(status).toMatchObject({ state: 'verified', identity: { maskedName: '张**', birthDate: '1988-07-15' } })

  // 完成 on a page opened by itself shows the verified identity.
  await tap(page, '#done')
  await waitFor('the verified view', () => page.data.status === 'ready' && page.querySelector('#verified') !== undefined)
  expect(textOf(page, '#verified-name')).toBe('张**')
})

test('verified: the masked identity, provider and time, and the way to ask for a correction', async () => {
  const idNumber = freshIdNumber('1975-03-09')
  await verifiedAs(openid, '欧阳锋', idNumber)
  const page = await openPage()
  expect(page.data.status).toBe('ready')
  expect(textOf(page, '#verified-badge')).toBe('已实名')
  expect(textOf(page, '#verified-name')).toBe('欧**')
  expect(textOf(page, '#verified-id-number')).toBe(`1***************${idNumber.slice(-2)}`)
  expect(textOf(page, '#verified-birth-date')).toBe('1975年3月9日')
  expect(textOf(page, '#verified-provider')).toBe('沙箱核验（仅用于开发测试）')
  expect(textOf(page, '#verified-at')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  expect(page.querySelector('#form')).toBeUndefined()
  expect(page.querySelector('#consents')).toBeUndefined()
  await tap(page, '#correction')
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/data/index' })
})

test('a failed verification shows the provider’s reason and a retry that goes back to the form', async () => {
  await grantVerificationConsents(openid)
  const page = await openPage()
  await fillAndSubmit(page, '张沙箱不符', freshIdNumber())
  await waitFor('the result', () => page.data.phase === 'failed')
  expect(textOf(page, '#fail-reason')).toBe('姓名与身份证号不一致，请核对后重试')
  expect((await callAs(backend.cloud, openid, 'identity', 'status', {})).state).toBe('unverified')

  await tap(page, '#retry')
  await waitFor('the form again', () => page.data.phase === 'idle' && page.data.attempts.remaining === 4)
  expect(page.querySelector('#form')).toBeDefined()
  expect(textOf(page, '#attempts')).toContain('还可以发起 4 次')
  await fillAndSubmit(page, '张三', freshIdNumber())
  await waitFor('the second result', () => page.data.phase === 'passed')
})

test('a pending result is asked again after retryAfterSeconds and then passes', async () => {
  await grantVerificationConsents(openid)
  const page = await openPage()
  await fillAndSubmit(page, '钱沙箱等待', freshIdNumber())
  await waitFor('the pending result', () => page.data.phase === 'pending')
  expect(textOf(page, '#pending-reason')).not.toBe('')
  expect(page.data.autoPolling).toBe(true)
  expect(attrOf(page, '#step-2', 'aria-label')).toBe('第 3 步，核验结果，进行中')
  const asked = identityCalls('complete')

  // The provider decides five seconds (of the cloud's clock) after the start; the page asks again by itself.
  backend.cloud.clock.advance(5000)
  await waitFor('the automatic check', () => page.data.phase === 'passed', 8000)
  expect(identityCalls('complete')).toBeGreaterThan(asked)
  expect(textOf(page, '#result-name')).toBe('钱****')
}, 15000)

test('a verification left pending resumes at its result; “立即查询” asks at once', async () => {
  await grantVerificationConsents(openid)
  await callAs(backend.cloud, openid, 'identity', 'start', { name: '孙沙箱等待', idNumber: freshIdNumber() })
  const page = await openPage()
  await waitFor('the resumed check', () => page.data.phase === 'pending')
  expect(page.querySelector('#form')).toBeUndefined()
  expect(identityCalls('start')).toBe(0)

  backend.cloud.clock.advance(5000)
  await tap(page, '#check-now')
  await waitFor('the result', () => page.data.phase === 'passed', 2000)
  expect((await callAs(backend.cloud, openid, 'identity', 'status', {})).state).toBe('verified')
})

test('an invalid ID number is refused on the page; the server’s field issues show beside their fields', async () => {
  await grantVerificationConsents(openid)
  const page = await openPage()
  const good = freshIdNumber()
  const wrongCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`

  // Checked as soon as the number is complete.
  await type(page, '#id-number', wrongCheck)
  expect(textOf(page, '#id-number-error')).toBe(ID_NUMBER_PROBLEMS.checkDigit)
  expect(attrOf(page, '#id-number-error', 'aria-role')).toBe('alert')
  // A half-typed number is not judged until the field is left.
  await type(page, '#id-number', '1101011990')
  expect(page.querySelector('#id-number-error')).toBeUndefined()
  page.querySelector('#id-number')?.dispatchEvent('blur', { detail: { value: '1101011990' } })
  await simulate.sleep(0)
  expect(textOf(page, '#id-number-error')).toBe(ID_NUMBER_PROBLEMS.shape)

  await fillAndSubmit(page, '冯唐', wrongCheck)
  expect(textOf(page, '#id-number-error')).toBe(ID_NUMBER_PROBLEMS.checkDigit)
  await type(page, '#name', '')
  await tap(page, '#submit')
  expect(textOf(page, '#name-error')).toBe('请填写身份证上的姓名')
  expect(identityCalls('start')).toBe(0)

  // A name that is not written as on the ID card: the server's issue on `name`.
  await fillAndSubmit(page, 'Zhang San', good)
  await waitFor('the refusal', () => page.data.busy === false && page.data.nameError !== '')
  expect(textOf(page, '#name-error')).toBe('请按身份证上的写法填写姓名（汉字，少数民族姓名用“·”分隔）')
  expect(page.querySelector('#id-number-error')).toBeUndefined()
  expect(identityCalls('start')).toBe(1)
  expect((await callAs(backend.cloud, openid, 'identity', 'status', {})).attempts.remaining).toBe(5)
})

test('a consent withdrawn meanwhile: the server’s refusal names it and the page offers to grant it again', async () => {
  await grantVerificationConsents(openid)
  const page = await openPage()
  expect(page.querySelector('#grant-face')).toBeUndefined()
  await callAs(backend.cloud, openid, 'consent', 'withdraw', { purpose: 'face' })

  await fillAndSubmit(page, '周星', freshIdNumber())
  await waitFor('the refusal', () => page.data.busy === false && page.data.formError !== '')
  expect(textOf(page, '#form-error')).toContain('人脸核验')
  expect(textOf(page, '#consent-state-face')).toBe(PURPOSE_STATE_LABELS.none)
  expect(textOf(page, '#consent-state-idNumber')).toBe(PURPOSE_STATE_LABELS.granted)

  await tap(page, '#grant-face')
  await waitFor('the grant', () => page.data.consentBusy === '' && page.data.missingCount === 0)
  await fillAndSubmit(page, '周星', freshIdNumber())
  await waitFor('the result', () => page.data.phase === 'passed')
})

test('an ID already bound to another account: the refusal after the face check, and an impersonation report', async () => {
  const idNumber = freshIdNumber('1985-11-30')
  const holder = `verify-holder-${seq}`
  await acceptCurrentTerms(backend.cloud, holder)
  await verifiedAs(holder, '林冲', idNumber)

  await grantVerificationConsents(openid)
  const page = await openPage()
  await fillAndSubmit(page, '林冲', idNumber)
  await waitFor('the refusal', () => page.data.phase === 'bound')
  expect(textOf(page, '#bound-message')).toContain('一个人只能实名认证一个账号')
  const verificationId = page.data.verificationId as string

  // The report is its own component, given the refused verification.
  const report = page.querySelector('#impersonation-report') as unknown as Page
  expect(report.data.verificationId).toBe(verificationId)
  // Too short: refused on the page.
  await type(report, '#report-reason', '冒用')
  await tap(report, '#report-submit')
  expect(textOf(report, '#report-error')).toBe('请简要说明情况（至少5个字）')
  expect(identityCalls('reportImpersonation')).toBe(0)

  const reason = '我本人从未注册过另一个账号，怀疑身份证被盗用'
  await type(report, '#report-reason', reason)
  await tap(report, '#report-submit')
  await waitFor('the report', () => report.data.done !== '')
  expect(textOf(report, '#report-done')).toContain('申诉已提交')
  expect(report.querySelector('#report-form')).toBeUndefined()

  const reports = await backend.cloud.store.collection<ImpersonationReportDoc>('impersonation_reports').find({ reporter: openid }, { limit: 5 })
  expect(reports).toHaveLength(1)
  expect(reports[0]).toMatchObject({ reporter: openid, holder, verificationId, reason, status: 'open' })
  expect((await callAs(backend.cloud, openid, 'identity', 'status', {})).state).toBe('unverified')
})

test('the start limit: the refusal says when to retry, and an exhausted account cannot submit', async () => {
  await grantVerificationConsents(openid)
  // Four starts settled as failures elsewhere, so nothing is pending.
  const settleOne = async (): Promise<void> => {
    const { verificationId } = await callAs(backend.cloud, openid, 'identity', 'start', { name: '卫沙箱不符', idNumber: freshIdNumber() })
    await callAs(backend.cloud, openid, 'identity', 'complete', { verificationId })
  }
  for (let i = 0; i < 4; i++) await settleOne()
  const page = await openPage()
  expect(textOf(page, '#attempts')).toContain('还可以发起 1 次')

  // The last one is used elsewhere while the page still shows it.
  await settleOne()
  await fillAndSubmit(page, '卫青', freshIdNumber())
  await waitFor('the refusal', () => page.data.busy === false && page.data.formError !== '')
  expect(textOf(page, '#form-error')).toContain('最多发起 5 次')
  await waitFor('the refreshed attempts', () => page.data.attempts.remaining === 0)
  const { attempts } = await callAs(backend.cloud, openid, 'identity', 'status', {})
  expect(attempts.retryAt).not.toBeNull()
  expect(textOf(page, '#attempts')).toMatch(/^发起次数已用完，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）后再试。$/)
  expect(attrOf(page, '#submit', 'disabled')).toBe('true')

  const again = await openPage()
  expect(textOf(again, '#attempts')).toBe(textOf(page, '#attempts'))
  expect(attrOf(again, '#submit', 'disabled')).toBe('true')
})

test('a provider outage while asking for the result: retry the same verification', async () => {
  await grantVerificationConsents(openid)
  const page = await openPage()
  await fillAndSubmit(page, '赵沙箱故障', freshIdNumber())
  await waitFor('the refusal', () => page.data.phase === 'serviceError')
  expect(textOf(page, '#service-error-message')).not.toBe('')
  await tap(page, '#retry-complete')
  await waitFor('the second refusal', () => page.data.phase === 'serviceError' && page.data.busy === false)
  expect(identityCalls('complete')).toBe(2)
  expect(identityCalls('start')).toBe(1)
})

test('a verification that expired offers to start again', async () => {
  await grantVerificationConsents(openid)
  const { expiresAt } = await callAs(backend.cloud, openid, 'identity', 'start', { name: '孙沙箱等待', idNumber: freshIdNumber() })
  const page = await openPage()
  await waitFor('the resumed check', () => page.data.phase === 'pending')
  backend.cloud.clock.set(new Date(expiresAt))
  await tap(page, '#check-now')
  await waitFor('the refusal', () => page.data.phase === 'expired')
  expect(textOf(page, '#expired-message')).toBe('这次核验已过期，请重新发起实名核验')
  await tap(page, '#restart')
  await waitFor('the form', () => page.data.phase === 'idle')
  expect(page.querySelector('#form')).toBeDefined()
})

test('the network down at first: the error state, and the retry loads the page', async () => {
  backend.setNetworkDown(true)
  const page = await openPage()
  backend.setNetworkDown(false)
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#page-state')).toContain('网络连接失败')
  page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
  await waitFor('the page', () => page.data.status === 'ready')
  expect(page.querySelector('#form')).toBeDefined()
})

describe('re-check mode', () => {
  test('a verified owner’s fresh face check is handed back to the opener, which is then returned to', async () => {
    await verifiedAs(openid, '宋江', freshIdNumber('1970-02-03'))
    const emit = jest.fn((_event: string, _payload: unknown) => undefined)
    const page = await openPage({ mode: 'recheck', purpose: 'deletion' }, (p) => {
      Object.assign(p.instance, { getOpenerEventChannel: () => ({ emit, on: jest.fn(), off: jest.fn(), once: jest.fn() }) })
    })
    expect(page.data.status).toBe('ready')
    expect(textOf(page, '#recheck-title')).toBe('注销账号前，请完成本人核验')
    expect(setNavigationBarTitle).toHaveBeenCalledWith({ title: '本人核验' })
    expect(identityCalls('recheck')).toBe(0)

    await tap(page, '#recheck-start')
    await waitFor('the pass to be handed back', () => emit.mock.calls.length > 0)
    expect(emit).toHaveBeenCalledWith('rechecked', { verificationId: expect.any(String), validUntil: expect.any(String) })
    const payload = emit.mock.calls[0]?.[1] as { verificationId: string; validUntil: string }
    expect(payload.verificationId.length).toBeGreaterThan(0)
    expect(Date.parse(payload.validUntil)).toBeGreaterThan(backend.cloud.clock.now().getTime())
    expect(navigateBack).toHaveBeenCalledWith({ delta: 1 })
    expect(identityCalls('completeRecheck')).toBe(1)
  })

  test('a pending re-check is asked again; the re-check never shows the form', async () => {
    // The sandbox decides by the stored name: 沙箱等待 is pending for five seconds after each start.
    await grantVerificationConsents(openid)
    const { verificationId } = await callAs(backend.cloud, openid, 'identity', 'start', { name: '钱沙箱等待', idNumber: freshIdNumber() })
    backend.cloud.clock.advance(5000)
    expect((await callAs(backend.cloud, openid, 'identity', 'complete', { verificationId })).outcome).toBe('passed')

    const emit = jest.fn((_event: string, _payload: unknown) => undefined)
    const page = await openPage({ mode: 'recheck' }, (p) => {
      Object.assign(p.instance, { getOpenerEventChannel: () => ({ emit, on: jest.fn(), off: jest.fn(), once: jest.fn() }) })
    })
    expect(textOf(page, '#recheck-title')).toBe('本人核验')
    expect(page.querySelector('#form')).toBeUndefined()
    await tap(page, '#recheck-start')
    await waitFor('the pending result', () => page.data.phase === 'pending')
    expect(attrOf(page, '#step-0', 'aria-label')).toBe('第 1 步，确认本人，已完成')
    expect(page.querySelector('#pending-restart')).toBeUndefined()
    backend.cloud.clock.advance(5000)
    await tap(page, '#check-now')
    await waitFor('the pass to be handed back', () => emit.mock.calls.length > 0, 2000)
    expect(emit).toHaveBeenCalledWith('rechecked', { verificationId: expect.any(String), validUntil: expect.any(String) })
    expect(navigateBack).toHaveBeenCalledTimes(1)
  })

  test('an account without real-name verification is told so', async () => {
    await grantVerificationConsents(openid)
    const page = await openPage({ mode: 'recheck', purpose: 'unfreeze' })
    expect(textOf(page, '#recheck-title')).toBe('解冻账号前，请完成本人核验')
    await tap(page, '#recheck-start')
    await waitFor('the refusal', () => page.data.phase === 'notVerified')
    expect(textOf(page, '#not-verified')).toContain('你的账号还没有完成实名认证')
    await tap(page, '#open-verify')
    expect(redirectTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/verify/index' })
  })
})

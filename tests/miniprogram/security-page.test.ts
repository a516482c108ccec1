/**
 * 账号与安全 (packageAccount/pages/security/index) against the real backend:
 * the state with its notice, reasons, end time and bans, how to appeal, and the
 * self-service actions the backend offers — freezing and unfreezing (with the
 * re-confirmation: a recent sign-in, a fresh face check for verified accounts),
 * deletion after its preview with a cooling-off countdown, and its cancellation.
 *
 * The phone's clock is the cloud's clock here (Date.now follows the test cloud),
 * so the countdowns can be checked to the hour.
 */
import simulate from 'miniprogram-simulate'
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { ACCOUNT_STATE_LABELS, ERASURE_WORKING_DAYS } from '../../shared/account'
import { PURPOSES, type PurposeId } from '../../shared/consent'
import type { OutputOf } from '../../shared/contract'
import { ERROR_MESSAGES } from '../../shared/errors'
import { checkCharacter } from '../../shared/rules/id-number'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, DAY, makeAdmin, publish, refusalOf, type Backend } from './backend'
import { attrOf, load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const HOUR = 3600_000
const MINUTE = 60_000
const ADMIN = 'security-admin'
const VERIFY_PAGE = '/packageAccount/pages/verify/index'
const DATA_PAGE = '/packageAccount/pages/data/index'

interface ModalOptions {
  title: string
  content: string
  confirmText?: string
  confirmColor?: string
  cancelText?: string
}

interface RecheckedResult {
  verificationId: string
  validUntil: string
}

interface NavigateOptions {
  url: string
  events?: { rechecked?: (result: RecheckedResult) => void }
}

let backend: Backend
let openid = ''
let confirmAnswer = true
const showModal = jest.fn(async (_options: ModalOptions) => ({ confirm: confirmAnswer, cancel: !confirmAnswer, errMsg: 'showModal:ok' }))
const navigateTo = jest.fn((_options: NavigateOptions) => undefined)

const pageId = load('packageAccount/pages/security/index')

beforeAll(async () => {
  backend = await connectBackend({ start: new Date('2026-05-04T02:00:00.000Z') })
  Object.assign(wx, { showModal, navigateTo })
  await makeAdmin(backend.cloud, ADMIN)
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(async () => {
  seq += 1
  openid = `security-user-${seq}`
  backend.signIn(openid)
  backend.hold(null)
  // The phone and the cloud agree on the time.
  jest.spyOn(Date, 'now').mockImplementation(() => backend.cloud.clock.now().getTime())
  // Signs up (and signs in) now, by the cloud's clock.
  await acceptCurrentTerms(backend.cloud, openid)
  showModal.mockClear()
  navigateTo.mockClear()
  backend.callFunction.mockClear()
  confirmAnswer = true
})

afterEach(() => {
  jest.restoreAllMocks()
  jest.useRealTimers()
})

/** The rendered page (render() of a loaded id gives a root component, which can be detached). */
type Page = simulate.RootComponent<
  WechatMiniprogram.Component.DataOption,
  WechatMiniprogram.Component.PropertyOption,
  WechatMiniprogram.Component.MethodOption
>

async function openPage(): Promise<Page> {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the account state to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

function tapOn(page: Page, selector: string): void {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('tap')
}

/** `fn.action` of every call the page sent since the test began. */
function sent(): string[] {
  return backend.callFunction.mock.calls.map(([param]) => `${param.name}.${String((param.data as { action?: string } | undefined)?.action)}`)
}

function inputsOf(action: string): unknown[] {
  return backend.callFunction.mock.calls
    .filter(([param]) => param.name === 'account' && (param.data as { action?: string } | undefined)?.action === action)
    .map(([param]) => (param.data as { input?: unknown }).input)
}

async function stateOnServer(): Promise<OutputOf<'account', 'getState'>['lifecycle']> {
  return (await callAs(backend.cloud, openid, 'account', 'getState', {})).lifecycle
}

async function accountId(): Promise<string> {
  const account = await findAccount(backend.cloud.store, openid)
  if (!account) throw new Error('the account was not created')
  return account._id
}

/** "2026-05-04 10:00" for the Beijing wall time of `iso`. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ')
}

function later(ms: number): string {
  return new Date(backend.cloud.clock.now().getTime() + ms).toISOString()
}

/** A valid resident ID number (Dongcheng, Beijing) born in 1990; `serial` tells people apart. */
function idNumberOf(serial: number): string {
  const first17 = `11010119900101${String(100 + serial).padStart(3, '0')}`
  return `${first17}${checkCharacter(first17)}`
}

/** Real-name verified through the identity function (sandbox provider), with the consents it needs. */
async function verified(): Promise<void> {
  const purposes: PurposeId[] = ['idNumber', 'face', 'partnerSharing']
  const items = []
  for (const purpose of purposes) {
    const { document } = await callAs(backend.cloud, openid, 'legal', 'get', { docId: PURPOSES[purpose].document })
    items.push({ purpose, version: document.version, hash: document.hash })
  }
  await callAs(backend.cloud, openid, 'consent', 'grant', { items, method: 'settings' })
  const { verificationId } = await callAs(backend.cloud, openid, 'identity', 'start', { name: '张三', idNumber: idNumberOf(seq) })
  const result = await callAs(backend.cloud, openid, 'identity', 'complete', { verificationId })
  expect(result.outcome).toBe('passed')
}

/** What the verify page does in recheck mode: a fresh face check of the verified owner. */
async function passRecheck(): Promise<RecheckedResult> {
  const { verificationId } = await callAs(backend.cloud, openid, 'identity', 'recheck', {})
  const result = await callAs(backend.cloud, openid, 'identity', 'completeRecheck', { verificationId })
  if (result.outcome !== 'passed') throw new Error(`the re-check did not pass: ${result.outcome}`)
  return { verificationId: result.verificationId, validUntil: result.validUntil }
}

test('an active account reads 正常 and offers freezing and deletion; my data is one tap away', async () => {
  const page = await openPage()
  expect(sent()).toEqual(['account.getState'])

  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.active)
  expect(textOf(page, '#state-notice')).toBe('账号状态正常。')
  expect(attrOf(page, '#state-card', 'aria-label')).toBe('账号状态：正常')
  for (const absent of ['#state-reason', '#state-until', '#bans', '#appeal', '#deletion-pending', '#unfreeze', '#cancel-deletion', '#no-actions']) {
    expect(page.querySelector(absent)).toBeUndefined()
  }
  expect(textOf(page, '#freeze')).toBe('冻结账号')
  expect(textOf(page, '#open-deletion')).toBe('注销账号')

  expect(attrOf(page, '#open-data', 'aria-role')).toBe('link')
  tapOn(page, '#open-data')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: DATA_PAGE })
})

test('freezing is confirmed first (declining sends nothing); unfreezing needs a confirmation and a recent sign-in', async () => {
  const page = await openPage()

  confirmAnswer = false
  tapOn(page, '#freeze')
  await waitFor('the confirmation', () => showModal.mock.calls.length === 1)
  await simulate.sleep(10)
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '冻结账号？', confirmText: '冻结' })
  expect(showModal.mock.calls[0]?.[0].content).toContain('直到你本人解冻')
  expect(sent()).toEqual(['account.getState'])
  expect((await stateOnServer()).state).toBe('active')

  confirmAnswer = true
  tapOn(page, '#freeze')
  await waitFor('the account to freeze', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.frozenBySelf)
  expect((await stateOnServer()).state).toBe('frozenBySelf')
  expect(textOf(page, '#state-notice')).toBe((await stateOnServer()).notice)
  expect(textOf(page, '#action-message')).toBe('账号已冻结。确认账号安全后，可以在这里本人解冻。')
  expect(attrOf(page, '#action-message', 'aria-role')).toBe('status')
  expect(page.querySelector('#freeze')).toBeUndefined()
  expect(page.querySelector('#open-deletion')).toBeDefined()

  // While the call runs, every button waits.
  let release = (): void => undefined
  backend.hold(
    new Promise((resolve) => {
      release = resolve
    }),
  )
  tapOn(page, '#unfreeze')
  await waitFor('the unfreeze call', () => page.data.busy === 'unfreeze')
  expect(showModal.mock.calls[2]?.[0]).toMatchObject({ title: '解除冻结？', confirmText: '解冻' })
  expect(attrOf(page, '#unfreeze', 'disabled')).toBe('true')
  expect(attrOf(page, '#unfreeze', 'loading')).toBe('true')
  expect(attrOf(page, '#open-deletion', 'disabled')).toBe('true')
  backend.hold(null)
  release()

  await waitFor('the account to thaw', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.active)
  expect((await stateOnServer()).state).toBe('active')
  // An unverified account: the confirmation and the recent sign-in are enough.
  expect(inputsOf('unfreeze')).toEqual([{ confirm: true }])
  expect(sent()).not.toContain('account.login')
  expect(textOf(page, '#action-message')).toBe('账号已解冻，可以正常使用了。')
  expect(attrOf(page, '#freeze', 'disabled')).toBe('false')
})

test('an old sign-in (over 10 minutes) is renewed by logging in again, and unfreezing goes through', async () => {
  await callAs(backend.cloud, openid, 'account', 'freeze', {})
  backend.cloud.clock.advance(11 * MINUTE)
  const page = await openPage()
  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.frozenBySelf)

  tapOn(page, '#unfreeze')
  await waitFor('the account to thaw', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.active)
  // The first try was refused with REAUTH_REQUIRED; one login, one more try.
  expect(sent()).toEqual(['account.getState', 'account.unfreeze', 'account.login', 'account.unfreeze'])
  expect((await stateOnServer()).state).toBe('active')
  const account = await findAccount(backend.cloud.store, openid)
  expect(account?.lastLoginAt?.toISOString()).toBe(backend.cloud.clock.now().toISOString())
})

test('a staff suspension shows the reason, the end time with the time left and how to appeal; nothing to do myself', async () => {
  const until = later(3 * DAY + 5 * HOUR)
  await callAs(backend.cloud, ADMIN, 'admin', 'transition', { accountId: await accountId(), transition: 'suspend', category: 'spam', rule: 'harassment', reason: '多次发布广告信息', until })
  const page = await openPage()
  const server = await stateOnServer()

  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.suspended)
  expect(textOf(page, '#state-notice')).toBe(server.notice)
  expect(textOf(page, '#state-reason')).toBe('处理理由多次发布广告信息')
  expect(textOf(page, '#state-until')).toContain(`${beijing(until)}（北京时间）`)
  expect(textOf(page, '#state-until-remaining')).toBe('还剩 3 天 5 小时')
  expect(attrOf(page, '#state-until-remaining', 'aria-role')).toBe('timer')
  expect(server.appeal).toContain('申诉')
  expect(textOf(page, '#appeal-text')).toBe(server.appeal)
  expect(server.available).toEqual([])
  expect(textOf(page, '#no-actions')).toBe('账号当前状态下没有可以自己办理的操作。如对处理有异议，可以在上面提出申诉。')
  for (const absent of ['#freeze', '#unfreeze', '#open-deletion', '#cancel-deletion']) expect(page.querySelector(absent)).toBeUndefined()
  // The appeal is made in the app, from the decision's statement of reasons.
  page.querySelector('#open-conduct')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAccount/pages/conduct/index' })
  page.detach()
})

test('a restriction lists each banned feature with its end and reason; freezing and deletion stay possible', async () => {
  const until = later(2 * DAY)
  await callAs(backend.cloud, ADMIN, 'admin', 'transition', {
    accountId: await accountId(),
    transition: 'restrict', category: 'spam', rule: 'harassment',
    reason: '评论中多次辱骂他人',
    until,
    features: ['comment', 'publish'],
  })
  const page = await openPage()

  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.restricted)
  const ban = textOf(page, '#ban-comment') ?? ''
  expect(ban).toContain('评论')
  expect(ban).toContain(`限制至 ${beijing(until)}（北京时间），还剩 2 天 0 小时`)
  expect(ban).toContain('理由：评论中多次辱骂他人')
  expect(textOf(page, '#ban-publish')).toContain('发布内容')
  expect(attrOf(page, '#ban-publish', 'aria-label')).toBe(`发布内容，限制至北京时间 ${beijing(until)}`)
  expect(textOf(page, '#appeal-text')).toContain('申诉')
  expect(page.querySelector('#freeze')).toBeDefined()
  expect(page.querySelector('#open-deletion')).toBeDefined()
  page.detach()
})

test('deletion: the preview first, declining the confirmation sends nothing, then a countdown and 撤销注销', async () => {
  // Only the interval timer is faked: the backend and the page's waits run on real timers.
  jest.useFakeTimers({
    doNotFake: ['Date', 'setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  })
  const page = await openPage()
  tapOn(page, '#open-deletion')
  await waitFor('the preview', () => page.data.previewStatus === 'ready')
  expect(page.querySelector('#open-deletion')).toBeUndefined()

  const preview = await callAs(backend.cloud, openid, 'account', 'deletionPreview', {})
  expect(preview.items.length).toBeGreaterThan(0)
  for (const item of preview.items) {
    const row = textOf(page, `#preview-item-${item.collection}`) ?? ''
    expect(row).toContain(item.title)
    expect(row).toContain(`${item.count} 条`)
    expect(row).toContain(item.detail)
    expect(textOf(page, `#preview-group-${item.treatment}`)).toContain(item.title)
  }
  expect(textOf(page, '#preview-group-anonymize')).toContain('将被匿名化')
  expect(textOf(page, '#preview-group-delete')).toContain('将被删除')
  const terms = textOf(page, '#preview-terms') ?? ''
  expect(terms).toContain(`${preview.coolingOffDays} 天冷静期`)
  expect(terms).toContain(`${ERASURE_WORKING_DAYS} 个工作日内`)

  // Export first: the link opens 我的数据.
  tapOn(page, '#preview-export')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: DATA_PAGE })

  confirmAnswer = false
  tapOn(page, '#request-deletion')
  await waitFor('the confirmation', () => showModal.mock.calls.length === 1)
  await simulate.sleep(10)
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '确认注销账号？', confirmText: '确认注销', confirmColor: '#b42318' })
  expect(showModal.mock.calls[0]?.[0].content).toContain(`${preview.coolingOffDays} 天冷静期`)
  expect(inputsOf('requestDeletion')).toEqual([])
  expect((await stateOnServer()).state).toBe('active')

  confirmAnswer = true
  tapOn(page, '#request-deletion')
  await waitFor('the cooling-off period', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.pendingDeletion)
  const server = await stateOnServer()
  expect(server.state).toBe('pendingDeletion')
  expect(inputsOf('requestDeletion')).toEqual([{ confirm: true }])
  expect(page.querySelector('#deletion-preview')).toBeUndefined()
  expect(textOf(page, '#deletion-countdown')).toBe(`还剩 ${preview.coolingOffDays} 天 0 小时`)
  expect(textOf(page, '#deletion-due')).toContain(`${beijing(server.deletionDueAt ?? '')}（北京时间）起将删除或匿名化你的个人信息`)
  expect(textOf(page, '#action-message')).toBe('已收到你的注销申请。冷静期内可以随时撤销。')

  // The countdown follows the clock.
  backend.cloud.clock.advance(2 * HOUR + 5 * MINUTE)
  jest.advanceTimersByTime(60_000)
  expect(textOf(page, '#deletion-countdown')).toBe(`还剩 ${preview.coolingOffDays - 1} 天 21 小时`)

  tapOn(page, '#cancel-deletion')
  await waitFor('the account to come back', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.active)
  expect((await stateOnServer()).state).toBe('active')
  expect(page.querySelector('#deletion-pending')).toBeUndefined()
  expect(textOf(page, '#action-message')).toBe('已撤销注销，账号恢复正常，你的信息不会被删除。')
  // Nothing to count down any more: the timer is gone.
  expect(jest.getTimerCount()).toBe(0)
  page.detach()
})

test('a pending deletion opened later shows the time left; leaving the page stops its timer', async () => {
  jest.useFakeTimers({
    doNotFake: ['Date', 'setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  })
  const { lifecycle } = await callAs(backend.cloud, openid, 'account', 'requestDeletion', { confirm: true })
  const left = Date.parse(lifecycle.deletionDueAt ?? '') - backend.cloud.clock.now().getTime()
  backend.cloud.clock.advance(left - (2 * DAY + 3 * HOUR + 30 * MINUTE))
  const page = await openPage()

  expect(textOf(page, '#deletion-countdown')).toBe('还剩 2 天 3 小时')
  expect(textOf(page, '#cancel-deletion')).toBe('撤销注销')
  // Deletion cannot be asked twice; freezing is not offered during the cooling-off period.
  expect(page.querySelector('#open-deletion')).toBeUndefined()
  expect(page.querySelector('#freeze')).toBeUndefined()
  expect(jest.getTimerCount()).toBe(1)

  page.detach()
  expect(jest.getTimerCount()).toBe(0)
})

test('a verified account passes a fresh face check: the verify page opens in recheck mode and the action resumes', async () => {
  await verified()
  await callAs(backend.cloud, openid, 'account', 'freeze', {})
  const page = await openPage()

  tapOn(page, '#unfreeze')
  await waitFor('the verify page', () => navigateTo.mock.calls.length === 1)
  const options = navigateTo.mock.calls[0]?.[0]
  expect(options?.url).toBe(`${VERIFY_PAGE}?mode=recheck&purpose=unfreeze`)
  expect(typeof options?.events?.rechecked).toBe('function')
  expect(textOf(page, '#action-message')).toBe('为确认是你本人操作，请先完成人脸核验，完成后会自动继续。')
  expect((await stateOnServer()).state).toBe('frozenBySelf')
  expect(page.data.busy).toBe('')

  // The verify page reports a passed re-check.
  const recheck = await passRecheck()
  options?.events?.rechecked?.(recheck)
  await waitFor('the account to thaw', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.active)
  expect(inputsOf('unfreeze')).toEqual([{ confirm: true }, { confirm: true, verificationId: recheck.verificationId }])
  expect((await stateOnServer()).state).toBe('active')

  // Deletion asks for its own check.
  navigateTo.mockClear()
  tapOn(page, '#open-deletion')
  await waitFor('the preview', () => page.data.previewStatus === 'ready')
  tapOn(page, '#request-deletion')
  await waitFor('the verify page', () => navigateTo.mock.calls.length === 1)
  const deletion = navigateTo.mock.calls[0]?.[0]
  expect(deletion?.url).toBe(`${VERIFY_PAGE}?mode=recheck&purpose=deletion`)
  deletion?.events?.rechecked?.(await passRecheck())
  await waitFor('the cooling-off period', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.pendingDeletion)
  expect((await stateOnServer()).state).toBe('pendingDeletion')
  page.detach()
})

test('a dormant verified account is woken by the owner’s face check', async () => {
  await verified()
  // As the dormancy job leaves it (its own tests run the job).
  const account = await findAccount(backend.cloud.store, openid)
  if (!account) throw new Error('no account')
  await backend.cloud.store.collection('accounts').update(account._id, { state: 'dormant', contentHidden: true })
  const page = await openPage()
  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.dormant)
  expect(textOf(page, '#state-notice')).toContain('人脸核验')

  tapOn(page, '#wake')
  await waitFor('the verify page', () => navigateTo.mock.calls.length === 1)
  const options = navigateTo.mock.calls[0]?.[0]
  expect(options?.url).toBe(`${VERIFY_PAGE}?mode=recheck&purpose=wake`)
  options?.events?.rechecked?.(await passRecheck())
  await waitFor('the account to wake', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.active)
  expect((await stateOnServer()).state).toBe('active')
  expect((await findAccount(backend.cloud.store, openid))?.contentHidden).toBe(false)
  expect(page.querySelector('#wake')).toBeUndefined()
  page.detach()
})

test('a refusal is shown next to the actions, and the page stays usable', async () => {
  const page = await openPage()
  // Frozen elsewhere meanwhile (another device): freezing again is refused by the backend.
  await callAs(backend.cloud, openid, 'account', 'freeze', {})
  tapOn(page, '#freeze')
  await waitFor('the refusal', () => page.querySelector('#action-message') !== undefined && page.data.busy === '')
  expect(textOf(page, '#action-message')).toContain('冻结')
  expect(attrOf(page, '#action-message', 'aria-role')).toBe('alert')
  // The page catches up with the state and offers what can be done now.
  await waitFor('the current state', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.frozenBySelf)
  expect(page.querySelector('#freeze')).toBeUndefined()
  expect(attrOf(page, '#unfreeze', 'disabled')).toBe('false')
})

test('a load that fails shows the error state, and retry loads the page', async () => {
  backend.signIn('')
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the error state', () => page.data.status === 'error')
  expect(page.dom?.textContent).toContain(ERROR_MESSAGES.UNAUTHENTICATED)

  backend.signIn(openid)
  page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
  await waitFor('the page after retry', () => page.data.status === 'ready')
  expect(textOf(page, '#state-label')).toBe(ACCOUNT_STATE_LABELS.active)
})

// Last: publishes a new privacy policy for everyone.
test('someone who has not accepted an updated policy can still freeze or delete the account here', async () => {
  await publish(backend.cloud, ADMIN, { docId: 'privacy-policy', version: '2', effectiveInMs: DAY })
  backend.cloud.clock.advance(2 * DAY)
  expect(await refusalOf(callAs(backend.cloud, openid, 'account', 'getProfile', {}))).toBe('TERMS_UPDATED')

  const page = await openPage()
  tapOn(page, '#open-deletion')
  await waitFor('the preview', () => page.data.previewStatus === 'ready')
  tapOn(page, '#request-deletion')
  await waitFor('the cooling-off period', () => textOf(page, '#state-label') === ACCOUNT_STATE_LABELS.pendingDeletion)
  expect((await stateOnServer()).state).toBe('pendingDeletion')
  // The sign-in was two days old: renewed on the way, without accepting the new version.
  expect(sent()).toEqual(['account.getState', 'account.deletionPreview', 'account.requestDeletion', 'account.login', 'account.requestDeletion'])
  page.detach()
})

/**
 * The terms popup and the api client's blocked-call hook, as the app wires them
 * (app.ts onLaunch/onShow), against the real backend and its movable clock:
 * an announced version → a dismissable notice; once in effect → a call is
 * refused with TERMS_UPDATED and the popup must be answered.
 */
import simulate from 'miniprogram-simulate'
import { ERROR_MESSAGES } from '../../shared/errors'
import { ApiCallError, call } from '../../miniprogram/api'
import type { AppConfig } from '../../miniprogram/config'
import { checkTerms } from '../../miniprogram/utils/terms'
import { acceptCurrentTerms, birthDateYearsAgo, callAs, connectBackend, DAY, installMemoryStorage, makeAdmin, publish, refusalOf, type Backend } from './backend'
import { attrOf, load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

interface AppOptions {
  onLaunch?: () => void
  onShow?: () => void
}

const ADMIN = 'popup-admin'
const ALICE = 'popup-alice'
const BOB = 'popup-bob'

let backend: Backend
let app: AppOptions = {}
let storage: Map<string, unknown>
const navigateTo = jest.fn((_options: { url: string }) => undefined)
const showToast = jest.fn((_options: { title: string }) => undefined)

const popupId = load('components/terms-popup/index')

beforeAll(async () => {
  backend = await connectBackend()
  storage = installMemoryStorage()
  Object.assign(wx, { navigateTo, showToast })
  await makeAdmin(backend.cloud, ADMIN)
  // Both joined under version 1.
  await acceptCurrentTerms(backend.cloud, ALICE)
  await acceptCurrentTerms(backend.cloud, BOB)
  // The app as WeChat starts it: App() registers, then onLaunch and onShow run.
  // As in WeChat: the options given to App() become the instance getApp() returns to every page and component.
  Object.assign(globalThis, {
    App: (options: AppOptions) => {
      app = options
    },
    getApp: () => app,
  })
  require('../../miniprogram/app')
  app.onLaunch?.()
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  navigateTo.mockClear()
  showToast.mockClear()
})

function mount() {
  const popup = simulate.render(popupId)
  popup.attach(document.createElement('parent-wrapper'))
  return popup
}

type Popup = ReturnType<typeof mount>

function visible(popup: Popup): boolean {
  return popup.querySelector('#terms-title') !== undefined
}

async function blockedCall(): Promise<ApiCallError> {
  try {
    await call('account', 'updateProfile', { nickname: '想改个名字' })
  } catch (error) {
    if (error instanceof ApiCallError) return error
    throw error
  }
  throw new Error('expected the call to be refused')
}

test('an announced version shows a dismissable notice once; dismissing is remembered per version', async () => {
  await publish(backend.cloud, ADMIN, {
    docId: 'privacy-policy',
    version: '2',
    title: '乐聊名片隐私政策',
    summary: '新增访客记录的保存期限说明',
    effectiveInMs: 7 * DAY,
  })
  backend.signIn(ALICE)
  const popup = mount()
  expect(visible(popup)).toBe(false)

  // The app comes to the foreground.
  app.onShow?.()
  await waitFor('the announcement', () => visible(popup))
  expect(textOf(popup, '#terms-title')).toBe('协议即将更新')
  expect(attrOf(popup, '.terms-dialog', 'aria-label')).toBe('协议更新公告')
  const notice = textOf(popup, '#notice-privacy-policy') ?? ''
  expect(notice).toContain('《乐聊名片隐私政策》第 2 版')
  expect(notice).toContain('新增访客记录的保存期限说明')
  // Nothing to accept yet: only read or dismiss.
  expect(popup.querySelector('#terms-accept')).toBeUndefined()

  popup.querySelector('#read-privacy-policy')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/legal/doc?docId=privacy-policy&version=2' })

  popup.querySelector('#terms-dismiss')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(visible(popup)).toBe(false)
  expect(storage.get('lechat.dismissedTermsNotices')).toEqual(['privacy-policy@2'])

  // The next foreground check asks the server again but does not show the same version again.
  const before = backend.callFunction.mock.calls.length
  await checkTerms()
  expect(backend.callFunction.mock.calls.length).toBeGreaterThan(before)
  expect(visible(popup)).toBe(false)

  // Still usable before the date.
  await expect(call('account', 'updateProfile', { nickname: '公告期间' })).resolves.toBeDefined()
  popup.detach()
})

test('after the effective date a blocked call brings up the popup that must be answered; accepting unblocks', async () => {
  backend.cloud.clock.advance(8 * DAY)
  backend.signIn(ALICE)
  const popup = mount()

  const error = await blockedCall()
  expect(error.code).toBe('TERMS_UPDATED')
  expect(error.message).toBe(ERROR_MESSAGES.TERMS_UPDATED)

  await waitFor('the required popup', () => textOf(popup, '#required-privacy-policy') !== null)
  expect(textOf(popup, '#terms-title')).toBe('协议已更新')
  expect(textOf(popup, '#required-privacy-policy')).toContain('第 2 版')
  // No way to dismiss it: accept or refuse.
  expect(popup.querySelector('#terms-dismiss')).toBeUndefined()
  expect(textOf(popup, '#terms-refuse')).toBe('不同意')
  // Only the changed document is asked for.
  expect(popup.querySelector('#required-user-agreement')).toBeUndefined()

  popup.querySelector('#terms-accept')?.dispatchEvent('tap')
  await waitFor('the popup to close', () => !visible(popup))
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已同意新版本，可以继续使用' }))

  const { records } = await callAs(backend.cloud, ALICE, 'consent', 'history', { purpose: 'privacy' })
  expect(records[0]).toMatchObject({ action: 'grant', method: 'popup', version: '2' })
  const { account } = await call('account', 'updateProfile', { nickname: '同意了新版' })
  expect(account.nickname).toBe('同意了新版')
  popup.detach()
})

test('refusing is recorded and explained (continuing needs acceptance; the account can be deleted in 账号与安全)', async () => {
  backend.signIn(BOB)
  const popup = mount()
  // The foreground check finds the block before any call is refused.
  await checkTerms()
  await waitFor('the required popup', () => textOf(popup, '#required-privacy-policy') !== null)

  popup.querySelector('#terms-refuse')?.dispatchEvent('tap')
  await waitFor('the explanation', () => popup.querySelector('#terms-refused') !== undefined)
  const explanation = textOf(popup, '#terms-refused') ?? ''
  expect(explanation).toContain('在你同意之前，需要登录的功能都无法使用')
  expect(explanation).toContain('注销账号')
  expect(explanation).toContain('在「我的 → 账号与安全」中申请')
  expect(explanation).not.toContain('即将上线')
  // The way there is one tap: a link to 账号与安全, where deletion needs no acceptance of the new version.
  expect(attrOf(popup, '#terms-open-security', 'url')).toBe('/packageAccount/pages/security/index')
  expect(attrOf(popup, '#terms-open-security', 'aria-role')).toBe('link')
  expect(textOf(popup, '#terms-open-security')).toBe('前往「账号与安全」申请注销')

  const { records } = await callAs(backend.cloud, BOB, 'consent', 'history', { purpose: 'privacy' })
  expect(records[0]).toMatchObject({ action: 'refuse', method: 'popup', version: '2' })
  expect(await refusalOf(callAs(backend.cloud, BOB, 'account', 'getProfile', {}))).toBe('TERMS_UPDATED')

  // Changing one's mind goes back to the choice.
  popup.querySelector('#terms-reconsider')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(popup.querySelector('#terms-accept')).toBeDefined()
  popup.querySelector('#terms-refuse')?.dispatchEvent('tap')
  await waitFor('the explanation again', () => popup.querySelector('#terms-close') !== undefined)
  popup.querySelector('#terms-close')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(visible(popup)).toBe(false)

  // The next refused call brings the popup back.
  await blockedCall()
  await waitFor('the popup to return', () => textOf(popup, '#required-privacy-policy') !== null)
  popup.querySelector('#terms-accept')?.dispatchEvent('tap')
  await waitFor('the popup to close', () => !visible(popup))
  await expect(callAs(backend.cloud, BOB, 'account', 'getProfile', {})).resolves.toBeDefined()
  popup.detach()
})

test('a user who never accepted is sent to registration; refusals of consent.* calls route nowhere', async () => {
  backend.signIn('popup-newcomer')
  await callAs(backend.cloud, 'popup-newcomer', 'account', 'login', {})
  const popup = mount()

  const error = await blockedCall()
  expect(error.code).toBe('TERMS_NOT_ACCEPTED')
  expect(navigateTo).toHaveBeenCalledTimes(1)
  expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/consent/register' }))
  expect(visible(popup)).toBe(false)

  // A grant refused for want of a guardian is the registration form's business, not a navigation.
  navigateTo.mockClear()
  backend.signIn('popup-child')
  await callAs(backend.cloud, 'popup-child', 'account', 'login', {})
  const { document } = await callAs(backend.cloud, 'popup-child', 'legal', 'get', { docId: 'user-agreement' })
  let refusal: unknown
  try {
    await call('consent', 'grant', {
      items: [{ purpose: 'terms', version: document.version, hash: document.hash }],
      method: 'checkbox',
      declaredBirthDate: birthDateYearsAgo(10),
    })
  } catch (e) {
    refusal = e
  }
  expect(refusal).toBeInstanceOf(ApiCallError)
  expect((refusal as ApiCallError).code).toBe('GUARDIAN_CONSENT_REQUIRED')
  expect(navigateTo).not.toHaveBeenCalled()
  popup.detach()
})

/**
 * The 我的 page against a real backend: wx.cloud.callFunction is stubbed only to
 * carry the call into an in-process local cloud (real dispatcher, real
 * wx-server-sdk, local database), as WeChat would carry it to CloudBase.
 */
import simulate from 'miniprogram-simulate'
import { ACCOUNT_STATE_LABELS, PENDING_STEP_LABELS } from '../../shared/account'
import { NICKNAME_MAX } from '../../shared/contract/account'
import { ERROR_MESSAGES } from '../../shared/errors'
import { NETWORK_ERROR_MESSAGE } from '../../miniprogram/api'
import type { AppConfig } from '../../miniprogram/config'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import { load, textOf, waitFor } from './helpers'

// The production transport: the checked-in config points at the local HTTP cloud instead.
jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '' }
  return { config }
})

interface CallFunctionParam {
  name: string
  data?: object
}

let cloud: TestCloud
/** Who WeChat says is calling (in the cloud, OPENID comes from the WeChat context). */
let openid = ''
/** When set, calls wait for it: lets a test look at the page while a call is in flight. */
let gate: Promise<void> | null = null
/** When set, callFunction rejects as the base library does when the network fails. */
let networkDown = false

const callFunction = jest.fn(async ({ name, data }: CallFunctionParam) => {
  if (gate) await gate
  if (networkDown) throw { errCode: -1, errMsg: 'cloud.callFunction:fail request:fail timeout' }
  // Through JSON, as the real transport serializes both ways.
  const result = await cloud.call(name, JSON.parse(JSON.stringify(data ?? {})), openid)
  return { errMsg: 'cloud.callFunction:ok', requestID: 'test', result: JSON.parse(JSON.stringify(result)) }
})

const pageId = load('pages/me/index')

beforeAll(async () => {
  cloud = await startTestCloud()
  Object.assign(wx, { cloud: { init: jest.fn(), callFunction, uploadFile: jest.fn() } })
})

afterAll(async () => {
  await cloud.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `me-page-user-${seq}`
  gate = null
  networkDown = false
})

type Page = ReturnType<typeof simulate.render>

function openPage(): Page {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  return page
}

async function openReadyPage(): Promise<Page> {
  const page = openPage()
  await waitFor('the page to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

async function profileFromBackend(): Promise<{ nickname: string; avatarUrl: string | null }> {
  const reply = await cloud.call('account', { action: 'getProfile', input: {} }, openid)
  if (!reply.ok) throw new Error(`getProfile failed: ${reply.error.code}`)
  return (reply.data as { account: { nickname: string; avatarUrl: string | null } }).account
}

async function typeNickname(page: Page, value: string): Promise<void> {
  page.querySelector('#nickname-input')?.dispatchEvent('input', { detail: { value } })
  await simulate.sleep(0)
}

/** The retry button lives inside <state-view>, which a page-level query does not enter. */
function retryButton(page: Page) {
  return page.querySelector('#page-state')?.querySelector('#retry')
}

async function save(page: Page): Promise<void> {
  page.querySelector('#save')?.dispatchEvent('tap')
  await waitFor('the save to finish', () => page.data.saving === false && (page.data.notice !== '' || hasError(page)))
}

function hasError(page: Page): boolean {
  return page.querySelector('#nickname-error') !== undefined || page.querySelector('#form-error') !== undefined
}

test('first login shows the default nickname, the account state and the two pending steps', async () => {
  const page = await openReadyPage()

  const backend = await profileFromBackend()
  expect(backend.nickname).toMatch(/^乐聊用户/)
  expect(textOf(page, '#nickname')).toBe(backend.nickname)
  expect(textOf(page, '#verified')).toBe('未实名')
  expect(textOf(page, '#account-state')).toBe(`账号状态：${ACCOUNT_STATE_LABELS.active}`)
  expect(textOf(page, '#pending-agreement')).toBe(PENDING_STEP_LABELS.agreement)
  expect(textOf(page, '#pending-realName')).toBe(PENDING_STEP_LABELS.realName)
  expect(page.querySelector('#pending-done')).toBeUndefined()
  expect(callFunction).toHaveBeenCalledWith({ name: 'account', data: { action: 'login', input: {} } })
})

test('a verified account with everything done shows the badge, its state and no pending steps', async () => {
  await openReadyPage()
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error('login did not create the account')
  // Arranged in the database: the verification and agreement flows come later.
  await accounts(cloud.store).update(account._id, { verifiedAt: new Date(), agreementAcceptedAt: new Date(), state: 'restricted' })

  const page = await openReadyPage()
  expect(textOf(page, '#verified')).toBe('已实名')
  expect(textOf(page, '#account-state')).toBe(`账号状态：${ACCOUNT_STATE_LABELS.restricted}`)
  expect(page.querySelector('#pending-agreement')).toBeUndefined()
  expect(page.querySelector('#pending-realName')).toBeUndefined()
  expect(textOf(page, '#pending-done')).toBe('都完成了，可以使用全部功能。')
})

test('editing the nickname shows a saving state, updates the page, and the backend keeps it', async () => {
  const page = await openReadyPage()

  await typeNickname(page, '  乐聊小助手 ')
  let release = (): void => undefined
  gate = new Promise((resolve) => {
    release = resolve
  })
  page.querySelector('#save')?.dispatchEvent('tap')
  await waitFor('the saving state', () => page.data.saving === true)
  expect(textOf(page, '#save')).toBe('正在保存…')

  gate = null
  release()
  await waitFor('the save to finish', () => page.data.saving === false)

  // The server trims; the page shows what the server stored.
  expect(textOf(page, '#nickname')).toBe('乐聊小助手')
  expect(textOf(page, '#notice')).toBe('已保存')
  expect(page.querySelector('#nickname-error')).toBeUndefined()
  expect((await profileFromBackend()).nickname).toBe('乐聊小助手')

  // Opening the page again (a second login) shows the stored name too.
  const again = await openReadyPage()
  expect(textOf(again, '#nickname')).toBe('乐聊小助手')
})

test.each([
  ['empty', '   ', '昵称不能为空'],
  [`${NICKNAME_MAX + 1} characters`, '乐'.repeat(NICKNAME_MAX + 1), `昵称最多 ${NICKNAME_MAX} 个字`],
  ['a control character', '小乐\u0007', '昵称不能包含不可见字符'],
])('an invalid nickname (%s) shows the server’s reason next to the field and changes nothing', async (_case, value, reason) => {
  const page = await openReadyPage()
  const before = await profileFromBackend()

  await typeNickname(page, value)
  await save(page)

  expect(textOf(page, '#nickname-error')).toBe(reason)
  expect(page.querySelector('#form-error')).toBeUndefined()
  expect(textOf(page, '#nickname')).toBe(before.nickname)
  expect(page.querySelector('#notice')).toBeUndefined()
  expect(await profileFromBackend()).toEqual(before)

  // Typing again clears the complaint.
  await typeNickname(page, '小乐')
  expect(page.querySelector('#nickname-error')).toBeUndefined()
})

test('a backend refusal at login shows the error state; retry loads the page', async () => {
  // No WeChat identity: the real dispatcher refuses before any handler runs.
  openid = ''
  const page = openPage()
  await waitFor('the error state', () => page.data.status === 'error')

  expect(page.dom?.textContent).toContain(ERROR_MESSAGES.UNAUTHENTICATED)
  expect(retryButton(page)?.dom?.textContent?.trim()).toBe('重新加载')

  openid = `me-page-user-${seq}-retry`
  retryButton(page)?.dispatchEvent('tap')
  await waitFor('the page after retry', () => page.data.status === 'ready')
  expect(textOf(page, '#nickname')).toBe((await profileFromBackend()).nickname)
  expect(retryButton(page)).toBeUndefined()
})

test('a network failure while saving keeps the page and says so under the form', async () => {
  const page = await openReadyPage()
  const before = await profileFromBackend()

  networkDown = true
  await typeNickname(page, '新名字')
  await save(page)

  expect(textOf(page, '#form-error')).toBe(NETWORK_ERROR_MESSAGE)
  expect(textOf(page, '#nickname')).toBe(before.nickname)
  expect(page.data.status).toBe('ready')
  expect((await profileFromBackend()).nickname).toBe(before.nickname)
})

test('in development a picked avatar is not stored as a temporary path', async () => {
  const page = await openReadyPage()
  // This file runs with the cloud transport; upload failures are reported under the avatar.
  const uploadFile = jest.fn(async () => {
    throw { errMsg: 'cloud.uploadFile:fail network' }
  })
  Object.assign(wx.cloud, { uploadFile })

  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://tmp_avatar.jpg' } })
  await waitFor('the avatar error', () => page.querySelector('#avatar-error') !== undefined)

  expect(uploadFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp_avatar.jpg' }))
  expect(textOf(page, '#avatar-error')).toBe('头像上传失败，请检查网络后重试')
  expect((await profileFromBackend()).avatarUrl).toBeNull()
})

test('a picked avatar is uploaded to cloud storage and its fileID stored', async () => {
  const page = await openReadyPage()
  const uploadFile = jest.fn(async (param: { cloudPath: string; filePath: string }) => ({
    errMsg: 'cloud.uploadFile:ok',
    fileID: `cloud://test-env.bucket/${param.cloudPath}`,
    statusCode: 200,
  }))
  Object.assign(wx.cloud, { uploadFile })

  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://tmp_avatar.png' } })
  await waitFor('the avatar to be saved', () => page.data.notice === '已保存')

  const stored = (await profileFromBackend()).avatarUrl
  expect(stored).toMatch(/^cloud:\/\/test-env\.bucket\/avatars\/[0-9a-f]+\/\d+\.png$/)
  expect(page.data.profile.avatarUrl).toBe(stored)
})

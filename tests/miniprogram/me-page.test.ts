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
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import { inboxMessages } from '../../cloudfunctions/_core/inbox'
import { verifiedPublisher } from '../../local/testing'
import { acceptCurrentTerms, callAs, connectBackend, installPickedFiles, type Backend } from './backend'
import { attrOf, load, textOf, waitFor } from './helpers'

// The production transport: the checked-in config points at the local HTTP cloud instead.
jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
let openid = ''

const pageId = load('pages/me/index')

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { navigateTo, switchTab })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `me-page-user-${seq}`
  backend.signIn(openid)
  backend.hold(null)
  backend.setNetworkDown(false)
  navigateTo.mockClear()
  switchTab.mockClear()
})

/** A user past registration (the current agreement and policy accepted). */
async function registered(): Promise<void> {
  await acceptCurrentTerms(backend.cloud, openid)
}

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

/** What the backend stores (login works before registration too). */
async function profileFromBackend(): Promise<{ nickname: string; avatarUrl: string | null }> {
  return (await callAs(backend.cloud, openid, 'account', 'login', {})).account
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

  const stored = await profileFromBackend()
  expect(stored.nickname).toMatch(/^乐聊用户/)
  expect(textOf(page, '#nickname')).toBe(stored.nickname)
  expect(textOf(page, '#verified')).toBe('未实名')
  expect(textOf(page, '#account-state')).toBe(`账号状态：${ACCOUNT_STATE_LABELS.active}`)
  expect(textOf(page, '#pending-agreement')).toBe(PENDING_STEP_LABELS.agreement)
  expect(textOf(page, '#pending-realName')).toBe(PENDING_STEP_LABELS.realName)
  expect(page.querySelector('#pending-done')).toBeUndefined()
  expect(backend.callFunction).toHaveBeenCalledWith({ name: 'account', data: { action: 'login', input: {} } })
})

test('the agreement step opens registration, the real-name step verification; the menu opens messages, privacy settings and the documents', async () => {
  const page = await openReadyPage()
  expect(attrOf(page, '#pending-agreement', 'aria-role')).toBe('link')

  page.querySelector('#pending-agreement')?.dispatchEvent('tap')
  page.querySelector('#pending-realName')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo.mock.calls).toEqual([[{ url: '/pages/consent/register' }], [{ url: '/packageAccount/pages/verify/index' }]])

  page.querySelector('#open-privacy')?.dispatchEvent('tap')
  page.querySelector('#open-legal')?.dispatchEvent('tap')
  page.querySelector('#open-inbox')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/privacy/index' })
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/legal/index' })
  // 消息 is a tab page.
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/inbox/index' })
})

test('the menu opens real-name verification, account security and my data (the account subpackage)', async () => {
  const page = await openReadyPage()
  expect(textOf(page, '#open-verify')).toContain('实名认证')
  expect(textOf(page, '#menu-verified')).toBe('未完成')
  expect(attrOf(page, '#open-verify', 'aria-label')).toBe('实名认证，未完成')
  expect(textOf(page, '#open-security')).toContain('账号与安全')
  expect(textOf(page, '#open-data')).toContain('我的数据')
  for (const selector of ['#open-verify', '#open-security', '#open-data']) expect(attrOf(page, selector, 'aria-role')).toBe('link')

  page.querySelector('#open-verify')?.dispatchEvent('tap')
  page.querySelector('#open-security')?.dispatchEvent('tap')
  page.querySelector('#open-data')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo.mock.calls).toEqual([
    [{ url: '/packageAccount/pages/verify/index' }],
    [{ url: '/packageAccount/pages/security/index' }],
    [{ url: '/packageAccount/pages/data/index' }],
  ])
})

test('违规记录与申诉 is for everyone; 工作台 only for staff, whose role the server confirms', async () => {
  await registered()
  const page = await openReadyPage()
  expect(page.querySelector('#open-admin')).toBeUndefined()
  page.querySelector('#open-conduct')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAccount/pages/conduct/index' })

  const account = await backend.cloud.store.collection('accounts').findOne({ openid })
  await backend.cloud.store.collection('accounts').update(account?._id ?? '', { roles: ['user', 'reviewer'] })
  const staffPage = await openReadyPage()
  expect(textOf(staffPage, '#open-admin')).toContain('工作台')
  staffPage.querySelector('#open-admin')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAdmin/pages/index/index' })
})

test('before registration saving is refused with the reason; after accepting the terms it works', async () => {
  const page = await openReadyPage()
  await typeNickname(page, '还没注册')
  await save(page)
  expect(textOf(page, '#form-error')).toBe(ERROR_MESSAGES.TERMS_NOT_ACCEPTED)

  await registered()
  // Back from registration: the page shows the step done and saving works.
  const again = await openReadyPage()
  expect(again.querySelector('#pending-agreement')).toBeUndefined()
  await typeNickname(again, '注册好了')
  await save(again)
  expect(textOf(again, '#notice')).toBe('已保存')
  expect((await profileFromBackend()).nickname).toBe('注册好了')
})

test('the menu shows the unread count of the inbox', async () => {
  await registered()
  await inboxMessages(backend.cloud.store).add({
    recipient: openid,
    type: 'system',
    title: '欢迎',
    body: '欢迎使用乐聊名片',
    link: null,
    dedupeKey: null,
    readAt: null,
    createdAt: backend.cloud.clock.now(),
  })
  const page = await openReadyPage()
  await waitFor('the unread count', () => page.data.unread !== null)
  expect(textOf(page, '#menu-unread')).toBe('1')
  expect(attrOf(page, '#open-inbox', 'aria-label')).toBe('消息，1条未读')
})

test('a verified account with everything done shows the badge, its state and no pending steps', async () => {
  await registered()
  const account = await findAccount(backend.cloud.store, openid)
  if (!account) throw new Error('login did not create the account')
  // Arranged in the database: the verification flow comes later.
  // A restriction is its feature bans: without one in force the account reads as active.
  const until = new Date(backend.cloud.clock.now().getTime() + 86_400_000)
  await accounts(backend.cloud.store).update(account._id, { verifiedAt: new Date(), state: 'restricted', stateUntil: until, bans: [{ feature: 'publish', until, reason: '测试限制' }] })

  const page = await openReadyPage()
  expect(textOf(page, '#verified')).toBe('已实名')
  expect(textOf(page, '#menu-verified')).toBe('已完成')
  expect(textOf(page, '#account-state')).toBe(`账号状态：${ACCOUNT_STATE_LABELS.restricted}`)
  expect(page.querySelector('#pending-agreement')).toBeUndefined()
  expect(page.querySelector('#pending-realName')).toBeUndefined()
  expect(textOf(page, '#pending-done')).toBe('都完成了，可以使用全部功能。')
})

test('editing the nickname shows a saving state, updates the page, and the backend keeps it', async () => {
  await registered()
  const page = await openReadyPage()

  await typeNickname(page, '  乐聊小助手 ')
  let release = (): void => undefined
  backend.hold(
    new Promise((resolve) => {
      release = resolve
    }),
  )
  page.querySelector('#save')?.dispatchEvent('tap')
  await waitFor('the saving state', () => page.data.saving === true)
  expect(textOf(page, '#save')).toBe('正在保存…')

  backend.hold(null)
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

test('a nickname the gate holds for review is shown to me as pending; others keep the old one; one it refuses is explained', async () => {
  await registered()
  const page = await openReadyPage()
  const before = await profileFromBackend()

  await typeNickname(page, '小乐沙箱待审')
  await save(page)
  expect(textOf(page, '#nickname')).toBe(before.nickname)
  expect(textOf(page, '#pending-nickname')).toContain('小乐沙箱待审')
  expect(textOf(page, '#notice')).toBe('已提交，新昵称审核通过后生效')
  expect((await profileFromBackend()).nickname).toBe(before.nickname)
  // Still pending when the page opens again.
  const again = await openReadyPage()
  expect(textOf(again, '#pending-nickname')).toContain('小乐沙箱待审')

  await typeNickname(again, '小乐沙箱违规')
  await save(again)
  expect(textOf(again, '#nickname-error')).toContain('违法犯罪')
  expect((await profileFromBackend()).nickname).toBe(before.nickname)
})

test.each([
  ['empty', '   ', '昵称不能为空'],
  [`${NICKNAME_MAX + 1} characters`, '乐'.repeat(NICKNAME_MAX + 1), `昵称最多 ${NICKNAME_MAX} 个字`],
  ['a control character', '小乐\u0007', '昵称不能包含不可见字符'],
])('an invalid nickname (%s) shows the server’s reason next to the field and changes nothing', async (_case, value, reason) => {
  await registered()
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
  backend.signIn('')
  const page = openPage()
  await waitFor('the error state', () => page.data.status === 'error')

  expect(page.dom?.textContent).toContain(ERROR_MESSAGES.UNAUTHENTICATED)
  expect(retryButton(page)?.dom?.textContent?.trim()).toBe('重新加载')

  openid = `me-page-user-${seq}-retry`
  backend.signIn(openid)
  retryButton(page)?.dispatchEvent('tap')
  await waitFor('the page after retry', () => page.data.status === 'ready')
  expect(textOf(page, '#nickname')).toBe((await profileFromBackend()).nickname)
  expect(retryButton(page)).toBeUndefined()
})

test('a network failure while saving keeps the page and says so under the form', async () => {
  await registered()
  const page = await openReadyPage()
  const before = await profileFromBackend()

  backend.setNetworkDown(true)
  await typeNickname(page, '新名字')
  await save(page)

  expect(textOf(page, '#form-error')).toBe(NETWORK_ERROR_MESSAGE)
  expect(textOf(page, '#nickname')).toBe(before.nickname)
  expect(page.data.status).toBe('ready')
  backend.setNetworkDown(false)
  expect((await profileFromBackend()).nickname).toBe(before.nickname)
})

test('a picked avatar that cannot be uploaded is not stored as a temporary path', async () => {
  await registered()
  const page = await openReadyPage()
  // This file runs with the cloud transport; upload failures are reported under the avatar.
  const readFile = installPickedFiles()

  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://读取失败.jpg' } })
  await waitFor('the avatar error', () => page.querySelector('#avatar-error') !== undefined)

  expect(readFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://读取失败.jpg' }))
  expect(textOf(page, '#avatar-error')).toBe('头像上传失败，请检查网络后重试')
  expect((await profileFromBackend()).avatarUrl).toBeNull()
})

/** The moderation function's sweep: delivers the sandbox's image verdicts, as WeChat's push would. */
async function deliverImageVerdicts(): Promise<void> {
  const reply = await backend.cloud.gateway.fireTimer('moderation', 'sweep')
  if (!reply.ok) throw new Error(`sweep failed: ${reply.error.code}`)
}

test('a picked avatar is uploaded into my own folder, shown to me as under review, and public once its image check passes', async () => {
  await registered()
  const page = await openReadyPage()
  installPickedFiles()

  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://tmp_avatar.png' } })
  await waitFor('the avatar to be submitted', () => page.data.notice !== '')

  expect(textOf(page, '#notice')).toBe('已提交，新头像审核通过后生效')
  expect(textOf(page, '#pending-avatar')).toContain('新头像审核中…')
  const pending = page.data.pendingAvatarUrl
  expect(pending).toMatch(/^cloud:\/\/env-1\.6c65\/u\/[0-9a-f]+\/avatars\/[0-9a-z]+\.png$/)
  expect(attrOf(page, '.pending-avatar__image', 'src')).toBe(pending)
  // Others keep seeing no avatar until the check passes.
  expect(page.data.profile.avatarUrl).toBe('')
  expect((await profileFromBackend()).avatarUrl).toBeNull()

  await deliverImageVerdicts()
  const again = await openReadyPage()
  expect(again.data.profile.avatarUrl).toBe(pending)
  expect(attrOf(again, '.profile__avatar-image', 'src')).toBe(pending)
  expect(again.querySelector('#pending-avatar')).toBeUndefined()
  expect((await profileFromBackend()).avatarUrl).toBe(pending)
})

test('an avatar the image check finds risky is dropped: the old one stays and I am told in the inbox', async () => {
  await registered()
  const page = await openReadyPage()
  // A picture the sandbox's image check finds risky (utils installPickedFiles).
  installPickedFiles()

  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://沙箱违规图.png' } })
  await waitFor('the avatar to be submitted', () => page.data.notice !== '')
  expect(textOf(page, '#pending-avatar')).toContain('新头像审核中…')

  await deliverImageVerdicts()
  const again = await openReadyPage()
  expect(again.querySelector('#pending-avatar')).toBeUndefined()
  expect(again.data.profile.avatarUrl).toBe('')
  expect((await profileFromBackend()).avatarUrl).toBeNull()
  const notices = await inboxMessages(backend.cloud.store).find({ recipient: openid, type: 'moderationDecision' }, { limit: 10 })
  expect(notices.map((m) => m.title)).toEqual(['新头像未通过审核'])
})

describe('an account that is not active', () => {
  /** Arranged in the database, as the lifecycle would leave it. */
  async function arrange(patch: Record<string, unknown>): Promise<void> {
    // Verified, with the face check's consents in force: a dormant account then waits for the face check.
    await verifiedPublisher(backend.cloud, openid)
    const account = await findAccount(backend.cloud.store, openid)
    if (!account) throw new Error('login did not create the account')
    await accounts(backend.cloud.store).update(account._id, patch)
  }

  test.each([
    ['dormant (verified: the face check wakes it)', { state: 'dormant', contentHidden: true }, '去恢复', '人脸核验'],
    ['frozen by myself', { state: 'frozenBySelf' }, '去解冻', '你已冻结账号'],
    ['waiting for deletion', { state: 'pendingDeletion', deletionRequestedAt: new Date(), deletionDueAt: new Date(Date.now() + 15 * 86_400_000) }, '查看注销进度', '注销冷静期'],
  ])('%s: a notice with the way to 账号与安全', async (_case, patch, actionText, noticeText) => {
    await arrange(patch)
    const page = await openReadyPage()
    expect(textOf(page, '#account-notice')).toContain('账号状态')
    expect(textOf(page, '#account-notice-text')).toContain(noticeText)
    expect(textOf(page, '#account-notice-action')).toBe(actionText)
    expect(attrOf(page, '#account-notice', 'aria-role')).toBe('alert')
    expect(attrOf(page, '#account-notice-action', 'aria-label')).toBe(`${actionText}，打开账号与安全`)
    page.querySelector('#account-notice-action')?.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/security/index' })
  })

  test('an active account shows no notice; one frozen meanwhile does when the page shows again', async () => {
    await registered()
    const page = await openReadyPage()
    expect(page.querySelector('#account-notice')).toBeUndefined()
    await callAs(backend.cloud, openid, 'account', 'freeze', {})
    ;(page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')
    await waitFor('the notice', () => page.querySelector('#account-notice') !== undefined)
    expect(textOf(page, '#account-notice-action')).toBe('去解冻')
  })
})

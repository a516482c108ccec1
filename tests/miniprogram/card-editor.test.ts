/**
 * 新建 / 编辑名片 (packageCards/pages/editor) against the real backend: the
 * live preview as strangers and exchanged contacts see the card, per-field
 * visibility, links and avatar, and every refusal with its way forward
 * (verification, the public-display consent, moderation with the reason beside
 * the field, the sandbox review hold, a publishing ban, the card limit).
 */
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { CARD_LIMIT } from '../../shared/cards'
import { grantConsents, SAMPLE_CARD, verifiedPublisher } from '../../local/testing'
import { callAs, connectBackend, DAY, installPickedFiles, makeAdmin, type Backend } from './backend'
import { cardOwner, member } from './card-helpers'
import { attrOf, load, modalAnswer, render, tap, textOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'editor-admin'

let backend: Backend
let openid = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(true))
let readFile: jest.Mock

const pageId = load('packageCards/pages/editor/index')

beforeAll(async () => {
  backend = await connectBackend()
  await makeAdmin(backend.cloud, ADMIN)
  Object.assign(wx, { navigateTo, showModal })
  readFile = installPickedFiles()
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `editor-user-${seq}`
  backend.signIn(openid)
  for (const mock of [navigateTo, showModal, readFile, backend.callFunction]) mock.mockClear()
})

async function openEditor(cardId?: string): Promise<Page> {
  const page = render(pageId, cardId ? { cardId } : {})
  await waitFor('the editor to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

function preview(page: Page): Page {
  const view = page.querySelector('#preview')
  if (!view) throw new Error('no preview')
  return view as unknown as Page
}

async function publisher(options: { publicCard?: boolean; name?: string } = {}): Promise<void> {
  // The 已实名 badge needs the card to carry the verified legal name: `name` is that name.
  await verifiedPublisher(backend.cloud, openid, options.name ? { name: options.name } : {})
  if (options.publicCard !== false) await grantConsents(backend.cloud, openid, ['publicCard'])
}

/** Whether the page asked the cards function for `action` since the last mockClear. */
function called(action: string): boolean {
  return backend.callFunction.mock.calls.some(([param]) => param.name === 'cards' && JSON.stringify(param.data).includes(`"action":"${action}"`))
}

async function save(page: Page): Promise<void> {
  await tap(page, '#save', () => !page.data.saving)
}

test('creating a card: the live preview follows every keystroke and each field’s visibility, and the card saved is the one previewed', async () => {
  await publisher({ name: '陈预览' })
  const page = await openEditor()
  expect(textOf(page, '#save')).toBe('创建名片')
  expect(page.querySelector('#verify-notice')).toBeUndefined()
  expect(page.querySelector('#consent-notice')).toBeUndefined()
  expect(page.querySelector('#moderation')).toBeUndefined()
  expect(textOf(preview(page), '#cv-name')).toBe('未填写姓名')

  await type(page, '#input-name', '陈')
  expect(textOf(preview(page), '#cv-name')).toBe('陈')
  await type(page, '#input-name', '陈预览')
  expect(textOf(preview(page), '#cv-name')).toBe('陈预览')
  // The verified badge comes from my verification, not from the form.
  expect(textOf(preview(page), '#cv-verified')).toBe('已实名')
  await type(page, '#input-title', '设计总监')
  await type(page, '#input-company', '乐聊设计')
  expect(textOf(preview(page), '#cv-headline')).toBe('设计总监 · 乐聊设计')

  // The phone is for exchanged contacts by default: strangers see only that it exists.
  await type(page, '#input-phone', '13700001111')
  expect(preview(page).querySelector('#cv-row-phone')).toBeUndefined()
  expect(textOf(preview(page), '#cv-exchange-only')).toBe('电话交换名片后可见')
  expect(attrOf(page, '#vis-phone-exchanged', 'aria-checked')).toBe('true')
  await tap(page, '#audience-exchanged', () => page.data.audience === 'exchanged')
  expect(textOf(preview(page), '#cv-value-phone')).toBe('13700001111')
  expect(textOf(preview(page), '.cv__caption')).toBe('实时预览：交换名片后看到的')
  await tap(page, '#audience-public', () => page.data.audience === 'public')

  // Made public, strangers see it; the intro made hidden, nobody but me does.
  await tap(page, '#vis-phone-public', () => page.data.draft.visibility.phone === 'public')
  expect(attrOf(page, '#vis-phone-public', 'aria-checked')).toBe('true')
  expect(textOf(preview(page), '#cv-value-phone')).toBe('13700001111')
  expect(preview(page).querySelector('#cv-exchange-only')).toBeUndefined()
  await type(page, '#input-intro', '只给自己看的简介')
  expect(textOf(preview(page), '#cv-intro')).toBe('只给自己看的简介')
  await tap(page, '#vis-intro-hidden', () => page.data.draft.visibility.intro === 'hidden')
  expect(preview(page).querySelector('#cv-intro')).toBeUndefined()
  await tap(page, '#audience-exchanged', () => page.data.audience === 'exchanged')
  expect(preview(page).querySelector('#cv-intro')).toBeUndefined()

  // A link, shown in the preview.
  await tap(page, '#link-add', () => page.data.draft.links.length === 1)
  await type(page, '#link-label-0', '作品集')
  await type(page, '#link-url-0', 'https://portfolio.example.com')
  expect(textOf(preview(page), '#cv-link-0')).toContain('作品集')

  await save(page)
  expect(textOf(page, '#save-notice')).toBe('已保存，名片已通过审核')
  expect(textOf(page, '#moderation-label')).toBe('已发布')
  expect(textOf(page, '#shown-notice')).toContain('他人扫码或打开链接可以看到这张名片')
  expect(textOf(page, '#save')).toBe('保存修改')

  const { cards } = await callAs(backend.cloud, openid, 'cards', 'mine', {})
  expect(cards).toHaveLength(1)
  const [saved] = cards
  expect(saved).toMatchObject({
    isDefault: true,
    name: '陈预览',
    title: '设计总监',
    company: '乐聊设计',
    phone: '13700001111',
    intro: '只给自己看的简介',
    links: [{ label: '作品集', url: 'https://portfolio.example.com' }],
    verified: true,
    shownToOthers: true,
  })
  expect(saved?.visibility).toMatchObject({ phone: 'public', intro: 'hidden', email: 'exchanged' })
  expect(page.data.cardId).toBe(saved?.id)

  // What a stranger gets from the backend is what the preview showed.
  backend.signIn(`${openid}-stranger`)
  const { card: face } = await callAs(backend.cloud, `${openid}-stranger`, 'cards', 'view', { cardId: saved?.id ?? '' })
  expect(face).toMatchObject({ name: '陈预览', phone: '13700001111', intro: null, exchangeOnly: [] })

  await tap(page, '#open-card', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/card/index?id=${saved?.id}` })
})

test('editing a card: the form starts from the card, and saving replaces it', async () => {
  const card = await cardOwner(backend.cloud, openid)
  const page = await openEditor(card.id)
  expect(page.data.draft.name).toBe('王小明')
  expect(textOf(preview(page), '#cv-headline')).toBe('产品经理 · 乐聊科技')
  expect(textOf(page, '#moderation-label')).toBe('已发布')
  expect(textOf(page, '#save')).toBe('保存修改')

  await type(page, '#input-company', '乐聊新公司')
  expect(textOf(preview(page), '#cv-headline')).toBe('产品经理 · 乐聊新公司')
  await tap(page, '#link-remove-0', () => page.data.draft.links.length === 0)
  await save(page)
  expect(called('update')).toBe(true)
  expect(called('create')).toBe(false)
  const { card: stored } = await callAs(backend.cloud, openid, 'cards', 'get', { cardId: card.id })
  expect(stored).toMatchObject({ company: '乐聊新公司', links: [], name: '王小明', phone: SAMPLE_CARD.phone })

  // A bad e-mail: the server's reason beside the field (its path is card.email for an update).
  await type(page, '#input-email', 'not-an-email')
  await save(page)
  expect(textOf(page, '#error-email')).toBe('请填写正确的邮箱')
  expect(textOf(page, '#form-error')).toBe('请检查标出的内容')
  await type(page, '#input-email', 'ok@example.com')
  expect(page.querySelector('#error-email')).toBeUndefined()
})

test('problems the page can see are shown before anything is sent', async () => {
  await publisher()
  const page = await openEditor()
  await tap(page, '#link-add', () => page.data.draft.links.length === 1)
  await type(page, '#link-url-0', 'http://insecure.example.com')
  await save(page)
  expect(textOf(page, '#error-name')).toBe('请填写姓名')
  expect(textOf(page, '#link-label-error-0')).toBe('请填写链接名称')
  expect(textOf(page, '#link-url-error-0')).toBe('链接必须以 https:// 开头')
  expect(called('create')).toBe(false)
  await type(page, '#input-name', '林')
  expect(page.querySelector('#error-name')).toBeUndefined()
})

test('without real-name verification: said up front, refused with VERIFICATION_REQUIRED on saving, and the way to verify', async () => {
  await member(backend.cloud, openid)
  const page = await openEditor()
  expect(textOf(page, '#verify-notice')).toContain('请先完成实名认证')
  await type(page, '#input-name', '未认证')
  await save(page)
  expect(page.data.refusal).toBe('verify')
  expect(textOf(page, '#form-error')).toBe('请先完成实名认证')
  expect((await callAs(backend.cloud, openid, 'cards', 'mine', {})).cards).toEqual([])
  await tap(page, '#verify-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageAccount/pages/verify/index' })
})

test('without「公开展示我的名片」the card is saved but hidden, and granting it here shows the card to others', async () => {
  await publisher({ publicCard: false })
  const page = await openEditor()
  expect(textOf(page, '#consent-notice')).toContain('同意「公开展示我的名片」后他人才能看到')
  await type(page, '#input-name', '吴待同意')
  await save(page)
  expect(textOf(page, '#moderation-label')).toBe('已发布')
  expect(textOf(page, '#hidden-notice')).toContain('你尚未同意「公开展示我的名片」')
  const cardId = page.data.cardId
  await expect(callAs(backend.cloud, `${openid}-other`, 'cards', 'view', { cardId })).rejects.toMatchObject({ code: 'CARD_HIDDEN' })

  await tap(page, '#grant-consent', () => !page.data.consentBusy && page.data.publicConsent)
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '同意「公开展示我的名片」？' }))
  await waitFor('the card’s standing to refresh', () => page.data.saved?.shownToOthers === true)
  expect(page.querySelector('#hidden-notice')).toBeUndefined()
  expect(page.querySelector('#consent-notice')).toBeUndefined()
  expect(textOf(page, '#save-notice')).toContain('已同意「公开展示我的名片」')
  const { card } = await callAs(backend.cloud, `${openid}-other`, 'cards', 'view', { cardId })
  expect(card.name).toBe('吴待同意')
})

test('a refused text (沙箱违规) is not saved: the reason is beside the field, links included', async () => {
  await publisher()
  const page = await openEditor()
  await type(page, '#input-name', '郑审核')
  await type(page, '#input-intro', '这里有沙箱违规的内容')
  await tap(page, '#link-add', () => page.data.draft.links.length === 1)
  await type(page, '#link-label-0', '沙箱违规链接')
  await type(page, '#link-url-0', 'https://example.com/x')
  await save(page)
  expect(page.data.refusal).toBe('content')
  expect(textOf(page, '#error-intro')).toBe('含有「违法犯罪」类违规内容，不能发布')
  expect(textOf(page, '#link-label-error-0')).toBe('含有「违法犯罪」类违规内容，不能发布')
  expect(page.querySelector('#error-name')).toBeUndefined()
  expect(textOf(page, '#form-error')).toBe('内容未通过安全审核，请修改标出的内容后再保存')
  expect((await callAs(backend.cloud, openid, 'cards', 'mine', {})).cards).toEqual([])

  // Fixed: saved.
  await type(page, '#input-intro', '这里的内容没问题')
  expect(page.querySelector('#error-intro')).toBeUndefined()
  await type(page, '#link-label-0', '官网')
  await save(page)
  expect(textOf(page, '#moderation-label')).toBe('已发布')
})

test('a text held for review (沙箱待审) is saved as pending review, with its reason, visible only to me', async () => {
  await publisher()
  const page = await openEditor()
  await type(page, '#input-name', '冯复审')
  await type(page, '#input-title', '沙箱待审职位')
  await save(page)
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textOf(page, '#moderation-reasons')).toContain('可能含有「其他」类内容，需人工复审')
  expect(textOf(page, '#save-notice')).toBe('已保存，名片需要人工复审，通过前只有你能看到')
  expect(textOf(page, '#hidden-notice')).toContain('审核')
  await expect(callAs(backend.cloud, `${openid}-other`, 'cards', 'view', { cardId: page.data.cardId })).rejects.toMatchObject({ code: 'CARD_HIDDEN' })
})

test('an avatar from WeChat is uploaded to cloud storage, previewed, and held for the image check', async () => {
  await publisher()
  const page = await openEditor()
  await type(page, '#input-name', '褚头像')
  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://tmp_avatar.png' } })
  await waitFor('the upload', () => page.data.draft.avatarUrl !== '' && !page.data.avatarBusy)
  expect(readFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp_avatar.png', encoding: 'base64' }))
  // Stored by the server under a fresh name in my own folder.
  expect(page.data.draft.avatarUrl).toMatch(/^cloud:\/\/env-1\.6c65\/u\/[0-9a-f]+\/cards\/[0-9a-z]+\.png$/)
  expect(page.data.preview.avatarUrl).toBe(page.data.draft.avatarUrl)
  await save(page)
  expect(textOf(page, '#moderation-label')).toBe('审核中：图片安全检查进行中，通过前只有你能看到')

  // A failed upload says so beside the avatar.
  page.querySelector('#choose-avatar')?.dispatchEvent('chooseavatar', { detail: { avatarUrl: 'wxfile://读取失败.png' } })
  await waitFor('the failed upload', () => page.querySelector('#error-avatarUrl') !== undefined)
  expect(textOf(page, '#error-avatarUrl')).toBe('头像上传失败，请检查网络后重试')

  // The album works as well.
  const chooseMedia = jest.fn(async () => ({ tempFiles: [{ tempFilePath: 'wxfile://album.jpg', size: 1, fileType: 'image', width: 1, height: 1, duration: 0, thumbTempFilePath: '' }], type: 'image', errMsg: 'chooseMedia:ok' }))
  Object.assign(wx, { chooseMedia })
  await tap(page, '#choose-image', () => readFile.mock.calls.length === 3 && !page.data.avatarBusy)
  // The server names the file by what its bytes are, not by the picked file's name.
  expect(readFile).toHaveBeenLastCalledWith(expect.objectContaining({ filePath: 'wxfile://album.jpg' }))
  expect(page.data.draft.avatarUrl).toMatch(/\/cards\/[0-9a-z]+\.png$/)
  await tap(page, '#remove-avatar', () => page.data.draft.avatarUrl === '')
})

test('a publishing ban (FEATURE_RESTRICTED) is explained with its reason', async () => {
  await publisher()
  const account = await callAs(backend.cloud, openid, 'account', 'getProfile', {})
  const until = new Date(backend.cloud.clock.now().getTime() + 3 * DAY).toISOString()
  await callAs(backend.cloud, ADMIN, 'admin', 'transition', {
    accountId: account.account.id,
    transition: 'restrict', category: 'spam', rule: 'harassment',
    reason: '多次发布广告，限制发布',
    until,
    features: ['publish'],
  })
  const page = await openEditor()
  await type(page, '#input-name', '蒋受限')
  await save(page)
  expect(page.data.refusal).toBe('restricted')
  expect(textOf(page, '#form-error')).toContain('多次发布广告')
})

test(`at ${CARD_LIMIT} cards a new one is refused with CARD_LIMIT, said up front too`, async () => {
  await publisher()
  for (let i = 0; i < CARD_LIMIT; i++) await callAs(backend.cloud, openid, 'cards', 'create', { name: `第${i + 1}张` })
  const page = await openEditor()
  expect(textOf(page, '#limit-notice')).toContain(`每人最多 ${CARD_LIMIT} 张名片`)
  await type(page, '#input-name', '第六张')
  await save(page)
  expect(page.data.refusal).toBe('limit')
  expect(textOf(page, '#form-error')).toContain('请先删除不用的名片')
})

test('a visitor without an account is offered registration', async () => {
  const page = await openEditor()
  expect(textOf(page, '#register-offer')).toContain('注册后即可创建名片')
  await tap(page, '#register-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/consent/register' })
  await simulate.sleep(0)
})

describe('unsaved changes and broken links', () => {
  const enableAlertBeforeUnload = jest.fn((_options: { message: string }) => undefined)
  const disableAlertBeforeUnload = jest.fn((_options?: object) => undefined)
  beforeEach(() => {
    Object.assign(wx, { enableAlertBeforeUnload, disableAlertBeforeUnload })
    enableAlertBeforeUnload.mockClear()
    disableAlertBeforeUnload.mockClear()
  })

  test('leaving asks first while the card has unsaved changes; saved (or typed back), it no longer does', async () => {
    const card = await cardOwner(backend.cloud, openid)
    const page = await openEditor(card.id)
    expect(enableAlertBeforeUnload).not.toHaveBeenCalled()

    await type(page, '#input-company', '乐聊新公司')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    expect(enableAlertBeforeUnload.mock.calls[0]?.[0].message).toContain('还没有保存')
    // More typing does not ask WeChat again.
    await type(page, '#input-company', '乐聊新公司2')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    // Typed back to what is saved: nothing to lose.
    await type(page, '#input-company', SAMPLE_CARD.company ?? '')
    expect(disableAlertBeforeUnload).toHaveBeenCalledTimes(1)

    await type(page, '#input-company', '乐聊新公司')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(2)
    await save(page)
    expect(disableAlertBeforeUnload).toHaveBeenCalledTimes(2)
  })

  test('an older WeChat without the alert APIs edits as before', async () => {
    Reflect.deleteProperty(wx, 'enableAlertBeforeUnload')
    Reflect.deleteProperty(wx, 'disableAlertBeforeUnload')
    await publisher()
    const page = await openEditor()
    await type(page, '#input-name', '林')
    await save(page)
    expect(page.data.cardId).not.toBe('')
  })

  test('a broken link (a cut %-sequence) is an empty state with 返回, not a page loading forever', async () => {
    await publisher()
    const page = render(pageId)
    ;(page.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ cardId: '%E4%B8' })
    await waitFor('the empty state', () => page.data.status === 'empty')
    await simulate.sleep(20)
    expect(page.data.status).toBe('empty')
    const state = page.querySelector('#page-state') as unknown as Page
    expect(textOf(state, '.state__text')).toContain('链接可能不完整')
    const redirectTo = jest.fn((_options: { url: string }) => undefined)
    Object.assign(wx, { redirectTo })
    state.querySelector('#empty-action')?.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(redirectTo).toHaveBeenCalledWith({ url: '/packageCards/pages/mine/index' })
  })

  test('a card that was deleted is an empty state that says so', async () => {
    const card = await cardOwner(backend.cloud, openid)
    await callAs(backend.cloud, openid, 'cards', 'remove', { cardId: card.id })
    const page = render(pageId, { cardId: card.id })
    await waitFor('the editor to load', () => page.data.status !== 'loading')
    expect(page.data.status).toBe('empty')
    expect(textOf(page.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
  })
})

/**
 * 名片落地页 (pages/card/index) against the real backend: what a QR code and a
 * shared link open, for visitors without an account, registered strangers,
 * exchanged contacts and the owner; saving, exchanging, phone contacts,
 * sharing and the poster.
 */
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { VISIT_NOTICES } from '../../cloudfunctions/_core/cards/visits'
import { encodeCardScene } from '../../shared/cards'
import type { OwnCardView } from '../../shared/contract/cards'
import { SAMPLE_CARD } from '../../local/testing'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { cardOwner, exchange, member } from './card-helpers'
import { attrOf, load, modalAnswer, render, tap, textOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const OWNER = 'landing-owner'
const HIDDEN_OWNER = 'landing-hidden-owner'

let backend: Backend
let card: OwnCardView
let hiddenCard: OwnCardView

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)
const addPhoneContact = jest.fn((options: WechatMiniprogram.AddPhoneContactOption) => {
  options.success?.({ errMsg: 'addPhoneContact:ok' })
})
const showModal = jest.fn(async (_options: { title: string; content: string }) => modalAnswer(true))
const setNavigationBarTitle = jest.fn((_options: { title: string }) => undefined)

const POSTER_APIS = ['createOffscreenCanvas', 'canvasToTempFilePath', 'saveImageToPhotosAlbum', 'getFileSystemManager']

const pageId = load('pages/card/index')

beforeAll(async () => {
  backend = await connectBackend()
  card = await cardOwner(backend.cloud, OWNER)
  hiddenCard = await cardOwner(backend.cloud, HIDDEN_OWNER, { publicCard: false, input: { ...SAMPLE_CARD, name: '李不公开' } })
  Object.assign(wx, { navigateTo, switchTab, addPhoneContact, showModal, setNavigationBarTitle })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
let viewer = ''
beforeEach(() => {
  seq += 1
  viewer = `landing-viewer-${seq}`
  backend.signIn(viewer)
  for (const mock of [navigateTo, switchTab, addPhoneContact, showModal, setNavigationBarTitle]) mock.mockClear()
})

/** The page opened with a shared link (?id=…), once loaded. */
async function openById(cardId: string): Promise<Page> {
  const page = render(pageId)
  ;(page.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ id: cardId })
  await waitFor('the card to load', () => page.data.status !== 'loading')
  return page
}

/** What WeChat does when the user comes back to the page. */
function showPage(page: Page): void {
  ;(page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show')
}

function cardView(page: Page): Page {
  const view = page.querySelector('#card-view')
  if (!view) throw new Error('no card-view on the page')
  return view as unknown as Page
}

/** The canvas, file and album APIs a poster uses, as mocks that succeed; what is drawn is collected in `drawn` (texts, and images as image:<src>). */
function installPosterMocks() {
  const writeFile = jest.fn((options: { filePath: string; data: string; encoding: string; success?: () => void }) => options.success?.())
  const drawn: string[] = []
  const context = {
    fillStyle: '',
    font: '',
    textAlign: '',
    textBaseline: '',
    fillRect: () => undefined,
    fillText: (text: string) => drawn.push(text),
    beginPath: () => undefined,
    arc: () => undefined,
    fill: () => undefined,
    save: () => undefined,
    restore: () => undefined,
    clip: () => undefined,
    drawImage: (image: { src: string }) => drawn.push(`image:${image.src}`),
  }
  const createOffscreenCanvas = jest.fn(() => ({
    width: 0,
    height: 0,
    getContext: () => context,
    createImage: () => {
      const image = { src: '', onload: null as null | (() => void), onerror: null as null | (() => void) }
      return new Proxy(image, {
        set(target, key, value) {
          Reflect.set(target, key, value)
          if (key === 'src') setTimeout(() => target.onload?.(), 0)
          return true
        },
      })
    },
  }))
  const canvasToTempFilePath = jest.fn(async () => ({ tempFilePath: 'http://tmp/poster.png', errMsg: 'canvasToTempFilePath:ok' }))
  const saveImageToPhotosAlbum = jest.fn(async (_options: { filePath: string }) => ({ errMsg: 'saveImageToPhotosAlbum:ok' }))
  Object.assign(wx, { getFileSystemManager: () => ({ writeFile }), createOffscreenCanvas, canvasToTempFilePath, saveImageToPhotosAlbum })
  return { writeFile, drawn, saveImageToPhotosAlbum }
}

/** Puts the poster APIs back as they were after `run`. */
async function withPosterApis(run: () => Promise<void>): Promise<void> {
  const wxTable = wx as unknown as Record<string, unknown>
  const originals = Object.fromEntries(POSTER_APIS.map((key) => [key, wxTable[key]]))
  try {
    await run()
  } finally {
    Object.assign(wx, originals)
  }
}

test('a QR code’s scene (c%3D<id>, as WeChat passes it) opens the card for a visitor without an account: public fields only, the visit counted anonymously', async () => {
  const page = render(pageId, { scene: encodeURIComponent(encodeCardScene(card.id)) })
  await waitFor('the card to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  expect(page.data.cardId).toBe(card.id)

  const view = cardView(page)
  expect(textOf(view, '#cv-name')).toBe('王小明')
  expect(textOf(view, '#cv-verified')).toBe('已实名')
  expect(textOf(view, '#cv-headline')).toBe('产品经理 · 乐聊科技')
  expect(textOf(view, '#cv-intro')).toBe('专注企业服务产品十年。')
  expect(textOf(view, '#cv-link-0')).toContain('https://example.com')
  // Contact details are for exchanged contacts by default: not rendered, not in the page data.
  for (const key of ['phone', 'email', 'wechatId', 'address']) expect(view.querySelector(`#cv-row-${key}`)).toBeUndefined()
  expect(JSON.stringify(page.data)).not.toContain('13812345678')
  expect(textOf(view, '#cv-exchange-only')).toBe('电话、邮箱、微信号、地址交换名片后可见')

  expect(textOf(page, '#visit-notice-text')).toBe(VISIT_NOTICES.visitor)
  expect(page.querySelector('#manage-visits')).toBeUndefined()
  expect(page.querySelector('#relation')).toBeUndefined()
  expect(setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '王小明的名片' }))

  const { days } = await callAs(backend.cloud, OWNER, 'cards', 'visitStats', { cardId: card.id })
  expect(days.reduce((n, d) => n + d.anonymous, 0)).toBeGreaterThanOrEqual(1)
})

test('the scene also works raw (c=<id>), a shared link’s ?id= works, and anything else is a clear empty state', async () => {
  const raw = render(pageId, { scene: encodeCardScene(card.id) })
  await waitFor('the card to load', () => raw.data.status !== 'loading')
  expect(raw.data.status).toBe('ready')
  expect(textOf(cardView(raw), '#cv-name')).toBe('王小明')

  const linked = await openById(card.id)
  expect(linked.data.status).toBe('ready')
  expect(textOf(cardView(linked), '#cv-name')).toBe('王小明')

  const bad = render(pageId, { scene: encodeURIComponent('x=abc') })
  await simulate.sleep(10)
  expect(bad.data.status).toBe('empty')
  expect(textOf(bad, '#page-state')).toContain('没有找到这张名片')
  await tap(bad, '#go-home', () => switchTab.mock.calls.length === 1)
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  // Nothing was asked of the backend for a code that is not a card's.
  expect(backend.callFunction.mock.calls.some(([param]) => JSON.stringify(param.data).includes('x=abc'))).toBe(false)
})

test('a card whose owner has not granted「公开展示我的名片」is hidden: an empty state that says so, nothing of the card', async () => {
  const page = await openById(hiddenCard.id)
  expect(page.data.status).toBe('empty')
  expect(textOf(page, '#page-state')).toContain('这张名片暂不公开')
  expect(page.dom?.textContent).not.toContain('李不公开')
  expect(page.querySelector('#go-home')).toBeDefined()
})

test('saving without an account offers registration instead', async () => {
  const page = await openById(card.id)
  await tap(page, '#save-button', () => page.data.busy === '' && page.data.needRegister)
  expect(textOf(page, '#register-offer')).toContain('注册后即可保存和交换名片')
  await tap(page, '#register-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/consent/register' })
})

test('an account that has not accepted the terms is offered registration too', async () => {
  await callAs(backend.cloud, viewer, 'account', 'login', {})
  const page = await openById(card.id)
  await tap(page, '#save-button', () => page.data.busy === '' && page.data.needRegister)
  expect(page.querySelector('#register-offer')).toBeDefined()
  expect(page.data.saved).toBe(false)
})

test('a registered stranger saves the card to the holder; the visit is recorded when they allow it, with how to turn it off', async () => {
  await member(backend.cloud, viewer, { personalization: true })
  const page = await openById(card.id)
  expect(textOf(page, '#visit-notice-text')).toBe(VISIT_NOTICES.recorded)
  expect(attrOf(page, '#manage-visits', 'aria-role')).toBe('link')
  await tap(page, '#manage-visits', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/privacy/index' })

  await tap(page, '#save-button', () => page.data.busy === '' && page.data.saved)
  expect(textOf(page, '#action-message')).toContain('已保存到名片夹')
  expect(textOf(page, '#saved')).toContain('已在你的名片夹中')
  const { items } = await callAs(backend.cloud, viewer, 'cards', 'holderList', {})
  expect(items.map((i) => i.cardId)).toEqual([card.id])

  // Opened again: already saved.
  const again = await openById(card.id)
  expect(again.data.saved).toBe(true)
  expect(again.querySelector('#save-button')).toBeUndefined()

  const { visitors } = await callAs(backend.cloud, OWNER, 'cards', 'visitors', { cardId: card.id })
  expect(visitors.some((v) => v.nickname.length > 0)).toBe(true)
})

test('an exchanged contact sees the「交换名片后可见」fields too', async () => {
  const mine = await cardOwner(backend.cloud, viewer, { input: { ...SAMPLE_CARD, name: '赵交换', phone: '13900001111' } })
  await exchange(backend.cloud, { openid: viewer, cardId: mine.id }, { openid: OWNER, cardId: card.id })

  const page = await openById(card.id)
  expect(page.data.relation).toBe('exchanged')
  expect(textOf(page, '#relation')).toBe('你们已交换名片')
  const view = cardView(page)
  expect(textOf(view, '#cv-value-phone')).toBe('13812345678')
  expect(textOf(view, '#cv-value-email')).toBe('xiaoming@example.com')
  expect(textOf(view, '#cv-value-wechatId')).toBe('wxm_2024')
  expect(textOf(view, '#cv-value-address')).toBe('北京市海淀区中关村大街1号')
  expect(view.querySelector('#cv-exchange-only')).toBeUndefined()
  expect(textOf(page, '#exchange-status')).toBe('已交换名片')
  expect(page.querySelector('#exchange-button')).toBeUndefined()
})

test('exchanging: without a card of my own the page offers to create one; with one, the request is sent and the owner can accept it', async () => {
  await member(backend.cloud, viewer)
  const page = await openById(card.id)
  await tap(page, '#exchange-button', () => page.data.busy === '' && page.data.needCard)
  expect(textOf(page, '#card-offer')).toContain('先创建你自己的名片')
  await tap(page, '#create-card-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/packageCards/pages/editor/index' })

  // Now with a card of my own (made elsewhere).
  const other = `${viewer}-b`
  backend.signIn(other)
  const mine = await cardOwner(backend.cloud, other, { input: { ...SAMPLE_CARD, name: '钱交换' } })
  const second = await openById(card.id)
  await tap(second, '#exchange-button', () => second.data.busy === '' && second.data.exchange !== null)
  expect(textOf(second, '#exchange-status')).toBe('已发出交换请求，等待对方回应')
  expect(textOf(second, '#action-message')).toContain('已用「钱交换」发出交换请求')

  const { exchanges } = await callAs(backend.cloud, OWNER, 'cards', 'exchangeList', { box: 'incoming', status: 'pending' })
  const request = exchanges.find((x) => x.theirCard?.id === mine.id)
  expect(request).toBeDefined()

  // The owner opens my card from the request: accepts on the landing page.
  backend.signIn(OWNER)
  const ownerView = await openById(mine.id)
  expect(textOf(ownerView, '#exchange-status')).toBe('对方想和你交换名片')
  await tap(ownerView, '#exchange-accept', () => ownerView.data.busy === '' && ownerView.data.relation === 'exchanged')
  expect(textOf(ownerView, '#action-message')).toContain('已交换名片')
  expect(textOf(cardView(ownerView), '#cv-value-phone')).toBe('13812345678')
})

test('exchanging with a card but without「公开展示我的名片」offers to grant it, then the exchange goes through', async () => {
  await cardOwner(backend.cloud, viewer, { publicCard: false, input: { ...SAMPLE_CARD, name: '孙未同意' } })
  const page = await openById(card.id)
  await tap(page, '#exchange-button', () => page.data.busy === '' && page.data.needConsent)
  expect(textOf(page, '#consent-offer')).toContain('同意「公开展示我的名片」')
  await tap(page, '#read-consent-notice', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo.mock.calls[0]?.[0].url).toBe('/pages/legal/doc?docId=notice-public-card')

  await tap(page, '#grant-consent-button', () => page.data.busy === '' && !page.data.needConsent)
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '同意「公开展示我的名片」？' }))
  expect(textOf(page, '#action-message')).toContain('已同意「公开展示我的名片」')
  const { status } = await callAs(backend.cloud, viewer, 'consent', 'status', {})
  expect(status.purposes.find((p) => p.purpose === 'publicCard')?.state).toBe('granted')

  await tap(page, '#exchange-button', () => page.data.busy === '' && page.data.exchange !== null)
  expect(textOf(page, '#exchange-status')).toBe('已发出交换请求，等待对方回应')
})

test('declining the consent question changes nothing', async () => {
  await cardOwner(backend.cloud, viewer, { publicCard: false, input: { ...SAMPLE_CARD, name: '周再想想' } })
  const page = await openById(card.id)
  await tap(page, '#exchange-button', () => page.data.busy === '' && page.data.needConsent)
  showModal.mockImplementationOnce(async () => modalAnswer(false))
  await tap(page, '#grant-consent-button', () => page.data.busy === '' && showModal.mock.calls.length === 1)
  expect(page.data.needConsent).toBe(true)
  const { status } = await callAs(backend.cloud, viewer, 'consent', 'status', {})
  expect(status.purposes.find((p) => p.purpose === 'publicCard')?.state).not.toBe('granted')
})

test('存入手机通讯录 passes only the fields the viewer can see', async () => {
  const page = await openById(card.id)
  await tap(page, '#contact-button', () => addPhoneContact.mock.calls.length === 1 && page.data.busy === '')
  const contact = addPhoneContact.mock.calls[0]?.[0]
  expect(contact).toMatchObject({ firstName: '王小明', title: '产品经理', organization: '乐聊科技', url: 'https://example.com' })
  expect(contact?.mobilePhoneNumber).toBeUndefined()
  expect(contact?.email).toBeUndefined()
  expect(contact?.weChatNumber).toBeUndefined()
  expect(textOf(page, '#action-message')).toBe('已存入手机通讯录')

  // A WeChat without the API says so.
  Reflect.deleteProperty(wx, 'addPhoneContact')
  try {
    await tap(page, '#contact-button', () => page.data.message.includes('不支持'))
  } finally {
    Object.assign(wx, { addPhoneContact })
  }
})

test('sharing to a chat sends the card page with the card id', async () => {
  const page = await openById(card.id)
  const share = (page.instance as unknown as { onShareAppMessage(): { title: string; path: string } }).onShareAppMessage()
  expect(share).toEqual({ title: '王小明的名片', path: `/pages/card/index?id=${card.id}` })
  expect(attrOf(page, '#share-button', 'open-type')).toBe('share')
})

test('the owner sees the moderation state, can edit, and saves a poster with the card’s QR code', async () => {
  backend.signIn(OWNER)
  const page = await openById(card.id)
  expect(page.data.relation).toBe('owner')
  expect(textOf(page, '#relation')).toBe('这是你的名片')
  expect(textOf(page, '#own-moderation')).toBe('已发布')
  expect(page.querySelector('#own-shown')).toBeDefined()
  expect(page.querySelector('#save-button')).toBeUndefined()
  expect(page.querySelector('#exchange-button')).toBeUndefined()
  expect(textOf(page, '#visit-notice-text')).toBe(VISIT_NOTICES.own)
  // The owner sees every field.
  expect(textOf(cardView(page), '#cv-value-phone')).toBe('13812345678')

  await tap(page, '#edit-button', () => navigateTo.mock.calls.length === 1)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/packageCards/pages/editor/index?cardId=${card.id}` })

  // Without the canvas APIs (older WeChat) the page says the poster is not supported, before asking for the QR code.
  const wxTable = wx as unknown as Record<string, unknown>
  const originals = Object.fromEntries(POSTER_APIS.map((key) => [key, wxTable[key]]))
  for (const key of POSTER_APIS) Reflect.deleteProperty(wx, key)
  const calls = backend.callFunction.mock.calls.length
  await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
  expect(textOf(page, '#action-message')).toBe('当前微信版本不支持生成海报，请升级微信后再试')
  expect(backend.callFunction.mock.calls.length).toBe(calls)

  // With them: the QR image is written as a file, drawn with the card, and saved to the album.
  const { writeFile, drawn, saveImageToPhotosAlbum } = installPosterMocks()
  try {
    page.setData({ message: '' })
    await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
    expect(textOf(page, '#action-message')).toBe('海报已保存到相册，可以发给朋友或发朋友圈')
    const written = writeFile.mock.calls[0]?.[0]
    expect(written?.encoding).toBe('base64')
    expect(written?.filePath).toMatch(new RegExp(`card-qr-${card.id}\\.png$`))
    const qr = await callAs(backend.cloud, OWNER, 'cards', 'qrCode', { cardId: card.id })
    expect(written?.data).toBe(qr.imageBase64)
    expect(drawn).toEqual(expect.arrayContaining(['王小明', '已实名', '微信扫码，查看我的名片', `image:${written?.filePath}`]))
    // A poster is passed on to anyone: what the owner keeps for exchanged contacts (the default for contact details) is not on it.
    const poster = drawn.join('\n')
    for (const hidden of [SAMPLE_CARD.phone, SAMPLE_CARD.email, SAMPLE_CARD.wechatId, SAMPLE_CARD.address]) expect(poster).not.toContain(hidden)
    expect(poster).toContain('产品经理 · 乐聊科技')
    expect(poster).not.toContain('交换名片后可见')
    expect(saveImageToPhotosAlbum).toHaveBeenCalledWith({ filePath: 'http://tmp/poster.png' })

    // Refused permission to the album: the page says how to allow it.
    saveImageToPhotosAlbum.mockRejectedValueOnce({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' })
    page.setData({ message: '' })
    await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
    expect(textOf(page, '#action-message')).toContain('没有保存到相册的权限')
  } finally {
    Object.assign(wx, originals)
  }
})

test('a network failure is an error state with a retry', async () => {
  backend.setNetworkDown(true)
  try {
    const page = await openById(card.id)
    expect(page.data.status).toBe('error')
    backend.setNetworkDown(false)
    page.querySelector('#page-state')?.querySelector('#retry')?.dispatchEvent('tap')
    await waitFor('the retry', () => page.data.status === 'ready')
    expect(textOf(cardView(page), '#cv-name')).toBe('王小明')
  } finally {
    backend.setNetworkDown(false)
  }
})

test('registration accepted elsewhere: back on the page, saving works', async () => {
  const page = await openById(card.id)
  await tap(page, '#save-button', () => page.data.busy === '' && page.data.needRegister)
  await acceptCurrentTerms(backend.cloud, viewer)
  // The page shows again after registration.
  showPage(page)
  await waitFor('the page to refresh', () => !page.data.needRegister)
  await tap(page, '#save-button', () => page.data.busy === '' && page.data.saved)
})

test('the owner’s poster draws the fields made public, and a cloud:// avatar through a temporary link (the initial when there is none)', async () => {
  const owner = `${viewer}-poster-owner`
  const own = await cardOwner(backend.cloud, owner, { input: { ...SAMPLE_CARD, name: '许海报', visibility: { phone: 'public', email: 'hidden' } }, ownAvatar: 'cards/avatar.png' })
  const avatarUrl = own.avatarUrl ?? ''
  expect(avatarUrl).toMatch(/^cloud:\/\//)
  backend.signIn(owner)
  const page = await openById(own.id)
  expect(page.data.relation).toBe('owner')

  const getTempFileURL = jest.fn(async (options: { fileList: string[] }) => ({
    fileList: options.fileList.map((fileID) => ({ fileID, tempFileURL: 'https://tmp.example.com/avatar.png', maxAge: 600, status: 0, errMsg: 'ok' })),
    errMsg: 'cloud.getTempFileURL:ok',
  }))
  const cloudTable = wx.cloud as unknown as Record<string, unknown>
  const originalGetTempFileURL = cloudTable.getTempFileURL
  await withPosterApis(async () => {
    try {
      Object.assign(wx.cloud, { getTempFileURL })
      const { drawn } = installPosterMocks()
      await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
      expect(textOf(page, '#action-message')).toBe('海报已保存到相册，可以发给朋友或发朋友圈')
      expect(getTempFileURL).toHaveBeenCalledWith({ fileList: [avatarUrl] })
      expect(drawn).toContain('image:https://tmp.example.com/avatar.png')
      const poster = drawn.join('\n')
      // The phone was made public: it is on the poster; the rest is not.
      expect(poster).toContain(SAMPLE_CARD.phone)
      for (const hidden of [SAMPLE_CARD.email, SAMPLE_CARD.wechatId, SAMPLE_CARD.address]) expect(poster).not.toContain(hidden)
      expect(poster).not.toContain(avatarUrl)

      // No temporary link to be had: the initial instead of an empty circle.
      getTempFileURL.mockRejectedValueOnce({ errMsg: 'cloud.getTempFileURL:fail' })
      drawn.length = 0
      page.setData({ message: '' })
      await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
      expect(drawn).toContain('许')
      expect(drawn.some((d) => d.startsWith('image:https://tmp.example.com'))).toBe(false)

      // An older base library without the API: the same.
      Reflect.deleteProperty(wx.cloud, 'getTempFileURL')
      drawn.length = 0
      page.setData({ message: '' })
      await tap(page, '#poster-button', () => page.data.busy === '' && page.data.message !== '')
      expect(textOf(page, '#action-message')).toBe('海报已保存到相册，可以发给朋友或发朋友圈')
      expect(drawn).toContain('许')
    } finally {
      cloudTable.getTempFileURL = originalGetTempFileURL
    }
  })
})

test('以陌生人身份预览: the owner sees the card as strangers do (public fields, what an exchange would show), and back', async () => {
  backend.signIn(OWNER)
  const page = await openById(card.id)
  const view = cardView(page)
  expect(textOf(view, '#cv-value-phone')).toBe('13812345678')
  expect(page.querySelector('#preview-banner')).toBeUndefined()
  expect(textOf(page, '#preview-button')).toBe('以陌生人身份预览')

  await tap(page, '#preview-button', () => page.data.busy === '' && page.data.previewing)
  expect(textOf(page, '#preview-banner')).toContain('以陌生人身份预览')
  for (const key of ['phone', 'email', 'wechatId', 'address']) expect(cardView(page).querySelector(`#cv-row-${key}`)).toBeUndefined()
  expect(textOf(cardView(page), '#cv-exchange-only')).toBe('电话、邮箱、微信号、地址交换名片后可见')
  expect(textOf(cardView(page), '#cv-headline')).toBe('产品经理 · 乐聊科技')
  expect(textOf(page, '#preview-button')).toBe('退出预览')
  expect(attrOf(page, '#preview-button', 'aria-label')).toBe('退出预览，查看完整名片')

  await tap(page, '#preview-button', () => !page.data.previewing)
  expect(page.querySelector('#preview-banner')).toBeUndefined()
  expect(textOf(cardView(page), '#cv-value-phone')).toBe('13812345678')
})

test('我的名片’s 预览 (?preview=public) opens the owner’s card in the stranger’s view; for anyone else it changes nothing', async () => {
  backend.signIn(OWNER)
  const page = render(pageId, { preview: 'public' })
  ;(page.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ id: card.id, preview: 'public' })
  await waitFor('the preview', () => page.data.status === 'ready' && page.data.previewing && page.data.busy === '')
  expect(cardView(page).querySelector('#cv-row-phone')).toBeUndefined()
  expect(textOf(page, '#preview-banner')).toContain('只显示你设为「公开」的内容')

  backend.signIn(viewer)
  const stranger = render(pageId, { preview: 'public' })
  ;(stranger.instance as unknown as { onLoad(query: Record<string, string>): void }).onLoad({ id: card.id, preview: 'public' })
  await waitFor('the card', () => stranger.data.status === 'ready')
  await simulate.sleep(10)
  expect(stranger.data.previewing).toBe(false)
  expect(stranger.querySelector('#preview-button')).toBeUndefined()
})

test('the owner’s page shows the card as edited when it shows again (back from the editor), in the preview too', async () => {
  const owner = `${viewer}-edits`
  const own = await cardOwner(backend.cloud, owner, { input: { ...SAMPLE_CARD, name: '陈编辑' } })
  backend.signIn(owner)
  const page = await openById(own.id)
  expect(textOf(cardView(page), '#cv-headline')).toBe('产品经理 · 乐聊科技')

  await callAs(backend.cloud, owner, 'cards', 'update', { cardId: own.id, card: { ...SAMPLE_CARD, name: '陈编辑', title: '产品总监' } })
  showPage(page)
  await waitFor('the edited card', () => textOf(cardView(page), '#cv-headline') === '产品总监 · 乐聊科技')

  await tap(page, '#preview-button', () => page.data.busy === '' && page.data.previewing)
  await callAs(backend.cloud, owner, 'cards', 'update', { cardId: own.id, card: { ...SAMPLE_CARD, name: '陈编辑', title: '副总裁', visibility: { phone: 'public' } } })
  showPage(page)
  await waitFor('the edited preview', () => textOf(cardView(page), '#cv-headline') === '副总裁 · 乐聊科技')
  expect(page.data.previewing).toBe(true)
  expect(textOf(cardView(page), '#cv-value-phone')).toBe('13812345678')
  expect(cardView(page).querySelector('#cv-row-email')).toBeUndefined()
})

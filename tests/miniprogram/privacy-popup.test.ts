import simulate from 'miniprogram-simulate'
import { load, textOf } from './helpers'

type Answer = { event: 'agree'; buttonId: string } | { event: 'disagree' }
type Resolve = (answer: Answer) => void
type Listener = (resolve: Resolve, eventInfo: { referrer: string }) => void

const popupId = load('components/privacy-popup/index')

let listener: Listener | null = null
const onNeedPrivacyAuthorization = jest.fn((l: Listener) => {
  listener = l
})
const openPrivacyContract = jest.fn((_options: object) => undefined)
const showToast = jest.fn((_options: { title: string }) => undefined)

function mount() {
  const popup = simulate.render(popupId)
  popup.attach(document.createElement('parent-wrapper'))
  return popup
}

/** What WeChat does when a privacy-relevant API is called before the user agreed. */
function needAuthorization(referrer = 'chooseAvatar'): jest.Mock<void, [Answer]> {
  if (!listener) throw new Error('the popup never registered wx.onNeedPrivacyAuthorization')
  const resolve = jest.fn<void, [Answer]>()
  listener(resolve, { referrer })
  return resolve
}

function visible(popup: ReturnType<typeof mount>): boolean {
  return popup.querySelector('#privacy-agree') !== undefined
}

// Runs first: the component must cope with base libraries that predate privacy authorization.
test('on a base library without the privacy API the popup stays hidden and nothing throws', () => {
  const popup = mount()
  expect(visible(popup)).toBe(false)
  popup.detach()
})

describe('with the privacy API', () => {
  beforeAll(() => {
    Object.assign(wx, { onNeedPrivacyAuthorization, openPrivacyContract, showToast })
  })

  test('stays hidden until WeChat asks, then explains and links the privacy guide', async () => {
    const popup = mount()
    expect(onNeedPrivacyAuthorization).toHaveBeenCalledTimes(1)
    expect(visible(popup)).toBe(false)

    const resolve = needAuthorization()
    expect(visible(popup)).toBe(true)
    expect(textOf(popup, '#privacy-contract')).toBe('《乐聊名片小程序隐私保护指引》')
    expect(resolve).not.toHaveBeenCalled()

    popup.querySelector('#privacy-contract')?.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(openPrivacyContract).toHaveBeenCalledTimes(1)

    popup.querySelector('#privacy-disagree')?.dispatchEvent('tap')
    popup.detach()
  })

  test('agree resolves the pending request with the id of the button the user tapped', async () => {
    const popup = mount()
    const resolve = needAuthorization()

    popup.querySelector('#privacy-agree')?.dispatchEvent('agreeprivacyauthorization')
    await simulate.sleep(0)

    expect(resolve).toHaveBeenCalledTimes(1)
    expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: 'privacy-agree' })
    expect(visible(popup)).toBe(false)
    popup.detach()
  })

  test('disagree resolves every waiting request with disagree and closes', async () => {
    const popup = mount()
    const first = needAuthorization('chooseAvatar')
    const second = needAuthorization('input.nickname')

    popup.querySelector('#privacy-disagree')?.dispatchEvent('tap')
    await simulate.sleep(0)

    expect(first).toHaveBeenCalledWith({ event: 'disagree' })
    expect(second).toHaveBeenCalledWith({ event: 'disagree' })
    expect(first).toHaveBeenCalledTimes(1)
    expect(visible(popup)).toBe(false)
    popup.detach()
  })

  test('only the top-most page shows the popup; closing that page hands the request down', async () => {
    const lower = mount()
    const upper = mount()
    const resolve = needAuthorization()
    expect(visible(upper)).toBe(true)
    expect(visible(lower)).toBe(false)

    upper.detach()
    expect(visible(lower)).toBe(true)

    lower.querySelector('#privacy-agree')?.dispatchEvent('agreeprivacyauthorization')
    await simulate.sleep(0)
    expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: 'privacy-agree' })
    lower.detach()
  })

  test('the listener is registered once however many popups attach', () => {
    const a = mount()
    const b = mount()
    expect(onNeedPrivacyAuthorization).toHaveBeenCalledTimes(1)
    a.detach()
    b.detach()
  })

  test('without wx.openPrivacyContract the link tells the user to update WeChat', async () => {
    const saved = wx.openPrivacyContract
    Reflect.deleteProperty(wx, 'openPrivacyContract')
    try {
      const popup = mount()
      needAuthorization()
      popup.querySelector('#privacy-contract')?.dispatchEvent('tap')
      await simulate.sleep(0)
      expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请升级微信后查看隐私保护指引' }))
      popup.querySelector('#privacy-disagree')?.dispatchEvent('tap')
      popup.detach()
    } finally {
      Object.assign(wx, { openPrivacyContract: saved })
    }
  })
})

/**
 * The build bundles app.ts and every page on its own, so each has its own copy
 * of the api client and of utils/hub. These tests load such copies separately
 * (jest.isolateModules) and check that they still meet through the App instance.
 */
import 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'

type HubModule = typeof import('../../miniprogram/utils/hub')
type ApiModule = typeof import('../../miniprogram/api')

const cloudConfig: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }

/** One "bundle": a fresh module registry, as a separately built page has. */
function bundle<T>(path: string): T {
  let loaded: T | undefined
  jest.isolateModules(() => {
    jest.doMock('../../miniprogram/config', () => ({ config: cloudConfig }))
    loaded = require(path) as T
  })
  if (!loaded) throw new Error(`could not load ${path}`)
  return loaded
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'getApp')
  Reflect.deleteProperty(globalThis, 'App')
  Reflect.deleteProperty(wx, 'cloud')
})

test('two bundles share one hub, kept on the App instance', () => {
  const appInstance: Record<string, unknown> = {}
  Object.assign(globalThis, { getApp: () => appInstance })
  const a = bundle<HubModule>('../../miniprogram/utils/hub')
  const b = bundle<HubModule>('../../miniprogram/utils/hub')
  expect(a.hub()).toBe(b.hub())
  expect(appInstance.__lechatHub).toBe(a.hub())
})

test('before App() exists (getApp throws), a bundle keeps working with its own hub', () => {
  Object.assign(globalThis, {
    getApp: () => {
      throw new Error('App is not defined yet')
    },
  })
  const a = bundle<HubModule>('../../miniprogram/utils/hub')
  expect(a.hub().blockedListeners).toEqual([])
})

test('the listener app.ts registers hears a refusal from a page’s own copy of the api client', async () => {
  // As in WeChat: the options given to App() become the instance that getApp() returns and `this` in onLaunch.
  let appInstance: { onLaunch?: () => void } = {}
  Object.assign(globalThis, { getApp: () => appInstance })
  const navigateTo = jest.fn((_options: { url: string }) => undefined)
  Object.assign(wx, {
    navigateTo,
    cloud: {
      init: jest.fn(),
      callFunction: jest.fn(async () => ({ result: { ok: false, error: { code: 'TERMS_NOT_ACCEPTED', message: '请先阅读并同意用户协议和隐私政策' } } })),
    },
  })

  // app.js: App() registers; onLaunch wires the hook.
  Object.assign(globalThis, {
    App: (options: { onLaunch?: () => void }) => {
      appInstance = options
    },
  })
  bundle<unknown>('../../miniprogram/app')
  expect(appInstance).toHaveProperty('__lechatHub')
  appInstance.onLaunch?.()

  // pages/me/index.js: its own api client.
  const page = bundle<ApiModule>('../../miniprogram/api')
  await expect(page.call('account', 'updateProfile', { nickname: '小乐' })).rejects.toMatchObject({ code: 'TERMS_NOT_ACCEPTED' })
  expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/consent/register' }))
})

/** app.ts: the cloud is initialized with the configured environment, and only in cloud mode; app.json's shape. */
import 'miniprogram-simulate'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppConfig } from '../../miniprogram/config'
import { INBOX_TAB_INDEX } from '../../miniprogram/utils/badge'
import { MINIPROGRAM_ROOT } from './helpers'

interface AppOptions {
  onLaunch?: () => void
}

function launch(config: AppConfig): jest.Mock {
  const init = jest.fn()
  Object.assign(wx, { cloud: { init } })
  let options: AppOptions = {}
  // miniprogram-simulate provides Component but not App.
  Object.assign(globalThis, {
    App: (o: AppOptions) => {
      options = o
    },
  })
  jest.isolateModules(() => {
    jest.doMock('../../miniprogram/config', () => ({ config }))
    require('../../miniprogram/app')
  })
  options.onLaunch?.()
  return init
}

test('cloud mode initializes wx.cloud with the configured environment', () => {
  const init = launch({ transport: 'cloud', envId: 'lechat-prod-1a2b', localUrl: '', devOpenid: '', subscribeTemplates: {} })
  expect(init).toHaveBeenCalledWith({ env: 'lechat-prod-1a2b', traceUser: true })
})

test('local mode leaves wx.cloud alone', () => {
  const init = launch({ transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '', subscribeTemplates: {} })
  expect(init).not.toHaveBeenCalled()
})

describe('app.json', () => {
  const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
    pages: string[]
    subpackages: Array<{ root: string; pages: string[] }>
    tabBar: { list: Array<{ pagePath: string }> }
    preloadRule: Record<string, { packages: string[] }>
  }

  test('the unread badge goes on the 消息 tab', () => {
    expect(app.tabBar.list[INBOX_TAB_INDEX]?.pagePath).toBe('pages/inbox/index')
  })

  test('registration is in the main package (reachable at first launch); documents and privacy settings load on demand', () => {
    expect(app.pages).toContain('pages/consent/register')
    const sub = (root: string) => app.subpackages.find((p) => p.root === root)?.pages.map((page) => `${root}/${page}`) ?? []
    expect(sub('pages/legal')).toEqual(['pages/legal/index', 'pages/legal/doc'])
    expect(sub('pages/privacy')).toEqual(['pages/privacy/index', 'pages/privacy/receipt'])
    // Registration links to the reader: its package is fetched as soon as registration opens.
    expect(app.preloadRule['pages/consent/register']?.packages).toContain('legal')
  })
})

test('on show, without a backend to reach, the app checks quietly (no crash, no popup, no navigation)', async () => {
  const navigateTo = jest.fn()
  Object.assign(wx, { navigateTo })
  let options: { onLaunch?: () => void; onShow?: () => void } = {}
  Object.assign(globalThis, {
    App: (o: typeof options) => {
      options = o
    },
  })
  Object.assign(wx, { cloud: { init: jest.fn() } })
  jest.isolateModules(() => {
    jest.doMock('../../miniprogram/config', () => ({
      config: { transport: 'cloud', envId: 'e', localUrl: '', devOpenid: '', subscribeTemplates: {} },
    }))
    require('../../miniprogram/app')
  })
  options.onLaunch?.()
  options.onShow?.()
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(navigateTo).not.toHaveBeenCalled()
})

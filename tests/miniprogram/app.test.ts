/** app.ts: the cloud is initialized with the configured environment, and only in cloud mode. */
import 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'

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
  const init = launch({ transport: 'cloud', envId: 'lechat-prod-1a2b', localUrl: '', devOpenid: '' })
  expect(init).toHaveBeenCalledWith({ env: 'lechat-prod-1a2b', traceUser: true })
})

test('local mode leaves wx.cloud alone', () => {
  const init = launch({ transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '' })
  expect(init).not.toHaveBeenCalled()
})

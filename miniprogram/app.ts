import { config } from './config'

App({
  onLaunch() {
    if (config.transport !== 'cloud') return
    // wx.cloud exists from base library 2.2.3; without it every call reports a network error.
    if (typeof wx.cloud !== 'object' || wx.cloud === null) {
      console.error('[乐聊名片] 当前基础库不支持云开发，请升级微信')
      return
    }
    wx.cloud.init(config.envId ? { env: config.envId, traceUser: true } : { traceUser: true })
  },
})

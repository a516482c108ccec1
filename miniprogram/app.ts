import { onBlocked } from './api'
import { config, faceIdSdk } from './config'
import { refreshUnreadBadge } from './utils/badge'
import { HUB_KEY, newHub } from './utils/hub'
import { checkTerms, routeBlocked } from './utils/terms'

App({
  // Every page and component is bundled on its own; they meet through this object on the App instance.
  [HUB_KEY]: newHub(),
  onLaunch() {
    // Every page's calls go through the api client: a call refused because the user has not
    // accepted the current agreement opens registration or the terms popup, from wherever it came.
    onBlocked(routeBlocked, this)
    // Tencent's guide: initialise its SDK once, when the app launches (wx.startVerify exists afterwards).
    faceIdSdk?.init()
    if (config.transport !== 'cloud') return
    // wx.cloud exists from base library 2.2.3; without it every call reports a network error.
    if (typeof wx.cloud !== 'object' || wx.cloud === null) {
      console.error('[乐聊名片] 当前基础库不支持云开发，请升级微信')
      return
    }
    wx.cloud.init(config.envId ? { env: config.envId, traceUser: true } : { traceUser: true })
  },
  onShow() {
    // Announced or newly effective versions, and the unread count, may have changed while the app was away.
    void checkTerms()
    void refreshUnreadBadge()
  },
})

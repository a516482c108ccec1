/**
 * Where the api client sends calls. This checked-in copy is the local-development
 * default; `npm run build` replaces it with a config.js written from
 * LECHAT_TARGET, LECHAT_CLOUD_ENV, LECHAT_LOCAL_URL and LECHAT_DEV_OPENID.
 */
export type Transport = 'local' | 'cloud'

export interface AppConfig {
  /** 'cloud': wx.cloud.callFunction; 'local': HTTP to the local cloud (development only). */
  transport: Transport
  /** CloudBase environment id for wx.cloud.init; empty means the default environment. */
  envId: string
  /** Base URL of the local cloud; its POST /call stands in for wx.cloud.callFunction. */
  localUrl: string
  /** Development identity sent as x-lechat-openid; empty lets the local cloud's switcher decide. */
  devOpenid: string
}

export const config: AppConfig = {
  transport: 'local',
  envId: '',
  localUrl: 'http://127.0.0.1:9696',
  devOpenid: '',
}

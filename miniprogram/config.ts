/**
 * Where the api client sends calls. This checked-in copy is the local-development
 * default; `npm run build` replaces it with a config.js written from
 * LECHAT_TARGET, LECHAT_CLOUD_ENV, LECHAT_LOCAL_URL, LECHAT_DEV_OPENID and
 * LECHAT_SUBSCRIBE_TEMPLATE_<TYPE> (one per message type, e.g. LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE).
 */
import type { MessageType } from '../shared/inbox'

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
  /**
   * WeChat subscribe-message template ids (from the mini-program console) per message type.
   * Types without a template are never asked for; with none at all the inbox hides the option.
   */
  subscribeTemplates: Partial<Record<MessageType, string>>
}

export const config: AppConfig = {
  transport: 'local',
  envId: '',
  localUrl: 'http://127.0.0.1:9696',
  devOpenid: '',
  subscribeTemplates: {},
}

/**
 * Tencent FaceID's mini-program SDK (verify_mpsdk), present only when the build
 * was given it (LECHAT_FACEID_SDK_DIR): it adds wx.startVerify once initialised.
 */
export interface FaceIdSdk {
  init(): void
}

export const faceIdSdk: FaceIdSdk | null = null

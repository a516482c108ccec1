import type { CallData } from '../../shared/contract'
import type { AppConfig } from '../config'

/**
 * Sends one call and resolves with the function's raw reply. Rejects with a
 * TransportFailure when the call could not be made or the reply was unusable.
 */
export type Transport = (name: string, data: CallData) => Promise<unknown>

export class TransportFailure extends Error {
  /** 'network': never reached the function; 'badReply': something answered, but not with a result. */
  readonly kind: 'network' | 'badReply'

  constructor(kind: 'network' | 'badReply', message: string) {
    super(message)
    this.name = 'TransportFailure'
    this.kind = kind
    Object.setPrototypeOf(this, TransportFailure.prototype)
  }
}

function errMsgOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'errMsg' in error) return String(error.errMsg)
  return error instanceof Error ? error.message : String(error)
}

/** Production: the function runs in CloudBase; WeChat adds the caller's OPENID itself. */
export function cloudTransport(): Transport {
  return async (name, data) => {
    // wx.cloud is absent below base library 2.2.3 and in tools that do not emulate it.
    if (typeof wx.cloud !== 'object' || wx.cloud === null) {
      throw new TransportFailure('network', 'wx.cloud is not available')
    }
    let res: ICloud.CallFunctionResult
    try {
      res = await wx.cloud.callFunction({ name, data: { ...data } })
    } catch (error) {
      throw new TransportFailure('network', errMsgOf(error))
    }
    return res.result
  }
}

export interface LocalTransportOptions {
  /** Base URL of the local cloud, e.g. http://127.0.0.1:9696 */
  url: string
  /** Development identity; empty lets the local cloud use the identity selected in its switcher. */
  openid: () => string
  timeoutMs?: number
}

/** Development: POST {name, data} to the local cloud, which runs the same dispatcher as the cloud. */
export function localTransport(options: LocalTransportOptions): Transport {
  const endpoint = `${options.url.replace(/\/+$/, '')}/call`
  return (name, data) =>
    new Promise<unknown>((resolve, reject) => {
      const header: Record<string, string> = { 'content-type': 'application/json' }
      const openid = options.openid()
      if (openid) header['x-lechat-openid'] = openid
      wx.request({
        url: endpoint,
        method: 'POST',
        header,
        data: { name, data },
        dataType: 'json',
        timeout: options.timeoutMs ?? 15000,
        success: (res) => {
          if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data)
          else reject(new TransportFailure('badReply', `HTTP ${res.statusCode} from ${endpoint}: ${JSON.stringify(res.data)}`))
        },
        fail: (error) => reject(new TransportFailure('network', errMsgOf(error))),
      })
    })
}

export function transportFor(config: AppConfig): Transport {
  return config.transport === 'cloud'
    ? cloudTransport()
    : localTransport({ url: config.localUrl, openid: () => config.devOpenid })
}

/**
 * Mini-program codes (小程序码) through `wxacode.getUnlimited`, behind a port:
 * production makes the cloud call (listed under `permissions.openapi` in the
 * function's config.json; wx-server-sdk turns camelCase into WeChat's
 * snake_case and answers an image with `{ contentType, buffer }`); the local
 * cloud and the tests draw a plain, scannable QR code (sandbox-wxacode.ts).
 * The port comes with the open APIs: `ctx.openApi.wxacode`.
 * The scene is what either code carries; the card page reads it from `options.scene`.
 */
import { SCENE_MAX } from '../../../shared/cards'

export interface CodeRequest {
  /** ≤ 32 visible characters (digits, letters and !#$&'()*+,/:;=?@-._~). */
  scene: string
  /** A page path without a leading slash or query. */
  page: string
  /** Pixels, 280–1280 (WeChat's default 430). */
  width?: number
}

export interface CodeImage {
  contentType: 'image/png' | 'image/jpeg'
  buffer: Buffer
}

export interface WxacodePort {
  readonly provider: 'wechat' | 'sandbox'
  getUnlimited(request: CodeRequest): Promise<CodeImage>
}

const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/

export function assertScene(scene: string): void {
  if (scene.length === 0 || scene.length > SCENE_MAX || !SCENE_CHARS.test(scene)) throw new Error(`invalid wxacode scene: ${JSON.stringify(scene)}`)
}

/** The part of `cloud.openapi` this port uses. */
export interface WxacodeClient {
  getUnlimited(input: Record<string, unknown>): Promise<unknown>
}

export interface WechatWxacodeOptions {
  /** release (正式版), trial (体验版) or develop (开发版). */
  envVersion: 'release' | 'trial' | 'develop'
  /** WeChat refuses pages of unpublished versions unless false. */
  checkPath: boolean
}

export function wechatWxacode(client: WxacodeClient, options: WechatWxacodeOptions = { envVersion: 'release', checkPath: true }): WxacodePort {
  return {
    provider: 'wechat',
    async getUnlimited({ scene, page, width }) {
      assertScene(scene)
      const reply = (await client.getUnlimited({
        scene,
        page,
        checkPath: options.checkPath,
        envVersion: options.envVersion,
        width: width ?? 430,
      })) as { contentType?: unknown; buffer?: unknown; errCode?: unknown; errMsg?: unknown }
      if (!Buffer.isBuffer(reply.buffer) || reply.buffer.length === 0) {
        throw new Error(`wxacode.getUnlimited returned no image: ${String(reply.errCode)} ${String(reply.errMsg)}`)
      }
      const contentType = typeof reply.contentType === 'string' && reply.contentType.includes('png') ? 'image/png' : 'image/jpeg'
      return { contentType, buffer: reply.buffer }
    },
  }
}

/**
 * WeChat open APIs used by the product, behind one port so that handlers never
 * call `cloud.openapi` directly: production uses cloud calls (listed under
 * `permissions.openapi` in each function's config.json), local and tests use
 * the sandbox (sandbox-openapi.ts, never imported by a deployed function).
 */

import { wechatWxacode, type WxacodeClient, type WxacodePort } from './wxacode'

/** msgSecCheck v2 and mediaCheckAsync v2 verdicts: `review` means a person must look at it. */
export type TextVerdict = 'pass' | 'review' | 'risky'
export type MediaVerdict = TextVerdict

/** msgSecCheck v2 / mediaCheckAsync v2 scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type SecurityScene = 1 | 2 | 3 | 4

export interface TextCheckResult {
  suggest: TextVerdict
  /** WeChat's numeric label: 100 normal, 10001 ad, 20001 politics, 20002 porn … */
  label: number
}

export interface MediaCheckRequest {
  /** The author, who must have used the mini-program within the last two hours. */
  openid: string
  scene: SecurityScene
  /** A URL WeChat can download (a cloud:// file id is not one: see `tempFileUrl`). */
  mediaUrl: string
  /** 2 = image (1 would be audio). */
  mediaType: 2
}

export interface SubscribeMessage {
  touser: string
  templateId: string
  page?: string
  data: Record<string, { value: string }>
}

export interface OpenApi {
  readonly provider: 'wechat' | 'sandbox'
  msgSecCheck(input: { openid: string; scene: SecurityScene; content: string }): Promise<TextCheckResult>
  /**
   * Submits an image for the asynchronous check. The verdict arrives later as
   * the `wxa_media_check` message push (within 30 minutes, WeChat says),
   * matched by `traceId`; see cloudfunctions/_core/moderation/media.ts.
   */
  mediaCheckAsync(input: MediaCheckRequest): Promise<{ traceId: string }>
  /** A downloadable URL for a cloud storage file id (`cloud://…`), valid long enough for the image check. */
  tempFileUrl(fileId: string): Promise<string>
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>
  /** Mini-program codes (wxacode.getUnlimited). */
  readonly wxacode: WxacodePort
}

/** Trigger words of the sandbox text check, documented in the README for testers. */
export const SANDBOX_TEXT_TRIGGERS: ReadonlyArray<{ word: string; suggest: TextVerdict; label: number }> = [
  { word: '沙箱违规', suggest: 'risky', label: 20006 },
  { word: '沙箱广告', suggest: 'risky', label: 10001 },
  { word: '沙箱待审', suggest: 'review', label: 21000 },
]

/**
 * Trigger words of the sandbox image check, looked for in the file id (or URL):
 * upload a file named e.g. `沙箱违规图.png` to see a refusal. Everything else passes.
 */
export const SANDBOX_IMAGE_TRIGGERS: ReadonlyArray<{ word: string; suggest: MediaVerdict; label: number }> = [
  { word: '沙箱违规图', suggest: 'risky', label: 20002 },
  { word: '沙箱待审图', suggest: 'review', label: 21000 },
]

/** The sandbox's verdict on an image: decided by its file id, so tests and testers choose it by naming the file. */
export function sandboxMediaVerdict(fileIdOrUrl: string): { suggest: MediaVerdict; label: number } {
  let text = fileIdOrUrl
  try {
    text = decodeURIComponent(fileIdOrUrl)
  } catch {
    // Not percent-encoded: look at it as it is.
  }
  const hit = SANDBOX_IMAGE_TRIGGERS.find((t) => text.includes(t.word))
  return hit ? { suggest: hit.suggest, label: hit.label } : { suggest: 'pass', label: 100 }
}

/** The sandbox's stand-in for getTempFileURL: any URL will do, this one still names the file. */
export const SANDBOX_FILE_URL_PREFIX = 'https://sandbox-storage.lechat.invalid/'

interface WechatOpenApiClient {
  security: {
    msgSecCheck(input: Record<string, unknown>): Promise<unknown>
    mediaCheckAsync(input: Record<string, unknown>): Promise<unknown>
  }
  subscribeMessage: { send(input: Record<string, unknown>): Promise<unknown> }
  wxacode: WxacodeClient
}

/** The part of wx-server-sdk's `cloud` that turns file ids into URLs. */
interface WechatStorageClient {
  getTempFileURL(input: { fileList: Array<string | { fileID: string; maxAge: number }> }): Promise<unknown>
}

/** Long enough for WeChat to fetch the image (it answers within 30 minutes). */
const MEDIA_URL_SECONDS = 2 * 3600

export function wechatOpenApi(client: WechatOpenApiClient, storage: WechatStorageClient): OpenApi {
  return {
    provider: 'wechat',
    async msgSecCheck({ openid, scene, content }) {
      const reply = (await client.security.msgSecCheck({ version: 2, openid, scene, content })) as {
        result?: { suggest?: unknown; label?: unknown }
      }
      const suggest = reply.result?.suggest
      const label = Number(reply.result?.label ?? 21000) || 21000
      // An answer we do not understand goes to people, never straight to publication.
      if (suggest === 'pass' || suggest === 'risky' || suggest === 'review') return { suggest, label }
      return { suggest: 'review', label }
    },
    async mediaCheckAsync({ openid, scene, mediaUrl, mediaType }) {
      // Cloud calls take camelCase parameters and answer `traceId` (HTTPS calls answer `trace_id`).
      const reply = (await client.security.mediaCheckAsync({ version: 2, openid, scene, mediaUrl, mediaType })) as {
        traceId?: unknown
        trace_id?: unknown
        errCode?: unknown
        errMsg?: unknown
      }
      const traceId = reply.traceId ?? reply.trace_id
      if (typeof traceId !== 'string' || traceId.length === 0) {
        throw new Error(`mediaCheckAsync answered without a trace id (errCode ${String(reply.errCode)} ${String(reply.errMsg)})`)
      }
      return { traceId }
    },
    async tempFileUrl(fileId) {
      const reply = (await storage.getTempFileURL({ fileList: [{ fileID: fileId, maxAge: MEDIA_URL_SECONDS }] })) as {
        fileList?: Array<{ tempFileURL?: unknown; status?: unknown; errMsg?: unknown }>
      }
      const item = reply.fileList?.[0]
      if (typeof item?.tempFileURL !== 'string' || !/^https?:\/\//.test(item.tempFileURL)) {
        throw new Error(`getTempFileURL gave no URL (status ${String(item?.status)} ${String(item?.errMsg)})`)
      }
      return item.tempFileURL
    },
    async sendSubscribeMessage(message) {
      await client.subscribeMessage.send({ ...message, miniprogramState: 'formal' })
    },
    wxacode: wechatWxacode(client.wxacode),
  }
}

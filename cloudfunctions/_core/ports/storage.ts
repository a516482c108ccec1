/**
 * Cloud storage (files the mini-program uploaded with wx.cloud.uploadFile,
 * named by `cloud://` file ids) behind a port, so that handlers never call
 * the SDK's storage directly: production deletes through `cloud.deleteFile`
 * (a cloud function may delete any file of its environment), local and tests
 * through the sandbox, which has no files and records what it was asked to
 * delete (`SandboxStorage.deleted`).
 */
import type { Context } from '../context'
import type { OpenApi } from './openapi'

/** What became of one file asked to be deleted. */
export interface FileDeletion {
  fileId: string
  /** Deleted now, or already gone. */
  deleted: boolean
  /** Why not, for the log (a status code, never the file id). */
  problem: string | null
}

export interface StoragePort {
  readonly provider: 'wechat' | 'sandbox'
  /**
   * Deletes files by file id, one outcome per file in the order given. A file
   * that could not be deleted is reported, not thrown; the call throws only
   * when storage could not be asked at all.
   */
  deleteFiles(fileIds: readonly string[]): Promise<FileDeletion[]>
}

/** CloudBase deletes at most 50 files per call. */
export const DELETE_BATCH = 50

/**
 * A file id the sandbox refuses to delete, for tests of what happens when
 * storage fails (as a word in the file id, like the sandbox's other triggers).
 */
export const SANDBOX_UNDELETABLE = '沙箱删除失败'

export interface SandboxStorage extends StoragePort {
  readonly provider: 'sandbox'
  /** Every file id asked to be deleted, in order (including refused ones). */
  readonly deleted: string[]
}

export function sandboxStorage(): SandboxStorage {
  const deleted: string[] = []
  return {
    provider: 'sandbox',
    deleted,
    async deleteFiles(fileIds) {
      deleted.push(...fileIds)
      return fileIds.map((fileId) =>
        fileId.includes(SANDBOX_UNDELETABLE) ? { fileId, deleted: false, problem: 'sandbox refusal' } : { fileId, deleted: true, problem: null },
      )
    },
  }
}

/** The part of wx-server-sdk's `cloud` this port uses. */
export interface WechatStorageClient {
  deleteFile(input: { fileList: string[] }): Promise<unknown> | void
}

/** CloudBase's answer for a file that does not exist (a retried erasure finds it gone). */
const ALREADY_GONE = /NONEXIST|NOT_?EXIST|not exist/i

export function wechatStorage(client: WechatStorageClient): StoragePort {
  return {
    provider: 'wechat',
    async deleteFiles(fileIds) {
      const outcomes: FileDeletion[] = []
      for (let i = 0; i < fileIds.length; i += DELETE_BATCH) {
        const batch = fileIds.slice(i, i + DELETE_BATCH)
        const reply = (await client.deleteFile({ fileList: batch })) as { fileList?: Array<{ fileID?: unknown; status?: unknown; errMsg?: unknown }> } | undefined
        const byId = new Map((reply?.fileList ?? []).map((item) => [String(item.fileID), item]))
        for (const fileId of batch) {
          const item = byId.get(fileId)
          if (!item) {
            outcomes.push({ fileId, deleted: false, problem: 'no answer' })
            continue
          }
          const ok = item.status === 0 || ALREADY_GONE.test(String(item.errMsg ?? ''))
          outcomes.push({ fileId, deleted: ok, problem: ok ? null : `status ${String(item.status)}` })
        }
      }
      return outcomes
    },
  }
}

function hasSandboxStorage(api: OpenApi): api is OpenApi & { storage: SandboxStorage } {
  return api.provider === 'sandbox' && 'storage' in api
}

/**
 * The port for this call: the cloud's when the function runs with WeChat's
 * open APIs (production; the SDK is loaded only then, after `createMain`
 * initialised it), otherwise the sandbox that came with the sandbox open APIs
 * (so a test sees what was deleted on `cloud.openApi.storage`).
 */
export function storageFor(ctx: Pick<Context, 'openApi'>): StoragePort {
  if (ctx.openApi.provider === 'wechat') {
    // Loaded lazily, as in wxacodeFor: locally the SDK must be pointed at the local cloud before it is first required.
    return wechatStorage(require('wx-server-sdk') as WechatStorageClient)
  }
  return hasSandboxStorage(ctx.openApi) ? ctx.openApi.storage : sandboxStorage()
}

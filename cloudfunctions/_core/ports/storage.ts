/**
 * Cloud storage (images people upload through `account.uploadImage`, named
 * by `cloud://` file ids) behind a port, so that handlers never call the
 * SDK's storage directly: production writes and deletes through
 * `cloud.uploadFile` / `cloud.deleteFile` (clients may not write storage at
 * all), local and tests through the sandbox, which keeps no bytes and records
 * what it was asked to write and delete.
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
  /** Writes a new file at `cloudPath` (a fresh name: nothing is ever overwritten) and resolves with its file id. */
  upload(cloudPath: string, bytes: Buffer): Promise<string>
}

/** CloudBase deletes at most 50 files per call. */
export const DELETE_BATCH = 50

/**
 * A file id the sandbox refuses to delete, for tests of what happens when
 * storage fails (as a word in the file id, like the sandbox's other triggers).
 */
export const SANDBOX_UNDELETABLE = '沙箱删除失败'

/** The environment and bucket the sandbox's file ids name, like a real `cloud://<env>.<bucket>/…`. */
export const SANDBOX_FILE_ID_PREFIX = 'cloud://env-1.6c65/'

export interface SandboxStorage extends StoragePort {
  readonly provider: 'sandbox'
  /** Every file id asked to be deleted, in order (including refused ones). */
  readonly deleted: string[]
  /** Every file written, in order, with its size. */
  readonly uploaded: Array<{ fileId: string; bytes: number }>
}

/**
 * `verdictWord`: the sandbox image check decides by a word in the file id
 * (openapi.ts); an uploaded file whose bytes carry such a word gets it in its
 * name, so testers and tests choose a verdict through a real upload.
 */
export function sandboxStorage(verdictWord: (bytes: Buffer) => string | null = () => null): SandboxStorage {
  const deleted: string[] = []
  const uploaded: Array<{ fileId: string; bytes: number }> = []
  return {
    provider: 'sandbox',
    deleted,
    uploaded,
    async upload(cloudPath, bytes) {
      const word = verdictWord(bytes)
      const fileId = `${SANDBOX_FILE_ID_PREFIX}${word ? cloudPath.replace(/(\.[a-z]+)$/, `-${word}$1`) : cloudPath}`
      uploaded.push({ fileId, bytes: bytes.length })
      return fileId
    },
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
  uploadFile(input: { cloudPath: string; fileContent: Buffer }): Promise<unknown>
}

/** CloudBase's answer for a file that does not exist (a retried erasure finds it gone). */
const ALREADY_GONE = /NONEXIST|NOT_?EXIST|not exist/i

export function wechatStorage(client: WechatStorageClient): StoragePort {
  return {
    provider: 'wechat',
    async upload(cloudPath, fileContent) {
      const reply = (await client.uploadFile({ cloudPath, fileContent })) as { fileID?: unknown } | undefined
      if (typeof reply?.fileID !== 'string' || !reply.fileID.startsWith('cloud://')) throw new Error('storage upload returned no file id')
      return reply.fileID
    },
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
    // Loaded lazily: locally the SDK must be pointed at the local cloud before it is first required.
    return wechatStorage(require('wx-server-sdk') as WechatStorageClient)
  }
  return hasSandboxStorage(ctx.openApi) ? ctx.openApi.storage : sandboxStorage()
}

/**
 * Images people upload, and whose files a document may name. Uploads come
 * through `account.uploadImage` only (clients may not write storage): the
 * bytes must be an image, and each is written under a fresh name in the
 * person's own folder, `u/<account id>/<kind>/…`, so nothing that passed
 * moderation can be overwritten. A function accepts in someone's documents
 * only `cloud://` files from that person's folder: otherwise anyone could put
 * another person's photo on their card (file ids are visible to whoever sees
 * the document) and keep it shown after that person's erasure deleted it.
 */
import { imageTypeOf, uploadFolderOf, type UploadKind } from '../../shared/uploads'
import { COLLECTIONS } from './collections'
import type { AccountContext } from './context'
import type { Collection, Doc, Store } from './db'
import type { ErasureRule, FileReference } from './data-rules'
import { fail } from './errors'
import type { ExportRule } from './data-rules'
import { orderedId } from './ids'
import { collectAll } from './paging'
import { storageFor } from './ports/storage'
import { takeDailyAllowance } from './rate-limit'

export { uploadFolderOf }

/**
 * Every upload, kept until the person's erasure: an image uploaded and never
 * used in a document is still theirs to see in the export and to have deleted.
 */
export interface UploadDoc extends Doc {
  openid: string
  kind: UploadKind
  fileId: string
  bytes: number
  createdAt: Date
}

export function uploadRecords(db: Store): Collection<UploadDoc> {
  return db.collection<UploadDoc>(COLLECTIONS.uploads)
}

/** Stores an uploaded image in the account's folder, records it, and returns its file id. */
export async function storeUpload(ctx: AccountContext, kind: UploadKind, base64: string): Promise<string> {
  const bytes = Buffer.from(base64, 'base64')
  const extension = imageTypeOf(bytes)
  if (extension === null) fail('INVALID_INPUT', '只能上传 JPG、PNG、WEBP 或 GIF 图片', [{ path: 'data', message: '这不是一张图片' }])
  await takeDailyAllowance(ctx, 'upload')
  const storage = storageFor(ctx)
  const fileId = await storage.upload(`${uploadFolderOf(ctx.account._id)}/${kind}/${orderedId(ctx.now)}${extension}`, bytes)
  try {
    // An ordered id: uploads made in the same millisecond keep their order in the export.
    await uploadRecords(ctx.db).add({ _id: orderedId(ctx.now), openid: ctx.openid, kind, fileId, bytes: bytes.length, createdAt: ctx.now })
  } catch (error) {
    // A file nobody has a record of could never be erased: take it back.
    await storage.deleteFiles([fileId]).catch(() => undefined)
    throw error
  }
  return fileId
}

/** Erasure deletes every file the person uploaded, used in a document or not. */
export const uploadFiles: FileReference = { collection: COLLECTIONS.uploads, owner: 'openid', fields: ['fileId'] }

export const uploadsErasure: ErasureRule = {
  collection: COLLECTIONS.uploads,
  title: '上传的图片',
  treatment: 'delete',
  detail: '图片文件与上传记录一并删除。',
  count: (ctx, s) => uploadRecords(ctx.db).count({ openid: s.openid }),
  erase: async (ctx, s) => void (await uploadRecords(ctx.db).removeWhere({ openid: s.openid })),
}

export const uploadsExport: ExportRule = {
  collection: COLLECTIONS.uploads,
  async sections(ctx, account) {
    const docs = await collectAll(ctx.db, uploadRecords(ctx.db), { openid: account.openid })
    return [
      {
        domain: 'uploads',
        title: '我上传的图片',
        records: docs
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : 1))
          .map((d) => ({ kind: d.kind, fileId: d.fileId, bytes: d.bytes, createdAt: d.createdAt.toISOString() })),
        note: null,
      },
    ]
  },
}

/** The path inside the bucket of a `cloud://<env>.<bucket>/<path>` file id, or null. */
function cloudPathOf(fileId: string): string | null {
  const match = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId)
  return match ? (match[1] as string) : null
}

/** A `cloud://` file the account uploaded itself; other kinds of image (https) are not files of ours. */
export function isOwnUpload(fileId: string, accountId: string): boolean {
  const path = cloudPathOf(fileId)
  if (path === null) return false
  const segments = path.split('/')
  // `..` or empty segments could step out of the folder in a path read elsewhere.
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return false
  return path.startsWith(`${uploadFolderOf(accountId)}/`)
}

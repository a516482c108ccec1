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
import type { AccountContext } from './context'
import { fail } from './errors'
import { orderedId } from './ids'
import { storageFor } from './ports/storage'
import { takeDailyAllowance } from './rate-limit'

export { uploadFolderOf }

/** Stores an uploaded image in the account's folder and returns its file id. */
export async function storeUpload(ctx: AccountContext, kind: UploadKind, base64: string): Promise<string> {
  const bytes = Buffer.from(base64, 'base64')
  const extension = imageTypeOf(bytes)
  if (extension === null) fail('INVALID_INPUT', '只能上传 JPG、PNG、WEBP 或 GIF 图片', [{ path: 'data', message: '这不是一张图片' }])
  await takeDailyAllowance(ctx, 'upload')
  return storageFor(ctx).upload(`${uploadFolderOf(ctx.account._id)}/${kind}/${orderedId(ctx.now)}${extension}`, bytes)
}

/** The path inside the bucket of a `cloud://<env>.<bucket>/<path>` file id, or null. */
export function cloudPathOf(fileId: string): string | null {
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

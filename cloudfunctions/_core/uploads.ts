/**
 * Whose files a document may name. People upload images from the mini-program
 * into their own folder, `u/<account id>/…`; a function accepts in someone's
 * documents only `cloud://` files from that person's folder. Otherwise anyone
 * could put another person's photo on their card (file ids are visible to
 * whoever sees the document) and keep it shown after that person's erasure
 * deleted what they had named. Storage rules cannot say this (they know a
 * file's creator, not its path): this module does.
 */

import { uploadFolderOf } from '../../shared/uploads'

export { uploadFolderOf }

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

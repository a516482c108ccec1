/**
 * Images people upload (avatars, card avatars, covers). They go through the
 * `account.uploadImage` function, never straight from the mini-program into
 * storage: the function writes each one under a fresh name in the person's own
 * folder, `u/<account id>/<kind>/…`, and only after checking the bytes are an
 * image. Clients may not write storage at all (deploy/rules/storage.json), so
 * an image that passed moderation cannot be swapped, and the functions accept
 * in a person's documents only files from that person's folder
 * (cloudfunctions/_core/uploads.ts).
 */
export const UPLOAD_KINDS = ['avatars', 'cards', 'activity-covers', 'article-covers'] as const
export type UploadKind = (typeof UPLOAD_KINDS)[number]

/** Per image, after WeChat's own compression: far more than an avatar or a cover needs. */
export const UPLOAD_MAX_BYTES = 2 * 1024 * 1024
/** The same as base64 text, as it travels in the call. */
export const UPLOAD_MAX_BASE64 = Math.ceil(UPLOAD_MAX_BYTES / 3) * 4

export function uploadFolderOf(accountId: string): string {
  return `u/${accountId}`
}

export type ImageExtension = '.jpg' | '.png' | '.gif' | '.webp'

/** The image type the bytes start with (their magic numbers), or null: the file name a client gives proves nothing. */
export function imageTypeOf(bytes: Uint8Array): ImageExtension | null {
  const starts = (sig: readonly number[], at = 0): boolean => sig.every((byte, i) => bytes[at + i] === byte)
  if (starts([0xff, 0xd8, 0xff])) return '.jpg'
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return '.png'
  if (starts([0x47, 0x49, 0x46, 0x38])) return '.gif'
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return '.webp'
  return null
}

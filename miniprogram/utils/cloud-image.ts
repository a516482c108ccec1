/**
 * Images the contract stores as cloud:// file ids (avatars, covers): picked
 * with wx.chooseMedia (one image, compressed) or handed out by chooseAvatar as
 * a temporary file, then uploaded with wx.cloud.uploadFile. The local cloud
 * has no file storage, so development mode refuses instead of storing a path
 * that works on no other device.
 */
import type { FieldIssue } from '../../shared/errors'
import { ApiCallError } from '../api/errors'
import type { AppConfig } from '../config'

export function errMsgOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'errMsg' in error) return String(error.errMsg)
  return error instanceof Error ? error.message : String(error)
}

/** Resolves with the picked file's temporary path, or null when the user backed out. */
export async function pickImage(): Promise<{ path: string; size: number } | null> {
  let result: WechatMiniprogram.ChooseMediaSuccessCallbackResult
  try {
    result = await wx.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] })
  } catch (error) {
    if (/cancel/i.test(errMsgOf(error))) return null
    throw new ApiCallError('INVALID_INPUT', '没能打开相册，请稍后重试', [], errMsgOf(error))
  }
  const file = result.tempFiles[0]
  return file ? { path: file.tempFilePath, size: file.size } : null
}

/** What the user is told when an upload cannot happen. */
export interface UploadWords {
  /** In development (the local cloud has no file storage). */
  local: string
  /** The same beside a form field, when the image belongs to one. */
  localIssue?: FieldIssue
  /** When the upload fails. */
  failed: string
}

/** `${folder}/<time>-<random>`: a name no other upload takes. */
export function uniqueName(folder: string): string {
  return `${folder}/${Date.now()}-${Math.random().toString(36).slice(2, 10)}`
}

/** Uploads a temporary image file as `name` plus its extension and resolves with the cloud:// file id. */
export async function uploadImage(tempPath: string, name: string, config: AppConfig, words: UploadWords): Promise<string> {
  if (config.transport !== 'cloud') throw new ApiCallError('INVALID_INPUT', words.local, words.localIssue ? [words.localIssue] : [])
  const extension = /\.(jpe?g|png|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  try {
    const uploaded = await wx.cloud.uploadFile({ cloudPath: `${name}${extension}`, filePath: tempPath })
    if (!/^cloud:\/\//.test(uploaded.fileID)) throw new Error(`not a cloud file id: ${uploaded.fileID}`)
    return uploaded.fileID
  } catch (error) {
    throw new ApiCallError('NETWORK_ERROR', words.failed, [], errMsgOf(error))
  }
}

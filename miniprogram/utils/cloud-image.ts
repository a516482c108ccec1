/**
 * Images the contract stores as cloud:// file ids (avatars, covers): picked
 * with wx.chooseMedia (one image, compressed) or handed out by chooseAvatar as
 * a temporary file, then uploaded through the account function
 * (shared/uploads.ts). The local cloud has no file storage, so development
 * mode refuses instead of storing a path that works on no other device.
 */
import type { FieldIssue } from '../../shared/errors'
import { UPLOAD_MAX_BASE64, UPLOAD_MAX_BYTES, type UploadKind } from '../../shared/uploads'
import { call } from '../api'
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

/** The picked file's bytes as base64, read from WeChat's temporary file. */
function readBase64(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      success: (result) => resolve(typeof result.data === 'string' ? result.data : ''),
      fail: reject,
    })
  })
}

/**
 * Uploads a temporary image file through `account.uploadImage` (clients may
 * not write storage themselves): the server checks it is an image and stores
 * it under a fresh name in my own folder. Resolves with the cloud:// file id.
 */
export async function uploadImage(tempPath: string, kind: UploadKind, config: AppConfig, words: UploadWords): Promise<string> {
  if (config.transport !== 'cloud') throw new ApiCallError('INVALID_INPUT', words.local, words.localIssue ? [words.localIssue] : [])
  let data: string
  try {
    data = await readBase64(tempPath)
  } catch (error) {
    throw new ApiCallError('NETWORK_ERROR', words.failed, [], errMsgOf(error))
  }
  if (data.length > UPLOAD_MAX_BASE64) throw new ApiCallError('INVALID_INPUT', `图片太大了，请选择 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB 以内的图片`)
  return (await call('account', 'uploadImage', { kind, data })).fileId
}

/**
 * Images the contract stores as cloud:// file ids (avatars, covers): picked
 * with wx.chooseMedia (one image, compressed) or handed out by chooseAvatar as
 * a temporary file, then uploaded with wx.cloud.uploadFile. The local cloud
 * has no file storage, so development mode refuses instead of storing a path
 * that works on no other device.
 */
import type { FieldIssue } from '../../shared/errors'
import { uploadFolderOf } from '../../shared/uploads'
import { call } from '../api'
import { ApiCallError } from '../api/errors'
import type { AppConfig } from '../config'
import { hub } from './hub'

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

/** My account's id, asked once per launch: it names my upload folder. */
async function myAccountId(): Promise<string> {
  const shared = hub()
  if (shared.accountId === null) shared.accountId = (await call('account', 'getProfile', {})).account.id
  return shared.accountId
}

/**
 * `u/<account id>/<kind>/<time>-<random>`: in my own folder, the only files the
 * functions accept in my documents, under a name no other upload takes.
 */
export function uploadName(accountId: string, kind: string): string {
  return `${uploadFolderOf(accountId)}/${kind}/${Date.now()}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * Uploads a temporary image file into my folder (under `kind`, e.g. `cards`) and
 * resolves with the cloud:// file id. `accountId` when the page knows it already.
 */
export async function uploadImage(tempPath: string, kind: string, config: AppConfig, words: UploadWords, accountId?: string): Promise<string> {
  if (config.transport !== 'cloud') throw new ApiCallError('INVALID_INPUT', words.local, words.localIssue ? [words.localIssue] : [])
  const extension = /\.(jpe?g|png|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  const name = uploadName(accountId ?? (await myAccountId()), kind)
  try {
    const uploaded = await wx.cloud.uploadFile({ cloudPath: `${name}${extension}`, filePath: tempPath })
    if (!/^cloud:\/\//.test(uploaded.fileID)) throw new Error(`not a cloud file id: ${uploaded.fileID}`)
    return uploaded.fileID
  } catch (error) {
    throw new ApiCallError('NETWORK_ERROR', words.failed, [], errMsgOf(error))
  }
}

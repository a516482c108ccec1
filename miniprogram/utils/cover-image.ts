/**
 * A cover image for an activity or an article: picked with wx.chooseMedia
 * (one image, compressed) and uploaded to cloud storage with
 * wx.cloud.uploadFile; the contract stores only the cloud:// file id, and the
 * server sends it to the image check (the content waits as "图片审核中" until
 * the verdict). The local cloud has no file storage, so development mode says
 * so instead of storing a path that works on no other device.
 */
import { ApiCallError } from '../api/errors'
import type { AppConfig } from '../config'

export type CoverFolder = 'activity-covers' | 'article-covers'

/** WeChat's own limit for images we accept: 10 MB after compression is far more than a cover needs. */
export const COVER_MAX_BYTES = 10 * 1024 * 1024

function errMsgOf(error: unknown): string {
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

/** Uploads a picked image and resolves with its cloud:// file id. */
export async function uploadCover(tempPath: string, folder: CoverFolder, config: AppConfig, size = 0): Promise<string> {
  if (/^cloud:\/\//.test(tempPath)) return tempPath
  if (size > COVER_MAX_BYTES) {
    throw new ApiCallError('INVALID_INPUT', '图片太大了，请选择 10 MB 以内的图片')
  }
  if (config.transport !== 'cloud') {
    throw new ApiCallError('INVALID_INPUT', '本地开发环境暂不支持上传图片，请在云开发环境中添加封面')
  }
  const extension = /\.(jpe?g|png|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  const name = `${Date.now()}-${Math.random().toString(36).slice(2, 10)}${extension}`
  try {
    const uploaded = await wx.cloud.uploadFile({ cloudPath: `${folder}/${name}`, filePath: tempPath })
    if (!/^cloud:\/\//.test(uploaded.fileID)) throw new Error(`not a cloud file id: ${uploaded.fileID}`)
    return uploaded.fileID
  } catch (error) {
    throw new ApiCallError('NETWORK_ERROR', '图片上传失败，请检查网络后重试', [], errMsgOf(error))
  }
}

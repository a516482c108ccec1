/**
 * A cover image for an activity or an article: picked and uploaded into my
 * own folder (utils/cloud-image.ts); the contract stores only the cloud:// file
 * id, and the server sends it to the image check (the content waits as
 * "图片审核中" until the verdict).
 */
import { UPLOAD_MAX_BYTES } from '../../shared/uploads'
import { ApiCallError, messageOf } from '../api/errors'
import type { AppConfig } from '../config'
import { pickImage, uploadImage } from './cloud-image'

export type CoverFolder = 'activity-covers' | 'article-covers'


/** Uploads a picked image and resolves with its cloud:// file id. */
export async function uploadCover(tempPath: string, folder: CoverFolder, config: AppConfig, size = 0): Promise<string> {
  if (/^cloud:\/\//.test(tempPath)) return tempPath
  if (size > UPLOAD_MAX_BYTES) {
    throw new ApiCallError('INVALID_INPUT', `图片太大了，请选择 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB 以内的图片`)
  }
  return uploadImage(tempPath, folder, config, {
    local: '本地开发环境暂不支持上传图片，请在云开发环境中添加封面',
    failed: '图片上传失败，请检查网络后重试',
  })
}

/** The uploaded cover's file id, or the message to show beside the cover. */
export type CoverChoice = { fileId: string } | { error: string }

/**
 * The editors' 选择封面: picks an image and uploads it. Null when the user
 * backed out; `uploading` is called once an image was picked (the page shows
 * it is busy until this resolves).
 */
export async function chooseCover(folder: CoverFolder, config: AppConfig, uploading: () => void): Promise<CoverChoice | null> {
  let picked: { path: string; size: number } | null
  try {
    picked = await pickImage()
  } catch (error) {
    return { error: messageOf(error) }
  }
  if (!picked) return null
  uploading()
  try {
    return { fileId: await uploadCover(picked.path, folder, config, picked.size) }
  } catch (error) {
    return { error: messageOf(error) }
  }
}

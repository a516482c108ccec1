/**
 * chooseAvatar hands out a temporary file, but the contract stores only cloud://
 * files or https images. So: a path that already is one is kept as it is; in cloud
 * mode the file is uploaded (into my own folder) and its file id stored;
 * development mode says it cannot (utils/cloud-image.ts).
 */
import type { AppConfig } from '../config'
import { uploadImage, type UploadWords } from './cloud-image'

function isStored(path: string): boolean {
  return /^(https|cloud):\/\//.test(path)
}

function avatarWords(localHint: string): UploadWords {
  return {
    local: '本地开发环境暂不支持上传头像',
    localIssue: { path: 'avatarUrl', message: `本地开发环境暂不支持上传头像，请在云开发环境中${localHint}` },
    failed: '头像上传失败，请检查网络后重试',
  }
}

/** My account's avatar, into my folder under avatars/. */
export async function persistAvatar(tempPath: string, config: AppConfig): Promise<string> {
  if (isStored(tempPath)) return tempPath
  return uploadImage(tempPath, 'avatars', config, avatarWords('更换'))
}

/** A card's avatar (each card may have its own), into my folder under cards/. */
export async function persistCardAvatar(tempPath: string, config: AppConfig): Promise<string> {
  if (isStored(tempPath)) return tempPath
  return uploadImage(tempPath, 'cards', config, avatarWords('设置'))
}

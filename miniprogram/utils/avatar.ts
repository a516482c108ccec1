import { ApiCallError } from '../api/errors'
import type { AppConfig } from '../config'

/**
 * chooseAvatar hands out a temporary file, but the contract stores only cloud://
 * files or https images. So: a path that already is one is kept as it is; in cloud
 * mode the file is uploaded to cloud storage and its fileID stored; the local cloud
 * has no file storage yet, so development mode says so instead of storing a path
 * that would break on every other device.
 */
export async function persistAvatar(tempPath: string, accountId: string, config: AppConfig): Promise<string> {
  if (/^(https|cloud):\/\//.test(tempPath)) return tempPath
  if (config.transport !== 'cloud') {
    throw new ApiCallError('INVALID_INPUT', '本地开发环境暂不支持上传头像', [
      { path: 'avatarUrl', message: '本地开发环境暂不支持上传头像，请在云开发环境中更换' },
    ])
  }
  const extension = /\.(jpe?g|png|webp|gif)$/i.exec(tempPath)?.[0]?.toLowerCase() ?? '.jpg'
  try {
    const uploaded = await wx.cloud.uploadFile({
      cloudPath: `avatars/${accountId}/${Date.now()}${extension}`,
      filePath: tempPath,
    })
    return uploaded.fileID
  } catch (error) {
    const detail = typeof error === 'object' && error !== null && 'errMsg' in error ? String(error.errMsg) : String(error)
    throw new ApiCallError('NETWORK_ERROR', '头像上传失败，请检查网络后重试', [], detail)
  }
}

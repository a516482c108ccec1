/** Where a picked avatar ends up, per transport (see miniprogram/utils/avatar.ts). */
import 'miniprogram-simulate'
import { ApiCallError, fieldErrors } from '../../miniprogram/api'
import type { AppConfig } from '../../miniprogram/config'
import { persistAvatar } from '../../miniprogram/utils/avatar'

const local: AppConfig = { transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '', subscribeTemplates: {} }
const cloud: AppConfig = { transport: 'cloud', envId: 'prod', localUrl: '', devOpenid: '', subscribeTemplates: {} }

const uploadFile = jest.fn(async (param: { cloudPath: string; filePath: string }) => ({
  errMsg: 'cloud.uploadFile:ok',
  fileID: `cloud://prod.bucket/${param.cloudPath}`,
  statusCode: 200,
}))

beforeAll(() => {
  Object.assign(wx, { cloud: { init: jest.fn(), uploadFile } })
})

beforeEach(() => uploadFile.mockClear())

test('an https or cloud:// avatar is kept as it is, without uploading', async () => {
  await expect(persistAvatar('https://example.com/a.png', 'acc1', local)).resolves.toBe('https://example.com/a.png')
  await expect(persistAvatar('cloud://prod.bucket/x.png', 'acc1', cloud)).resolves.toBe('cloud://prod.bucket/x.png')
  expect(uploadFile).not.toHaveBeenCalled()
})

test('in development a temporary file is refused with a reason for the avatar field', async () => {
  let error: unknown
  try {
    await persistAvatar('http://tmp/avatar.jpeg', 'acc1', local)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(ApiCallError)
  expect(fieldErrors(error).avatarUrl).toBe('本地开发环境暂不支持上传头像，请在云开发环境中更换')
  expect(uploadFile).not.toHaveBeenCalled()
})

test('in the cloud a temporary file is uploaded into the account’s own folder and the fileID returned', async () => {
  const url = await persistAvatar('wxfile://tmp_123.PNG', 'acc1', cloud)
  expect(url).toMatch(/^cloud:\/\/prod\.bucket\/u\/acc1\/avatars\/\d+-\w+\.png$/)
  expect(uploadFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp_123.PNG' }))
})

/** Where a picked avatar ends up, per transport (see miniprogram/utils/avatar.ts), against the real backend. */
import 'miniprogram-simulate'
import { ApiCallError, fieldErrors } from '../../miniprogram/api'
import type { AppConfig } from '../../miniprogram/config'
import { persistAvatar } from '../../miniprogram/utils/avatar'
import { acceptCurrentTerms, connectBackend, installPickedFiles, type Backend } from './backend'

// The api client's transport: the production one (the checked-in config points at the local HTTP cloud).
jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config, faceIdSdk: null }
})

const local: AppConfig = { transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '', subscribeTemplates: {} }
const cloud: AppConfig = { transport: 'cloud', envId: 'prod', localUrl: '', devOpenid: '', subscribeTemplates: {} }
const openid = 'avatar-owner'

let backend: Backend
let readFile: jest.Mock
beforeAll(async () => {
  backend = await connectBackend()
  await acceptCurrentTerms(backend.cloud, openid)
  backend.signIn(openid)
  readFile = installPickedFiles()
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  readFile.mockClear()
  backend.callFunction.mockClear()
})

const uploads = () => backend.callFunction.mock.calls.filter(([param]) => (param.data as { action?: string } | undefined)?.action === 'uploadImage')

test('an https or cloud:// avatar is kept as it is, without uploading', async () => {
  await expect(persistAvatar('https://example.com/a.png', local)).resolves.toBe('https://example.com/a.png')
  await expect(persistAvatar('cloud://prod.bucket/x.png', cloud)).resolves.toBe('cloud://prod.bucket/x.png')
  expect(readFile).not.toHaveBeenCalled()
  expect(uploads()).toEqual([])
})

test('in development a temporary file is refused with a reason for the avatar field', async () => {
  let error: unknown
  try {
    await persistAvatar('http://tmp/avatar.jpeg', local)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(ApiCallError)
  expect(fieldErrors(error).avatarUrl).toBe('本地开发环境暂不支持上传头像，请在云开发环境中更换')
  expect(readFile).not.toHaveBeenCalled()
})

test('in the cloud the file is read and sent to account.uploadImage, which stores it in my own folder', async () => {
  const account = await backend.cloud.store.collection<{ _id: string; openid: string }>('accounts').findOne({ openid })
  const url = await persistAvatar('wxfile://tmp_123.PNG', cloud)
  expect(url).toMatch(new RegExp(`^cloud://env-1\\.6c65/u/${account?._id}/avatars/[0-9a-z]+\\.png$`))
  expect(readFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp_123.PNG', encoding: 'base64' }))
  expect(uploads().map(([param]) => (param.data as { input: { kind: string } }).input.kind)).toEqual(['avatars'])
})

test('a file that cannot be read is reported as a failed upload', async () => {
  await expect(persistAvatar('wxfile://读取失败.png', cloud)).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: '头像上传失败，请检查网络后重试' })
  expect(uploads()).toEqual([])
})

/**
 * 登录服务接入应用 (packageAdmin/pages/clients) against the real backend:
 * registering an application (the secret shown once), field errors in words,
 * suspending with a reason, and resetting the secret.
 */
import type { AppConfig } from '../../miniprogram/config'
import { oidcClients } from '../../cloudfunctions/_core/oidc/records'
import { connectBackend, type Backend } from './backend'
import { openLoaded } from './content-helpers'
import { load, tap, textOf, type } from './helpers'
import { staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'admin-clients-admin'
const pageId = load('packageAdmin/pages/clients/index')
let backend: Backend
let modalReply = { confirm: true, cancel: false, content: '' }
const showModal = jest.fn(async (_options: { title: string }) => modalReply)
const setClipboardData = jest.fn()

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, ADMIN, 'admin')
  Object.assign(wx, { showModal, setClipboardData })
  backend.signIn(ADMIN)
})
afterAll(async () => {
  await backend.close()
})

test('registers an application and shows its secret once; refuses an http redirect in words', async () => {
  const page = await openLoaded(pageId)
  expect(textOf(page, '#no-clients')).toBe('还没有登记接入应用。')
  await type(page, '#client-id', 'tax-web')
  await type(page, '#client-name', '个税服务')
  await type(page, '#client-organization', '示例市税务局')
  await type(page, '#redirect-uris', 'http://tax.example.gov.cn/cb')
  await type(page, '#privacy-url', 'https://tax.example.gov.cn/privacy')
  await type(page, '#register-reason', '接入个税服务')
  await tap(page, '#register', () => page.data.busy === '')
  expect(page.data.errors.redirectUris).toBe('回调地址须为完整的 https 地址（不含 # 和通配符）')

  await type(page, '#redirect-uris', 'https://tax.example.gov.cn/cb')
  await tap(page, '#register', () => page.data.busy === '')
  expect(textOf(page, '#notice')).toBe('已登记「个税服务」')
  const secret = textOf(page, '#secret-value') ?? ''
  expect(secret).toMatch(/^[\w-]{43}$/)
  // Only its hash is kept.
  const stored = await oidcClients(backend.cloud.store).byId('tax-web')
  expect(stored?.secretHash).toMatch(/^scrypt\$/)
  expect(JSON.stringify(stored)).not.toContain(secret)
  await tap(page, '#copy-secret')
  expect(setClipboardData).toHaveBeenCalledWith({ data: secret })
  await tap(page, '#hide-secret')
  expect(textOf(page, '#secret')).toBeNull()
  expect(textOf(page, '#client-tax-web')).toContain('本服务由 示例市税务局 提供')
})

test('suspends with a reason, and resets the secret', async () => {
  const page = await openLoaded(pageId)
  modalReply = { confirm: true, cancel: false, content: '短' }
  await tap(page, '#toggle-tax-web', () => page.data.busy === '')
  expect(textOf(page, '#form-error')).toBe('须写明理由（至少4个字）')
  modalReply = { confirm: true, cancel: false, content: '机构申请暂停接入' }
  await tap(page, '#toggle-tax-web', () => page.data.busy === '' && page.data.notice !== '')
  expect(textOf(page, '#client-tax-web')).toContain('已暂停')
  expect((await oidcClients(backend.cloud.store).byId('tax-web'))?.status).toBe('suspended')

  const before = (await oidcClients(backend.cloud.store).byId('tax-web'))?.secretHash
  modalReply = { confirm: true, cancel: false, content: '密钥疑似泄露' }
  await tap(page, '#rotate-tax-web', () => page.data.busy === '' && page.data.secret !== '')
  expect(showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '重置「个税服务」的密钥？旧密钥立即失效' }))
  expect((await oidcClients(backend.cloud.store).byId('tax-web'))?.secretHash).not.toBe(before)
})

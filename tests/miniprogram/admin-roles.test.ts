/**
 * 角色 (packageAdmin/pages/roles) against the real backend: the staff list,
 * granting a role with a reason (verified accounts only), revoking with a
 * reason typed into the confirmation, and the last admin kept.
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { load, tap, textOf, type, waitFor, type Page } from './helpers'
import { cardOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'admin-roles-admin'

let backend: Backend
let adminId = ''
let modalReply = { confirm: true, cancel: false, content: '', errMsg: 'showModal:ok' }
const showModal = jest.fn(async (_options: { title: string; editable?: boolean }) => modalReply)
const pageId = load('packageAdmin/pages/roles/index')

beforeAll(async () => {
  backend = await connectBackend()
  adminId = await staffMember(backend.cloud, ADMIN, 'admin')
  Object.assign(wx, { showModal })
  backend.signIn(ADMIN)
})
afterAll(async () => {
  await backend.close()
})

async function opened(): Promise<Page> {
  const page = openPage(pageId)
  await waitFor('the staff list', () => page.data.status !== 'loading')
  return page
}

test('grants a role to a verified account with a reason; an unverified one is refused with why', async () => {
  await cardOf(backend.cloud, 'admin-roles-new')
  await acceptCurrentTerms(backend.cloud, 'admin-roles-unverified')
  const accounts = backend.cloud.store.collection('accounts')
  const verified = await accounts.findOne({ openid: 'admin-roles-new' })
  const unverified = await accounts.findOne({ openid: 'admin-roles-unverified' })
  const page = await opened()
  expect(textOf(page, `#member-${adminId}`)).toContain('管理员')

  await tap(page, '#grant')
  expect(textOf(page, '#accountId-error')).toContain('请填写账号编号')
  await type(page, '#account-id', unverified?._id ?? '')
  await type(page, '#grant-reason', '新入职审核员')
  await tap(page, '#grant', () => !page.data.busy)
  expect(textOf(page, '#form-error')).toBe('只能为已实名认证的账号授予工作人员角色')

  await type(page, '#account-id', verified?._id ?? '')
  await tap(page, '#grant', () => !page.data.busy && page.data.notice !== '')
  expect(textOf(page, '#notice')).toContain('审核员角色')
  expect(textOf(page, `#member-${verified?._id}`)).toContain('审核员')
})

test('revokes with a reason typed into the confirmation; the last admin is kept', async () => {
  const page = await opened()
  const reviewer = await backend.cloud.store.collection('accounts').findOne({ openid: 'admin-roles-new' })
  modalReply = { confirm: true, cancel: false, content: '调', errMsg: 'showModal:ok' }
  await tap(page, `#revoke-${reviewer?._id}-reviewer`, () => textOf(page, '#form-error') !== null)
  expect(textOf(page, '#form-error')).toContain('至少4个字')
  modalReply = { confirm: true, cancel: false, content: '调岗至其他部门', errMsg: 'showModal:ok' }
  await tap(page, `#revoke-${reviewer?._id}-reviewer`, () => !page.data.busy && page.data.notice !== '')
  expect(page.querySelector(`#member-${reviewer?._id}`)).toBeUndefined()
  expect(showModal.mock.calls.at(-1)?.[0]).toMatchObject({ editable: true })

  await tap(page, `#revoke-${adminId}-admin`, () => !page.data.busy && textOf(page, '#form-error') !== null)
  expect(textOf(page, '#form-error')).toContain('唯一一位可用的管理员')
  const log = await callAs(backend.cloud, 'admin-roles-new', 'account', 'accessLog', {})
  expect(log.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['admin.grantRole', 'admin.revokeRole']))
})

test('a reviewer is refused the list', async () => {
  await staffMember(backend.cloud, 'admin-roles-reviewer', 'reviewer')
  backend.signIn('admin-roles-reviewer')
  const page = await opened()
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#page-state')).toContain('没有权限')
  backend.signIn(ADMIN)
})

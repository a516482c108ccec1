/**
 * Registration (pages/consent/register) against the real backend: an unticked
 * box, the documents' exact versions and hashes in the grant, the guardian for
 * under-14s, the minor notice for 14–17, and what happens when a document changes
 * while the user reads.
 */
import simulate from 'miniprogram-simulate'
import { GUARDIAN_RELATION_LABELS } from '../../shared/consent'
import { ERROR_MESSAGES } from '../../shared/errors'
import { checkCharacter } from '../../shared/rules/id-number'
import type { AppConfig } from '../../miniprogram/config'
import { todayInBeijing } from '../../miniprogram/utils/format'
import {
  acceptCurrentTerms,
  birthDateYearsAgo,
  callAs,
  connectBackend,
  ensureTestDocuments,
  makeAdmin,
  publish,
  refusalOf,
  type Backend,
} from './backend'
import { attrOf, load, textOf, waitFor } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const ADMIN = 'register-admin'
let backend: Backend
let openid = ''

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const switchTab = jest.fn((_options: { url: string }) => undefined)

const pageId = load('pages/consent/register')

beforeAll(async () => {
  backend = await connectBackend()
  await ensureTestDocuments(backend.cloud)
  await makeAdmin(backend.cloud, ADMIN)
  Object.assign(wx, { navigateTo, switchTab })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(() => {
  seq += 1
  openid = `register-user-${seq}`
  backend.signIn(openid)
  navigateTo.mockClear()
  switchTab.mockClear()
  backend.callFunction.mockClear()
})

type Page = ReturnType<typeof simulate.render>

async function openPage(): Promise<Page> {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the documents to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

async function pickBirthDate(page: Page, value: string): Promise<void> {
  page.querySelector('#birth-date')?.dispatchEvent('change', { detail: { value } })
  await simulate.sleep(0)
}

async function tick(page: Page): Promise<void> {
  page.querySelector('#agree-group')?.dispatchEvent('change', { detail: { value: ['agree'] } })
  await simulate.sleep(0)
}

async function input(page: Page, selector: string, value: string): Promise<void> {
  page.querySelector(selector)?.dispatchEvent('input', { detail: { value } })
  await simulate.sleep(0)
}

async function submit(page: Page): Promise<void> {
  page.querySelector('#submit')?.dispatchEvent('tap')
  await simulate.sleep(0)
  await waitFor('the submission to settle', () => page.data.submitting === false)
}

function grantCalls(): unknown[] {
  return backend.callFunction.mock.calls
    .map(([param]) => param.data as { action?: string; input?: unknown } | undefined)
    .filter((data) => data?.action === 'grant')
    .map((data) => data?.input)
}

/** A valid ID number for someone born on `birth` (YYYYMMDD). */
function idNumber(birth: string): string {
  const first17 = `110101${birth}123`
  return first17 + checkCharacter(first17)
}

async function currentVersion(docId: 'user-agreement' | 'privacy-policy' | 'children-rules'): Promise<{ version: string; hash: string }> {
  const { document } = await callAs(backend.cloud, openid, 'legal', 'get', { docId })
  return { version: document.version, hash: document.hash }
}

test('the box starts unticked and nothing is sent until a birth date is picked and the box is ticked', async () => {
  const page = await openPage()
  expect(attrOf(page, '#agree', 'checked')).toBe('false')
  expect(textOf(page, '#agree-text')).toBe('我已阅读并同意《用户协议》和《隐私政策》')
  expect(attrOf(page, '#birth-date', 'end')).toBe(todayInBeijing())
  // Both documents are listed with their version, each a link to the reader.
  expect(textOf(page, '#read-terms')).toContain('第 1 版')
  expect(textOf(page, '#read-privacy')).toContain('乐聊名片隐私政策')

  await submit(page)
  expect(textOf(page, '#agree-error')).toBe('请先阅读并勾选同意')
  expect(textOf(page, '#birth-date-error')).toBe('请选择出生日期')

  await pickBirthDate(page, '1990-05-12')
  expect(page.querySelector('#birth-date-error')).toBeUndefined()
  await submit(page)
  expect(textOf(page, '#agree-error')).toBe('请先阅读并勾选同意')
  expect(grantCalls()).toEqual([])

  page.querySelector('#read-privacy')?.dispatchEvent('tap')
  await simulate.sleep(0)
  const privacy = await currentVersion('privacy-policy')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/legal/doc?docId=privacy-policy&version=${privacy.version}` })
})

test('a new adult accepts: the grant carries the versions and hashes shown, and signed-in features work afterwards', async () => {
  const page = await openPage()
  expect(await refusalOf(callAs(backend.cloud, openid, 'account', 'updateProfile', { nickname: '新用户' }))).toBe('TERMS_NOT_ACCEPTED')

  await pickBirthDate(page, '1990-05-12')
  await tick(page)
  expect(attrOf(page, '#agree', 'checked')).toBe('true')
  await submit(page)

  const terms = await currentVersion('user-agreement')
  const privacy = await currentVersion('privacy-policy')
  expect(grantCalls()).toEqual([
    {
      items: [
        { purpose: 'terms', ...terms },
        { purpose: 'privacy', ...privacy },
      ],
      method: 'checkbox',
      declaredBirthDate: '1990-05-12',
    },
  ])
  expect(page.querySelector('#form-error')).toBeUndefined()
  // Opened first (no page below): back to 我的.
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })

  const { account } = await callAs(backend.cloud, openid, 'account', 'updateProfile', { nickname: '新用户' })
  expect(account.nickname).toBe('新用户')
  const { records } = await callAs(backend.cloud, openid, 'consent', 'history', {})
  expect(records.map((r) => [r.purpose, r.method, r.version, r.hash])).toEqual(
    expect.arrayContaining([
      ['terms', 'checkbox', terms.version, terms.hash],
      ['privacy', 'checkbox', privacy.version, privacy.hash],
    ]),
  )

  // Opening registration again says there is nothing to do.
  const again = await openPage()
  expect(textOf(again, '#already-accepted')).toContain('你已同意当前版本')
  expect(again.querySelector('#submit')).toBeUndefined()
})

test('under 14 the guardian fills in the section and consents, with the children’s rules; the record says guardian', async () => {
  const page = await openPage()
  expect(page.querySelector('#guardian-section')).toBeUndefined()

  await pickBirthDate(page, birthDateYearsAgo(10))
  expect(page.querySelector('#guardian-section')).toBeDefined()
  expect(textOf(page, '#read-childrenRules')).toContain('儿童个人信息保护规则')
  expect(textOf(page, '#agree-text')).toContain('我是孩子的监护人')
  expect(textOf(page, '#submit')).toBe('监护人同意并注册')

  await tick(page)
  await submit(page)
  // The guardian's details are needed before anything is sent.
  expect(textOf(page, '#guardian-relation-error')).toBe('请选择你与孩子的关系')
  expect(textOf(page, '#guardian-name-error')).toBe('请填写监护人姓名')
  expect(textOf(page, '#guardian-id-number-error')).toBe('请填写监护人的身份证号')
  await input(page, '#guardian-id-number', '110101198001011234')
  await submit(page)
  expect(textOf(page, '#guardian-id-number-error')).toBe('身份证号校验位不正确，请核对')
  expect(grantCalls()).toEqual([])

  page.querySelector('#guardian-relation')?.dispatchEvent('change', { detail: { value: '1' } })
  await simulate.sleep(0)
  expect(textOf(page, '#guardian-relation-value')).toBe(GUARDIAN_RELATION_LABELS.mother)
  await input(page, '#guardian-name', '王芳')
  await input(page, '#guardian-id-number', idNumber('19800101').toLowerCase())
  await submit(page)
  expect(page.querySelector('#form-error')).toBeUndefined()

  const [sent] = grantCalls() as Array<{ method: string; items: Array<{ purpose: string }>; guardian: { relation: string; name: string } }>
  expect(sent?.method).toBe('guardian')
  expect(sent?.items.map((i) => i.purpose)).toEqual(['terms', 'privacy', 'childrenRules'])
  expect(sent?.guardian).toEqual({ relation: 'mother', name: '王芳', idNumber: idNumber('19800101') })
  // The ID number does not stay on the page.
  expect(page.data.guardianIdNumber).toBe('')

  const { records } = await callAs(backend.cloud, openid, 'consent', 'history', {})
  expect(records).toHaveLength(3)
  for (const record of records) {
    expect(record.method).toBe('guardian')
    expect(record.guardian?.relation).toBe('mother')
    expect(record.guardian?.maskedName).toBe('王*')
  }
  const status = await callAs(backend.cloud, openid, 'consent', 'status', {})
  expect(status.status.blocked).toBeNull()
})

test('the server’s refusal of a field is shown next to it (a guardian must be an adult)', async () => {
  const page = await openPage()
  await pickBirthDate(page, birthDateYearsAgo(9))
  await tick(page)
  page.querySelector('#guardian-relation')?.dispatchEvent('change', { detail: { value: '0' } })
  await input(page, '#guardian-name', '李雷')
  // A valid number, but of a 16-year-old: only the server knows to refuse it.
  await input(page, '#guardian-id-number', idNumber(birthDateYearsAgo(16).replace(/-/g, '')))
  await submit(page)
  expect(textOf(page, '#guardian-id-number-error')).toBe('监护人须年满18周岁')
  expect(page.querySelector('#form-error')).toBeUndefined()
})

test('14 to 17: the minor notice is shown, and the user consents for themselves', async () => {
  const page = await openPage()
  expect(page.querySelector('#minor-notice')).toBeUndefined()
  await pickBirthDate(page, birthDateYearsAgo(15))
  await waitFor('the minor notice', () => page.data.minorNoticeStatus === 'ready')
  expect(textOf(page, '#minor-notice')).toContain('这是测试用的 minor-notice 第 1 版正文')
  expect(page.querySelector('#guardian-section')).toBeUndefined()

  await tick(page)
  await submit(page)
  const [sent] = grantCalls() as Array<{ method: string; items: Array<{ purpose: string }> }>
  expect(sent?.method).toBe('checkbox')
  expect(sent?.items.map((i) => i.purpose)).toEqual(['terms', 'privacy'])
  expect((await callAs(backend.cloud, openid, 'consent', 'status', {})).status.ageClass).toBe('minor14to17')
})

test('a version that takes effect while the user reads: the page reloads the documents and asks again', async () => {
  const page = await openPage()
  const before = await currentVersion('privacy-policy')
  expect(textOf(page, '#read-privacy')).toContain(`第 ${before.version} 版`)

  await publish(backend.cloud, ADMIN, { docId: 'privacy-policy', version: '2', title: '乐聊名片隐私政策', effectiveInMs: 60_000 })
  backend.cloud.clock.advance(2 * 60_000)

  await pickBirthDate(page, '1992-02-02')
  await tick(page)
  await submit(page)
  expect(textOf(page, '#register-notice')).toBe('协议刚刚更新了。请重新阅读下面的最新版本，再勾选同意。')
  expect(textOf(page, '#read-privacy')).toContain('第 2 版')
  expect(attrOf(page, '#agree', 'checked')).toBe('false')
  expect(await refusalOf(callAs(backend.cloud, openid, 'account', 'getProfile', {}))).toBe('TERMS_NOT_ACCEPTED')

  await tick(page)
  await submit(page)
  expect(page.querySelector('#form-error')).toBeUndefined()
  const status = await callAs(backend.cloud, openid, 'consent', 'status', {})
  expect(status.status.required.find((r) => r.purpose === 'privacy')).toMatchObject({ acceptedVersion: '2', state: 'current' })
})

test('without a WeChat identity the page shows the error state with a retry', async () => {
  backend.signIn('')
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  await waitFor('the error state', () => page.data.status === 'error')
  expect(page.dom?.textContent).toContain(ERROR_MESSAGES.UNAUTHENTICATED)
})

test('after a new version takes effect, the page asks again as an update, without asking for the birth date again', async () => {
  await acceptCurrentTerms(backend.cloud, openid)
  await publish(backend.cloud, ADMIN, { docId: 'privacy-policy', version: '3', title: '乐聊名片隐私政策', effectiveInMs: 60_000 })
  backend.cloud.clock.advance(2 * 60_000)

  const page = await openPage()
  expect(textOf(page, '#register-title')).toBe('协议已更新')
  expect(textOf(page, '#birth-date-known')).toContain('已登记（已满18周岁）')
  expect(page.querySelector('#birth-date')).toBeUndefined()
  expect(textOf(page, '#submit')).toBe('同意并继续')

  await tick(page)
  await submit(page)
  const [sent] = grantCalls() as Array<Record<string, unknown>>
  expect(sent).not.toHaveProperty('declaredBirthDate')
  expect((await callAs(backend.cloud, openid, 'consent', 'status', {})).status.blocked).toBeNull()
})

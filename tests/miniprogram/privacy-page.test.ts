/**
 * 隐私设置 (pages/privacy/index) against the real backend: every purpose with its
 * basis and state, one-tap grant and confirmed withdrawal, the records behind
 * each decision (paged), receipts and the chain check.
 */
import simulate from 'miniprogram-simulate'
import { PURPOSES, PURPOSE_IDS, PURPOSE_STATE_LABELS, type PurposeId } from '../../shared/consent'
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, birthDateYearsAgo, callAs, connectBackend, type Backend } from './backend'
import { load, modalAnswer, render, tap, textOf, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

let backend: Backend
let openid = ''
let confirmAnswer = true
const showModal = jest.fn(async (_options: { title: string; content: string; confirmText?: string }) => modalAnswer(confirmAnswer))
const navigateTo = jest.fn((_options: { url: string }) => undefined)

const pageId = load('pages/privacy/index')

beforeAll(async () => {
  backend = await connectBackend()
  Object.assign(wx, { showModal, navigateTo })
})

afterAll(async () => {
  await backend.close()
})

let seq = 0
beforeEach(async () => {
  seq += 1
  openid = `privacy-user-${seq}`
  backend.signIn(openid)
  await acceptCurrentTerms(backend.cloud, openid)
  showModal.mockClear()
  navigateTo.mockClear()
  confirmAnswer = true
})

async function openPage(): Promise<Page> {
  const page = render(pageId)
  await waitFor('the settings to load', () => page.data.status !== 'loading')
  expect(page.data.status).toBe('ready')
  return page
}

async function stateOnServer(purpose: PurposeId): Promise<string> {
  const { status } = await callAs(backend.cloud, openid, 'consent', 'status', {})
  return status.purposes.find((p) => p.purpose === purpose)?.state ?? 'missing'
}

async function noticeOf(purpose: PurposeId): Promise<{ version: string; hash: string }> {
  const { document } = await callAs(backend.cloud, openid, 'legal', 'get', { docId: PURPOSES[purpose].document })
  return { version: document.version, hash: document.hash }
}

test('every purpose is listed with its basis, the information it covers and my decision', async () => {
  const page = await openPage()
  const shown = PURPOSE_IDS.filter((p) => page.querySelector(`#purpose-${p}`) !== undefined)
  // The children's rules concern only accounts under 14.
  expect(shown).toEqual(PURPOSE_IDS.filter((p) => p !== 'childrenRules'))

  expect(textOf(page, '#basis-terms')).toBe('必要')
  expect(textOf(page, '#basis-idNumber')).toBe('单独同意')
  expect(textOf(page, '#basis-location')).toBe('可选')
  expect(textOf(page, '#state-terms')).toBe(PURPOSE_STATE_LABELS.granted)
  expect(textOf(page, '#decided-terms')).toContain('第 1 版')
  expect(textOf(page, '#state-face')).toBe(PURPOSE_STATE_LABELS.none)
  expect(textOf(page, '#categories-partnerSharing')).toBe(`涉及信息：${PURPOSES.partnerSharing.categories.join('、')}`)
  // What registration accepted cannot be withdrawn here; the separate and optional ones can be granted in one tap.
  expect(page.querySelector('#withdraw-terms')).toBeUndefined()
  expect(page.querySelector('#grant-terms')).toBeUndefined()
  expect(page.querySelector('#grant-face')).toBeDefined()
  expect(page.querySelector('#grant-location')).toBeDefined()
  // Withdrawing the agreement means deleting the account, which 账号与安全 offers.
  expect(textOf(page, '#section-contract')).toContain('不再同意可以注销账号：在「我的 → 账号与安全」中申请')

  page.querySelector('#read-location')?.dispatchEvent('tap')
  await simulate.sleep(0)
  const notice = await noticeOf('location')
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/legal/doc?docId=notice-location&version=${notice.version}` })
})

test('granting and withdrawing location are one tap each; withdrawal is confirmed first with its effect', async () => {
  const page = await openPage()

  await tap(page, '#grant-location', () => textOf(page, '#state-location') === PURPOSE_STATE_LABELS.granted)
  expect(await stateOnServer('location')).toBe('granted')
  expect(textOf(page, '#message-location')).toContain('已同意')
  expect(page.querySelector('#grant-location')).toBeUndefined()

  // Cancelling the confirmation changes nothing.
  confirmAnswer = false
  page.querySelector('#withdraw-location')?.dispatchEvent('tap')
  await waitFor('the confirmation', () => showModal.mock.calls.length === 1)
  await simulate.sleep(10)
  expect(showModal.mock.calls[0]?.[0]).toMatchObject({ title: '撤回「使用位置信息」？', content: PURPOSES.location.withdrawalEffect })
  expect(await stateOnServer('location')).toBe('granted')
  expect(textOf(page, '#state-location')).toBe(PURPOSE_STATE_LABELS.granted)

  confirmAnswer = true
  await tap(page, '#withdraw-location', () => textOf(page, '#state-location') === PURPOSE_STATE_LABELS.withdrawn)
  expect(showModal).toHaveBeenCalledTimes(2)
  expect(await stateOnServer('location')).toBe('withdrawn')
  expect(textOf(page, '#message-location')).toMatch(/^已撤回。/)
  // Granting again is as easy as before.
  expect(page.querySelector('#grant-location')).toBeDefined()

  // The history shows both decisions, newest first, each with a receipt.
  await tap(page, '#history-toggle-location', () => page.data.historyStatus === 'ready')
  const records = page.data.historyRecords as Array<{ id: string; action: string; method: string }>
  expect(records.map((r) => r.action)).toEqual(['撤回', '同意'])
  expect(records.map((r) => r.method)).toEqual(['在隐私设置中选择', '在隐私设置中选择'])
  const first = records[0]?.id ?? ''
  expect(textOf(page, `#record-${first}`)).toContain('撤回 · 第 1 版')
  page.querySelector(`#receipt-${first}`)?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/privacy/receipt?recordId=${first}` })
})

test('refusing a separate consent is recorded and shown; it can still be granted later', async () => {
  const page = await openPage()
  await tap(page, '#refuse-publicCard', () => textOf(page, '#state-publicCard') === PURPOSE_STATE_LABELS.refused)
  expect(await stateOnServer('publicCard')).toBe('refused')
  expect(page.querySelector('#grant-publicCard')).toBeDefined()
  expect(page.querySelector('#refuse-publicCard')).toBeUndefined()
})

test('a long history is paged: “加载更多” brings the older records', async () => {
  const notice = await noticeOf('personalization')
  // Six grants and six withdrawals: twelve records, newest first.
  for (let i = 0; i < 6; i++) {
    await callAs(backend.cloud, openid, 'consent', 'grant', { items: [{ purpose: 'personalization', ...notice }], method: 'settings' })
    await callAs(backend.cloud, openid, 'consent', 'withdraw', { purpose: 'personalization' })
  }
  const page = await openPage()
  await tap(page, '#history-toggle-personalization', () => page.data.historyStatus === 'ready')
  expect(page.data.historyRecords).toHaveLength(10)
  expect(textOf(page, '#history-more')).toBe('加载更多记录')

  await tap(page, '#history-more', () => page.data.historyRecords.length === 12)
  const ids = (page.data.historyRecords as Array<{ id: string }>).map((r) => r.id)
  expect(new Set(ids).size).toBe(12)
  expect(page.querySelector('#history-more')).toBeUndefined()

  // Closing and opening again starts from the newest.
  await tap(page, '#history-toggle-personalization', () => page.data.historyPurpose === '')
  expect(page.querySelector('#history-personalization')).toBeUndefined()
})

test('verifying my records reports an intact chain; the receipt of everything is one tap away', async () => {
  const page = await openPage()
  await tap(page, '#verify-chain', () => page.data.chainStatus !== 'loading' && page.data.chainStatus !== 'idle')
  const report = await callAs(backend.cloud, openid, 'consent', 'verifyChain', {})
  expect(report.ok).toBe(true)
  expect(textOf(page, '#chain-result')).toBe(`校验通过：共 ${report.records} 条记录，前后相连，没有被改动或删除的痕迹。`)

  page.querySelector('#all-receipts')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/privacy/receipt?all=1' })
})

test('for a child under 14 the guardian gives each consent: granting opens the guardian’s form', async () => {
  openid = `privacy-child-${seq}`
  backend.signIn(openid)
  await callAs(backend.cloud, openid, 'account', 'login', {})
  const terms = await noticeOf('terms')
  const privacy = await noticeOf('privacy')
  const children = await noticeOf('childrenRules')
  const guardianId = '110101198001011232'
  await callAs(backend.cloud, openid, 'consent', 'grant', {
    items: [
      { purpose: 'terms', ...terms },
      { purpose: 'privacy', ...privacy },
      { purpose: 'childrenRules', ...children },
    ],
    method: 'guardian',
    declaredBirthDate: birthDateYearsAgo(10),
    guardian: { relation: 'father', name: '张伟', idNumber: guardianId },
  })

  const page = await openPage()
  expect(page.querySelector('#purpose-childrenRules')).toBeDefined()
  page.querySelector('#grant-location')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(page.querySelector('#guardian-sheet')).toBeDefined()
  expect(await stateOnServer('location')).toBe('none')

  page.querySelector('#guardian-submit')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(textOf(page, '#guardian-relation-error')).toBe('请选择你与孩子的关系')

  page.querySelector('#guardian-relation')?.dispatchEvent('change', { detail: { value: '0' } })
  page.querySelector('#guardian-name')?.dispatchEvent('input', { detail: { value: '张伟' } })
  page.querySelector('#guardian-id-number')?.dispatchEvent('input', { detail: { value: guardianId } })
  await simulate.sleep(0)
  await tap(page, '#guardian-submit', () => textOf(page, '#state-location') === PURPOSE_STATE_LABELS.granted)
  expect(page.querySelector('#guardian-sheet')).toBeUndefined()
  const { records } = await callAs(backend.cloud, openid, 'consent', 'history', { purpose: 'location' })
  expect(records[0]).toMatchObject({ action: 'grant', method: 'guardian', guardian: { relation: 'father', maskedName: '张*' } })
})

/**
 * 工作台 (packageAdmin/pages/index) against the real backend: queue counts and
 * waiting times, the ways on, and the refusal a person who is not staff gets.
 * (One page per test file: miniprogram-simulate registers components once per file.)
 */
import type { AppConfig } from '../../miniprogram/config'
import { acceptCurrentTerms, callAs, connectBackend, type Backend } from './backend'
import { openPage } from './content-helpers'
import { load, tap, textOf, waitFor, type Page } from './helpers'
import { cardOf, staffMember } from './review-helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

const REVIEWER = 'admin-board-reviewer'
const ADMIN = 'admin-board-admin'

let backend: Backend
const navigateTo = jest.fn((_options: { url: string }) => undefined)

const boardId = load('packageAdmin/pages/index/index')

beforeAll(async () => {
  backend = await connectBackend()
  await staffMember(backend.cloud, REVIEWER, 'reviewer')
  await staffMember(backend.cloud, ADMIN, 'admin')
  Object.assign(wx, { navigateTo })
})
afterAll(async () => {
  await backend.close()
})
beforeEach(() => {
  backend.signIn(REVIEWER)
  navigateTo.mockClear()
})

async function opened(pageId: string, query: Record<string, string> = {}): Promise<Page> {
  const page = openPage(pageId, query)
  await waitFor('the page to load', () => page.data.status !== 'loading')
  return page
}

test('nothing waits: every queue says so', async () => {
  const board = await opened(boardId)
  expect(textOf(board, '#tile-held')).toContain('没有待处理的事项')
  expect(textOf(board, '#tile-count-held')).toBe('0')
})

test('工作台 counts each queue with its oldest wait, opens them, and shows 角色管理 to admins only', async () => {
  const held = await cardOf(backend.cloud, 'admin-board-held', { intro: '欢迎合作，沙箱待审' })
  expect(held.moderation.state).toBe('pendingReview')
  const reported = await cardOf(backend.cloud, 'admin-board-reported')
  await acceptCurrentTerms(backend.cloud, 'admin-board-reporter')
  await callAs(backend.cloud, 'admin-board-reporter', 'moderation', 'report', { kind: 'card', targetId: reported.id, category: 'privacy' })
  backend.cloud.clock.advance(3 * 3600 * 1000)
  jest.spyOn(Date, 'now').mockImplementation(() => backend.cloud.clock.now().getTime())

  const board = await opened(boardId)
  expect(textOf(board, '#tile-count-held')).toBe('1')
  expect(textOf(board, '#tile-held')).toContain('最早的已等待 3 小时')
  expect(textOf(board, '#tile-count-reports')).toBe('1')
  expect(board.querySelector('#open-roles')).toBeUndefined()
  await tap(board, '#tile-reports')
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAdmin/pages/queue/index?queue=reports' })
  await tap(board, '#tile-appeals')
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAdmin/pages/appeals/index' })

  backend.signIn(ADMIN)
  const adminBoard = await opened(boardId)
  expect(textOf(adminBoard, '#open-roles')).toContain('角色管理')
})

test('someone who is not staff is refused by the server, whatever the page shows', async () => {
  await acceptCurrentTerms(backend.cloud, 'admin-board-user')
  backend.signIn('admin-board-user')
  const board = await opened(boardId)
  expect(board.data.status).toBe('error')
  expect(textOf(board, '#page-state')).toContain('没有权限')
})

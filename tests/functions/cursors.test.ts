/**
 * Every paged action (every action whose input has a `cursor`) refuses a
 * cursor it did not give out the same way: INVALID_INPUT with one message,
 * on the `cursor` field — and accepts the cursor it gave out.
 */
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import { BAD_CURSOR_MESSAGE } from '../../cloudfunctions/_core/cursor'
import { startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import { listActions } from '../../shared/contract'
import { errorOf, ok } from './helpers'

const STAFF = 'cursor-admin'
let cloud: TestCloud
let accountId = ''
let activityId = ''

beforeAll(async () => {
  cloud = await startTestCloud()
  await verifiedPublisher(cloud, STAFF)
  const account = await findAccount(cloud.store, STAFF)
  if (!account) throw new Error('no account')
  accountId = account._id
  await accounts(cloud.store).update(account._id, { roles: ['user', 'admin'] })
  const start = cloud.clock.now().getTime() + 7 * 24 * 3600 * 1000
  const published = ok<{ activity: { id: string } }>(
    await cloud.call(
      'activities',
      {
        action: 'publish',
        input: { title: '翻页测试活动', description: '检查翻页位置的处理。', place: '北京市海淀区', startAt: new Date(start).toISOString(), endAt: new Date(start + 3600_000).toISOString(), capacity: 5 },
      },
      STAFF,
    ),
  )
  activityId = published.activity.id
})

afterAll(() => cloud.close())

/** The actions that page, with what else their input needs. */
function pagedActions(): Array<{ fn: string; action: string; input: Record<string, unknown> }> {
  const extra: Record<string, Record<string, unknown>> = {
    'articles.byAuthor': { authorId: accountId },
    'activities.attendees': { id: activityId },
    'cards.exchangeList': { box: 'incoming' },
  }
  return listActions()
    .filter((row) => {
      const shape = (row.spec.input as unknown as { _zod?: { def?: { shape?: Record<string, unknown> } } })._zod?.def?.shape
      return shape !== undefined && 'cursor' in shape
    })
    .map((row) => ({ fn: row.fn, action: row.action, input: extra[`${row.fn}.${row.action}`] ?? {} }))
}

describe('paging', () => {
  it('covers every paged action of the contract', () => {
    expect(pagedActions().length).toBeGreaterThanOrEqual(19)
  })

  it.each(['not a cursor', '1.2.3', '1.a b', '…'.repeat(150)])('refuses the cursor %j everywhere with one code and one message', async (cursor) => {
    for (const { fn, action, input } of pagedActions()) {
      const error = errorOf(await cloud.call(fn, { action, input: { ...input, cursor } }, STAFF))
      expect([`${fn}.${action}`, error.code, error.message, error.issues]).toEqual([`${fn}.${action}`, 'INVALID_INPUT', BAD_CURSOR_MESSAGE, [{ path: 'cursor', message: BAD_CURSOR_MESSAGE }]])
    }
  })

  it('takes back the cursors it gives out', async () => {
    const paged: string[] = []
    for (const { fn, action, input } of pagedActions()) {
      const first = ok<{ nextCursor: string | null }>(await cloud.call(fn, { action, input: { ...input, limit: 1 } }, STAFF))
      if (first.nextCursor === null) continue
      ok(await cloud.call(fn, { action, input: { ...input, limit: 1, cursor: first.nextCursor } }, STAFF))
      paged.push(`${fn}.${action}`)
    }
    // The setup leaves more than one item in these lists, so each gave a cursor to take back.
    expect(paged).toEqual(expect.arrayContaining(['consent.history', 'activities.list', 'activities.mine', 'moderation.decisions']))
  })
})

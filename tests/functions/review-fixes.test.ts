/**
 * Fixes found while trying the staff side: a card taken down for its image goes
 * back to a person on edit; the account avatar obeys the card avatar's hosts;
 * blank-looking nicknames are refused; publishing and profile changes have
 * daily limits per person.
 */
import { startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import type { OwnCardView } from '../../shared/contract/cards'
import { DAILY_LIMITS } from '../../shared/review'
import { errorOf, ok } from './helpers'
import { caller, personWithCard, reporter, type Call } from './review-helpers'

let cloud: TestCloud
let call: Call
const START = new Date('2026-12-07T02:00:00.000Z')
const DAY = 24 * 3600 * 1000

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  call = caller(cloud)
})
afterAll(async () => {
  await cloud.close()
})
beforeEach(() => {
  cloud.clock.advance(1000)
})

it('sends an edit of a card taken down for a risky image back to a person, whatever the checks say now', async () => {
  const card = await personWithCard(cloud, 'fx-image', {}, 'cards/沙箱违规图.png')
  expect(card.moderation.state).toBe('pendingImages')
  ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
  const down = ok<{ card: OwnCardView }>(await call('fx-image', 'cards', 'get', { cardId: card.id })).card
  expect(down.moderation.state).toBe('rejected')
  const edited = ok<{ card: OwnCardView }>(await call('fx-image', 'cards', 'update', { cardId: card.id, card: { name: '王小明', avatarUrl: (await uploadsOf(cloud, 'fx-image'))('cards/new.png') } })).card
  expect(edited.moderation).toMatchObject({ state: 'pendingReview', reasons: expect.arrayContaining(['此前未通过审核，修改后需人工复审']) })
})

it('takes an account avatar only from cloud storage or WeChat’s own hosts', async () => {
  await reporter(cloud, 'fx-avatar', false)
  const refused = errorOf(await call('fx-avatar', 'account', 'updateProfile', { avatarUrl: 'https://tracker.example.com/a.png' }))
  expect(refused.code).toBe('INVALID_INPUT')
  expect(refused.issues?.[0]?.message).toContain('wx.qlogo.cn')
  ok(await call('fx-avatar', 'account', 'updateProfile', { avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/abc/132' }))
})

it('refuses nicknames that look blank', async () => {
  await reporter(cloud, 'fx-blank', false)
  for (const nickname of ['\u3164', '\u2800\u2800', ' \u3000 ', '乐\ud800聊']) {
    expect([nickname, errorOf(await call('fx-blank', 'account', 'updateProfile', { nickname })).code]).toEqual([nickname, 'INVALID_INPUT'])
  }
  ok(await call('fx-blank', 'account', 'updateProfile', { nickname: '乐 聊' }))
})

it('limits publishing and profile changes per person per day, and gives the allowance back the next Beijing day', async () => {
  await personWithCard(cloud, 'fx-busy')
  const activity = (n: number) => ({
    title: `读书会第 ${n} 期`,
    description: '一起读书。',
    place: '上海市徐汇区',
    startAt: new Date(cloud.clock.now().getTime() + 3 * DAY).toISOString(),
    endAt: new Date(cloud.clock.now().getTime() + 3 * DAY + 3600_000).toISOString(),
    capacity: 10,
  })
  for (let n = 1; n <= DAILY_LIMITS.activity; n++) ok(await call('fx-busy', 'activities', 'publish', activity(n)))
  const limited = errorOf(await call('fx-busy', 'activities', 'publish', activity(99)))
  expect(limited.code).toBe('RATE_LIMITED')
  expect(limited.message).toContain(`（${DAILY_LIMITS.activity} 次）`)
  // Midnight in Beijing is 16:00 UTC.
  expect(limited.retryAt).toBe('2026-12-07T16:00:00.000Z')

  for (let n = 1; n <= DAILY_LIMITS.nickname; n++) ok(await call('fx-busy', 'account', 'updateProfile', { nickname: `忙碌的人${n}` }))
  expect(errorOf(await call('fx-busy', 'account', 'updateProfile', { nickname: '再改一次' })).code).toBe('RATE_LIMITED')

  cloud.clock.set(new Date('2026-12-07T16:00:01.000Z'))
  ok(await call('fx-busy', 'activities', 'publish', activity(100)))
  ok(await call('fx-busy', 'account', 'updateProfile', { nickname: '新的一天' }))
})

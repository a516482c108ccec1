/**
 * The pure helpers behind the activity pages: Beijing times for the pickers,
 * only the changes for activities.update, the sign-up phone preview, the
 * cursor list and the refusal explanations.
 */
import fc from 'fast-check'
import type { ActivityDetail } from '../../shared/contract/activities'
import { ApiCallError } from '../../miniprogram/api/errors'
import {
  activityProblems,
  formOf,
  organizerSees,
  phoneProblem,
  publishInputOf,
  updateInputOf,
  type ActivityForm,
} from '../../miniprogram/utils/activities'
import { beijingClock, beijingDate, formatRange, isoFromBeijing, sameMinute } from '../../miniprogram/utils/beijing-time'
import { appendUnique, emptyList, fetchFilled, loadNextPage, type CursorList } from '../../miniprogram/utils/cursor-list'
import { placeIssues, refusalOf } from '../../miniprogram/utils/refusal'

const NOW = new Date('2030-04-30T04:00:00.000Z')

function stored(overrides: Partial<ActivityDetail> = {}): ActivityDetail {
  return {
    id: 'a1',
    title: '读书会',
    place: '图书馆',
    startAt: '2030-05-01T11:00:00.000Z',
    endAt: '2030-05-01T13:00:00.000Z',
    signUpDeadline: '2030-05-01T11:00:00.000Z',
    coverImage: null,
    capacity: 10,
    taken: 2,
    seatsLeft: 8,
    phase: 'open',
    phaseLabel: '报名中',
    organizer: { nickname: '组织者', avatarUrl: null, verified: true },
    moderation: { state: 'published', label: '已发布', reasons: [] },
    description: '一起读书',
    mine: true,
    signedUp: false,
    cancelledAt: null,
    updatedAt: '2030-04-01T00:00:00.000Z',
    ...overrides,
  }
}

test('pickers work in Beijing time whatever the phone’s zone, and round-trip', () => {
  expect(isoFromBeijing('2030-05-01', '19:00')).toBe('2030-05-01T19:00:00+08:00')
  expect(isoFromBeijing('2030-05-01', '')).toBe('')
  expect(beijingDate('2030-05-01T16:30:00.000Z')).toBe('2030-05-02')
  expect(beijingClock('2030-05-01T16:30:00.000Z')).toBe('00:30')
  expect(formatRange('2030-05-01T11:00:00.000Z', '2030-05-01T13:00:00.000Z')).toBe('5月1日 周三 19:00–21:00')
  expect(formatRange('2030-05-01T11:00:00.000Z', '2030-05-02T04:00:00.000Z')).toBe('5月1日 周三 19:00 至 5月2日 周四 12:00')
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2060, 0, 1) }), (ms) => {
      const minute = Math.floor(ms / 60_000) * 60_000
      const iso = new Date(minute).toISOString()
      expect(Date.parse(isoFromBeijing(beijingDate(iso), beijingClock(iso)))).toBe(minute)
      expect(sameMinute(iso, new Date(minute + 59_000).toISOString())).toBe(true)
    }),
  )
})

test('an unchanged form changes nothing; only what changed is sent; a cleared deadline is the start again', () => {
  const activity = stored({ signUpDeadline: '2030-05-01T10:00:00.000Z' })
  const form = formOf(activity)
  expect(form).toMatchObject({ startDate: '2030-05-01', startClock: '19:00', deadlineDate: '2030-05-01', deadlineClock: '18:00', capacity: '10' })
  expect(updateInputOf(form, activity)).toBeNull()
  expect(updateInputOf({ ...form, title: ' 新标题 ', capacity: '12' }, activity)).toEqual({ id: 'a1', title: '新标题', capacity: 12 })
  expect(updateInputOf({ ...form, deadlineDate: '', deadlineClock: '' }, activity)).toEqual({ id: 'a1', signUpDeadline: '2030-05-01T19:00:00+08:00' })
  expect(updateInputOf({ ...form, cover: 'cloud://env/x.png' }, activity)).toEqual({ id: 'a1', coverImage: 'cloud://env/x.png' })
  // A deadline equal to the start shows as "none".
  expect(formOf(stored())).toMatchObject({ deadlineDate: '', deadlineClock: '' })
})

test('checks before sending, and the input of publish', () => {
  const form: ActivityForm = {
    title: '读书会',
    description: '第一行\n第二行',
    place: '图书馆',
    startDate: '2030-05-01',
    startClock: '19:00',
    endDate: '2030-05-01',
    endClock: '21:00',
    deadlineDate: '',
    deadlineClock: '',
    capacity: '10',
    cover: '',
  }
  expect(Object.values(activityProblems(form, NOW)).filter(Boolean)).toEqual([])
  expect(publishInputOf(form)).toEqual({
    title: '读书会',
    description: '第一行\n第二行',
    place: '图书馆',
    startAt: '2030-05-01T19:00:00+08:00',
    endAt: '2030-05-01T21:00:00+08:00',
    capacity: 10,
    coverImage: null,
  })
  expect(activityProblems({ ...form, title: '读\u200b书会' }, NOW).title).toBe('活动标题不能包含换行或不可见字符')
  expect(activityProblems({ ...form, capacity: '2.5' }, NOW).capacity).toBe('名额须为整数')
  expect(activityProblems({ ...form, capacity: '10001' }, NOW).capacity).toBe('名额最多 10000')
  expect(activityProblems(form, NOW, { minCapacity: 12 }).capacity).toBe('已有 12 人报名，名额不能少于 12')
  expect(activityProblems({ ...form, deadlineDate: '2030-04-30', deadlineClock: '08:00' }, NOW).signUpDeadline).toBe('报名截止时间须晚于现在')
  expect(activityProblems({ ...form, deadlineDate: '2030-05-01', deadlineClock: '' }, NOW).signUpDeadline).toContain('请同时选择')
  // An edit that keeps a start already past is not refused for it.
  expect(activityProblems(form, new Date('2030-06-01T00:00:00Z'), { startChanged: false }).startAt).toBe('')
})

test('what the organizer will see of the phone', () => {
  expect(organizerSees('138 0013 8000', false)).toBe('138****8000')
  expect(organizerSees('+86 138-0013-8000', true)).toBe('13800138000')
  expect(organizerSees('1380013', false)).toBe('')
  expect(phoneProblem('', false)).toBe('')
  expect(phoneProblem('', true)).toBe('请填写要告诉组织者的手机号')
  expect(phoneProblem('12345678901', false)).toBe('请填写正确的中国大陆手机号')
})

test('cursor lists: rows are never shown twice, one page at a time, failures kept, late answers dropped', async () => {
  expect(appendUnique([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'c' }, { id: 'c' }], (r) => r.id)).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }])

  let list: CursorList<{ id: string }> = { ...emptyList<{ id: string }>(), items: [{ id: 'a' }], nextCursor: 'c1' }
  const fetch = jest.fn(async (cursor: string) => ({ items: [{ id: cursor }], nextCursor: cursor === 'c1' ? 'c2' : null }))
  const options = { read: () => list, write: (next: CursorList<{ id: string }>) => (list = next), fetch, keyOf: (r: { id: string }) => r.id }
  const [first, second] = await Promise.all([loadNextPage(options), loadNextPage(options)])
  expect([first, second]).toEqual([true, false])
  expect(list.items.map((r) => r.id)).toEqual(['a', 'c1'])
  expect(fetch).toHaveBeenCalledTimes(1)

  fetch.mockRejectedValueOnce(new ApiCallError('NETWORK_ERROR', '网络连接失败，请检查网络后重试'))
  expect(await loadNextPage(options)).toBe(false)
  expect(list).toMatchObject({ moreError: '网络连接失败，请检查网络后重试', loadingMore: false, nextCursor: 'c2' })

  // The page moved on (and put its new list in place): the late answer is not written.
  let moved = false
  const late = loadNextPage({ ...options, stillWanted: () => !moved })
  moved = true
  list = { ...list, loadingMore: false }
  expect(await late).toBe(false)
  expect(list.items).toHaveLength(2)
  expect(await loadNextPage(options)).toBe(true)
  expect(list).toMatchObject({ nextCursor: null, moreError: '' })
  expect(await loadNextPage(options)).toBe(false)

  // Pages thinned out to nothing are read past.
  const thin = jest.fn(async (cursor: string | null) => (cursor === 'p3' ? { items: [{ id: 'x' }], nextCursor: null } : { items: [], nextCursor: cursor === null ? 'p2' : 'p3' }))
  expect(await fetchFilled(thin)).toEqual({ items: [{ id: 'x' }], nextCursor: null })
  expect(thin).toHaveBeenCalledTimes(3)
})

test('refusals: each code its explanation and way forward; field issues placed beside their fields', () => {
  expect(refusalOf(new ApiCallError('VERIFICATION_REQUIRED', '请先完成实名认证'))).toMatchObject({ action: 'verify', actionText: '去实名认证' })
  expect(refusalOf(new ApiCallError('ACCOUNT_REQUIRED', '请先登录'))).toMatchObject({ action: 'login' })
  for (const code of ['ACTIVITY_FULL', 'SIGNUP_CLOSED', 'ALREADY_SIGNED_UP', 'ACTIVITY_LOCKED', 'FEATURE_RESTRICTED', 'CONTENT_REFUSED'] as const) {
    const refusal = refusalOf(new ApiCallError(code, '服务端的说明'))
    expect(refusal.message).toBe('服务端的说明')
    expect(refusal.hint).not.toBe('')
  }
  expect(refusalOf(new Error('boom')).message).toBe('出了点问题，请稍后重试')
  const error = new ApiCallError('CONTENT_REFUSED', '内容未通过安全审核', [
    { path: 'title', message: '标题违规' },
    { path: 'coverImage.0', message: '封面违规' },
    { path: '', message: '其他问题' },
  ])
  expect(placeIssues(error, ['title', 'coverImage'] as const)).toEqual({ fields: { title: '标题违规', coverImage: '封面违规' }, other: ['其他问题'] })
})

/**
 * 发布活动 / 修改活动 (packageActivities/pages/editor) against the real
 * backend: publishing with the moderation gate's three outcomes (published,
 * held for review with reasons, refused with the issue beside the field),
 * checks before sending, the verification link for unverified users, a cover
 * picked and uploaded, and editing (only changes sent; ACTIVITY_LOCKED explained).
 */
import simulate from 'miniprogram-simulate'
import type { AppConfig } from '../../miniprogram/config'
import { verifiedPublisher } from '../../local/testing'
import { acceptCurrentTerms, callAs, connectBackend, installPickedFiles, type Backend } from './backend'
import { beijingParts, openLoaded, openPage, publishActivity, sentInputs } from './content-helpers'
import { change, load, tap, textOf, type, waitFor, type Page } from './helpers'

jest.mock('../../miniprogram/config', () => {
  const config: AppConfig = { transport: 'cloud', envId: 'test-env', localUrl: '', devOpenid: '', subscribeTemplates: {} }
  return { config }
})

jest.setTimeout(20_000)

const ORGANIZER = 'activity-editor-organizer'
const DAY = 24 * 3600 * 1000

let backend: Backend

const navigateTo = jest.fn((_options: { url: string }) => undefined)
const redirectTo = jest.fn((_options: { url: string }) => undefined)
const chooseMedia = jest.fn(async () => ({
  tempFiles: [{ tempFilePath: 'http://tmp/cover.jpg', size: 120_000, fileType: 'image' }],
  type: 'image',
  errMsg: 'chooseMedia:ok',
}))
let readFile: jest.Mock

const pageId = load('packageActivities/pages/editor/index')

beforeAll(async () => {
  backend = await connectBackend()
  await verifiedPublisher(backend.cloud, ORGANIZER)
  Object.assign(wx, { navigateTo, redirectTo, chooseMedia })
  readFile = installPickedFiles()
})

afterAll(async () => {
  await backend.close()
})

beforeEach(() => {
  backend.signIn(ORGANIZER)
  backend.cloud.clock.set(new Date())
  for (const mock of [navigateTo, redirectTo, chooseMedia, readFile, backend.callFunction]) mock.mockClear()
})

async function fill(page: Page, values: { title?: string; description?: string; place?: string; capacity?: string }): Promise<void> {
  await type(page, '#title', values.title ?? '周末城市徒步')
  await type(page, '#description', values.description ?? '沿江步行 10 公里，途中会停下来拍照。')
  await type(page, '#place', values.place ?? '上海市黄浦区外滩 1 号')
  await type(page, '#capacity', values.capacity ?? '20')
}

async function submit(page: Page): Promise<void> {
  await tap(page, '#submit', () => page.data.busy === '')
}

test('a verified organizer publishes: live counts, Beijing times from the pickers, and the activity is published for everyone', async () => {
  const page = await openLoaded(pageId)
  expect(page.data.status).toBe('ready')
  // The profile says the organizer is verified: no notice.
  await waitFor('the verification check', () => sentInputs(backend, 'account', 'getProfile').length === 1)
  await simulate.sleep(10)
  expect(page.querySelector('#verify-notice')).toBeUndefined()

  await fill(page, { title: '周末城市徒步' })
  expect(textOf(page, '#title-count')).toBe('6/40')
  expect(textOf(page, '#description-count')).toBe(`${Array.from('沿江步行 10 公里，途中会停下来拍照。').length}/2000`)

  const start = beijingParts(Date.now() + 10 * DAY)
  await change(page, '#start-date', start.date)
  await change(page, '#start-clock', '09:30')
  await change(page, '#end-date', start.date)
  await change(page, '#end-clock', '12:00')
  expect(textOf(page, '#start-date-value')).toBe(start.date)
  expect(textOf(page, '#deadline-date-value')).toBe('活动开始时')

  await submit(page)
  expect(textOf(page, '#saved-summary')).toBe('活动已发布，其他人现在可以看到并报名。')
  expect(textOf(page, '#moderation-label')).toBe('已发布')
  expect(textOf(page, '#submit')).toBe('保存修改')

  const [sent] = sentInputs(backend, 'activities', 'publish')
  expect(sent).toEqual({
    title: '周末城市徒步',
    description: '沿江步行 10 公里，途中会停下来拍照。',
    place: '上海市黄浦区外滩 1 号',
    startAt: `${start.date}T09:30:00+08:00`,
    endAt: `${start.date}T12:00:00+08:00`,
    capacity: 20,
    coverImage: null,
  })
  const { activities } = await callAs(backend.cloud, 'activity-editor-reader', 'activities', 'list', {})
  expect(activities.map((a) => a.title)).toContain('周末城市徒步')

  // The same page now updates that activity instead of publishing another.
  await type(page, '#capacity', '25')
  await submit(page)
  expect(sentInputs(backend, 'activities', 'publish')).toHaveLength(1)
  expect(sentInputs(backend, 'activities', 'update')).toEqual([{ id: page.data.stored?.id, capacity: 25 }])
  expect(textOf(page, '#saved-summary')).toBe('修改已保存。')

  await tap(page, '#open-activity')
  expect(redirectTo).toHaveBeenCalledWith({ url: `/packageActivities/pages/detail/index?id=${page.data.stored?.id}` })
})

test('沙箱待审 in the description: held for review, the reasons shown, and only the organizer sees it', async () => {
  const page = await openLoaded(pageId)
  await fill(page, { title: '需要复审的活动', description: '这段介绍里有沙箱待审的内容。' })
  await submit(page)

  expect(textOf(page, '#saved-summary')).toBe('活动已提交，通过审核后其他人才能看到并报名。')
  expect(textOf(page, '#moderation-label')).toBe('审核中：需要人工复审，通过前只有你能看到')
  expect(textOf(page, '#moderation-reasons')).toContain('需人工复审')

  const { activities: listed } = await callAs(backend.cloud, 'activity-editor-reader', 'activities', 'list', {})
  expect(listed.map((a) => a.title)).not.toContain('需要复审的活动')
  const { activities: mine } = await callAs(backend.cloud, ORGANIZER, 'activities', 'mine', {})
  expect(mine.find((a) => a.title === '需要复审的活动')?.moderation?.state).toBe('pendingReview')
})

test('沙箱违规 in the title: refused, the issue beside the title, nothing stored', async () => {
  const before = (await callAs(backend.cloud, ORGANIZER, 'activities', 'mine', { limit: 50 })).activities.length
  const page = await openLoaded(pageId)
  await fill(page, { title: '沙箱违规的标题' })
  await submit(page)

  expect(textOf(page, '#title-error')).toContain('违规')
  expect(page.querySelector('#description-error')).toBeUndefined()
  expect(textOf(page, '#refusal-message')).toContain('内容未通过安全审核')
  expect(textOf(page, '#refusal-hint')).toBe('请按照各项下方标出的提示修改后再提交。')
  expect(page.querySelector('#saved')).toBeUndefined()
  expect((await callAs(backend.cloud, ORGANIZER, 'activities', 'mine', { limit: 50 })).activities).toHaveLength(before)

  // Fixing the title clears its message and publishes.
  await type(page, '#title', '合规的标题')
  expect(page.querySelector('#title-error')).toBeUndefined()
  await submit(page)
  expect(textOf(page, '#moderation-label')).toBe('已发布')
})

test('checks before sending: empty texts, times out of order, deadline after the start, capacity — nothing is sent', async () => {
  const page = await openLoaded(pageId)
  await submit(page)
  expect(textOf(page, '#title-error')).toBe('请填写活动标题')
  expect(textOf(page, '#description-error')).toBe('请填写活动介绍')
  expect(textOf(page, '#place-error')).toBe('请填写活动地点')
  expect(textOf(page, '#capacity-error')).toBe('请填写名额')

  await fill(page, { title: '标'.repeat(41), capacity: '0' })
  expect(textOf(page, '#title-count')).toBe('41/40')
  const start = beijingParts(Date.now() + 5 * DAY)
  await change(page, '#start-date', start.date)
  await change(page, '#start-clock', '18:00')
  await change(page, '#end-date', start.date)
  await change(page, '#end-clock', '17:00')
  const later = beijingParts(Date.now() + 6 * DAY)
  await change(page, '#deadline-date', later.date)
  // Picking the date alone takes the start's time.
  expect(textOf(page, '#deadline-clock-value')).toBe('18:00')
  await submit(page)
  expect(textOf(page, '#title-error')).toBe('活动标题最多 40 个字，现在有 41 个')
  expect(textOf(page, '#endAt-error')).toBe('结束时间须晚于开始时间')
  expect(textOf(page, '#signUpDeadline-error')).toBe('报名截止时间不能晚于活动开始时间')
  expect(textOf(page, '#capacity-error')).toBe('名额至少为 1')

  // A start in the past.
  const past = beijingParts(Date.now() - DAY)
  await change(page, '#start-date', past.date)
  await submit(page)
  expect(textOf(page, '#startAt-error')).toBe('开始时间须晚于现在')

  await tap(page, '#clear-deadline')
  expect(textOf(page, '#deadline-date-value')).toBe('活动开始时')
  expect(sentInputs(backend, 'activities', 'publish')).toEqual([])
})

test('an unverified user is told before and after submitting, with the way to verification', async () => {
  const user = 'activity-editor-unverified'
  await acceptCurrentTerms(backend.cloud, user)
  backend.signIn(user)
  const page = await openLoaded(pageId)
  await waitFor('the verification notice', () => page.querySelector('#verify-notice') !== undefined)
  expect(textOf(page, '#verify-notice')).toContain('发布活动需要先完成实名认证')

  await fill(page, {})
  await submit(page)
  expect(textOf(page, '#refusal-message')).toBe('请先完成实名认证')
  expect(textOf(page, '#refusal-hint')).toContain('已填写的内容不会丢失')
  expect(textOf(page, '#refusal-action')).toBe('去实名认证')
  await tap(page, '#refusal-action')
  expect(navigateTo).toHaveBeenLastCalledWith({ url: '/packageAccount/pages/verify/index' })
  // What was typed is still there.
  expect(page.data.form.title).toBe('周末城市徒步')
})

test('a cover is picked and uploaded to cloud storage; the activity waits for the image check', async () => {
  const page = await openLoaded(pageId)
  await fill(page, { title: '有封面的活动' })
  await tap(page, '#choose-cover', () => page.data.busy === '')
  expect(chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 1, mediaType: ['image'] }))
  expect(readFile).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'http://tmp/cover.jpg' }))
  // Stored by the server in the organizer's own folder: the only files it accepts from them.
  const coverId = page.data.form.cover
  expect(coverId).toMatch(/^cloud:\/\/env-1\.6c65\/u\/[0-9a-f]+\/activity-covers\/[0-9a-z]+\.png$/)
  expect(page.querySelector('#cover-preview')).toBeDefined()

  await submit(page)
  expect(sentInputs(backend, 'activities', 'publish')[0]).toMatchObject({ coverImage: coverId })
  expect(textOf(page, '#moderation-label')).toBe('审核中：图片安全检查进行中，通过前只有你能看到')

  // Backing out of the picker changes nothing.
  chooseMedia.mockRejectedValueOnce({ errMsg: 'chooseMedia:fail cancel' })
  await tap(page, '#choose-cover', () => page.data.busy === '')
  expect(page.querySelector('#coverImage-error')).toBeUndefined()
  expect(page.data.form.cover).toBe(coverId)
})

test('editing: the stored activity fills the form, only changes are sent, sign-ups are told', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '要修改的活动', capacity: 5 })
  await acceptCurrentTerms(backend.cloud, 'activity-editor-attendee')
  await callAs(backend.cloud, 'activity-editor-attendee', 'activities', 'signUp', { id: activity.id })

  const page = await openLoaded(pageId, { id: activity.id })
  expect(page.data.status).toBe('ready')
  expect(page.data.form.title).toBe('要修改的活动')
  expect(page.data.form.capacity).toBe('5')
  expect(textOf(page, '#edit-notice')).toContain('已有 1 人报名')
  expect(textOf(page, '#submit')).toBe('保存修改')

  // Nothing changed: nothing sent.
  await submit(page)
  expect(textOf(page, '#saved-summary')).toBe('没有需要保存的修改。')
  expect(sentInputs(backend, 'activities', 'update')).toEqual([])

  await type(page, '#place', '北京市朝阳区建国路 88 号')
  await type(page, '#capacity', '0')
  await submit(page)
  expect(textOf(page, '#capacity-error')).toBe('名额至少为 1')
  await type(page, '#capacity', '8')
  await submit(page)
  expect(sentInputs(backend, 'activities', 'update')).toEqual([{ id: activity.id, place: '北京市朝阳区建国路 88 号', capacity: 8 }])
  expect(textOf(page, '#saved-summary')).toBe('修改已保存。已报名的 1 人会收到通知。')
  const { activity: after } = await callAs(backend.cloud, ORGANIZER, 'activities', 'detail', { id: activity.id })
  expect(after).toMatchObject({ place: '北京市朝阳区建国路 88 号', capacity: 8 })
})

test('ACTIVITY_LOCKED: an activity that started while the form was open is locked and the page says why', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '即将开始的活动', daysAhead: 1 })
  const page = await openLoaded(pageId, { id: activity.id })
  expect(page.querySelector('#locked')).toBeUndefined()
  await type(page, '#title', '开始后才改的标题')

  backend.cloud.clock.advance(2 * DAY)
  await submit(page)
  expect(textOf(page, '#refusal-message')).toBe('活动已开始，不能再修改')
  expect(textOf(page, '#refusal-hint')).toContain('如需调整，可以重新发布一个活动')
  expect(textOf(page, '#locked')).toContain('不能再修改')
  expect(page.querySelector('#submit')).toBeUndefined()

  // Opened after the start: locked from the outset.
  const again = await openLoaded(pageId, { id: activity.id })
  expect(textOf(again, '#locked')).toContain('活动已开始或已取消，不能再修改')
  expect(again.querySelector('#submit')).toBeUndefined()
})

test('someone else’s activity cannot be opened in the editor', async () => {
  const activity = await publishActivity(backend.cloud, ORGANIZER, { title: '别人的活动' })
  await acceptCurrentTerms(backend.cloud, 'activity-editor-stranger')
  backend.signIn('activity-editor-stranger')
  const page = await openLoaded(pageId, { id: activity.id })
  expect(page.data.status).toBe('error')
  expect(textOf(page, '#page-state')).toContain('只有活动的组织者可以修改这个活动')
})

test('the default start and the earliest day are worked out when the page opens, not when it was first loaded', async () => {
  // The bundle was loaded at the top of this file; the page opens 40 days later.
  const later = Date.now() + 40 * DAY
  jest.useFakeTimers({
    now: later,
    doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'],
  })
  let page: Page
  try {
    page = openPage(pageId)
  } finally {
    jest.useRealTimers()
  }
  expect(page.data.today).toBe(beijingParts(later).date)
  expect(page.data.form.startDate).toBe(beijingParts(later + 7 * DAY).date)
  expect(page.data.form.startClock).toBe('19:00')
})

test('leaving asks first while there are unsaved changes; published, it no longer does', async () => {
  const enableAlertBeforeUnload = jest.fn((_options: { message: string }) => undefined)
  const disableAlertBeforeUnload = jest.fn((_options?: object) => undefined)
  Object.assign(wx, { enableAlertBeforeUnload, disableAlertBeforeUnload })
  try {
    const page = await openLoaded(pageId)
    expect(enableAlertBeforeUnload).not.toHaveBeenCalled()
    await fill(page, { title: '周末城市徒步' })
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    expect(enableAlertBeforeUnload.mock.calls[0]?.[0].message).toContain('还没有保存')
    await submit(page)
    expect(page.data.stored).not.toBeNull()
    expect(disableAlertBeforeUnload).toHaveBeenCalledTimes(1)
    // Editing the saved activity again asks again.
    await type(page, '#place', '上海市黄浦区外滩 2 号')
    expect(enableAlertBeforeUnload).toHaveBeenCalledTimes(2)
  } finally {
    Reflect.deleteProperty(wx, 'enableAlertBeforeUnload')
    Reflect.deleteProperty(wx, 'disableAlertBeforeUnload')
  }
})

test('a broken link is an empty state with 返回; an activity that is gone says so', async () => {
  const broken = openPage(pageId, { id: '%E4%B8' })
  await simulate.sleep(10)
  expect(broken.data.status).toBe('empty')
  const state = broken.querySelector('#page-state') as unknown as Page
  expect(textOf(state, '.state__text')).toContain('链接可能不完整')
  state.querySelector('#empty-action')?.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(redirectTo).toHaveBeenCalledWith({ url: '/packageActivities/pages/list/index' })

  const gone = await openLoaded(pageId, { id: 'no-such-activity' })
  expect(gone.data.status).toBe('empty')
  expect(textOf(gone.querySelector('#page-state') as unknown as Page, '#empty-action')).toBe('返回')
})

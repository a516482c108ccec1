/**
 * Activities through the real dispatcher, SDK and local database: who may
 * publish, the moderation gate, what others see, editing and cancelling with
 * notices, sign-up rules, the attendee list, and what deletion does.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import type { ActivityDoc, SignUpDoc } from '../../cloudfunctions/_core/activities/records'
import { takeSeat } from '../../cloudfunctions/_core/activities/seats'
import type { Context } from '../../cloudfunctions/_core/context'
import type { Collection, Patch, Store, Where } from '../../cloudfunctions/_core/db'
import type { InboxMessageDoc } from '../../cloudfunctions/_core/inbox'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, verifiedPublisher, type TestCloud, uploadsOf } from '../../local/testing'
import type { ActivityDetail, ActivitySummary, AttendeeView, MySignUpView } from '../../shared/contract/activities'
import { refusalOf } from '../moderation/gate-helpers'
import { errorOf, ok } from './helpers'
import { DAY, fire, makeStaff, stored } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-09-01T02:00:00.000Z')
const HOUR = 3600 * 1000
const ADMIN = 'act-admin'
const ORGANIZER = 'act-organizer'

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
  await makeStaff(cloud, ADMIN, 'admin')
  await verifiedPublisher(cloud, ORGANIZER)
  ok(await cloud.call('account', { action: 'updateProfile', input: { nickname: '读书会老张' } }, ORGANIZER))
})
afterAll(async () => {
  await cloud.close()
})

const act = (openid: string, action: string, input: unknown = {}) => cloud.call('activities', { action, input }, openid)

function at(offsetMs: number): string {
  return new Date(cloud.clock.now().getTime() + offsetMs).toISOString()
}

function draft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '周末读书会',
    description: '一起读《乡土中国》第一章。\n欢迎新朋友，自带书或现场借阅。',
    place: '北京市海淀区中关村图书馆三层',
    startAt: at(7 * DAY),
    endAt: at(7 * DAY + 2 * HOUR),
    capacity: 3,
    ...overrides,
  }
}

async function publish(openid = ORGANIZER, overrides: Record<string, unknown> = {}): Promise<ActivityDetail> {
  return ok<{ activity: ActivityDetail }>(await act(openid, 'publish', draft(overrides))).activity
}

async function member(openid: string): Promise<string> {
  await acceptCurrentTerms(cloud, openid)
  return openid
}

async function signUp(openid: string, id: string, extra: Record<string, unknown> = {}): Promise<ActivityDetail> {
  return ok<{ activity: ActivityDetail }>(await act(openid, 'signUp', { id, ...extra })).activity
}

async function detail(openid: string, id: string): Promise<ActivityDetail> {
  return ok<{ activity: ActivityDetail }>(await act(openid, 'detail', { id })).activity
}

async function upcoming(openid: string): Promise<ActivitySummary[]> {
  const all: ActivitySummary[] = []
  let cursor: string | null = null
  do {
    const page: { activities: ActivitySummary[]; nextCursor: string | null } = ok(await act(openid, 'list', { cursor, limit: 50 }))
    all.push(...page.activities)
    cursor = page.nextCursor
  } while (cursor)
  return all
}

function messagesOf(openid: string): Promise<InboxMessageDoc[]> {
  return cloud.store.collection<InboxMessageDoc>('inbox_messages').find({ recipient: openid }, { orderBy: [['createdAt', 'asc']], limit: 100 })
}

async function storedActivity(id: string): Promise<ActivityDoc | null> {
  return cloud.store.collection<ActivityDoc>('activities').byId(id)
}

async function restrict(openid: string, feature: 'publish' | 'signUp'): Promise<void> {
  const account = await stored(cloud, openid)
  const input = { accountId: account._id, transition: 'restrict', category: 'spam', rule: 'harassment', reason: '多次发布违规内容，限制使用', until: at(30 * DAY), features: [feature] }
  ok(await cloud.call('admin', { action: 'transition', input }, ADMIN))
}

describe('who may publish', () => {
  it('refuses an account without real-name verification', async () => {
    const plain = await member('act-unverified')
    expect(errorOf(await act(plain, 'publish', draft())).code).toBe('VERIFICATION_REQUIRED')
  })

  it('refuses a verified publisher banned from publishing, saying until when', async () => {
    await verifiedPublisher(cloud, 'act-banned')
    await restrict('act-banned', 'publish')
    const error = errorOf(await act('act-banned', 'publish', draft()))
    expect(error.code).toBe('FEATURE_RESTRICTED')
    expect(error.message).toContain('发布内容')
  })

  it('refuses what the moderation gate refuses, per field, and stores no activity', async () => {
    const before = await cloud.store.collection('activities').count({})
    const error = errorOf(await act(ORGANIZER, 'publish', draft({ place: '沙箱违规 的地址' })))
    expect(error.code).toBe('CONTENT_REFUSED')
    expect(error.issues?.map((i) => i.path)).toEqual(['place'])
    expect(await cloud.store.collection('activities').count({})).toBe(before)
  })

  it('checks the schedule: start in the future, end after start, deadline not after start', async () => {
    const past = errorOf(await act(ORGANIZER, 'publish', draft({ startAt: at(-HOUR), endAt: at(HOUR) })))
    expect(past.code).toBe('INVALID_INPUT')
    expect(past.issues?.map((i) => i.path)).toEqual(['startAt'])
    const late = errorOf(await act(ORGANIZER, 'publish', draft({ signUpDeadline: at(8 * DAY) })))
    expect(late.issues?.map((i) => i.path)).toEqual(['signUpDeadline'])
    const backwards = errorOf(await act(ORGANIZER, 'publish', draft({ endAt: at(6 * DAY) })))
    expect(backwards.issues?.map((i) => i.path)).toEqual(['endAt'])
    expect(errorOf(await act(ORGANIZER, 'publish', draft({ capacity: 0 }))).code).toBe('INVALID_INPUT')
    expect(errorOf(await act(ORGANIZER, 'publish', draft({ capacity: 10001 }))).code).toBe('INVALID_INPUT')
  })
})

describe('what others see', () => {
  it('shows a published activity to visitors without an account, with seats left and the organizer', async () => {
    const published = await publish()
    expect(published.moderation?.state).toBe('published')
    expect(published.signUpDeadline).toBe(published.startAt)
    const seen = await detail('act-visitor-no-account', published.id)
    expect(seen).toMatchObject({
      id: published.id,
      title: '周末读书会',
      seatsLeft: 3,
      phase: 'open',
      phaseLabel: '报名中',
      signedUp: false,
      mine: false,
      moderation: null,
      organizer: { nickname: '读书会老张', verified: true },
    })
    expect((await upcoming('act-visitor-no-account')).map((a) => a.id)).toContain(published.id)
  })

  it('holds an activity the gate sends to review: only its organizer sees it, with the status', async () => {
    const held = await publish(ORGANIZER, { description: '这段介绍包含沙箱待审的词' })
    expect(held.moderation).toMatchObject({ state: 'pendingReview', label: expect.stringContaining('审核中') })
    expect(held.moderation?.reasons.length).toBeGreaterThan(0)
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: held.id })).code).toBe('NOT_FOUND')
    expect((await upcoming('act-visitor-no-account')).map((a) => a.id)).not.toContain(held.id)
    const mine = ok<{ activities: ActivitySummary[] }>(await act(ORGANIZER, 'mine', {})).activities
    expect(mine.find((a) => a.id === held.id)?.moderation?.state).toBe('pendingReview')
    // Nobody signs up for what is not published: others do not find it, the organizer is told why.
    const someone = await member('act-early-bird')
    expect(errorOf(await act(someone, 'signUp', { id: held.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await act(ORGANIZER, 'signUp', { id: held.id })).code).toBe('NOT_PUBLISHED')
  })

  it('holds an activity with a cover until the image check', async () => {
    const cover = (await uploadsOf(cloud, ORGANIZER))('activities/cover.png')
    const withCover = await publish(ORGANIZER, { coverImage: cover })
    expect(withCover.moderation?.state).toBe('pendingImages')
    expect(withCover.coverImage).toBe(cover)
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: withCover.id })).code).toBe('NOT_FOUND')
  })

  it('hides the activities of an organizer whose content is hidden', async () => {
    await verifiedPublisher(cloud, 'act-dormant-organizer')
    const theirs = await publish('act-dormant-organizer', { title: '暂时隐藏的活动' })
    expect((await upcoming('act-visitor-no-account')).map((a) => a.id)).toContain(theirs.id)
    const account = await stored(cloud, 'act-dormant-organizer')
    await accounts(cloud.store).update(account._id, { contentHidden: true })
    expect((await upcoming('act-visitor-no-account')).map((a) => a.id)).not.toContain(theirs.id)
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: theirs.id })).code).toBe('NOT_FOUND')
    await accounts(cloud.store).update(account._id, { contentHidden: false })
  })

  it('lists upcoming activities by start time with cursor paging, without started or cancelled ones', async () => {
    await verifiedPublisher(cloud, 'act-pager')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await publish('act-pager', { title: `分页活动${i}`, startAt: at((20 - i) * DAY), endAt: at((20 - i) * DAY + HOUR) })).id)
    }
    const cancelled = await publish('act-pager', { title: '分页活动已取消', startAt: at(15 * DAY), endAt: at(15 * DAY + HOUR) })
    ok(await act('act-pager', 'cancel', { id: cancelled.id }))
    const seen: ActivitySummary[] = []
    let cursor: string | null = null
    do {
      const page: { activities: ActivitySummary[]; nextCursor: string | null } = ok(await act('act-visitor-no-account', 'list', { cursor, limit: 2 }))
      expect(page.activities.length).toBeLessThanOrEqual(2)
      seen.push(...page.activities)
      cursor = page.nextCursor
    } while (cursor)
    const starts = seen.map((a) => Date.parse(a.startAt))
    expect(starts).toEqual([...starts].sort((a, b) => a - b))
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length)
    const mineInOrder = seen.filter((a) => ids.includes(a.id)).map((a) => a.id)
    expect(mineInOrder).toEqual([...ids].reverse())
    expect(seen.map((a) => a.id)).not.toContain(cancelled.id)
    expect(errorOf(await act('act-visitor-no-account', 'list', { cursor: 'garbage' })).code).toBe('INVALID_INPUT')
  })
})

describe('signing up', () => {
  it('holds a seat per person: a second sign-up is refused, a full activity refuses, a cancelled sign-up frees the seat', async () => {
    const activity = await publish(ORGANIZER, { capacity: 2 })
    const [a, b, c] = [await member('act-su-a'), await member('act-su-b'), await member('act-su-c')]
    expect(await signUp(a, activity.id)).toMatchObject({ signedUp: true, taken: 1, seatsLeft: 1 })
    expect(errorOf(await act(a, 'signUp', { id: activity.id })).code).toBe('ALREADY_SIGNED_UP')
    await signUp(b, activity.id)
    expect(errorOf(await act(c, 'signUp', { id: activity.id })).code).toBe('ACTIVITY_FULL')
    expect((await detail(c, activity.id)).phase).toBe('full')

    const after = ok<{ activity: ActivityDetail | null }>(await act(a, 'cancelSignUp', { id: activity.id })).activity
    expect(after).toMatchObject({ signedUp: false, taken: 1, seatsLeft: 1 })
    expect(errorOf(await act(a, 'cancelSignUp', { id: activity.id })).code).toBe('NOT_FOUND')
    expect(await signUp(c, activity.id)).toMatchObject({ signedUp: true, taken: 2 })
    // And the one who cancelled may come back once a seat is free again.
    ok(await act(b, 'cancelSignUp', { id: activity.id }))
    expect(await signUp(a, activity.id)).toMatchObject({ signedUp: true, taken: 2 })
    expect((await storedActivity(activity.id))?.taken).toBe(2)
    expect(await cloud.store.collection<SignUpDoc>('activity_signups').count({ activityId: activity.id })).toBe(2)

    const mine = ok<{ signUps: MySignUpView[] }>(await act(a, 'mySignUps', {})).signUps
    expect(mine.map((s) => s.activity?.id)).toContain(activity.id)
    expect(mine.find((s) => s.activity?.id === activity.id)?.activity?.title).toBe('周末读书会')
  })

  it('closes at the deadline, and cancelling a sign-up is refused once the activity started', async () => {
    const activity = await publish(ORGANIZER, { signUpDeadline: at(2 * DAY) })
    const early = await member('act-deadline-early')
    const late = await member('act-deadline-late')
    await signUp(early, activity.id)
    cloud.clock.advance(2 * DAY)
    const closed = errorOf(await act(late, 'signUp', { id: activity.id }))
    expect(closed.code).toBe('SIGNUP_CLOSED')
    expect((await detail(late, activity.id)).phase).toBe('closed')
    cloud.clock.advance(5 * DAY)
    expect(errorOf(await act(late, 'signUp', { id: activity.id })).code).toBe('SIGNUP_CLOSED')
    expect(errorOf(await act(early, 'cancelSignUp', { id: activity.id })).code).toBe('SIGNUP_CLOSED')
    expect((await detail(early, activity.id)).phase).toBe('ongoing')
  })

  it('refuses people banned from signing up', async () => {
    const activity = await publish()
    const banned = await member('act-signup-banned')
    await restrict(banned, 'signUp')
    expect(errorOf(await act(banned, 'signUp', { id: activity.id })).code).toBe('FEATURE_RESTRICTED')
  })

  it('validates the phone number given at sign-up', async () => {
    const activity = await publish()
    const someone = await member('act-phone-check')
    const bad = errorOf(await act(someone, 'signUp', { id: activity.id, phone: '12345678901' }))
    expect(bad.code).toBe('INVALID_INPUT')
    expect(bad.issues?.[0]?.path).toBe('phone')
    expect(errorOf(await act(someone, 'signUp', { id: activity.id, sharePhone: true })).issues?.[0]?.path).toBe('phone')
  })
})

describe('the attendee list', () => {
  it('shows the organizer nicknames, masked phones, and the full number only when shared', async () => {
    const activity = await publish(ORGANIZER, { capacity: 5 })
    const sharer = await member('act-att-sharer')
    ok(await cloud.call('account', { action: 'updateProfile', input: { nickname: '愿意留号' } }, sharer))
    const keeper = await member('act-att-keeper')
    ok(await cloud.call('account', { action: 'updateProfile', input: { nickname: '不想留号' } }, keeper))
    const silent = await member('act-att-silent')
    await signUp(sharer, activity.id, { phone: '138 0013 8000', sharePhone: true })
    await signUp(keeper, activity.id, { phone: '13912345678' })
    await signUp(silent, activity.id)

    const list = ok<{ attendees: AttendeeView[]; total: number }>(await act(ORGANIZER, 'attendees', { id: activity.id }))
    expect(list.total).toBe(3)
    const byName = new Map(list.attendees.map((x) => [x.nickname, x]))
    expect(byName.get('愿意留号')).toMatchObject({ phone: '13800138000', phoneShared: true })
    expect(byName.get('不想留号')).toMatchObject({ phone: '139****5678', phoneShared: false })
    expect(list.attendees.find((x) => x.phone === null)?.phoneShared).toBe(false)
    expect(JSON.stringify(list)).not.toContain('13912345678')

    expect(errorOf(await act(sharer, 'attendees', { id: activity.id })).code).toBe('FORBIDDEN')
    expect(errorOf(await act(ORGANIZER, 'attendees', { id: 'no-such-activity' })).code).toBe('NOT_FOUND')
  })

  it('shows an attendee whose account hides its content as 「用户已停用」, without nickname or avatar', async () => {
    const activity = await publish(ORGANIZER, { capacity: 5 })
    const leaving = await member('act-att-leaving')
    const staying = await member('act-att-staying')
    for (const [who, nickname] of [[leaving, '要注销的人'], [staying, '还在的人']] as const) {
      ok(await cloud.call('account', { action: 'updateProfile', input: { nickname } }, who))
      // A public avatar, as an approved one is stored.
      await accounts(cloud.store).update((await stored(cloud, who))._id, { avatarUrl: `cloud://env/avatars/${who}.png` })
      await signUp(who, activity.id, { phone: '13812345678' })
    }
    // Asking for deletion hides the account's content during the cooling-off period.
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true } }, leaving))
    expect((await stored(cloud, leaving)).contentHidden).toBe(true)

    const list = ok<{ attendees: AttendeeView[]; total: number }>(await act(ORGANIZER, 'attendees', { id: activity.id }))
    expect(list.total).toBe(2)
    // Both signed up at the same instant: in either order.
    expect(list.attendees.map((a) => [a.nickname, a.avatarUrl]).sort()).toEqual([
      ['用户已停用', null],
      ['还在的人', `cloud://env/avatars/${staying}.png`],
    ])
    expect(list.attendees.every((a) => a.phone === '138****5678')).toBe(true)
    expect(JSON.stringify(list)).not.toContain('要注销的人')
    expect(JSON.stringify(list)).not.toContain(leaving)
  })
})

describe('editing and cancelling', () => {
  it('notifies everyone signed up of an edit, once per edit, and re-moderates changed text', async () => {
    const activity = await publish(ORGANIZER, { capacity: 4 })
    const [a, b] = [await member('act-edit-a'), await member('act-edit-b')]
    await signUp(a, activity.id)
    await signUp(b, activity.id)
    const updated = ok<{ activity: ActivityDetail }>(
      await act(ORGANIZER, 'update', { id: activity.id, place: '北京市海淀区中关村图书馆五层', startAt: at(8 * DAY), endAt: at(8 * DAY + 3 * HOUR) }),
    ).activity
    expect(updated.place).toBe('北京市海淀区中关村图书馆五层')
    expect(updated.moderation?.state).toBe('published')
    for (const person of [a, b]) {
      const notices = (await messagesOf(person)).filter((m) => m.title === '你报名的活动有变动')
      expect(notices).toHaveLength(1)
      expect(notices[0]?.body).toContain('地点改为「北京市海淀区中关村图书馆五层」')
      expect(notices[0]?.body).toContain('时间改为')
      expect(notices[0]?.link).toContain(activity.id)
    }
    expect((await messagesOf(ORGANIZER)).filter((m) => m.title === '你报名的活动有变动')).toHaveLength(0)

    // A second edit is a second notice; a refused edit changes nothing and tells nobody.
    ok(await act(ORGANIZER, 'update', { id: activity.id, capacity: 6 }))
    expect((await messagesOf(a)).filter((m) => m.title === '你报名的活动有变动')).toHaveLength(2)
    expect(errorOf(await act(ORGANIZER, 'update', { id: activity.id, title: '沙箱违规活动' })).code).toBe('CONTENT_REFUSED')
    expect((await storedActivity(activity.id))?.title).toBe('周末读书会')
    expect((await messagesOf(a)).filter((m) => m.title === '你报名的活动有变动')).toHaveLength(2)

    // Text sent to review hides the activity from others until a person looks at it.
    const held = ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'update', { id: activity.id, description: '改后的介绍含沙箱待审内容' })).activity
    expect(held.moderation?.state).toBe('pendingReview')
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: activity.id })).code).toBe('NOT_FOUND')
  })

  it('sends an edit of an activity reviewers took down to a person again, whatever the automatic checks say', async () => {
    const activity = await publish()
    // The reviewer's take-down (the moderation domain's queue) arranged on the document.
    const before = await storedActivity(activity.id)
    await cloud.store.collection('activities').update(activity.id, {
      moderation: cloud.store.cmd.set({ ...before?.moderation, state: 'rejected', reasons: ['含有不实宣传'] }),
    })
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: activity.id })).code).toBe('NOT_FOUND')
    // A change of the time only keeps the take-down; a change of the text goes to review.
    const timeOnly = ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'update', { id: activity.id, endAt: at(7 * DAY + 3 * HOUR) })).activity
    expect(timeOnly.moderation?.state).toBe('rejected')
    const edited = ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'update', { id: activity.id, description: '删去了不实的宣传语。' })).activity
    expect(edited.moderation?.state).toBe('pendingReview')
    expect(edited.moderation?.reasons.join('')).toContain('人工复审')
    expect(errorOf(await act('act-visitor-no-account', 'detail', { id: activity.id })).code).toBe('NOT_FOUND')
  })

  it('refuses a capacity below the sign-ups, and a start moved before the deadline takes the deadline along', async () => {
    const activity = await publish(ORGANIZER, { capacity: 3, signUpDeadline: at(6 * DAY) })
    for (const who of ['act-cap-a', 'act-cap-b']) await signUp(await member(who), activity.id)
    const error = errorOf(await act(ORGANIZER, 'update', { id: activity.id, capacity: 1 }))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.issues).toEqual([{ path: 'capacity', message: '已有 2 人报名，名额不能少于 2' }])
    expect((await storedActivity(activity.id))?.capacity).toBe(3)
    expect(ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'update', { id: activity.id, capacity: 2 })).activity).toMatchObject({ capacity: 2, phase: 'full' })

    const moved = ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'update', { id: activity.id, startAt: at(3 * DAY), endAt: at(3 * DAY + HOUR) })).activity
    expect(moved.signUpDeadline).toBe(moved.startAt)
    expect(errorOf(await act(ORGANIZER, 'update', { id: activity.id, signUpDeadline: at(4 * DAY) })).issues?.[0]?.path).toBe('signUpDeadline')
    expect(errorOf(await act(ORGANIZER, 'update', { id: activity.id })).code).toBe('INVALID_INPUT')
  })

  it('lets only the organizer edit, and nobody once it started', async () => {
    const activity = await publish(ORGANIZER, { startAt: at(DAY), endAt: at(DAY + HOUR) })
    await verifiedPublisher(cloud, 'act-other-publisher')
    expect(errorOf(await act('act-other-publisher', 'update', { id: activity.id, title: '别人的活动' })).code).toBe('FORBIDDEN')
    expect(errorOf(await act('act-other-publisher', 'cancel', { id: activity.id })).code).toBe('FORBIDDEN')
    cloud.clock.advance(DAY)
    expect(errorOf(await act(ORGANIZER, 'update', { id: activity.id, title: '开始后改名' })).code).toBe('ACTIVITY_LOCKED')
    expect(errorOf(await act(ORGANIZER, 'cancel', { id: activity.id })).code).toBe('ACTIVITY_LOCKED')
    expect((await storedActivity(activity.id))?.title).toBe('周末读书会')
  })

  it('cancels: everyone signed up is told once, sign-ups close, editing is locked', async () => {
    const activity = await publish(ORGANIZER, { capacity: 5 })
    const [a, b] = [await member('act-cancel-a'), await member('act-cancel-b')]
    await signUp(a, activity.id)
    await signUp(b, activity.id)
    const done = ok<{ activity: ActivityDetail; notified: number }>(await act(ORGANIZER, 'cancel', { id: activity.id }))
    expect(done.notified).toBe(2)
    expect(done.activity).toMatchObject({ phase: 'cancelled', phaseLabel: '已取消' })
    expect(done.activity.cancelledAt).not.toBeNull()
    // Repeating the cancel sends nothing twice.
    ok(await act(ORGANIZER, 'cancel', { id: activity.id }))
    for (const person of [a, b]) {
      const notices = (await messagesOf(person)).filter((m) => m.title === '你报名的活动已取消')
      expect(notices).toHaveLength(1)
      expect(notices[0]?.body).toContain('周末读书会')
    }
    expect(errorOf(await act(await member('act-cancel-late'), 'signUp', { id: activity.id })).code).toBe('SIGNUP_CLOSED')
    expect(errorOf(await act(ORGANIZER, 'update', { id: activity.id, title: '取消后改名' })).code).toBe('ACTIVITY_LOCKED')
    // Those signed up still find it, marked cancelled.
    const theirs = ok<{ signUps: MySignUpView[] }>(await act(a, 'mySignUps', {})).signUps.find((s) => s.activity?.id === activity.id)
    expect(theirs?.activity?.phase).toBe('cancelled')
  })
})

describe('notices quote only published text', () => {
  const noticesOf = async (openid: string, title: string): Promise<InboxMessageDoc[]> => (await messagesOf(openid)).filter((m) => m.title === title)

  it('announces an edit held for review without its text, quoting the title attendees know, and so does a cancel', async () => {
    const activity = await publish(ORGANIZER, { capacity: 4 })
    const attendee = await member('act-pending-a')
    await signUp(attendee, activity.id)
    const held = ok<{ activity: ActivityDetail }>(
      await act(ORGANIZER, 'update', { id: activity.id, title: '秘密新标题沙箱待审', place: '未审地点沙箱待审', capacity: 6 }),
    ).activity
    expect(held.moderation?.state).toBe('pendingReview')

    const [changed] = await noticesOf(attendee, '你报名的活动有变动')
    expect(changed?.body).toContain('活动「周末读书会」已修改')
    expect(changed?.body).toContain('名额改为 6 人')
    expect(changed?.body).toContain('活动内容有更新，审核通过后可查看详情')
    expect(changed?.body).not.toContain('秘密新标题')
    expect(changed?.body).not.toContain('未审地点')

    // The held text stays the organizer's: the cancellation quotes the last published title.
    ok(await act(ORGANIZER, 'cancel', { id: activity.id }))
    const [cancelled] = await noticesOf(attendee, '你报名的活动已取消')
    expect(cancelled?.body).toContain('活动「周末读书会」已被组织者取消')
    expect(JSON.stringify(await messagesOf(attendee))).not.toContain('秘密新标题')
    // Nor does the attendee's copy of their data name it.
    const { document } = ok<{ document: { sections: Array<{ domain: string; records: Array<Record<string, unknown>> }> } }>(
      await cloud.call('account', { action: 'exportData', input: {} }, attendee),
    )
    expect(document.sections.find((x) => x.domain === 'activitySignUps')?.records).toEqual([expect.objectContaining({ activityTitle: '周末读书会' })])
  })

  it('tells the details of an edit once the image check publishes it, once', async () => {
    const activity = await publish(ORGANIZER, { capacity: 4 })
    const attendee = await member('act-images-a')
    await signUp(attendee, activity.id)
    const held = ok<{ activity: ActivityDetail }>(
      await act(ORGANIZER, 'update', { id: activity.id, title: '读书会改期版', coverImage: (await uploadsOf(cloud, ORGANIZER))('activities/new-cover.png') }),
    ).activity
    expect(held.moderation?.state).toBe('pendingImages')
    const first = await noticesOf(attendee, '你报名的活动有变动')
    expect(first).toHaveLength(1)
    expect(first[0]?.body).toContain('活动「周末读书会」已修改：活动内容有更新，审核通过后可查看详情')
    expect(first[0]?.body).not.toContain('读书会改期版')

    // The image verdict arrives (the sandbox's, through the moderation function's sweep) and publishes the edit.
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect((await storedActivity(activity.id))?.moderation.state).toBe('published')
    const after = await noticesOf(attendee, '你报名的活动有变动')
    expect(after).toHaveLength(2)
    expect(after[1]?.body).toBe('活动「读书会改期版」的修改已通过审核：标题改为「读书会改期版」；封面图片有更新。请查看最新安排，如不能参加可以取消报名。')
    expect(after[1]?.link).toContain(activity.id)
    expect((await storedActivity(activity.id))?.published?.title).toBe('读书会改期版')

    // Nothing twice; a cancel now quotes the new, published title.
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    expect(await noticesOf(attendee, '你报名的活动有变动')).toHaveLength(2)
    ok(await act(ORGANIZER, 'cancel', { id: activity.id }))
    expect((await noticesOf(attendee, '你报名的活动已取消'))[0]?.body).toContain('活动「读书会改期版」已被组织者取消')
  })

  it('quotes the last published title when the organizer’s deletion cancels an activity whose edit is held', async () => {
    const organizer = 'act-gone-held'
    await verifiedPublisher(cloud, organizer)
    const theirs = await publish(organizer, { title: '原来的活动名', startAt: at(40 * DAY), endAt: at(40 * DAY + HOUR) })
    const attendee = await member('act-gone-held-a')
    await signUp(attendee, theirs.id)
    ok(await act(organizer, 'update', { id: theirs.id, title: '注销前改的名沙箱待审' }))

    const identity = (action: string, input: unknown = {}) => cloud.call('identity', { action, input }, organizer)
    const recheck = ok<{ verificationId: string }>(await identity('recheck'))
    ok(await identity('completeRecheck', { verificationId: recheck.verificationId }))
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true, verificationId: recheck.verificationId } }, organizer))
    cloud.clock.advance(16 * DAY)
    await fire(cloud, 'runDeletions')

    const [gone] = await noticesOf(attendee, '你报名的活动已取消')
    expect(gone?.body).toContain('活动「原来的活动名」因组织者注销账号而取消')
    expect(JSON.stringify(await messagesOf(attendee))).not.toContain('注销前改的名')
  })
})

describe('a sign-up racing a cancellation', () => {
  /** `ctx.db` for `openid`, on which `between` runs right after the sign-up's claim of a seat (a conditional increment of `taken`). */
  function storeWithPause(openid: string, between: () => Promise<void>): Store {
    const db = cloud.runtimeFor(openid).db
    let paused = false
    const activities = (): Collection<ActivityDoc> => {
      const inner = db.collection<ActivityDoc>('activities')
      return new Proxy(inner, {
        get(target, prop, receiver) {
          if (prop !== 'updateWhere') return Reflect.get(target, prop, receiver) as unknown
          return async (where: Where, patch: Patch): Promise<number> => {
            const written = await target.updateWhere(where, patch)
            if (!paused && 'taken' in patch) {
              paused = true
              await between()
            }
            return written
          }
        },
      })
    }
    return new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== 'collection') return Reflect.get(target, prop, receiver) as unknown
        return (name: string) => (name === 'activities' ? activities() : target.collection(name))
      },
    })
  }

  function signUpCtx(openid: string, db: Store): Context {
    return { ...cloud.runtimeFor(openid), db, requestId: `race-${openid}`, fn: 'activities', action: 'signUp', now: cloud.clock.now() }
  }

  it('tells a sign-up that became held after the cancellation walked the list, like everyone else', async () => {
    const activity = await publish(ORGANIZER, { capacity: 5 })
    const early = await member('act-race-early')
    await signUp(early, activity.id)
    const late = await member('act-race-late')
    const read = await storedActivity(activity.id)
    if (!read) throw new Error('no activity')
    // The organizer cancels after the late sign-up claimed its seat and before it became held.
    const db = storeWithPause(late, async () => void ok(await act(ORGANIZER, 'cancel', { id: activity.id })))
    await takeSeat(signUpCtx(late, db), read, { phone: null, sharePhone: false })

    expect(await cloud.store.collection<SignUpDoc>('activity_signups').count({ activityId: activity.id, openid: late, seat: 'held' })).toBe(1)
    for (const person of [early, late]) {
      const notices = (await messagesOf(person)).filter((m) => m.title === '你报名的活动已取消')
      expect(notices).toHaveLength(1)
      expect(notices[0]?.body).toContain('周末读书会')
    }
    // A sign-up after the cancellation fails.
    expect(errorOf(await act(await member('act-race-after'), 'signUp', { id: activity.id })).code).toBe('SIGNUP_CLOSED')
  })

  it('refuses a claim made on a stale read once the activity is cancelled or its deadline moved before now', async () => {
    const cancelled = await publish(ORGANIZER, { capacity: 5 })
    const staleCancelled = await storedActivity(cancelled.id)
    ok(await act(ORGANIZER, 'cancel', { id: cancelled.id }))
    const closed = await publish(ORGANIZER, { capacity: 5, signUpDeadline: at(2 * DAY) })
    const staleClosed = await storedActivity(closed.id)
    // The deadline as an edit racing the sign-up wrote it: already passed when the seat is claimed.
    await cloud.store.collection('activities').update(closed.id, { signUpDeadline: new Date(cloud.clock.now().getTime() - 1000) })
    const who = await member('act-race-stale')
    for (const stale of [staleCancelled, staleClosed]) {
      if (!stale) throw new Error('no activity')
      const plain = cloud.runtimeFor(who).db
      expect((await refusalOf(takeSeat(signUpCtx(who, plain), stale, { phone: null, sharePhone: false }))).code).toBe('SIGNUP_CLOSED')
      expect(await cloud.store.collection<SignUpDoc>('activity_signups').count({ activityId: stale._id, openid: who })).toBe(0)
      expect((await storedActivity(stale._id))?.taken).toBe(0)
    }
  })
})

describe('the copy of my data', () => {
  it('contains the activities I organize and my sign-ups with the phone I gave, without anyone’s openid', async () => {
    const exporter = 'act-exporter'
    await verifiedPublisher(cloud, exporter)
    const mineToo = await publish(exporter, { title: '导出者的活动', capacity: 5 })
    await signUp(await member('act-export-guest'), mineToo.id, { phone: '13511112222' })
    const other = await publish(ORGANIZER, { title: '导出者报名的活动' })
    await signUp(exporter, other.id, { phone: '13633334444', sharePhone: true })
    const { document } = ok<{ document: { sections: Array<{ domain: string; records: Array<Record<string, unknown>>; note: string | null }> } }>(
      await cloud.call('account', { action: 'exportData', input: {} }, exporter),
    )
    const organized = document.sections.find((x) => x.domain === 'activities')
    expect(organized?.records).toEqual([expect.objectContaining({ title: '导出者的活动', signUps: 1, status: 'scheduled' })])
    const signUps = document.sections.find((x) => x.domain === 'activitySignUps')
    expect(signUps?.records).toEqual([expect.objectContaining({ activityTitle: '导出者报名的活动', phone: '13633334444', sharePhone: true })])
    const text = JSON.stringify(document)
    expect(text).not.toContain(exporter)
    expect(text).not.toContain(ORGANIZER)
    expect(text).not.toContain('13511112222')
  })
})

describe('deleting an account', () => {
  it('cancels the organizer’s upcoming activities, tells the attendees, and deletes activities and sign-ups; an attendee’s seat is freed', async () => {
    const organizer = 'act-del-organizer'
    await verifiedPublisher(cloud, organizer)
    const theirs = await publish(organizer, { title: '将被注销的活动', startAt: at(40 * DAY), endAt: at(40 * DAY + HOUR), capacity: 5 })
    const attendee = await member('act-del-attendee')
    await signUp(attendee, theirs.id)
    // An attendee who deletes their account gives their seat back.
    const leaver = await member('act-del-leaver')
    const kept = await publish(ORGANIZER, { startAt: at(40 * DAY), endAt: at(40 * DAY + HOUR), capacity: 5 })
    await signUp(leaver, kept.id, { phone: '13700001111' })
    await signUp(leaver, theirs.id)

    const identity = (action: string, input: unknown = {}) => cloud.call('identity', { action, input }, organizer)
    ok(await cloud.call('account', { action: 'login', input: {} }, organizer))
    const recheck = ok<{ verificationId: string }>(await identity('recheck'))
    ok(await identity('completeRecheck', { verificationId: recheck.verificationId }))
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true, verificationId: recheck.verificationId } }, organizer))
    ok(await cloud.call('account', { action: 'login', input: {} }, leaver))
    ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true } }, leaver))
    // During the cooling-off period the organizer's content is hidden.
    expect(errorOf(await act(attendee, 'detail', { id: theirs.id })).code).toBe('NOT_FOUND')

    cloud.clock.advance(16 * DAY)
    await fire(cloud, 'runDeletions')

    expect(await storedActivity(theirs.id)).toBeNull()
    expect(await cloud.store.collection('activity_signups').count({ activityId: theirs.id })).toBe(0)
    const notices = (await messagesOf(attendee)).filter((m) => m.title === '你报名的活动已取消')
    expect(notices).toHaveLength(1)
    expect(notices[0]?.body).toContain('将被注销的活动')
    expect(notices[0]?.body).toContain('注销')
    expect(await cloud.store.collection('activity_signups').count({ openid: leaver })).toBe(0)
    expect((await storedActivity(kept.id))?.taken).toBe(0)
    const left = await cloud.store.collection('activity_signups').find({}, { limit: 100 })
    expect(JSON.stringify(left)).not.toContain('13700001111')
  })
})

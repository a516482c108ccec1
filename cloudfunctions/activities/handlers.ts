import { randomUUID } from 'node:crypto'
import type { ActivitySummary, AttendeeView, MySignUpView } from '../../shared/contract/activities'
import type { FieldIssue } from '../../shared/errors'
import { maskPhone } from '../../shared/rules/phone'
import { accounts } from '../_core/accounts'
import { describeChanges, notifyAttendees } from '../_core/activities/notices'
import { activitiesOf, activityModerationRequest, publishedContentOf, signUpsOf, type ActivityDoc } from '../_core/activities/records'
import { after as afterPosition, decodeCursor, encodeCursor, nextOf, orderOf, type Position } from '../_core/cursor'
import { detailFor, organizerOf, readableActivity, toDetail, toSummary, visibleOrganizers, visibleToOthers, type Organizers } from '../_core/activities/views'
import { giveUpSeat, repairSeats, takeSeat } from '../_core/activities/seats'
import type { AccountContext, Context } from '../_core/context'
import type { Patch, Where } from '../_core/db'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { requireFeature } from '../_core/lifecycle/features'
import { moderate, type ContentModeration } from '../_core/moderation/gate'
import { requirePublisher, visibleAuthors } from '../_core/publishing'
import { takeDailyAllowance } from '../_core/rate-limit'
import { activities as activitiesContract } from '../../shared/contract/activities'

const PAGE = 20
/** How the attendee list names someone whose account hides its content. */
const HIDDEN_ATTENDEE = '用户已停用'
/** Rounds of reading when hidden organizers' activities thin a page out. */
const FILL_ROUNDS = 5

interface Schedule {
  startAt: Date
  endAt: Date
  signUpDeadline: Date
}

/** The checks that need the clock or stored values, with the same field paths as the contract's. */
function checkSchedule(now: Date, s: Schedule, given: { startAt: boolean; signUpDeadline: boolean }): void {
  const issues: FieldIssue[] = []
  if (given.startAt && s.startAt.getTime() <= now.getTime()) issues.push({ path: 'startAt', message: '开始时间须晚于现在' })
  if (s.endAt.getTime() <= s.startAt.getTime()) issues.push({ path: 'endAt', message: '结束时间须晚于开始时间' })
  if (s.signUpDeadline.getTime() > s.startAt.getTime()) issues.push({ path: 'signUpDeadline', message: '报名截止时间不能晚于活动开始时间' })
  else if (given.signUpDeadline && s.signUpDeadline.getTime() <= now.getTime()) issues.push({ path: 'signUpDeadline', message: '报名截止时间须晚于现在' })
  if (issues.length > 0) fail('INVALID_INPUT', issues.map((i) => i.message).join('；'), issues)
}

function capacityBelowSignUps(taken: number): never {
  const message = `已有 ${taken} 人报名，名额不能少于 ${taken}`
  return fail('INVALID_INPUT', message, [{ path: 'capacity', message }])
}

function refuseIfLocked(a: ActivityDoc, now: Date): void {
  if (a.status === 'cancelled') fail('ACTIVITY_LOCKED', '活动已取消，不能再修改')
  if (now.getTime() >= a.startAt.getTime()) fail('ACTIVITY_LOCKED', '活动已开始，不能再修改')
}

/** An activity taken down or hidden after reports goes back to a person on edit, whatever the checks say (the gate sees to it). */
async function moderateActivity(ctx: AccountContext, id: string, content: Pick<ActivityDoc, 'title' | 'description' | 'place' | 'coverImage'>): Promise<ContentModeration> {
  return moderate(ctx, activityModerationRequest(id, content))
}

/** Each publish and each edit spends one of the organizer's daily allowance (checked input only: a typo costs nothing). */
function spendAllowance(ctx: AccountContext): Promise<void> {
  return takeDailyAllowance(ctx, 'activity')
}

async function ownerOfActivity({ id }: { id: string }, ctx: AccountContext): Promise<string | null> {
  return (await activitiesOf(ctx.db).byId(id))?.ownerOpenid ?? null
}

async function mustRead(ctx: Context, id: string): Promise<ActivityDoc> {
  const activity = await activitiesOf(ctx.db).byId(id)
  if (!activity) fail('NOT_FOUND', '活动不存在或已被删除')
  return activity
}

/** Organizers of `docs` that others may see, plus the viewer themself (who always sees their own). */
async function organizersFor(ctx: Context, docs: readonly ActivityDoc[]): Promise<Organizers> {
  const others = docs.map((d) => d.ownerOpenid).filter((o) => o !== ctx.openid)
  const organizers = await visibleOrganizers(ctx, others)
  if (docs.some((d) => d.ownerOpenid === ctx.openid)) for (const [k, v] of await organizerOf(ctx, ctx.openid)) organizers.set(k, v)
  return organizers
}

function visibleTo(ctx: Context, a: ActivityDoc, organizers: Organizers): boolean {
  return a.ownerOpenid === ctx.openid || visibleToOthers(a, organizers)
}

export const activitiesFunction = defineFunction('activities', activitiesContract, {
  async publish(input, ctx) {
    requirePublisher(ctx)
    const schedule: Schedule = {
      startAt: new Date(input.startAt),
      endAt: new Date(input.endAt),
      signUpDeadline: new Date(input.signUpDeadline ?? input.startAt),
    }
    checkSchedule(ctx.now, schedule, { startAt: true, signUpDeadline: input.signUpDeadline !== undefined })
    const id = randomUUID().replace(/-/g, '')
    const content = { title: input.title, description: input.description, place: input.place, coverImage: input.coverImage ?? null }
    await spendAllowance(ctx)
    const moderation = await moderateActivity(ctx, id, content)
    const doc: ActivityDoc = {
      _id: id,
      ownerOpenid: ctx.openid,
      ...content,
      ...schedule,
      capacity: input.capacity,
      taken: 0,
      status: 'scheduled',
      cancelledAt: null,
      moderation,
      published: moderation.state === 'published' ? publishedContentOf(content, moderation.decisionId) : null,
      revision: 0,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }
    await activitiesOf(ctx.db).add(doc)
    return { activity: toDetail(doc, await organizerOf(ctx, ctx.openid), ctx.openid, false, ctx.now) }
  },

  update: {
    ownerOf: ownerOfActivity,
    async run(input, ctx) {
      requirePublisher(ctx)
      const before = await mustRead(ctx, input.id)
      refuseIfLocked(before, ctx.now)
      const startAt = input.startAt !== undefined ? new Date(input.startAt) : before.startAt
      const schedule: Schedule = {
        startAt,
        endAt: input.endAt !== undefined ? new Date(input.endAt) : before.endAt,
        // A start moved before the stored deadline takes the deadline along.
        signUpDeadline:
          input.signUpDeadline !== undefined
            ? new Date(input.signUpDeadline)
            : new Date(Math.min(before.signUpDeadline.getTime(), startAt.getTime())),
      }
      checkSchedule(ctx.now, schedule, { startAt: input.startAt !== undefined, signUpDeadline: input.signUpDeadline !== undefined })
      const capacity = input.capacity ?? before.capacity
      if (capacity < before.taken) capacityBelowSignUps(before.taken)

      const content = {
        title: input.title ?? before.title,
        description: input.description ?? before.description,
        place: input.place ?? before.place,
        coverImage: input.coverImage !== undefined ? input.coverImage : before.coverImage,
      }
      const contentChanged = (Object.keys(content) as Array<keyof typeof content>).some((k) => content[k] !== before[k])
      await spendAllowance(ctx)
      const moderation = contentChanged ? await moderateActivity(ctx, before._id, content) : null

      const _ = ctx.db.cmd
      const patch: Patch = { ...content, ...schedule, capacity, revision: _.inc(1), updatedAt: ctx.now }
      // Unchanged content keeps its decision, including whatever a reviewer or an image verdict writes there meanwhile.
      if (moderation) patch.moderation = _.set(moderation)
      // Published at once: it is what attendees may now be told. Held: they keep the text they knew until a decision publishes it.
      if (moderation?.state === 'published') patch.published = _.set(publishedContentOf(content, moderation.decisionId))
      // The stored start in the future, no edit in between, and (atomically against sign-ups) no more seats held than the new capacity.
      const where: Where = { _id: before._id, status: 'scheduled', startAt: _.gt(ctx.now), revision: before.revision, taken: _.lte(capacity) }
      if ((await activitiesOf(ctx.db).updateWhere(where, patch)) !== 1) {
        const now = await mustRead(ctx, before._id)
        refuseIfLocked(now, ctx.now)
        if (now.taken > capacity) capacityBelowSignUps(now.taken)
        fail('CONFLICT', '活动刚被修改过，请刷新后重试')
      }
      const after = await mustRead(ctx, before._id)
      const changes = describeChanges(before, after)
      if (changes.length > 0) await notifyAttendees(ctx, after, { kind: 'changed', revision: after.revision, changes })
      return { activity: await detailFor(ctx, after, await organizerOf(ctx, ctx.openid)) }
    },
  },

  cancel: {
    ownerOf: ownerOfActivity,
    async run({ id }, ctx) {
      const activity = await mustRead(ctx, id)
      if (activity.status === 'scheduled') {
        if (ctx.now.getTime() >= activity.startAt.getTime()) fail('ACTIVITY_LOCKED', '活动已开始，不能取消')
        const _ = ctx.db.cmd
        const done = await activitiesOf(ctx.db).updateWhere(
          { _id: id, status: 'scheduled', startAt: _.gt(ctx.now) },
          { status: 'cancelled', cancelledAt: ctx.now, updatedAt: ctx.now, revision: _.inc(1) },
        )
        if (done !== 1) refuseIfLocked(await mustRead(ctx, id), ctx.now)
      }
      // Repeating a cancel only sends the notices that did not go out.
      const cancelled = await mustRead(ctx, id)
      const notified = await notifyAttendees(ctx, cancelled, { kind: 'cancelled' })
      return { activity: await detailFor(ctx, cancelled, await organizerOf(ctx, ctx.openid)), notified }
    },
  },

  async list({ cursor, limit }, ctx) {
    const size = limit ?? PAGE
    const _ = ctx.db.cmd
    const base = { status: 'scheduled', 'moderation.state': 'published', startAt: _.gt(ctx.now) }
    let after: Position | null = decodeCursor(cursor)
    const shown: ActivitySummary[] = []
    let exhausted = false
    for (let round = 0; round < FILL_ROUNDS && shown.length < size && !exhausted; round++) {
      const want = size - shown.length
      const docs = await activitiesOf(ctx.db).find(afterPosition(ctx.db, base, 'startAt', after, 'asc'), { orderBy: orderOf('startAt', 'asc'), limit: want })
      exhausted = docs.length < want
      const organizers = await visibleOrganizers(ctx, docs.map((d) => d.ownerOpenid))
      for (const doc of docs) if (visibleToOthers(doc, organizers)) shown.push(toSummary(doc, organizers, ctx.openid, ctx.now))
      const last = docs.at(-1)
      if (last) after = { at: last.startAt.getTime(), id: last._id }
    }
    return { activities: shown, nextCursor: !exhausted && after ? encodeCursor(new Date(after.at), after.id) : null }
  },

  async mine({ cursor, limit }, ctx) {
    const size = limit ?? PAGE
    const base = { ownerOpenid: ctx.openid }
    const docs = await activitiesOf(ctx.db).find(afterPosition(ctx.db, base, 'startAt', decodeCursor(cursor)), { orderBy: orderOf('startAt'), limit: size })
    const organizers = await organizerOf(ctx, ctx.openid)
    return { activities: docs.map((d) => toSummary(d, organizers, ctx.openid, ctx.now)), nextCursor: nextOf(docs, size, (d) => d.startAt) }
  },

  async mySignUps({ cursor, limit }, ctx) {
    const size = limit ?? PAGE
    const _ = ctx.db.cmd
    const base = { openid: ctx.openid, seat: 'held' }
    const signUps = await signUpsOf(ctx.db).find(afterPosition(ctx.db, base, 'createdAt', decodeCursor(cursor)), { orderBy: orderOf('createdAt'), limit: size })
    const ids = [...new Set(signUps.map((s) => s.activityId))]
    const docs = ids.length > 0 ? await activitiesOf(ctx.db).find({ _id: _.in(ids) }, { limit: ids.length }) : []
    const byId = new Map(docs.map((d) => [d._id, d]))
    const organizers = await organizersFor(ctx, docs)
    const views: MySignUpView[] = signUps.map((s) => {
      const activity = byId.get(s.activityId)
      return {
        signUpId: s._id,
        signedUpAt: s.createdAt.toISOString(),
        sharePhone: s.sharePhone,
        activity: activity && visibleTo(ctx, activity, organizers) ? toSummary(activity, organizers, ctx.openid, ctx.now) : null,
      }
    })
    return { signUps: views, nextCursor: nextOf(signUps, size, (s) => s.createdAt) }
  },

  async detail({ id }, ctx) {
    const { activity, organizers } = await readableActivity(ctx, id)
    return { activity: await detailFor(ctx, activity, organizers) }
  },

  async signUp(input, ctx) {
    requireFeature(ctx, 'signUp')
    const activity = await mustRead(ctx, input.id)
    // The same visibility as `detail` (one query fewer: the organizer's profile is read only for those who get a seat).
    const visible = activity.ownerOpenid === ctx.openid || (activity.moderation.state === 'published' && (await visibleAuthors(ctx, [activity.ownerOpenid])).size > 0)
    if (!visible) fail('NOT_FOUND', '活动不存在或已被删除')
    if (activity.moderation.state !== 'published') fail('NOT_PUBLISHED', '活动还在审核中，审核通过后才能报名')
    await takeSeat(ctx, activity, { phone: input.phone ?? null, sharePhone: input.sharePhone ?? false })
    const now = await readableActivity(ctx, input.id)
    return { activity: toDetail(now.activity, now.organizers, ctx.openid, true, ctx.now) }
  },

  async cancelSignUp({ id }, ctx) {
    const activity = await mustRead(ctx, id)
    if (activity.status === 'scheduled' && ctx.now.getTime() >= activity.startAt.getTime()) {
      fail('SIGNUP_CLOSED', '活动已开始，不能再取消报名')
    }
    if (!(await giveUpSeat(ctx, id, ctx.openid))) fail('NOT_FOUND', '你没有报名这个活动')
    const now = await mustRead(ctx, id)
    const organizers = await organizersFor(ctx, [now])
    return { activity: visibleTo(ctx, now, organizers) ? toDetail(now, organizers, ctx.openid, false, ctx.now) : null }
  },

  attendees: {
    ownerOf: ownerOfActivity,
    async run({ id, cursor, limit }, ctx) {
      const size = limit ?? PAGE
      const _ = ctx.db.cmd
      const base = { activityId: id, seat: 'held' }
      const signUps = await signUpsOf(ctx.db).find(afterPosition(ctx.db, base, 'createdAt', decodeCursor(cursor), 'asc'), { orderBy: orderOf('createdAt', 'asc'), limit: size })
      const openids = [...new Set(signUps.map((s) => s.openid))]
      const people =
        openids.length > 0
          ? await accounts(ctx.db).find(
              { openid: _.in(openids) },
              { limit: openids.length, fields: { _id: true, openid: true, nickname: true, avatarUrl: true, contentHidden: true } },
            )
          : []
      const byOpenid = new Map(people.map((p) => [p.openid, p]))
      const attendees: AttendeeView[] = signUps.map((s) => {
        const person = byOpenid.get(s.openid)
        // An account whose content others may not see (dormant, frozen by staff, pending deletion …) shows no profile here either.
        const shown = person && !person.contentHidden ? person : null
        return {
          signUpId: s._id,
          nickname: shown ? shown.nickname : person ? HIDDEN_ATTENDEE : '未知用户',
          accountId: shown ? shown._id : null,
          avatarUrl: shown?.avatarUrl ?? null,
          phone: s.phone === null ? null : s.sharePhone ? s.phone : maskPhone(s.phone),
          phoneShared: s.sharePhone && s.phone !== null,
          signedUpAt: s.createdAt.toISOString(),
        }
      })
      return { attendees, total: await signUpsOf(ctx.db).count(base), nextCursor: nextOf(signUps, size, (s) => s.createdAt) }
    },
  },
}, {
  /** Every 10 minutes: seats lost by runs that died, and their stale pending sign-ups (seats.ts). */
  async repairSeats(ctx) {
    await repairSeats(ctx)
  },
})

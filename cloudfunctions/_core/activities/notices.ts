/**
 * Telling the people who hold a seat that their activity changed or was
 * cancelled. Each notice has a dedupe key per (activity, event), so repeating
 * a run (a retried cancel, an erasure finished by its next run) never sends
 * the same notice twice.
 */
import { ACTIVITY_DETAIL_PAGE } from '../../../shared/activities'
import { beijingDateTime } from '../clock'
import type { Context } from '../context'
import { notifyMissing } from '../inbox'
import { walk } from '../paging'
import { signUpsOf, type ActivityDoc, type SignUpDoc } from './records'

export type ActivityEvent = { kind: 'changed'; revision: number; changes: string[] } | { kind: 'cancelled' } | { kind: 'organizerGone' }

function quoted(title: string): string {
  return `「${title}」`
}

function messageOf(activity: ActivityDoc, event: ActivityEvent): { title: string; body: string; key: string } {
  switch (event.kind) {
    case 'changed':
      return {
        title: '你报名的活动有变动',
        body: `活动${quoted(activity.title)}已修改：${event.changes.join('；')}。请查看最新安排，如不能参加可以取消报名。`,
        key: `activity:${activity._id}:rev:${event.revision}`,
      }
    case 'cancelled':
      return {
        title: '你报名的活动已取消',
        body: `原定于 ${beijingDateTime(activity.startAt)}（北京时间）举行的活动${quoted(activity.title)}已被组织者取消。`,
        key: `activity:${activity._id}:cancelled`,
      }
    case 'organizerGone':
      return {
        title: '你报名的活动已取消',
        body: `原定于 ${beijingDateTime(activity.startAt)}（北京时间）举行的活动${quoted(activity.title)}因组织者注销账号而取消，报名记录已一并删除。`,
        key: `activity:${activity._id}:organizerGone`,
      }
  }
}

/** Notifies every held sign-up of `activity` except the organizer; returns how many people it concerns. */
export async function notifyAttendees(ctx: Context, activity: ActivityDoc, event: ActivityEvent): Promise<number> {
  const message = messageOf(activity, event)
  const link = event.kind === 'organizerGone' ? null : `${ACTIVITY_DETAIL_PAGE}?id=${activity._id}`
  let batch: SignUpDoc[] = []
  let concerned = 0
  const flush = async (): Promise<void> => {
    await notifyMissing(
      ctx,
      batch.map((s) => ({ recipient: s.openid, type: 'activity' as const, title: message.title, body: message.body, link, dedupeKey: message.key })),
    )
    batch = []
  }
  const where = { activityId: activity._id, seat: 'held' }
  const result = await walk(
    ctx.db,
    signUpsOf(ctx.db),
    where,
    '_id',
    async (signUp) => {
      if (signUp.openid === activity.ownerOpenid) return
      concerned++
      batch.push(signUp)
      if (batch.length >= 100) await flush()
    },
    { maxPages: 200 },
  )
  await flush()
  if (!result.complete) ctx.log.error('not every attendee was notified', { requestId: ctx.requestId, activityId: activity._id })
  return concerned
}

/** What an edit changed, in words for the attendees. */
export function describeChanges(before: ActivityDoc, after: ActivityDoc): string[] {
  const changes: string[] = []
  if (before.title !== after.title) changes.push(`标题改为${quoted(after.title)}`)
  if (before.startAt.getTime() !== after.startAt.getTime() || before.endAt.getTime() !== after.endAt.getTime()) {
    changes.push(`时间改为 ${beijingDateTime(after.startAt)} 至 ${beijingDateTime(after.endAt)}（北京时间）`)
  }
  if (before.place !== after.place) changes.push(`地点改为「${after.place}」`)
  if (before.signUpDeadline.getTime() !== after.signUpDeadline.getTime()) changes.push(`报名截止时间改为 ${beijingDateTime(after.signUpDeadline)}`)
  if (before.capacity !== after.capacity) changes.push(`名额改为 ${after.capacity} 人`)
  if (before.description !== after.description) changes.push('活动介绍有更新')
  if (before.coverImage !== after.coverImage) changes.push('封面图片有更新')
  return changes
}

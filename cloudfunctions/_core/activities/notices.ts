/**
 * Telling the people who hold a seat that their activity changed or was
 * cancelled. Each notice has a dedupe key per (activity, event), so repeating
 * a run (a retried cancel, an erasure finished by its next run) never sends
 * the same notice twice.
 *
 * A notice quotes only text a published decision let others read
 * (records.ts `published`): an edit whose new text waits for review or for
 * its image check is announced without it (活动内容有更新，审核通过后可查看详情),
 * and its details follow once a decision publishes it (`activityDecisionShown`,
 * called by the moderation domain when a decision reaches the activity). Times,
 * deadlines and capacities are not free text and are told at once.
 */
import { ACTIVITY_DETAIL_PAGE } from '../../../shared/activities'
import { beijingDateTime } from '../clock'
import type { Context } from '../context'
import { notifyMissing } from '../inbox'
import type { ModerationDecisionDoc } from '../moderation/decisions'
import { walk } from '../paging'
import { activitiesOf, approvedTitleOf, knownContentOf, publishedContentOf, signUpsOf, type ActivityDoc, type PublishedContent, type SignUpDoc } from './records'

export type ActivityEvent =
  | { kind: 'changed'; revision: number; changes: string[] }
  /** An edit held for review or images was published: what it changed, now that it may be read. */
  | { kind: 'approved'; decisionId: string; changes: string[] }
  | { kind: 'cancelled' }
  | { kind: 'organizerGone' }

/** Said in place of text that is not published yet. */
export const PENDING_CONTENT_CHANGE = '活动内容有更新，审核通过后可查看详情'

function quoted(title: string): string {
  return `「${title}」`
}

/** 活动「…」 with a title that may be quoted, or a plain description without one. */
function named(activity: ActivityDoc, fallback: string): string {
  const title = approvedTitleOf(activity)
  return title === null ? fallback : `活动${quoted(title)}`
}

function messageOf(activity: ActivityDoc, event: ActivityEvent): { title: string; body: string; key: string } {
  const startAt = `原定于 ${beijingDateTime(activity.startAt)}（北京时间）举行的`
  switch (event.kind) {
    case 'changed':
      return {
        title: '你报名的活动有变动',
        body: `${named(activity, '你报名的活动')}已修改：${event.changes.join('；')}。请查看最新安排，如不能参加可以取消报名。`,
        key: `activity:${activity._id}:rev:${event.revision}`,
      }
    case 'approved':
      return {
        title: '你报名的活动有变动',
        body: `${named(activity, '你报名的活动')}的修改已通过审核：${event.changes.join('；')}。请查看最新安排，如不能参加可以取消报名。`,
        key: `activity:${activity._id}:approved:${event.decisionId}`,
      }
    case 'cancelled':
      return {
        title: '你报名的活动已取消',
        body: `${startAt}${named(activity, '活动')}已被组织者取消。`,
        key: `activity:${activity._id}:cancelled`,
      }
    case 'organizerGone':
      return {
        title: '你报名的活动已取消',
        body: `${startAt}${named(activity, '活动')}因组织者注销账号而取消，报名记录已一并删除。`,
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

/** How the text of `after` differs from what attendees were last allowed to read (`known`), in words quoting only `after`. */
function textChanges(known: PublishedContent | null, after: ActivityDoc): string[] {
  if (known === null) return []
  const now = publishedContentOf(after, after.moderation.decisionId)
  const changes: string[] = []
  if (known.title !== now.title) changes.push(`标题改为${quoted(now.title)}`)
  if (known.place !== now.place) changes.push(`地点改为${quoted(now.place)}`)
  if (known.descriptionDigest !== now.descriptionDigest) changes.push('活动介绍有更新')
  if (known.coverImage !== now.coverImage) changes.push('封面图片有更新')
  return changes
}

function contentDiffers(before: ActivityDoc, after: ActivityDoc): boolean {
  return before.title !== after.title || before.place !== after.place || before.description !== after.description || before.coverImage !== after.coverImage
}

/**
 * What an edit changed, in words for the attendees. The new text is quoted
 * only when the edit left the activity published; otherwise its change is
 * announced without it, and `activityDecisionShown` tells the rest later.
 */
export function describeChanges(before: ActivityDoc, after: ActivityDoc): string[] {
  const changes: string[] = []
  if (before.startAt.getTime() !== after.startAt.getTime() || before.endAt.getTime() !== after.endAt.getTime()) {
    changes.push(`时间改为 ${beijingDateTime(after.startAt)} 至 ${beijingDateTime(after.endAt)}（北京时间）`)
  }
  if (before.signUpDeadline.getTime() !== after.signUpDeadline.getTime()) changes.push(`报名截止时间改为 ${beijingDateTime(after.signUpDeadline)}`)
  if (before.capacity !== after.capacity) changes.push(`名额改为 ${after.capacity} 人`)
  if (!contentDiffers(before, after)) return changes
  if (after.moderation.state !== 'published') return [...changes, PENDING_CONTENT_CHANGE]
  // Against what attendees could read before (text they were never shown is not news); quoting only `after`, published now.
  const known = knownContentOf(before) ?? publishedContentOf(before, before.moderation.decisionId)
  return [...textChanges(known, after), ...changes]
}

/**
 * The activities domain's part when a moderation decision reaches an
 * activity (registered in ../moderation/hooks.ts). A decision that publishes
 * the activity's current text makes it the text attendees may read: the
 * attendees are told what changed since the text they knew (once per
 * decision), then it is kept as `published`. A take-down of the very text
 * that was published withdraws it from what notices may quote. Idempotent:
 * the sweep repeats it while it fails.
 */
export async function activityDecisionShown(ctx: Context, decision: ModerationDecisionDoc): Promise<void> {
  const activities = activitiesOf(ctx.db)
  const activity = await activities.byId(decision.targetId)
  // Superseded by a newer edit meanwhile: that edit's own decision speaks for it.
  if (!activity || activity.moderation.decisionId !== decision._id) return
  if (decision.state === 'rejected') {
    if (activity.published?.decisionId === decision._id) await activities.updateWhere({ _id: activity._id, 'published.decisionId': decision._id }, { published: null })
    return
  }
  if (decision.state !== 'published' || activity.published?.decisionId === decision._id) return
  // Against the text attendees knew; an activity stored before that was kept has none to compare with, and tells nothing.
  const changes = textChanges(activity.published ?? null, activity)
  // Told before it is kept: a run that stops in between tells again next time, and the dedupe key keeps it to once.
  if (changes.length > 0 && activity.status === 'scheduled') {
    await notifyAttendees(ctx, activity, { kind: 'approved', decisionId: decision._id, changes })
  }
  // Any change of the text comes with a decision of its own: while the activity names this one, its text is the one judged.
  await activities.updateWhere({ _id: activity._id, 'moderation.decisionId': decision._id }, { published: ctx.db.cmd.set(publishedContentOf(activity, decision._id)) })
}

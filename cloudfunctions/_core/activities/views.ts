/** How activities look to the people who read them: the organizer, visitors, attendees. */
import { ACTIVITY_PHASE_LABELS } from '../../../shared/activities'
import type { ActivityDetail, ActivitySummary } from '../../../shared/contract/activities'
import { accounts, type AccountDoc } from '../accounts'
import type { Context } from '../context'
import { fail } from '../errors'
import { viewOfModeration } from '../moderation/gate'
import { visibleAuthors } from '../publishing'
import { activitiesOf, phaseOf, signUpsOf, type ActivityDoc } from './records'

/** The organizers' public profiles, by openid; only accounts whose content others may see. */
export type Organizers = Map<string, Pick<AccountDoc, 'nickname' | 'avatarUrl' | 'verifiedAt'>>

export async function visibleOrganizers(ctx: Context, openids: readonly string[]): Promise<Organizers> {
  const visible = [...(await visibleAuthors(ctx, openids))]
  if (visible.length === 0) return new Map()
  const found = await accounts(ctx.db).find(
    { openid: ctx.db.cmd.in(visible) },
    { limit: visible.length, fields: { openid: true, nickname: true, avatarUrl: true, verifiedAt: true } },
  )
  return new Map(found.map((a) => [a.openid, { nickname: a.nickname, avatarUrl: a.avatarUrl ?? null, verifiedAt: a.verifiedAt ?? null }]))
}

/** The organizer's own profile, for their own (possibly hidden) activities. */
export async function organizerOf(ctx: Context, openid: string): Promise<Organizers> {
  const account = await accounts(ctx.db).findOne({ openid })
  return new Map(account ? [[openid, { nickname: account.nickname, avatarUrl: account.avatarUrl ?? null, verifiedAt: account.verifiedAt ?? null }]] : [])
}

/** Whether someone other than the organizer may see it: published, and the organizer's content is not hidden. */
export function visibleToOthers(a: ActivityDoc, organizers: Organizers): boolean {
  return a.moderation.state === 'published' && organizers.has(a.ownerOpenid)
}

export function toSummary(a: ActivityDoc, organizers: Organizers, viewer: string, now: Date): ActivitySummary {
  const phase = phaseOf(a, now)
  const organizer = organizers.get(a.ownerOpenid)
  return {
    id: a._id,
    title: a.title,
    place: a.place,
    startAt: a.startAt.toISOString(),
    endAt: a.endAt.toISOString(),
    signUpDeadline: a.signUpDeadline.toISOString(),
    coverImage: a.coverImage,
    capacity: a.capacity,
    taken: a.taken,
    seatsLeft: Math.max(0, a.capacity - a.taken),
    phase,
    phaseLabel: ACTIVITY_PHASE_LABELS[phase],
    organizer: {
      nickname: organizer?.nickname ?? '',
      avatarUrl: organizer?.avatarUrl ?? null,
      verified: (organizer?.verifiedAt ?? null) !== null,
    },
    moderation: a.ownerOpenid === viewer ? viewOfModeration(a.moderation) : null,
  }
}

export function toDetail(a: ActivityDoc, organizers: Organizers, viewer: string, signedUp: boolean, now: Date): ActivityDetail {
  return {
    ...toSummary(a, organizers, viewer, now),
    description: a.description,
    mine: a.ownerOpenid === viewer,
    signedUp,
    cancelledAt: a.cancelledAt ? a.cancelledAt.toISOString() : null,
    updatedAt: a.updatedAt.toISOString(),
  }
}

export async function isSignedUp(ctx: Context, activityId: string, openid: string): Promise<boolean> {
  if (!openid) return false
  return (await signUpsOf(ctx.db).count({ activityId, openid, seat: 'held' })) > 0
}

/**
 * The activity as `viewer` may see it: the organizer always, others only when
 * published and the organizer's content is visible. Otherwise NOT_FOUND, the
 * same answer as for an id that does not exist.
 */
export async function readableActivity(ctx: Context, id: string): Promise<{ activity: ActivityDoc; organizers: Organizers }> {
  const activity = await activitiesOf(ctx.db).byId(id)
  if (!activity) fail('NOT_FOUND', '活动不存在或已被删除')
  if (activity.ownerOpenid === ctx.openid) return { activity, organizers: await organizerOf(ctx, ctx.openid) }
  const organizers = await visibleOrganizers(ctx, [activity.ownerOpenid])
  if (!visibleToOthers(activity, organizers)) fail('NOT_FOUND', '活动不存在或已被删除')
  return { activity, organizers }
}

export async function detailFor(ctx: Context, activity: ActivityDoc, organizers: Organizers): Promise<ActivityDetail> {
  return toDetail(activity, organizers, ctx.openid, await isSignedUp(ctx, activity._id, ctx.openid), ctx.now)
}

/**
 * What account deletion and the personal-data export do with activities and
 * sign-ups (registered in ../erasure.ts and ../export.ts).
 *
 * Deleting an organizer: each of their activities still ahead is cancelled and
 * its attendees are told why; then the activities and every sign-up to them
 * (other people's included: a sign-up to an activity that no longer exists
 * means nothing) are deleted. Deleting an attendee: their sign-ups are deleted
 * and the seats they held are given back.
 */
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Collection, Doc } from '../db'
import type { ErasureRule, ErasureSubject, FileReference } from '../data-rules'
import type { ExportRule } from '../data-rules'
import { walk } from '../paging'
import { MODERATION_STATE_LABELS } from '../../../shared/content'
import { notifyAttendees } from './notices'
import { activitiesOf, approvedTitleOf, signUpsOf } from './records'
import { giveUpSeat } from './seats'

async function eraseOrganized(ctx: Context, s: ErasureSubject): Promise<void> {
  const result = await walk(ctx.db, activitiesOf(ctx.db), { ownerOpenid: s.openid }, '_id', async (activity) => {
    if (activity.status === 'scheduled' && ctx.now.getTime() < activity.startAt.getTime()) {
      // Closed to sign-ups first, so that nobody joins while the attendees are told.
      await activitiesOf(ctx.db).updateWhere({ _id: activity._id, status: 'scheduled' }, { status: 'cancelled', cancelledAt: ctx.now, updatedAt: ctx.now })
      await notifyAttendees(ctx, activity, { kind: 'organizerGone' })
    }
    // Sign-ups before the activity: a run stopped in between finds the activity again and finishes.
    await signUpsOf(ctx.db).removeWhere({ activityId: activity._id })
    await activitiesOf(ctx.db).remove(activity._id)
  })
  if (result.failed > 0 || !result.complete) throw new Error(`activities of an erased organizer left: ${result.failed} failed`)
}

async function eraseSignUps(ctx: Context, s: ErasureSubject): Promise<void> {
  const result = await walk(ctx.db, signUpsOf(ctx.db), { openid: s.openid }, '_id', async (signUp) => {
    if (signUp.seat === 'held') await giveUpSeat(ctx, signUp.activityId, s.openid)
    await signUpsOf(ctx.db).removeWhere({ _id: signUp._id })
  })
  if (result.failed > 0 || !result.complete) throw new Error(`sign-ups of an erased person left: ${result.failed} failed`)
}

export const activitiesErasure: ErasureRule = {
  collection: COLLECTIONS.activities,
  title: '我发布的活动',
  treatment: 'delete',
  detail: '你发布的活动全部删除；还没开始的活动会先取消，并通知已报名的人活动因组织者注销而取消，这些活动的报名记录一并删除。',
  count: (ctx, s) => activitiesOf(ctx.db).count({ ownerOpenid: s.openid }),
  erase: eraseOrganized,
}

export const activitySignUpsErasure: ErasureRule = {
  collection: COLLECTIONS.activitySignUps,
  title: '我的活动报名（含报名时留的手机号）',
  treatment: 'delete',
  detail: '你的报名记录全部删除，占用的名额释放给其他人。',
  count: (ctx, s) => signUpsOf(ctx.db).count({ openid: s.openid }),
  erase: eraseSignUps,
}

/** The organizer's uploaded covers: deleted from storage on erasure, before the activities go (../erasure.ts). */
export const activityFiles: FileReference = { collection: COLLECTIONS.activities, owner: 'ownerOpenid', fields: ['coverImage'] }

async function allOf<T extends Doc>(ctx: Context, collection: Collection<T>, where: Record<string, unknown>): Promise<T[]> {
  const docs: T[] = []
  await walk(ctx.db, collection, where, '_id', async (doc) => void docs.push(doc), { maxPages: 100 })
  return docs
}

export const activitiesExport: ExportRule = {
  collection: COLLECTIONS.activities,
  async sections(ctx, account) {
    const docs = await allOf(ctx, activitiesOf(ctx.db), { ownerOpenid: account.openid })
    return [
      {
        domain: 'activities',
        title: '我发布的活动',
        records: docs.map((a) => ({
          id: a._id,
          title: a.title,
          description: a.description,
          place: a.place,
          startAt: a.startAt.toISOString(),
          endAt: a.endAt.toISOString(),
          signUpDeadline: a.signUpDeadline.toISOString(),
          capacity: a.capacity,
          signUps: a.taken,
          coverImage: a.coverImage,
          status: a.status,
          cancelledAt: a.cancelledAt ? a.cancelledAt.toISOString() : null,
          moderation: { state: a.moderation.state, label: MODERATION_STATE_LABELS[a.moderation.state], reasons: a.moderation.reasons },
          createdAt: a.createdAt.toISOString(),
          updatedAt: a.updatedAt.toISOString(),
        })),
        note: '报名者的昵称和手机号属于他人的个人信息，不在本副本中；可在活动的报名名单中查看。',
      },
    ]
  },
}

export const activitySignUpsExport: ExportRule = {
  collection: COLLECTIONS.activitySignUps,
  async sections(ctx, account) {
    const signUps = (await allOf(ctx, signUpsOf(ctx.db), { openid: account.openid })).filter((s) => s.seat === 'held')
    const titles = new Map<string, string>()
    for (const s of signUps) {
      if (titles.has(s.activityId)) continue
      // Someone else's activity: only a title a published decision let others read.
      const activity = await activitiesOf(ctx.db).byId(s.activityId)
      titles.set(s.activityId, activity ? (approvedTitleOf(activity) ?? '') : '')
    }
    return [
      {
        domain: 'activitySignUps',
        title: '我的活动报名',
        records: signUps.map((s) => ({
          activityId: s.activityId,
          activityTitle: titles.get(s.activityId) ?? '',
          phone: s.phone,
          sharePhone: s.sharePhone,
          signedUpAt: s.createdAt.toISOString(),
        })),
        note: null,
      },
    ]
  },
}

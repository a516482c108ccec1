/**
 * Exactly-capacity sign-ups without transactions. Two single-document atomic
 * operations carry the guarantees:
 *
 * 1. the sign-up document is inserted first, as `pending`; the unique index on
 *    (activityId, openid) turns every concurrent or repeated attempt of the
 *    same person into ALREADY_SIGNED_UP before any seat is touched;
 * 2. the seat is claimed by a conditional increment of the activity's `taken`
 *    that only matches while `taken < capacity` (and the capacity read is still
 *    the capacity, and the activity is still scheduled), so `taken` never
 *    exceeds the capacity however many claims race;
 * 3. the sign-up becomes `held`.
 *
 * Every failure after step 1 compensates what was done (the seat given back,
 * the pending document removed), so a refused or failed attempt leaves nothing
 * behind; only held sign-ups count anywhere. Should a process die between the
 * steps, what remains errs on the safe side: a pending document (ignored by
 * readers, replaced by the person's next attempt once stale) or a seat counted
 * without a sign-up (one seat fewer, never one too many).
 */
import type { Context } from '../context'
import { fail, isDuplicateKey } from '../errors'
import { activitiesOf, signUpsOf, type ActivityDoc, type SignUpDoc } from './records'

/** A pending sign-up older than this was left by an attempt that died; the person's next attempt replaces it. */
export const STALE_PENDING_MS = 2 * 60 * 1000
/** Claims retried after the capacity changed under us; bounded, since only edits change the capacity. */
const CLAIM_ATTEMPTS = 5

/** Why someone cannot sign up now, or null. */
export function signUpRefusal(a: ActivityDoc, now: Date): { code: 'SIGNUP_CLOSED' | 'ACTIVITY_FULL'; message: string } | null {
  if (a.status === 'cancelled') return { code: 'SIGNUP_CLOSED', message: '活动已取消，不能报名' }
  if (now.getTime() >= a.startAt.getTime()) return { code: 'SIGNUP_CLOSED', message: '活动已开始，报名已结束' }
  if (now.getTime() >= a.signUpDeadline.getTime()) return { code: 'SIGNUP_CLOSED', message: '活动报名已截止' }
  if (a.taken >= a.capacity) return { code: 'ACTIVITY_FULL', message: '活动名额已满' }
  return null
}

function refuseIfClosed(a: ActivityDoc, now: Date): void {
  const refusal = signUpRefusal(a, now)
  if (refusal) fail(refusal.code, refusal.message)
}

/** Claims one seat: true when `taken` was incremented within the capacity. */
async function claimSeat(ctx: Context, read: ActivityDoc): Promise<boolean> {
  const _ = ctx.db.cmd
  let current: ActivityDoc | null = read
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS && current; attempt++) {
    refuseIfClosed(current, ctx.now)
    const claimed = await activitiesOf(ctx.db).updateWhere(
      { _id: current._id, status: 'scheduled', capacity: current.capacity, taken: _.lt(current.capacity) },
      { taken: _.inc(1) },
    )
    if (claimed === 1) return true
    // Full, cancelled or resized meanwhile: look again and say which.
    current = await activitiesOf(ctx.db).byId(read._id)
  }
  if (!current) fail('NOT_FOUND', '活动不存在或已被删除')
  refuseIfClosed(current, ctx.now)
  return false
}

export async function releaseSeat(ctx: Context, activityId: string): Promise<void> {
  await activitiesOf(ctx.db).updateWhere({ _id: activityId, taken: ctx.db.cmd.gt(0) }, { taken: ctx.db.cmd.inc(-1) })
}

/** Inserts the pending sign-up; a person's second attempt is refused here, before any seat is touched. */
async function insertPending(ctx: Context, doc: Omit<SignUpDoc, '_id'>): Promise<string> {
  const signUps = signUpsOf(ctx.db)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await signUps.add(doc)
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      const existing = await signUps.findOne({ activityId: doc.activityId, openid: doc.openid })
      const stale = existing?.seat === 'pending' && ctx.now.getTime() - existing.createdAt.getTime() >= STALE_PENDING_MS
      if (existing && !stale) fail('ALREADY_SIGNED_UP')
      // Left by an attempt that died (or gone meanwhile): remove exactly that one and try again.
      if (existing) await signUps.removeWhere({ _id: existing._id, seat: 'pending', createdAt: existing.createdAt })
    }
  }
  return fail('ALREADY_SIGNED_UP')
}

export interface SignUpRequest {
  phone: string | null
  sharePhone: boolean
}

/** Signs `ctx.openid` up for `activity` (already checked visible and published): holds one seat or refuses, leaving nothing behind. */
export async function takeSeat(ctx: Context, activity: ActivityDoc, request: SignUpRequest): Promise<void> {
  // Refusing a full or closed activity before writing keeps a burst on a full activity read-only.
  refuseIfClosed(activity, ctx.now)
  const signUps = signUpsOf(ctx.db)
  const signUpId = await insertPending(ctx, {
    activityId: activity._id,
    openid: ctx.openid,
    phone: request.phone,
    sharePhone: request.sharePhone,
    seat: 'pending',
    createdAt: ctx.now,
  })
  let claimed = false
  try {
    claimed = await claimSeat(ctx, activity)
    if (!claimed) fail('ACTIVITY_FULL')
    // Only our own pending document becomes held; if it vanished (an erasure meanwhile), the seat goes back.
    const held = await signUps.updateWhere({ _id: signUpId, seat: 'pending' }, { seat: 'held' })
    if (held !== 1) fail('CONFLICT', '报名未完成，请重试')
  } catch (error) {
    await compensate(ctx, activity._id, signUpId, claimed).catch((compensation: unknown) =>
      ctx.log.error('sign-up compensation failed', { requestId: ctx.requestId, activityId: activity._id, error: String(compensation) }),
    )
    throw error
  }
}

async function compensate(ctx: Context, activityId: string, signUpId: string, claimed: boolean): Promise<void> {
  if (claimed) await releaseSeat(ctx, activityId)
  await signUpsOf(ctx.db).removeWhere({ _id: signUpId, seat: 'pending' })
}

/**
 * Cancels `openid`'s held sign-up and frees its seat: the removal is the
 * condition of the release, so two cancellations free one seat.
 * Returns false when there was no held sign-up.
 */
export async function giveUpSeat(ctx: Context, activityId: string, openid: string): Promise<boolean> {
  const removed = await signUpsOf(ctx.db).removeWhere({ activityId, openid, seat: 'held' })
  if (removed === 0) return false
  await releaseSeat(ctx, activityId)
  return true
}

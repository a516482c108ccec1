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
 *
 * The `repairSeats` timer gives such seats back and removes stale pending
 * documents. Without transactions, recounting `taken` from the held sign-ups
 * is safe only when no run that changes seats can still be under way: every
 * claim and release stamps the activity's `seatsChangedAt` with its run's
 * start, and a cancellation stamps it (once it found the held sign-up it
 * cancels) before removing its sign-up. A recount waits until the stamp is
 * SEATS_QUIET_MS old — twice the longest a function may run, so every run that
 * stamped or was overtaken by the last stamp has ended — and writes on the
 * condition that `taken` and the stamp are still what it read: any claim or
 * release in between (each stamps anew) makes it write nothing, and the next
 * run looks again.
 */
import { findAccount } from '../accounts'
import type { Context } from '../context'
import { fail, isDuplicateKey } from '../errors'
import { walk } from '../paging'
import { notifyAttendees } from './notices'
import { activitiesOf, signUpsOf, type ActivityDoc, type SignUpDoc } from './records'

/** A pending sign-up older than this was left by an attempt that died; the person's next attempt replaces it. */
export const STALE_PENDING_MS = 2 * 60 * 1000
/** Claims retried after the capacity changed under us; bounded, since only edits change the capacity. */
const CLAIM_ATTEMPTS = 5
/**
 * How long an activity's seats must have been left alone before they are
 * recounted: at least twice the longest run of a function (CloudBase stops a
 * run at its timeout, at most 900 s), since a run stamps its start time and the
 * last stamp written may be of a run older than another that is still going.
 */
export const SEATS_QUIET_MS = 40 * 60 * 1000
/** Activities whose seats went quiet this recently are recounted once more (three runs of the 10-minute timer). */
export const RECOUNT_WINDOW_MS = 30 * 60 * 1000

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
    // Still scheduled and open for sign-ups at this instant: a cancellation or an earlier deadline written meanwhile wins.
    const claimed = await activitiesOf(ctx.db).updateWhere(
      { _id: current._id, status: 'scheduled', signUpDeadline: _.gt(ctx.now), capacity: current.capacity, taken: _.lt(current.capacity) },
      { taken: _.inc(1), seatsChangedAt: ctx.now },
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
  await activitiesOf(ctx.db).updateWhere({ _id: activityId, taken: ctx.db.cmd.gt(0) }, { taken: ctx.db.cmd.inc(-1), seatsChangedAt: ctx.now })
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
  await tellIfCancelledMeanwhile(ctx, activity._id)
}

/**
 * A cancellation written between our claim and our sign-up becoming held
 * walked the held sign-ups without ours (it was still pending). Its notices
 * are sent again — the same idempotent notices a repeated cancel sends — so
 * the late sign-up hears of it like everyone else; a claim after the
 * cancellation is refused (claimSeat), so nothing later can be missed.
 */
async function tellIfCancelledMeanwhile(ctx: Context, activityId: string): Promise<void> {
  try {
    const now = await activitiesOf(ctx.db).byId(activityId)
    if (!now || now.status !== 'cancelled') return
    // Cancelled by the erasure of its organizer (whose account is gone or going) or by the organizer.
    const organizer = await findAccount(ctx.db, now.ownerOpenid)
    await notifyAttendees(ctx, now, { kind: organizer === null || organizer.state === 'deleted' ? 'organizerGone' : 'cancelled' })
  } catch (error) {
    // The sign-up stands; a repeated cancel sends what did not go out.
    ctx.log.error('cancellation notice to a late sign-up failed', { requestId: ctx.requestId, activityId, error: String(error) })
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
 *
 * Check, stamp, remove, release: only someone who holds a seat stamps the
 * activity (a stamp defers its recount, so a caller without a sign-up must
 * not be able to hold the repair off by cancelling again and again), and the
 * stamp still comes before the removal.
 */
export async function giveUpSeat(ctx: Context, activityId: string, openid: string): Promise<boolean> {
  const where = { activityId, openid, seat: 'held' }
  if ((await signUpsOf(ctx.db).count(where)) === 0) return false
  // Stamped before the sign-up goes: a recount never sees it gone while its seat is still counted.
  await activitiesOf(ctx.db).update(activityId, { seatsChangedAt: ctx.now })
  const removed = await signUpsOf(ctx.db).removeWhere(where)
  if (removed === 0) return false
  await releaseSeat(ctx, activityId)
  return true
}

export type RecountOutcome = 'recounted' | 'unchanged' | 'busy' | 'raced'

/**
 * Sets `taken` to the held sign-ups of the activity as `seen` (read before
 * counting), when its seats have been quiet long enough and nothing changed
 * them since it was read. An activity never stamped (stored before stamps
 * existed) is stamped now and recounted once that stamp is quiet.
 */
export async function recountSeats(ctx: Context, seen: ActivityDoc): Promise<RecountOutcome> {
  const _ = ctx.db.cmd
  const activities = activitiesOf(ctx.db)
  if (!seen.seatsChangedAt) {
    await activities.updateWhere({ _id: seen._id, seatsChangedAt: _.exists(false) }, { seatsChangedAt: ctx.now })
    return 'busy'
  }
  if (ctx.now.getTime() - seen.seatsChangedAt.getTime() < SEATS_QUIET_MS) return 'busy'
  const held = await signUpsOf(ctx.db).count({ activityId: seen._id, seat: 'held' })
  if (held === seen.taken) return 'unchanged'
  if (held > seen.taken) ctx.log.error('more held sign-ups than seats counted', { requestId: ctx.requestId, activityId: seen._id, held, taken: seen.taken })
  const written = await activities.updateWhere({ _id: seen._id, taken: seen.taken, seatsChangedAt: seen.seatsChangedAt }, { taken: held })
  if (written !== 1) return 'raced'
  ctx.log.info('seats recounted', { requestId: ctx.requestId, activityId: seen._id, from: seen.taken, to: held })
  return 'recounted'
}

export interface RepairReport {
  /** Activities whose `taken` was corrected. */
  recounted: number
  /** Stale pending sign-ups removed. */
  removed: number
  /** Activities left for a later run (seats changed too recently, or while recounting). */
  deferred: number
}

/**
 * The activities function's `repairSeats` timer (every 10 minutes): activities
 * with pending sign-ups older than STALE_PENDING_MS (a run died between its
 * steps), and activities still ahead whose seats went quiet within the last
 * RECOUNT_WINDOW_MS (a cancellation may have died between removing its
 * sign-up and releasing the seat), are recounted; then the stale pending
 * sign-ups are removed — only after a recount, so that an activity whose
 * seats are busy is found again by the next run.
 */
export async function repairSeats(ctx: Context): Promise<RepairReport> {
  const _ = ctx.db.cmd
  const report: RepairReport = { recounted: 0, removed: 0, deferred: 0 }
  const onError = (doc: { _id: string }, error: unknown): void =>
    ctx.log.error('repairSeats step failed', { requestId: ctx.requestId, id: doc._id, error: String(error) })
  const stale = new Date(ctx.now.getTime() - STALE_PENDING_MS)
  const withStale = new Set<string>()
  await walk(ctx.db, signUpsOf(ctx.db), { seat: 'pending', createdAt: _.lt(stale) }, 'createdAt', async (signUp) => void withStale.add(signUp.activityId), { onError })

  const recount = async (activity: ActivityDoc): Promise<boolean> => {
    const outcome = await recountSeats(ctx, activity)
    if (outcome === 'recounted') report.recounted++
    if (outcome === 'busy' || outcome === 'raced') report.deferred++
    return outcome === 'recounted' || outcome === 'unchanged'
  }

  for (const activityId of withStale) {
    try {
      const activity = await activitiesOf(ctx.db).byId(activityId)
      // Sign-ups of an activity that is gone hold no seat anywhere.
      if (activity && !(await recount(activity))) continue
      report.removed += await signUpsOf(ctx.db).removeWhere({ activityId, seat: 'pending', createdAt: _.lt(stale) })
    } catch (error) {
      onError({ _id: activityId }, error)
    }
  }

  const quietSince = new Date(ctx.now.getTime() - SEATS_QUIET_MS)
  const window = { seatsChangedAt: _.and(_.gte(new Date(quietSince.getTime() - RECOUNT_WINDOW_MS)), _.lt(quietSince)), startAt: _.gt(ctx.now) }
  await walk(ctx.db, activitiesOf(ctx.db), window, 'seatsChangedAt', async (activity) => {
    if (!withStale.has(activity._id)) await recount(activity)
  }, { onError })
  ctx.log.info('repairSeats done', { requestId: ctx.requestId, ...report })
  return report
}

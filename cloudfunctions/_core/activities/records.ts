/**
 * The activities domain's documents and how others see them.
 *
 * `activities`: one per activity, `ownerOpenid` the organizer, `taken` the
 * seats held (the counter sign-ups claim by conditional increment),
 * `moderation` where the gate left it (kind 'activity', targetId = _id).
 *
 * `activity_signups`: one per (activityId, openid), unique. A sign-up is
 * `pending` from its insertion until its seat is claimed, then `held`; only
 * held sign-ups count anywhere (lists, attendee list, "signed up").
 */
import type { ActivityPhase } from '../../../shared/activities'
import { COLLECTIONS } from '../collections'
import type { Collection, Doc, Store } from '../db'
import { fail } from '../errors'
import type { ContentModeration } from '../moderation/gate'

export type ActivityStatus = 'scheduled' | 'cancelled'

export interface ActivityDoc extends Doc {
  ownerOpenid: string
  title: string
  description: string
  place: string
  startAt: Date
  endAt: Date
  signUpDeadline: Date
  capacity: number
  /** Seats held by sign-ups; never above `capacity` (conditional increments only). */
  taken: number
  /**
   * The start of the last run that changed `taken` or the held sign-ups (a
   * claim, a release, a cancellation about to remove its sign-up). Absent on
   * activities whose seats never changed since it was introduced. `repairSeats`
   * recounts only once this is SEATS_QUIET_MS old (seats.ts).
   */
  seatsChangedAt?: Date
  coverImage: string | null
  status: ActivityStatus
  cancelledAt: Date | null
  moderation: ContentModeration
  /** Incremented by every edit: the condition of the next one and the dedupe key of its notices. */
  revision: number
  createdAt: Date
  updatedAt: Date
}

export type SeatState = 'pending' | 'held'

export interface SignUpDoc extends Doc {
  activityId: string
  openid: string
  /** A mainland mobile number the attendee gave, or null. */
  phone: string | null
  /** The organizer sees the full number only when true. */
  sharePhone: boolean
  seat: SeatState
  createdAt: Date
}

export function activitiesOf(db: Store): Collection<ActivityDoc> {
  return db.collection<ActivityDoc>(COLLECTIONS.activities)
}

export function signUpsOf(db: Store): Collection<SignUpDoc> {
  return db.collection<SignUpDoc>(COLLECTIONS.activitySignUps)
}

export function phaseOf(a: Pick<ActivityDoc, 'status' | 'startAt' | 'endAt' | 'signUpDeadline' | 'taken' | 'capacity'>, now: Date): ActivityPhase {
  const t = now.getTime()
  if (a.status === 'cancelled') return 'cancelled'
  if (t >= a.endAt.getTime()) return 'ended'
  if (t >= a.startAt.getTime()) return 'ongoing'
  if (t >= a.signUpDeadline.getTime()) return 'closed'
  if (a.taken >= a.capacity) return 'full'
  return 'open'
}

/** Cursor `<ms>.<_id>` of the last item shown (ms of the paging field). */
export function encodeCursor(at: Date, id: string): string {
  return `${at.getTime()}.${id}`
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const match = /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor)
  if (!match?.[1] || !match[2]) {
    const message = '翻页位置无效，请从第一页重新加载'
    return fail('INVALID_INPUT', message, [{ path: 'cursor', message }])
  }
  return { at: new Date(Number(match[1])), id: match[2] }
}

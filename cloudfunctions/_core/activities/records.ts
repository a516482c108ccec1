/**
 * The activities domain's documents and how others see them.
 *
 * `activities`: one per activity, `ownerOpenid` the organizer, `taken` the
 * seats held (the counter sign-ups claim by conditional increment),
 * `moderation` where the gate left it (kind 'activity', targetId = _id).
 *
 * `published`: the text as the last decision that published it left it —
 * what attendees may be quoted (notices.ts). Content held for review or for
 * its image check is shown to its organizer only, so a notice never quotes
 * it: an edit still under review is announced neutrally, and its details
 * follow when a decision publishes it (the moderation domain's hook).
 *
 * `activity_signups`: one per (activityId, openid), unique. A sign-up is
 * `pending` from its insertion until its seat is claimed, then `held`; only
 * held sign-ups count anywhere (lists, attendee list, "signed up").
 */
import { createHash } from 'node:crypto'
import type { ActivityPhase } from '../../../shared/activities'
import { COLLECTIONS } from '../collections'
import type { Collection, Doc, Store } from '../db'
import type { ContentModeration } from '../moderation/decisions'
import type { PublishedRequest } from '../moderation/request'

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
  /**
   * The content as of the last decision that published it; null until one
   * did (or after a reviewer took that very content down). Absent on
   * activities stored before it was kept: their current content stands in
   * while it is published.
   */
  published?: PublishedContent | null
  /** Incremented by every edit: the condition of the next one and the dedupe key of its notices. */
  revision: number
  createdAt: Date
  updatedAt: Date
}

/** What attendees were last allowed to read of an activity's text. */
export interface PublishedContent {
  /** The decision that published it. */
  decisionId: string
  title: string
  place: string
  /** SHA-256 of the description: enough to tell that it changed, without a second copy of it. */
  descriptionDigest: string
  coverImage: string | null
}

type ActivityContent = Pick<ActivityDoc, 'title' | 'place' | 'description' | 'coverImage'>

export function publishedContentOf(content: ActivityContent, decisionId: string): PublishedContent {
  return {
    decisionId,
    title: content.title,
    place: content.place,
    descriptionDigest: createHash('sha256').update(content.description, 'utf8').digest('hex'),
    coverImage: content.coverImage,
  }
}

/** The published content attendees know of: the kept one, or (stored before it was kept) the current one while published. */
export function knownContentOf(a: ActivityDoc): PublishedContent | null {
  if (a.published !== undefined) return a.published
  return a.moderation.state === 'published' ? publishedContentOf(a, a.moderation.decisionId) : null
}

/** The title a notice may quote: the current one while it is published, else the last published one (or none). */
export function approvedTitleOf(a: ActivityDoc): string | null {
  if (a.moderation.state === 'published') return a.title
  return knownContentOf(a)?.title ?? null
}

/** What the moderation gate reads of an activity: every text shown to others, and the cover. */
export function activityModerationRequest(id: string, content: ActivityContent): PublishedRequest {
  return {
    kind: 'activity',
    targetId: id,
    texts: { title: content.title, description: content.description, place: content.place },
    images: content.coverImage ? [content.coverImage] : [],
  }
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


/**
 * The staff side's records, each small and saying who acted:
 * - `moderation_reports`: one per person per target while it is open (a
 *   second report updates the first), with the weight it counted for;
 * - `moderation_reviewables`: one queue item per target while it is open,
 *   gathering what brought it there (the gate's hold, reports, an appeal …);
 * - `review_decisions`: what a reviewer decided, with the statement of reasons
 *   the person reads, the strike it gave and the account action it took;
 * - `review_appeals`: one per decision at most, and who ruled on it.
 * Ids are ordered (../ids.ts): records made in the same millisecond keep their order.
 */
import type { StaffRole } from '../../../shared/audit'
import type { AccountAction, AppealState, DecisionOutcome, Queue, ReportCategory, ReportOutcome, ReportTargetKind, ReviewKind, ReviewSource, ReviewState, RuleId } from '../../../shared/review'
import type { Feature, TransitionName } from '../../../shared/rules/lifecycle'
import { COLLECTIONS } from '../collections'
import type { Collection, Doc, Store } from '../db'

export interface ReportDoc extends Doc {
  reporterOpenid: string
  /** What was reported: content, or a person's profile (`account`: the account id). */
  targetKind: ReportTargetKind
  targetId: string
  /** The person the report is about (the author or the profile's owner). */
  subject: string
  category: ReportCategory
  /** The reporter's words for staff (moderated, never published); '' when none. */
  comment: string
  /** Whether the gate found anything in the comment that staff should know (it is kept, never shown to others). */
  commentFlags: string[]
  /** What the report counts for in its item's score (review.ts reporterWeight), fixed when filed. */
  weight: number
  reviewableId: string
  /** `${reporter}:${kind}:${targetId}` while open (unique); suffixed with the id once decided. */
  openKey: string
  outcome: ReportOutcome
  createdAt: Date
  updatedAt: Date
  resolvedAt: Date | null
}

export interface Claim {
  by: string
  until: Date
}

export interface ReviewableDoc extends Doc {
  kind: ReviewKind
  /** The content's id, the account id (profile), the impersonation report, the correction request or the appeal. */
  targetId: string
  /** `${kind}:${targetId}` while open (unique); suffixed with the id once resolved. */
  openKey: string
  /** The openid of the person concerned (author, profile owner, the person asking). */
  subject: string
  state: ReviewState
  queue: Queue
  sources: ReviewSource[]
  /** Every category reported or found; `category` is the one the queue filters on (the most urgent, else the first). */
  categories: ReportCategory[]
  category: ReportCategory | null
  urgent: boolean
  score: number
  reportCount: number
  /** The queue's order (shared/review.ts rankKey). */
  rankKey: string
  /** For content: the gate decision the item is about now (an edit by the author moves it on). */
  moderationDecisionId: string | null
  /** Edits by the author while the item was open. */
  edits: number
  claim: Claim | null
  createdAt: Date
  updatedAt: Date
  resolvedAt: Date | null
  /** `<resolvedAt ms>:<id>`, for the list of resolved items (newest first). */
  resolvedKey: string | null
  /** The review decision that resolved it. */
  decisionId: string | null
}

/** The statement of reasons (说明理由) the person concerned reads. */
export interface Statement {
  category: ReportCategory
  rule: RuleId
  /** The facts, in the reviewer's words. */
  facts: string
  /** Whether the content was found by automated checks (the gate) rather than by people's reports alone. */
  automated: boolean
  /** End of a timed account action. */
  until: Date | null
}

export interface AccountEffect {
  action: Exclude<AccountAction, 'none'>
  transition: TransitionName | null
  features: Feature[]
  until: Date | null
  /** The account's `stateVersion` after the transition: an appeal lifts it only while nothing changed since. */
  stateVersionAfter: number | null
  /** Why it was not applied (the account changed state meanwhile …), when it was not. */
  skipped: string | null
}

export interface Strike {
  category: ReportCategory
  expiresAt: Date
  overruledAt: Date | null
}

export interface ReviewDecisionDoc extends Doc {
  /** The queue item it closed; null for an account action taken straight from the account page (admin.transition). */
  reviewableId: string | null
  kind: ReviewKind
  targetId: string
  /** The person concerned; a pseudonym after their erasure. */
  subject: string
  /** For content: the gate decision ruled on. */
  moderationDecisionId: string | null
  outcome: DecisionOutcome
  /** Against the person (remove, confirm): with a statement, a strike, and open to appeal. */
  adverse: boolean
  statement: Statement | null
  /** A short note for decisions that find nothing, or the reason of a correction or impersonation ruling. */
  note: string | null
  accountEffect: AccountEffect | null
  /** The escalation ladder's suggestion, and why the reviewer chose otherwise. */
  suggested: AccountAction | null
  deviationReason: string | null
  strike: Strike | null
  /** What was ruled on, as it stood: kept for the appeal and its reviewer; removed on the person's erasure. */
  snapshot: Record<string, string> | null
  /** The content was kept from others (held by the gate, or hidden after reports) when it was decided. */
  contentWasHidden: boolean
  /** A correction request's ruling. */
  correction: { decision: 'accepted' | 'rejected'; correctedBirthDate: string | null } | null
  deciderOpenid: string
  deciderRole: StaffRole
  /** The call that decided (its audit record, and the account event its transition wrote). */
  requestId: string
  /** Each step once: the target ruled, the account acted on, reports resolved, people told (the sweep finishes a decision cut short). */
  steps: { target: boolean; account: boolean; reports: boolean; notices: boolean }
  appealState: AppealState | null
  appealDeadline: Date | null
  createdAt: Date
  completedAt: Date | null
}

export interface AppealDoc extends Doc {
  decisionId: string
  appellant: string
  text: string
  textFlags: string[]
  state: AppealState
  reviewableId: string
  /** Who ruled on the appeal and why. */
  deciderOpenid: string | null
  deciderRole: StaffRole | null
  reason: string | null
  /** What overturning did (content back, ban lifted …), as told to the person. */
  effects: string[]
  /** Each step of carrying out the ruling once (the sweep finishes one cut short). */
  steps: { strike: boolean; account: boolean; content: boolean; notice: boolean }
  createdAt: Date
  decidedAt: Date | null
  completedAt: Date | null
}

export const reports = (db: Store): Collection<ReportDoc> => db.collection<ReportDoc>(COLLECTIONS.moderationReports)
export const reviewables = (db: Store): Collection<ReviewableDoc> => db.collection<ReviewableDoc>(COLLECTIONS.moderationReviewables)
export const reviewDecisions = (db: Store): Collection<ReviewDecisionDoc> => db.collection<ReviewDecisionDoc>(COLLECTIONS.reviewDecisions)
export const appeals = (db: Store): Collection<AppealDoc> => db.collection<AppealDoc>(COLLECTIONS.reviewAppeals)

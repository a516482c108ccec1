/**
 * The review queue: one reviewable per target while it is open (its `openKey`
 * is unique), whatever brought it there — the gate's hold, reports, an
 * impersonation report, a correction request, an appeal. Opening an item that
 * is already open adds to it; deciding closes it, and the next report or hold
 * opens a new one.
 */
import type { ContentKind } from '../../../shared/content'
import {
  categoriesOfLabels,
  CLAIM_MS,
  CONTENT_REVIEW_KINDS,
  queueOf,
  rankKey,
  URGENT_CATEGORIES,
  REPORT_CATEGORIES,
  type ContentReviewKind,
  type ReportCategory,
  type ReviewKind,
  type ReviewSource,
} from '../../../shared/review'
import type { Context } from '../context'
import type { Patch, Where } from '../db'
import { fail, isDuplicateKey } from '../errors'
import { orderedId } from '../ids'
import type { ModerationDecisionDoc } from '../moderation/decisions'
import { reviewables, type ReviewableDoc } from './store'

export function openKeyOf(kind: ReviewKind, targetId: string): string {
  return `${kind}:${targetId}`
}

/** The category the queue files an item under: the most urgent one, else the first found. */
function mainCategory(categories: readonly ReportCategory[]): ReportCategory | null {
  const urgent = REPORT_CATEGORIES.find((c) => URGENT_CATEGORIES.has(c) && categories.includes(c))
  return urgent ?? categories[0] ?? null
}

/** The fields that follow from sources, categories and score. */
function derived(doc: Pick<ReviewableDoc, '_id' | 'kind' | 'sources' | 'categories' | 'score' | 'createdAt'>): Pick<ReviewableDoc, 'queue' | 'category' | 'urgent' | 'rankKey'> {
  const category = mainCategory(doc.categories)
  const urgent = doc.categories.some((c) => URGENT_CATEGORIES.has(c))
  return {
    queue: queueOf(doc.kind, doc.sources),
    category,
    urgent,
    rankKey: rankKey({ urgent, score: doc.score, createdAt: doc.createdAt, id: doc._id }),
  }
}

export interface OpenFacts {
  kind: ReviewKind
  targetId: string
  subject: string
  source: ReviewSource
  categories?: readonly ReportCategory[]
  /** For content: the gate decision the item is now about. */
  moderationDecisionId?: string | null
  /** Added to the score (a report's weight). */
  scoreDelta?: number
  /** A new report (not a changed one). */
  newReport?: boolean
  /** The author edited the content (its new version waits in the queue). */
  edited?: boolean
}

export async function openReviewableOf(ctx: Context, kind: ReviewKind, targetId: string): Promise<ReviewableDoc | null> {
  return reviewables(ctx.db).findOne({ openKey: openKeyOf(kind, targetId) })
}

/**
 * Opens the target's item, or adds to the one open: its sources and
 * categories, the decision it is about, the score. The score moves by
 * increment, so concurrent reports all count; the derived order is then
 * written from what was read, conditional on nothing else having changed.
 */
export async function openReviewable(ctx: Context, facts: OpenFacts): Promise<ReviewableDoc> {
  const all = reviewables(ctx.db)
  const openKey = openKeyOf(facts.kind, facts.targetId)
  for (let round = 0; round < 5; round++) {
    const existing = await all.findOne({ openKey })
    if (!existing) {
      const _id = orderedId(ctx.now)
      const base = {
        _id,
        kind: facts.kind,
        sources: [facts.source],
        categories: [...new Set(facts.categories ?? [])],
        score: facts.scoreDelta ?? 0,
        createdAt: ctx.now,
      }
      const doc: ReviewableDoc = {
        ...base,
        ...derived(base),
        targetId: facts.targetId,
        openKey,
        subject: facts.subject,
        state: 'open',
        reportCount: facts.newReport ? 1 : 0,
        moderationDecisionId: facts.moderationDecisionId ?? null,
        edits: 0,
        claim: null,
        updatedAt: ctx.now,
        resolvedAt: null,
        resolvedKey: null,
        decisionId: null,
      }
      try {
        await all.add(doc)
        return doc
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        continue // opened meanwhile: add to that one
      }
    }
    const sources = existing.sources.includes(facts.source) ? existing.sources : [...existing.sources, facts.source]
    const categories = [...new Set([...existing.categories, ...(facts.categories ?? [])])]
    const movesOn = facts.moderationDecisionId !== undefined && facts.moderationDecisionId !== existing.moderationDecisionId
    // Nothing new: the store counts only documents an update changes, so there is nothing to write (or to wait for).
    if (sources.length === existing.sources.length && categories.length === existing.categories.length && !facts.scoreDelta && !facts.newReport && !facts.edited && !movesOn) {
      return existing
    }
    const score = existing.score + (facts.scoreDelta ?? 0)
    const next = { ...existing, sources, categories, score }
    const patch: Patch = {
      sources: ctx.db.cmd.set(sources),
      categories: ctx.db.cmd.set(categories),
      ...derived(next),
      updatedAt: ctx.now,
    }
    if (facts.scoreDelta) patch.score = ctx.db.cmd.inc(facts.scoreDelta)
    if (facts.newReport) patch.reportCount = ctx.db.cmd.inc(1)
    if (facts.edited) patch.edits = ctx.db.cmd.inc(1)
    if (facts.moderationDecisionId !== undefined) patch.moderationDecisionId = facts.moderationDecisionId
    // Conditional on the score read: a concurrent report makes this round read again, so the order follows the true score.
    const written = await all.updateWhere({ _id: existing._id, state: 'open', score: existing.score }, patch)
    if (written > 0) {
      return {
        ...next,
        ...derived(next),
        reportCount: existing.reportCount + (facts.newReport ? 1 : 0),
        edits: existing.edits + (facts.edited ? 1 : 0),
        moderationDecisionId: facts.moderationDecisionId !== undefined ? facts.moderationDecisionId : existing.moderationDecisionId,
        updatedAt: ctx.now,
      }
    }
  }
  fail('CONFLICT')
}

/** Whether someone other than `openid` holds a claim on the item now. */
export function claimedByOther(doc: Pick<ReviewableDoc, 'claim'>, openid: string, now: Date): boolean {
  return doc.claim !== null && doc.claim.by !== openid && doc.claim.until.getTime() > now.getTime()
}

/** The condition under which the caller may act on an item: still open, and no one else's claim in force. */
export function freeForCaller(ctx: Context, id: string): Where {
  const _ = ctx.db.cmd
  return _.and({ _id: id, state: 'open' }, _.or({ claim: null }, { 'claim.by': ctx.openid }, { 'claim.until': _.lte(ctx.now) }))
}

/** Claims the item for CLAIM_MS (renewing one's own claim); CONFLICT while someone else holds it. */
export async function claim(ctx: Context, doc: ReviewableDoc): Promise<ReviewableDoc> {
  if (doc.state !== 'open') fail('CONFLICT', '这一项已经处理完毕')
  const claimNow = { by: ctx.openid, until: new Date(ctx.now.getTime() + CLAIM_MS) }
  const written = await reviewables(ctx.db).updateWhere(freeForCaller(ctx, doc._id), { claim: ctx.db.cmd.set(claimNow), updatedAt: ctx.now })
  if (written === 0) {
    // Renewing one's own claim within the same millisecond changes nothing, and is no conflict.
    const now = await reviewables(ctx.db).byId(doc._id)
    if (now?.state !== 'open' || now.claim?.by !== ctx.openid) fail('CONFLICT', '另一位审核员正在处理这一项，请稍后再看')
  }
  return { ...doc, claim: claimNow }
}

/** Gives up one's own claim (nothing happens when there is none). */
export async function release(ctx: Context, doc: ReviewableDoc): Promise<ReviewableDoc> {
  await reviewables(ctx.db).updateWhere({ _id: doc._id, 'claim.by': ctx.openid }, { claim: null, updatedAt: ctx.now })
  return doc.claim?.by === ctx.openid ? { ...doc, claim: null } : doc
}

/** The review kind of content the gate decides on (messages are never reviewed: nothing is held). */
export function reviewKindOfContent(kind: ContentKind): ContentReviewKind | null {
  return (CONTENT_REVIEW_KINDS as readonly string[]).includes(kind) ? (kind as ContentReviewKind) : null
}

/** Content the gate holds for people: into the queue, under the categories of what it found. */
export async function queueHeld(ctx: Context, decision: ModerationDecisionDoc, edit = false): Promise<void> {
  const kind = reviewKindOfContent(decision.kind)
  if (!kind) return
  await openReviewable(ctx, {
    kind,
    targetId: decision.targetId,
    subject: decision.authorOpenid,
    source: 'gate',
    categories: categoriesOfLabels(decision.sources.filter((s) => s.verdict !== 'pass').flatMap((s) => s.labels)),
    moderationDecisionId: decision._id,
    edited: edit,
  })
}

/**
 * After the gate decided on a submission: held for people, it is queued;
 * otherwise an item already open for the target moves on to this submission
 * (the author edited what was reported: the reviewer decides what is there now).
 */
export async function followSubmission(ctx: Context, decision: ModerationDecisionDoc, edit: boolean): Promise<void> {
  const kind = reviewKindOfContent(decision.kind)
  if (!kind || decision.state === 'refused') return
  if (decision.state === 'pendingReview') return queueHeld(ctx, decision, edit)
  if (!edit) return
  await reviewables(ctx.db).updateWhere(
    { openKey: openKeyOf(kind, decision.targetId), state: 'open' },
    { moderationDecisionId: decision._id, edits: ctx.db.cmd.inc(1), updatedAt: ctx.now },
  )
}

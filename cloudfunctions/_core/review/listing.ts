/**
 * Lists of the staff side: the queue (keyset paging on the rank key, so a
 * deep page costs what the first does), its counts for the 工作台, and the
 * person's own record — their decisions with strikes and appeals, and their
 * reports with outcomes.
 */
import {
  QUEUE_LABELS,
  QUEUES,
  REPORT_CATEGORY_LABELS,
  REVIEW_KIND_LABELS,
  REVIEW_SOURCE_LABELS,
  type Queue,
  type ReportCategory,
  type ReviewKind,
  type ReviewState,
} from '../../../shared/review'
import type { ConductDecisionView, MyReportView, QueueCount, QueueRow } from '../../../shared/contract/moderation'
import type { Context } from '../context'
import { after, decodeCursor, decodeKeyCursor, newestFirst, nextOf, PAGE_DEFAULT } from '../cursor'
import type { Where } from '../db'
import { conductView, toMyReportView } from './notices'
import { appeals, reports, reviewables, reviewDecisions, type ReviewableDoc } from './store'

export function toQueueRow(doc: ReviewableDoc, viewer: string, now: Date): QueueRow {
  const claimed = doc.claim && doc.claim.until.getTime() > now.getTime() ? doc.claim : null
  return {
    id: doc._id,
    kind: doc.kind,
    kindLabel: REVIEW_KIND_LABELS[doc.kind],
    queue: doc.queue,
    queueLabel: QUEUE_LABELS[doc.queue],
    sources: doc.sources,
    sourceLabels: doc.sources.map((s) => REVIEW_SOURCE_LABELS[s]),
    category: doc.category,
    categoryLabel: doc.category ? REPORT_CATEGORY_LABELS[doc.category] : null,
    urgent: doc.urgent,
    score: doc.score,
    reportCount: doc.reportCount,
    edits: doc.edits,
    state: doc.state,
    claim: claimed ? { mine: claimed.by === viewer, until: claimed.until.toISOString() } : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    resolvedAt: doc.resolvedAt?.toISOString() ?? null,
  }
}

export interface QueueFilter {
  queue?: Queue | undefined
  kind?: ReviewKind | undefined
  category?: ReportCategory | undefined
  state?: ReviewState | undefined
  cursor?: string | null | undefined
  limit?: number | undefined
}

/** Open items by rank (`<tier><score><age>:<id>`), resolved ones newest first (`<ms>:<id>`). */
const OPEN_CURSOR = /^[01]\d{21}:[\w-]{1,64}$/
const RESOLVED_CURSOR = /^\d{15}:[\w-]{1,64}$/

export async function queuePage(ctx: Context, filter: QueueFilter): Promise<{ items: QueueRow[]; nextCursor: string | null }> {
  const state = filter.state ?? 'open'
  const limit = filter.limit ?? PAGE_DEFAULT
  const key = state === 'open' ? 'rankKey' : 'resolvedKey'
  const where: Record<string, unknown> = { state }
  if (filter.queue) where.queue = filter.queue
  if (filter.kind) where.kind = filter.kind
  if (filter.category) where.category = filter.category
  const position = decodeKeyCursor(filter.cursor, state === 'open' ? OPEN_CURSOR : RESOLVED_CURSOR)
  if (position) where[key] = state === 'open' ? ctx.db.cmd.gt(position) : ctx.db.cmd.lt(position)
  const page = await reviewables(ctx.db).find(where, { orderBy: [[key, state === 'open' ? 'asc' : 'desc']], limit })
  const last = page.at(-1)
  return {
    items: page.map((doc) => toQueueRow(doc, ctx.openid, ctx.now)),
    nextCursor: page.length === limit && last ? (state === 'open' ? last.rankKey : last.resolvedKey) : null,
  }
}

/** For the 工作台: open items per queue and when the oldest came in. */
export async function queueCounts(ctx: Context): Promise<QueueCount[]> {
  return Promise.all(
    QUEUES.map(async (queue) => {
      const where = { state: 'open', queue }
      const [open, oldest] = await Promise.all([reviewables(ctx.db).count(where), reviewables(ctx.db).findOne(where, [['createdAt', 'asc']])])
      return { queue, label: QUEUE_LABELS[queue], open, oldestAt: oldest?.createdAt.toISOString() ?? null }
    }),
  )
}

/** My decisions, newest first, each with its appeal. */
export async function myDecisionsPage(
  ctx: Context,
  subject: string,
  cursor: string | null | undefined,
  limit: number = PAGE_DEFAULT,
): Promise<{ decisions: ConductDecisionView[]; nextCursor: string | null }> {
  const page = await reviewDecisions(ctx.db).find(after(ctx.db, { subject }, 'createdAt', decodeCursor(cursor)), { orderBy: newestFirst('createdAt'), limit })
  const ids = page.map((d) => d._id)
  const filed = ids.length > 0 ? await appeals(ctx.db).find({ decisionId: ctx.db.cmd.in(ids) }, { limit: ids.length }) : []
  const byDecision = new Map(filed.map((a) => [a.decisionId, a]))
  return {
    decisions: page.map((d) => conductView(d, byDecision.get(d._id) ?? null, ctx.now)),
    nextCursor: nextOf(page, limit, (d) => d.createdAt),
  }
}

export async function myReportsPage(
  ctx: Context,
  reporter: string,
  cursor: string | null | undefined,
  limit: number = PAGE_DEFAULT,
): Promise<{ reports: MyReportView[]; nextCursor: string | null }> {
  const where: Where = after(ctx.db, { reporterOpenid: reporter }, 'createdAt', decodeCursor(cursor))
  const page = await reports(ctx.db).find(where, { orderBy: newestFirst('createdAt'), limit })
  return { reports: page.map(toMyReportView), nextCursor: nextOf(page, limit, (r) => r.createdAt) }
}

/**
 * Stored moderation decisions (`moderation_decisions`): one per submission of
 * a text (and its images), with every finding and its reasons, for the author's
 * status, the review queue and accountability. The decision's state is
 * recomputed from its findings whenever an image verdict arrives.
 */
import { isMessageKind, refusedUnlessClean, type ContentKind, type ModerationState } from '../../../shared/content'
import type { DecisionState } from '../../../shared/content'
import type { DecisionView } from '../../../shared/contract/moderation'
import { CONTENT_KIND_LABELS, DECISION_STATE_LABELS } from '../../../shared/content'
import type { Verdict } from '../../../shared/moderation/scan'
import { COLLECTIONS } from '../collections'
import type { Doc, Store } from '../db'
import type { SecurityScene } from '../ports/openapi'

/** What the domain stores on its document as `moderation`. */
export interface ContentModeration {
  state: ModerationState
  decisionId: string
  reasons: string[]
  decidedAt: Date
}

export interface DecisionSource {
  /** The text field, or `images.N` for the N-th image. */
  field: string
  source: 'local' | 'wechat' | 'image' | 'review'
  verdict: Verdict
  reasons: string[]
  /** WeChat label or lexicon categories, for reviewers. */
  labels: Array<string | number>
  /** Local lexicon hits: what was written beside how the scanner read it, for reviewers. */
  matches?: LexiconMatch[]
}

export interface LexiconMatch {
  term: string
  written: string
  reads: string
  bySound: boolean
}

export interface ImageTally {
  total: number
  pending: number
  passed: number
  review: number
  risky: number
}

export interface ModerationDecisionDoc extends Doc {
  kind: ContentKind
  targetId: string
  authorOpenid: string
  /** The text's verdict (local scanner and WeChat's text check). */
  verdict: Verdict
  state: DecisionState
  /** Every finding; image findings are added as their verdicts arrive. */
  sources: DecisionSource[]
  /** What the author is told: the reasons of all findings, most severe first. */
  reasons: string[]
  images: ImageTally
  lexiconVersion: string
  createdAt: Date
  updatedAt: Date
  /** When nothing automatic was left to wait for; null while image verdicts are outstanding. */
  settledAt: Date | null
  /**
   * When the target document last reflected `state`; null while a change of
   * state has still to be written there (the media sweep retries).
   */
  targetSyncedAt: Date | null
  /** A reviewer's ruling on this submission: final for it (an edit is a new submission with a decision of its own). */
  ruling?: Ruling | null
  /** Set while reports have hidden the content from others, until a reviewer rules (review/reports.ts). */
  reportHold?: { reviewableId: string; at: Date } | null
}

/** What a reviewer said about a gate decision, and the review decision (statement of reasons) that says why. */
export interface Ruling {
  state: 'published' | 'rejected'
  reviewDecisionId: string
  at: Date
}

export function decisions(db: Store) {
  return db.collection<ModerationDecisionDoc>(COLLECTIONS.moderationDecisions)
}

/** msgSecCheck / mediaCheckAsync scenes: 1 资料 (profile-like), 2 评论 (a message to someone), 3 论坛 (posts). */
export const SCENES: Record<ContentKind, SecurityScene> = {
  card: 1,
  nickname: 1,
  avatar: 1,
  clientLogo: 1,
  activity: 3,
  article: 3,
  exchangeMessage: 2,
  reportComment: 2,
  appealText: 2,
}

/** WeChat's labels (msgSecCheck and mediaCheckAsync v2) in words for authors. */
const WECHAT_LABEL_NAMES: Record<number, string> = {
  10001: '广告',
  20001: '时政',
  20002: '色情',
  20003: '辱骂',
  20006: '违法犯罪',
  20008: '欺诈',
  20012: '低俗',
  20013: '版权',
  21000: '其他',
}

export function wechatLabelName(label: number): string {
  return WECHAT_LABEL_NAMES[label] ?? '其他'
}

const SEVERITY: Record<Verdict, number> = { pass: 0, review: 1, refuse: 2 }

export function strictest(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((v, next) => (SEVERITY[next] > SEVERITY[v] ? next : v), 'pass')
}

/**
 * The state the findings add up to: refused text never becomes anything else;
 * a risky image takes the content down at once, even while other images are
 * checked; a finding for people holds it for review — except a message, which
 * is never held and so is refused; outstanding images hold it for their
 * verdicts; otherwise it is published.
 */
export function stateFromFindings(decision: Pick<ModerationDecisionDoc, 'kind' | 'verdict' | 'images'>): DecisionState {
  if (decision.verdict === 'refuse') return 'refused'
  if (isMessageKind(decision.kind)) return decision.verdict === 'review' && refusedUnlessClean(decision.kind) ? 'refused' : 'published'
  if (decision.images.risky > 0) return 'rejected'
  if (decision.verdict === 'review' || decision.images.review > 0) return 'pendingReview'
  if (decision.images.pending > 0) return 'pendingImages'
  return 'published'
}

/**
 * The state a decision stands at: what its findings add up to, unless a
 * reviewer ruled (final for this submission), or reports hid what would be
 * published until a reviewer does. Refused text stays refused: it was never stored.
 */
export function decisionState(decision: Pick<ModerationDecisionDoc, 'kind' | 'verdict' | 'images' | 'ruling' | 'reportHold'>): DecisionState {
  const found = stateFromFindings(decision)
  if (found === 'refused') return found
  if (decision.ruling) return decision.ruling.state
  if (decision.reportHold && found === 'published') return 'reported'
  return found
}

/** Reasons of the findings, refusals first, without repeats; none once a reviewer published it. */
export function reasonsOf(sources: readonly DecisionSource[], ruling: Ruling | null = null): string[] {
  if (ruling?.state === 'published') return []
  const ordered = [...sources].sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict])
  return [...new Set(ordered.flatMap((s) => s.reasons))]
}

export function toDecisionView(d: ModerationDecisionDoc): DecisionView {
  return {
    id: d._id,
    kind: d.kind,
    kindLabel: CONTENT_KIND_LABELS[d.kind],
    targetId: d.targetId,
    state: d.state,
    stateLabel: DECISION_STATE_LABELS[d.state],
    reasons: d.reasons,
    sources: d.sources,
    images: d.images,
    lexiconVersion: d.lexiconVersion,
    createdAt: d.createdAt.toISOString(),
    settledAt: d.settledAt ? d.settledAt.toISOString() : null,
  }
}

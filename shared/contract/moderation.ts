/**
 * The moderation function: the operator's lexicon (data, changed without a
 * deploy) and the decisions the gate stored, for the review queue. The gate
 * itself runs inside the publishing functions (cloudfunctions/_core/moderation);
 * WeChat's image verdicts reach this function as a message push, not an action.
 */
import * as z from 'zod/mini'
import { CATEGORIES, parseLexicon } from '../moderation/lexicon'
import { isoDateTime, nextCursor, pageInput } from './common'
import { CONTENT_KINDS, MODERATION_STATE_LABELS, MODERATION_STATES, type ContentKind } from './content'
import { action } from './define'

/** What a stored decision can say: the content's states, or refused (nothing was stored). */
export const DECISION_STATES = [...MODERATION_STATES, 'refused'] as const
export type DecisionState = (typeof DECISION_STATES)[number]

export const DECISION_STATE_LABELS: Record<DecisionState, string> = {
  ...MODERATION_STATE_LABELS,
  refused: '已拒绝：未通过安全审核，没有发布',
}

export const CONTENT_KIND_LABELS: Record<ContentKind, string> = {
  card: '名片',
  activity: '活动',
  article: '文章',
  nickname: '昵称',
  avatar: '头像',
  exchangeMessage: '交换名片留言',
}

/** Where a finding came from: our scanner, WeChat's text check, or WeChat's image check. */
export const DECISION_SOURCES = ['local', 'wechat', 'image'] as const

/**
 * A lexicon as an operator writes it (shared/moderation/lexicon.ts): checked in
 * full here, so a bad one is refused with every problem named and nothing stored.
 */
const lexiconInput = z.pipe(
  z.unknown(),
  z.transform((raw, ctx) => {
    const parsed = parseLexicon(raw)
    if (parsed.ok) return parsed.lexicon
    for (const problem of parsed.problems.slice(0, 50)) ctx.issues.push({ code: 'custom', message: problem, input: raw })
    if (parsed.problems.length > 50) ctx.issues.push({ code: 'custom', message: `另有 ${parsed.problems.length - 50} 处问题未列出`, input: raw })
    return z.NEVER
  }),
)

const lexiconCategoryView = z.object({
  category: z.enum(CATEGORIES),
  /** The category's Chinese name, e.g. 广告. */
  label: z.string(),
  action: z.enum(['refuse', 'review']),
  termCount: z.number(),
})

export const lexiconSummary = z.object({
  version: z.string(),
  /** `demo` until an operator stores a lexicon: the demo file shipped with the code. */
  source: z.enum(['stored', 'demo']),
  storedAt: z.nullable(isoDateTime),
  termCount: z.number(),
  categories: z.array(lexiconCategoryView),
})
export type LexiconSummary = z.infer<typeof lexiconSummary>

/** The whole lexicon in the format `putLexicon` takes, to edit and store as a new version. */
const lexiconFile = z.object({
  version: z.string(),
  categories: z.record(z.string(), z.object({ label: z.string(), action: z.enum(['refuse', 'review']), terms: z.array(z.string()) })),
})

export const decisionSourceView = z.object({
  /** The text field (`title`, `intro` …), or `images.N` for the N-th image (from 0). */
  field: z.string(),
  source: z.enum(DECISION_SOURCES),
  verdict: z.enum(['pass', 'review', 'refuse']),
  reasons: z.array(z.string()),
  /** Lexicon categories (local) or WeChat label codes. */
  labels: z.array(z.union([z.string(), z.number()])),
})

export const decisionView = z.object({
  id: z.string(),
  kind: z.enum(CONTENT_KINDS),
  kindLabel: z.string(),
  /** The document the decision is about (a card, activity, article, the account for a nickname or avatar, or the exchange a message was sent with). */
  targetId: z.string(),
  state: z.enum(DECISION_STATES),
  stateLabel: z.string(),
  /** Why, in Chinese, as the author sees it. */
  reasons: z.array(z.string()),
  sources: z.array(decisionSourceView),
  images: z.object({ total: z.number(), pending: z.number(), passed: z.number(), review: z.number(), risky: z.number() }),
  lexiconVersion: z.string(),
  createdAt: isoDateTime,
  /** When nothing automatic was left to wait for (the last image verdict); null while images are checked. */
  settledAt: z.nullable(isoDateTime),
})
export type DecisionView = z.infer<typeof decisionView>

const reason = z.string().check(z.trim(), z.minLength(1, '请填写原因'), z.maxLength(200, '原因最多 200 个字'))

export const moderation = {
  putLexicon: action({
    summary: '发布新版本的审核词库（立即生效，无需重新部署；版本号不能重复）',
    access: 'admin',
    input: z.strictObject({ lexicon: lexiconInput, reason }),
    output: z.object({ current: lexiconSummary }),
    errors: ['CONFLICT'],
  }),
  lexiconInfo: action({
    summary: '当前审核词库：版本、各分类词条数、最近的版本；可附带全部词条以便编辑',
    access: 'admin',
    input: z.strictObject({ withTerms: z.optional(z.boolean()) }),
    output: z.object({
      current: lexiconSummary,
      history: z.array(z.object({ version: z.string(), storedAt: isoDateTime, termCount: z.number() })),
      lexicon: z.optional(lexiconFile),
    }),
    errors: [],
  }),
  decisions: action({
    summary: '审核决定（最新在前，可按状态和内容类型筛选）：复审队列的基础',
    access: 'reviewer',
    input: z.strictObject({ state: z.optional(z.enum(DECISION_STATES)), kind: z.optional(z.enum(CONTENT_KINDS)), ...pageInput }),
    output: z.object({ decisions: z.array(decisionView), nextCursor }),
    errors: [],
  }),
}

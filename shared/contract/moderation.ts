/**
 * The moderation function: the operator's lexicon (data, changed without a
 * deploy) and the decisions the gate stored, for the review queue. The gate
 * itself runs inside the publishing functions (cloudfunctions/_core/moderation);
 * WeChat's image verdicts reach this function as a message push, not an action.
 */
import * as z from 'zod/mini'
import { ACCOUNT_STATES, PENALTY_STATES } from '../account'
import { CATEGORIES, parseLexicon } from '../moderation/lexicon'
import {
  ACCOUNT_ACTIONS,
  APPEAL_STATES,
  APPEAL_TEXT_MAX,
  DECISION_OUTCOMES,
  QUEUES,
  REPORT_CATEGORIES,
  REPORT_COMMENT_MAX,
  REPORT_OUTCOMES,
  REPORT_TARGET_KINDS,
  REVIEW_KINDS,
  REVIEW_SOURCES,
  REVIEW_STATES,
  RULE_IDS,
  STRIKE_STATES,
} from '../review'
import { FEATURES } from '../rules/lifecycle'
import { calendarDate, id, isoDateTime, nextCursor, pageInput, staffReason } from './common'
import { DECISION_STATES } from '../content'
import { CONTENT_KINDS, MODERATION_STATES } from './content'
import { action } from './define'

export { CONTENT_KIND_LABELS, DECISION_STATE_LABELS, DECISION_STATES, type DecisionState } from '../content'

/** Where a finding came from: our scanner, WeChat's text check, WeChat's image check, or a reviewer. */
export const DECISION_SOURCES = ['local', 'wechat', 'image', 'review'] as const

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

const foldsView = z.object({ skipBetween: z.boolean(), traditional: z.boolean(), digits: z.boolean(), pinyin: z.boolean() })

const lexiconCategoryView = z.object({
  category: z.enum(CATEGORIES),
  /** The category's Chinese name, e.g. 广告. */
  label: z.string(),
  action: z.enum(['refuse', 'review']),
  termCount: z.number(),
  /** Which folds apply, defaults filled in. */
  folds: foldsView,
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
  categories: z.record(
    z.string(),
    z.object({ label: z.string(), action: z.enum(['refuse', 'review']), terms: z.array(z.string()), folds: z.optional(z.partial(foldsView)) }),
  ),
})

export const decisionSourceView = z.object({
  /** The text field (`title`, `intro` …), or `images.N` for the N-th image (from 0). */
  field: z.string(),
  source: z.enum(DECISION_SOURCES),
  verdict: z.enum(['pass', 'review', 'refuse']),
  reasons: z.array(z.string()),
  /** Lexicon categories (local) or WeChat label codes. */
  labels: z.array(z.union([z.string(), z.number()])),
  /** Local lexicon hits: the text as written beside how the scanner read it (folded, or the term's syllables when found by sound). */
  matches: z.optional(z.array(z.object({ term: z.string(), written: z.string(), reads: z.string(), bySound: z.boolean() }))),
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

// ---- Reports --------------------------------------------------------------------------

export const myReportView = z.object({
  id: z.string(),
  kind: z.enum(REPORT_TARGET_KINDS),
  kindLabel: z.string(),
  targetId: z.string(),
  category: z.enum(REPORT_CATEGORIES),
  categoryLabel: z.string(),
  comment: z.string(),
  /** 处理中, 已处理 (something was done), 未发现违规 — never what was done to someone else. */
  outcome: z.enum(REPORT_OUTCOMES),
  outcomeLabel: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  resolvedAt: z.nullable(isoDateTime),
})
export type MyReportView = z.infer<typeof myReportView>

// ---- The queue ------------------------------------------------------------------------

/** One row of the queue: what, why, how urgent — no personal data (moderation.item, audited, shows that). */
export const queueRow = z.object({
  id: z.string(),
  kind: z.enum(REVIEW_KINDS),
  kindLabel: z.string(),
  queue: z.enum(QUEUES),
  queueLabel: z.string(),
  sources: z.array(z.enum(REVIEW_SOURCES)),
  sourceLabels: z.array(z.string()),
  category: z.nullable(z.enum(REPORT_CATEGORIES)),
  categoryLabel: z.nullable(z.string()),
  urgent: z.boolean(),
  score: z.number(),
  reportCount: z.number(),
  /** Edits by the author while the item waited. */
  edits: z.number(),
  state: z.enum(REVIEW_STATES),
  /** Someone's claim in force: mine or another reviewer's, and until when. */
  claim: z.nullable(z.object({ mine: z.boolean(), until: isoDateTime })),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  resolvedAt: z.nullable(isoDateTime),
})
export type QueueRow = z.infer<typeof queueRow>

export const queueCount = z.object({
  queue: z.enum(QUEUES),
  label: z.string(),
  open: z.number(),
  /** When the oldest open item came in; null when the queue is empty. */
  oldestAt: z.nullable(isoDateTime),
})
export type QueueCount = z.infer<typeof queueCount>

const ladderStepView = z.object({
  action: z.enum(ACCOUNT_ACTIONS),
  label: z.string(),
  until: z.nullable(isoDateTime),
  features: z.array(z.enum(FEATURES)),
})

export const statementView = z.object({
  category: z.enum(REPORT_CATEGORIES),
  categoryLabel: z.string(),
  rule: z.enum(RULE_IDS),
  /** 《用户协议》第四条：… */
  ruleText: z.string(),
  facts: z.string(),
  /** Found by automated checks (then confirmed by a person), or by people's reports alone. */
  automated: z.boolean(),
  until: z.nullable(isoDateTime),
})
export type StatementView = z.infer<typeof statementView>

/** A decision as the person concerned reads it (我的 → 违规记录与申诉), and as staff read a person's record. */
export const conductDecisionView = z.object({
  id: z.string(),
  kind: z.enum(REVIEW_KINDS),
  kindLabel: z.string(),
  outcome: z.enum(DECISION_OUTCOMES),
  outcomeLabel: z.string(),
  /** Found against the person: with a statement of reasons and a strike, and open to appeal. */
  adverse: z.boolean(),
  statement: z.nullable(statementView),
  note: z.nullable(z.string()),
  accountAction: z.nullable(
    z.object({
      action: z.enum(ACCOUNT_ACTIONS),
      label: z.string(),
      until: z.nullable(isoDateTime),
      features: z.array(z.enum(FEATURES)),
      /** Why it did not take effect, when it did not. */
      skipped: z.nullable(z.string()),
    }),
  ),
  strike: z.nullable(z.object({ state: z.enum(STRIKE_STATES), stateLabel: z.string(), expiresAt: isoDateTime })),
  appeal: z.object({
    state: z.nullable(z.enum(APPEAL_STATES)),
    stateLabel: z.string(),
    deadline: z.nullable(isoDateTime),
    /** Appealable now: adverse, not appealed yet, within the deadline. */
    canAppeal: z.boolean(),
    text: z.nullable(z.string()),
    /** The reviewer's reasons for upholding or overturning. */
    reason: z.nullable(z.string()),
    decidedAt: z.nullable(isoDateTime),
  }),
  /** How to appeal, in one sentence (or why it can no longer be). */
  appealHint: z.string(),
  createdAt: isoDateTime,
})
export type ConductDecisionView = z.infer<typeof conductDecisionView>

/** What staff see of a decision: the person's view, plus who decided in which role and against which suggestion. */
export const staffDecisionView = z.extend(conductDecisionView, {
  deciderRole: z.enum(['reviewer', 'admin']),
  suggested: z.nullable(z.enum(ACCOUNT_ACTIONS)),
  deviationReason: z.nullable(z.string()),
})
export type StaffDecisionView = z.infer<typeof staffDecisionView>

const contentFieldView = z.object({ field: z.string(), label: z.string(), text: z.string() })

export const itemView = z.object({
  reviewable: queueRow,
  /** The content exactly as it would be published (every field, whoever may see it); null when it is gone. */
  content: z.nullable(
    z.object({
      fields: z.array(contentFieldView),
      images: z.array(z.string()),
      state: z.nullable(z.enum(MODERATION_STATES)),
      stateLabel: z.nullable(z.string()),
      reasons: z.array(z.string()),
    }),
  ),
  /** The gate decision the item is about now: pass it back with `decide`, so an edit made meanwhile is not decided unseen. */
  moderationDecisionId: z.nullable(z.string()),
  /** Images still waiting for WeChat's verdict: the content cannot be approved before they are in. */
  imagesPending: z.number(),
  /** What the automated checks found in it. */
  findings: z.array(decisionSourceView),
  /** Submissions and decisions on this target, newest first. */
  history: z.array(z.object({ at: isoDateTime, by: z.enum(['author', 'gate', 'reviewer']), label: z.string(), detail: z.string() })),
  /** Reporters are pseudonymous (举报人 1, 2 …); their comments are for staff only. */
  reports: z.array(
    z.object({
      reporter: z.string(),
      verified: z.boolean(),
      weight: z.number(),
      category: z.enum(REPORT_CATEGORIES),
      categoryLabel: z.string(),
      comment: z.string(),
      commentFlags: z.array(z.string()),
      createdAt: isoDateTime,
    }),
  ),
  /** The person concerned. */
  subject: z.nullable(
    z.object({
      accountId: z.string(),
      nickname: z.string(),
      state: z.enum(ACCOUNT_STATES),
      stateLabel: z.string(),
      verified: z.boolean(),
      staff: z.boolean(),
      activeStrikes: z.number(),
      decisions: z.array(staffDecisionView),
    }),
  ),
  /** A correction request: the field and the person's explanation. */
  correction: z.nullable(z.object({ field: z.string(), fieldLabel: z.string(), note: z.string(), birthDateFromId: z.boolean() })),
  /** An impersonation report: what the person who proved the ID with their face says. */
  impersonation: z.nullable(z.object({ reason: z.string(), holderAccountId: z.string(), reportedAt: isoDateTime })),
  /** An appeal: the appellant's words and the decision appealed against. */
  appeal: z.nullable(z.object({ id: z.string(), text: z.string(), textFlags: z.array(z.string()), decision: staffDecisionView, createdAt: isoDateTime })),
  /** What this kind of item can be decided as. */
  outcomes: z.array(z.enum(DECISION_OUTCOMES)),
  /** The escalation ladder's next step for the person, from their active strikes. */
  suggested: z.nullable(ladderStepView),
  /** Whether the caller may decide it (not their own, not a colleague's for a reviewer …), and why not. */
  canDecide: z.boolean(),
  cannotDecideReason: z.nullable(z.string()),
})
export type ItemView = z.infer<typeof itemView>

export const myAppealView = z.object({
  id: z.string(),
  decisionId: z.string(),
  state: z.enum(APPEAL_STATES),
  stateLabel: z.string(),
  text: z.string(),
  reason: z.nullable(z.string()),
  /** What overturning did, as told to the person. */
  effects: z.array(z.string()),
  createdAt: isoDateTime,
  decidedAt: z.nullable(isoDateTime),
})
export type MyAppealView = z.infer<typeof myAppealView>


const reviewableId = id
const facts = z.string().check(z.trim(), z.minLength(4, '请写明事实（至少4个字），用户会看到这段说明'), z.maxLength(500, '最多500个字'))

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
  report: action({
    summary: '举报名片、活动、文章或用户资料：同一人对同一对象再次举报会更新原举报',
    access: 'signedIn',
    input: z.strictObject({
      kind: z.enum(REPORT_TARGET_KINDS),
      targetId: id,
      /** `author`: the person who published the card, activity or article (their profile), rather than the content. */
      about: z.optional(z.enum(['content', 'author'])),
      category: z.enum(REPORT_CATEGORIES),
      comment: z.optional(z.string().check(z.trim(), z.maxLength(REPORT_COMMENT_MAX, `补充说明最多 ${REPORT_COMMENT_MAX} 个字`))),
    }),
    output: z.object({ report: myReportView, updated: z.boolean() }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'CONTENT_REFUSED', 'CONFLICT'],
  }),
  myReports: action({
    summary: '我的举报及处理结果（最新在前）',
    access: 'signedIn',
    terms: 'exempt',
    states: PENALTY_STATES,
    input: z.strictObject({ ...pageInput }),
    output: z.object({ reports: z.array(myReportView), nextCursor }),
    errors: [],
  }),
  queue: action({
    summary: '审核队列：可按来源、类型、类别、状态筛选；紧急类别优先，其次举报分数，再次等待时间',
    access: 'reviewer',
    input: z.strictObject({
      queue: z.optional(z.enum(QUEUES)),
      kind: z.optional(z.enum(REVIEW_KINDS)),
      category: z.optional(z.enum(REPORT_CATEGORIES)),
      state: z.optional(z.enum(REVIEW_STATES)),
      ...pageInput,
    }),
    /** `counts`: open items per queue, with the first page (empty on later pages). */
    output: z.object({ items: z.array(queueRow), nextCursor, counts: z.array(queueCount) }),
    errors: [],
  }),
  item: action({
    summary: '查看待审核事项的详情：内容、历史、举报、当事人记录（记录查看原因，并向当事人公开）',
    access: 'reviewer',
    input: z.strictObject({ reviewableId, reason: staffReason }),
    output: z.object({ item: itemView }),
    errors: ['NOT_FOUND'],
  }),
  claim: action({
    summary: '认领待审核事项（15 分钟内其他审核员不能处理）',
    access: 'reviewer',
    input: z.strictObject({ reviewableId }),
    output: z.object({ item: queueRow }),
    errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN'],
  }),
  release: action({
    summary: '放弃认领，让其他审核员处理',
    access: 'reviewer',
    input: z.strictObject({ reviewableId }),
    output: z.object({ item: queueRow }),
    errors: ['NOT_FOUND'],
  }),
  decide: action({
    summary: '作出审核决定并写明理由：通过或删除内容，可同时警告、限制功能、暂停、冻结或（管理员）终止账号',
    access: 'reviewer',
    input: z.strictObject({
      reviewableId,
      outcome: z.enum(DECISION_OUTCOMES),
      /** For content: the gate decision shown by moderation.item (an edit since then refuses the decision). */
      moderationDecisionId: z.optional(z.nullable(id)),
      category: z.optional(z.enum(REPORT_CATEGORIES)),
      rule: z.optional(z.enum(RULE_IDS)),
      /** The facts for the statement of reasons, or the note of a decision that finds nothing. */
      facts: z.optional(facts),
      accountAction: z.optional(z.enum(ACCOUNT_ACTIONS)),
      /** End of a restriction or suspension. */
      until: z.optional(isoDateTime),
      features: z.optional(z.array(z.enum(FEATURES)).check(z.minLength(1), z.maxLength(FEATURES.length))),
      /** Why the account action differs from the escalation ladder's suggestion. */
      deviationReason: z.optional(staffReason),
      /** An accepted birth-date correction of an account not yet verified: the checked date. */
      correctedBirthDate: z.optional(calendarDate),
    }),
    output: z.object({ decision: staffDecisionView }),
    errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'TRANSITION_NOT_ALLOWED', 'END_TIME_REQUIRED', 'REASON_REQUIRED'],
  }),
  appeal: action({
    summary: '对处理决定提出申诉（每项决定一次，14 天内），由未参与原决定的审核员复核',
    access: 'signedIn',
    terms: 'exempt',
    states: PENALTY_STATES,
    input: z.strictObject({
      decisionId: id,
      text: z.string().check(z.trim(), z.minLength(5, '请说明申诉理由（至少5个字）'), z.maxLength(APPEAL_TEXT_MAX, `申诉理由最多 ${APPEAL_TEXT_MAX} 个字`)),
    }),
    output: z.object({ appeal: myAppealView }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'APPEAL_CLOSED', 'ALREADY_APPEALED', 'CONTENT_REFUSED'],
  }),
  decideAppeal: action({
    summary: '复核申诉：维持或撤销原决定（作出原决定的审核员不能复核；终止服务的申诉由管理员复核）',
    access: 'reviewer',
    input: z.strictObject({ appealId: id, outcome: z.enum(['uphold', 'overturn']), reason: staffReason }),
    output: z.object({ appeal: myAppealView }),
    errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN'],
  }),
  myDecisions: action({
    summary: '我的违规记录：处理决定及理由、违规计分（生效、过期、已撤销）和申诉进度',
    access: 'signedIn',
    terms: 'exempt',
    states: PENALTY_STATES,
    input: z.strictObject({ ...pageInput }),
    output: z.object({ decisions: z.array(conductDecisionView), activeStrikes: z.number(), nextCursor }),
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

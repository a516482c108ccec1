/**
 * The staff side of moderation, as pure rules both sides share: what can be
 * reported and why, the queues reviewers work through and their order, the
 * clauses of the user agreement a decision can cite, the escalation ladder
 * suggested from a person's active strikes, and how much one report weighs.
 * Zod-free, so the mini-program can label with it.
 */
import type { Feature } from './rules/lifecycle'

// ---- Reports (举报) ----------------------------------------------------------------------

/** What can be reported: published content, or a person's profile (nickname and avatar). */
export const REPORT_TARGET_KINDS = ['card', 'activity', 'article', 'account'] as const
export type ReportTargetKind = (typeof REPORT_TARGET_KINDS)[number]

export const REPORT_TARGET_LABELS: Record<ReportTargetKind, string> = {
  card: '名片',
  activity: '活动',
  article: '文章',
  account: '用户资料（昵称、头像）',
}

export const REPORT_CATEGORIES = ['spam', 'fraud', 'porn', 'abuse', 'illegal', 'minors', 'privacy', 'impersonation', 'infringement', 'other'] as const
export type ReportCategory = (typeof REPORT_CATEGORIES)[number]

export const REPORT_CATEGORY_LABELS: Record<ReportCategory, string> = {
  spam: '广告或垃圾信息',
  fraud: '诈骗',
  porn: '色情低俗',
  abuse: '辱骂或骚扰',
  illegal: '违法犯罪',
  minors: '危害未成年人',
  privacy: '泄露他人隐私',
  impersonation: '冒充他人',
  infringement: '侵犯权益（版权、肖像、名誉等）',
  other: '其他',
}

/** Categories that go to the front of the queue whatever their score: harm that grows by the hour. */
export const URGENT_CATEGORIES: ReadonlySet<ReportCategory> = new Set<ReportCategory>(['illegal', 'minors', 'privacy'])

/** A report's optional comment (read by staff only, never published). */
export const REPORT_COMMENT_MAX = 200
/** Reports (new or changed) one person may file per Beijing day. */
export const REPORT_DAILY_LIMIT = 30

/** What a reporter is told once the target was decided; never the penalty given to someone else. */
export const REPORT_OUTCOMES = ['open', 'upheld', 'rejected'] as const
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number]

export const REPORT_OUTCOME_LABELS: Record<ReportOutcome, string> = {
  open: '处理中',
  upheld: '已处理',
  rejected: '未发现违规',
}

/**
 * How much one report counts towards hiding its target: a verified reporter
 * more than an unverified one; a reporter whose reports were upheld more, one
 * whose reports were rejected less — bounded, so nobody's word alone can hide
 * content and nobody's word counts for nothing.
 */
export function reporterWeight(facts: { verified: boolean; upheld: number; rejected: number }): number {
  const base = facts.verified ? 1 : 0.5
  const record = Math.min(2, Math.max(0.5, 1 + 0.1 * facts.upheld - 0.2 * facts.rejected))
  return Math.round(base * record * 100) / 100
}

/** The score at which reported public content is hidden until a reviewer decides (LECHAT_REPORT_HIDE_THRESHOLD). */
export const DEFAULT_HIDE_THRESHOLD = 3

// ---- The review queue -------------------------------------------------------------------

/**
 * What a reviewable is about: content (the kinds the gate decides on), a
 * person's profile, an impersonation report, a correction request, an appeal.
 */
export const REVIEW_KINDS = ['card', 'activity', 'article', 'nickname', 'avatar', 'account', 'impersonation', 'correction', 'appeal'] as const
export type ReviewKind = (typeof REVIEW_KINDS)[number]

export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  card: '名片',
  activity: '活动',
  article: '文章',
  nickname: '新昵称',
  avatar: '新头像',
  account: '用户资料',
  impersonation: '冒用身份申诉',
  correction: '信息更正申请',
  appeal: '处理申诉',
}

/** Kinds whose reviewable is about something published (the gate's decision on it can be approved or removed). */
export const CONTENT_REVIEW_KINDS = ['card', 'activity', 'article', 'nickname', 'avatar'] as const
export type ContentReviewKind = (typeof CONTENT_REVIEW_KINDS)[number]

export function isContentReviewKind(kind: ReviewKind): kind is ContentReviewKind {
  return (CONTENT_REVIEW_KINDS as readonly string[]).includes(kind)
}

/** What brought an item to the queue; one item may have several. */
export const REVIEW_SOURCES = ['gate', 'report', 'impersonation', 'correction', 'appeal'] as const
export type ReviewSource = (typeof REVIEW_SOURCES)[number]

export const REVIEW_SOURCE_LABELS: Record<ReviewSource, string> = {
  gate: '自动审核待复核',
  report: '用户举报',
  impersonation: '冒用身份申诉',
  correction: '信息更正',
  appeal: '申诉',
}

/** The queues of the 工作台: every reviewable is in exactly one. */
export const QUEUES = ['held', 'reports', 'identity', 'appeals'] as const
export type Queue = (typeof QUEUES)[number]

export const QUEUE_LABELS: Record<Queue, string> = {
  held: '待复核内容',
  reports: '举报',
  identity: '身份与更正',
  appeals: '申诉',
}

/** The queue an item belongs to: reports outrank the gate's hold (they come from people), identity and appeals have their own. */
export function queueOf(kind: ReviewKind, sources: readonly ReviewSource[]): Queue {
  if (kind === 'appeal') return 'appeals'
  if (kind === 'impersonation' || kind === 'correction') return 'identity'
  return sources.includes('report') ? 'reports' : 'held'
}

export const REVIEW_STATES = ['open', 'resolved'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]

/** A claim keeps other reviewers off an item this long. */
export const CLAIM_MS = 15 * 60 * 1000

/**
 * The queue's order as one string that sorts ascending: urgent categories
 * first, then the higher score, then the older item, then the id (a stable
 * tie-breaker). Scores are kept in hundredths.
 */
export function rankKey(facts: { urgent: boolean; score: number; createdAt: Date; id: string }): string {
  const score = Math.max(0, Math.min(999_999, Math.round(facts.score * 100)))
  return `${facts.urgent ? 0 : 1}${String(999_999 - score).padStart(6, '0')}${String(facts.createdAt.getTime()).padStart(15, '0')}:${facts.id}`
}

// ---- Decisions ------------------------------------------------------------------------

/**
 * What a reviewer decides. On content: approve (publish; its reports were
 * unfounded) or remove (hidden for good). On a person: dismiss (nothing
 * found), remove (nickname and avatar reset) or sanction (an action on the
 * account alone). Impersonation: confirm or reject. Corrections: accept or
 * reject. An outcome against someone may come with an action on their account.
 */
export const DECISION_OUTCOMES = ['approve', 'remove', 'dismiss', 'sanction', 'confirm', 'reject', 'accept'] as const
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number]

export const OUTCOMES_BY_KIND: Record<Exclude<ReviewKind, 'appeal'>, readonly DecisionOutcome[]> = {
  card: ['approve', 'remove'],
  activity: ['approve', 'remove'],
  article: ['approve', 'remove'],
  nickname: ['approve', 'remove'],
  avatar: ['approve', 'remove'],
  account: ['dismiss', 'remove', 'sanction'],
  impersonation: ['confirm', 'reject'],
  correction: ['accept', 'reject'],
}

export const DECISION_OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  approve: '通过（未发现违规）',
  remove: '删除/屏蔽',
  dismiss: '未发现违规',
  sanction: '处理账号',
  confirm: '确认冒用',
  reject: '驳回',
  accept: '同意更正',
}

/** Outcomes that find against the person concerned: they carry a statement of reasons, a strike, and can be appealed. */
export const ADVERSE_OUTCOMES: ReadonlySet<DecisionOutcome> = new Set<DecisionOutcome>(['remove', 'sanction', 'confirm'])

/** Actions on the person's account that may come with a decision. */
export const ACCOUNT_ACTIONS = ['none', 'warn', 'restrict', 'suspend', 'freeze', 'terminate'] as const
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number]

export const ACCOUNT_ACTION_LABELS: Record<AccountAction, string> = {
  none: '不处理账号',
  warn: '警告',
  restrict: '限制功能',
  suspend: '暂停使用',
  freeze: '冻结账号',
  terminate: '终止服务',
}

/** Actions that take an end time. */
export const TIMED_ACTIONS: ReadonlySet<AccountAction> = new Set<AccountAction>(['restrict', 'suspend'])

/**
 * The clauses of the user agreement a decision can cite, with the words of the
 * agreement (a test checks each stands in legal/templates/user-agreement.md).
 */
export const RULES = {
  law: { clause: '第四条', text: '违反法律法规，危害国家安全、公共秩序或社会公德' },
  impersonation: { clause: '第四条', text: '冒充他人或某个机构，或者虚构身份、职务、公司、资质' },
  rights: { clause: '第四条', text: '侵犯他人的名誉、肖像、隐私、知识产权等合法权益' },
  personalInfo: { clause: '第四条', text: '未经他人同意，发布他人的手机号、住址、证件号等个人信息' },
  fraud: { clause: '第四条', text: '用于诈骗、传销、赌博、非法集资、虚假招聘，或者发布色情、暴力、恐怖等内容' },
  harassment: { clause: '第四条', text: '骚扰他人，或者大量发送广告、垃圾信息' },
  activityAbuse: { clause: '第四条', text: '借活动名义组织违法活动，或者向报名者收取不正当费用' },
  circumvention: { clause: '第四条', text: '用程序批量抓取名片等信息，干扰本平台正常运行，或者设法绕过审核和安全措施' },
  accountLending: { clause: '第二条第4款', text: '账号不得出借、出租、转让或出售' },
  realIdentity: { clause: '第三条', text: '不得冒用他人身份或提供虚假信息' },
} as const satisfies Record<string, { clause: string; text: string }>
export type RuleId = keyof typeof RULES
export const RULE_IDS = Object.keys(RULES) as RuleId[]

export function ruleLabel(rule: RuleId): string {
  return `《用户协议》${RULES[rule].clause}：${RULES[rule].text}`
}

/** The clause a category usually breaks: the decide form's default. */
export const DEFAULT_RULE: Record<ReportCategory, RuleId> = {
  spam: 'harassment',
  fraud: 'fraud',
  porn: 'fraud',
  abuse: 'harassment',
  illegal: 'law',
  minors: 'law',
  privacy: 'personalInfo',
  impersonation: 'impersonation',
  infringement: 'rights',
  other: 'law',
}

/** Strikes count for this many days (LECHAT_STRIKE_DAYS). */
export const DEFAULT_STRIKE_DAYS = 90
/** A decision can be appealed within this many days. */
export const APPEAL_DAYS = 14
export const APPEAL_TEXT_MAX = 500

/** One step of the escalation ladder: what the next decision against someone with this many active strikes should be. */
export interface LadderStep {
  action: AccountAction
  /** For timed actions: how long. */
  days: number | null
  /** For a restriction: which features. */
  features: readonly Feature[]
  label: string
}

/** warn → a 7-day publishing ban → a 30-day suspension → termination (proposed; an admin decides). */
export const LADDER: readonly LadderStep[] = [
  { action: 'warn', days: null, features: [], label: '警告' },
  { action: 'restrict', days: 7, features: ['publish'], label: '禁止发布内容 7 天' },
  { action: 'suspend', days: 30, features: [], label: '暂停使用 30 天' },
  { action: 'terminate', days: null, features: [], label: '建议终止服务（由管理员决定）' },
]

/** The step the ladder suggests for someone with `activeStrikes` strikes in force before this decision. */
export function suggestedStep(activeStrikes: number): LadderStep {
  const index = Math.min(Math.max(0, activeStrikes), LADDER.length - 1)
  return LADDER[index] as LadderStep
}

// ---- Appeals ----------------------------------------------------------------------------

export const APPEAL_STATES = ['open', 'upheld', 'overturned'] as const
export type AppealState = (typeof APPEAL_STATES)[number]

export const APPEAL_STATE_LABELS: Record<AppealState, string> = {
  open: '复核中',
  upheld: '维持原决定',
  overturned: '已撤销原决定',
}

export const STRIKE_STATES = ['active', 'expired', 'overruled'] as const
export type StrikeState = (typeof STRIKE_STATES)[number]

export const STRIKE_STATE_LABELS: Record<StrikeState, string> = {
  active: '生效中',
  expired: '已过期',
  overruled: '已撤销',
}

/** Where a person reads their decisions and appeals (我的 → 违规记录与申诉). */
export const CONDUCT_PAGE = '/packageAccount/pages/conduct/index'

/** How to appeal, wherever a staff decision is told. */
export const APPEAL_HINT = `如对处理有异议，可在决定作出后 ${APPEAL_DAYS} 天内，到「我的 → 违规记录与申诉」提出申诉，由未参与原决定的工作人员复核。`

// ---- Publishing rate limits -----------------------------------------------------------

/**
 * How often one person may publish or change public things per Beijing day:
 * enough for anyone using the product, too few to flood lists or to spend
 * WeChat's content-check quota for everyone.
 */
export const DAILY_LIMITS = {
  activity: 20,
  article: 30,
  card: 30,
  nickname: 10,
  avatar: 10,
  report: REPORT_DAILY_LIMIT,
  upload: 100,
} as const
export type LimitedAction = keyof typeof DAILY_LIMITS

export const LIMITED_ACTION_LABELS: Record<LimitedAction, string> = {
  activity: '发布或修改活动',
  article: '发布或修改文章',
  card: '保存名片',
  nickname: '修改昵称',
  avatar: '更换头像',
  report: '举报',
  upload: '上传图片',
}

// ---- What the automated checks found, in report categories ------------------------------

/** Lexicon categories (shared/moderation/lexicon.ts), the gate's own labels, and WeChat's label codes → a report category. */
const FINDING_CATEGORIES: Record<string, ReportCategory> = {
  ad: 'spam',
  spam: 'spam',
  politics: 'other',
  porn: 'porn',
  vulgar: 'porn',
  abuse: 'abuse',
  illegal: 'illegal',
  fraud: 'fraud',
  other: 'other',
  personalData: 'privacy',
  '10001': 'spam',
  '20001': 'other',
  '20002': 'porn',
  '20003': 'abuse',
  '20006': 'illegal',
  '20008': 'fraud',
  '20012': 'porn',
  '20013': 'infringement',
  '21000': 'other',
}

/** The report categories of a gate decision's findings (their labels), without repeats. */
export function categoriesOfLabels(labels: ReadonlyArray<string | number>): ReportCategory[] {
  const found = labels.map((label) => FINDING_CATEGORIES[String(label)]).filter((c): c is ReportCategory => c !== undefined)
  return [...new Set(found)]
}

/**
 * What can be published or sent, and the states moderation puts it in, with
 * their Chinese labels: plain data that the functions' logic reads (the
 * contract's schemas are built from it in shared/contract/content.ts and
 * moderation.ts), so that reading a label never brings a schema along.
 */

/** Published content: a document shows its decision (`moderation`), and it may be held for people or its images. */
export const PUBLISHED_KINDS = ['card', 'activity', 'article', 'nickname', 'avatar', 'clientLogo'] as const
export type PublishedKind = (typeof PUBLISHED_KINDS)[number]

/**
 * Text that is never published: a message one user sends another (a card
 * exchange request's message), or text only staff read (a report's comment,
 * an appeal). Never held, and no document shows its decision, so the decision
 * is only a record; nothing writes a verdict onto its target. A message to a
 * person is refused unless clean; text for staff is refused only when it must
 * be, and otherwise kept with its findings for the reviewer.
 */
export const MESSAGE_KINDS = ['exchangeMessage', 'reportComment', 'appealText'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** Messages that reach another user: anything but a clean pass refuses them. */
export function refusedUnlessClean(kind: MessageKind): boolean {
  return kind === 'exchangeMessage'
}

/** Every kind of text or image the moderation gate decides on. */
export const CONTENT_KINDS = [...PUBLISHED_KINDS, ...MESSAGE_KINDS] as const
export type ContentKind = (typeof CONTENT_KINDS)[number]

export function isMessageKind(kind: ContentKind): kind is MessageKind {
  return MESSAGE_KINDS.some((k) => k === kind)
}

export const MODERATION_STATES = ['published', 'pendingReview', 'pendingImages', 'reported', 'rejected'] as const
export type ModerationState = (typeof MODERATION_STATES)[number]

export const MODERATION_STATE_LABELS: Record<ModerationState, string> = {
  published: '已发布',
  pendingReview: '审核中：需要人工复审，通过前只有你能看到',
  pendingImages: '审核中：图片安全检查进行中，通过前只有你能看到',
  reported: '因被举报暂时隐藏，等待审核',
  rejected: '未通过审核：已对他人隐藏',
}

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
  clientLogo: '接入应用图标',
  exchangeMessage: '交换名片留言',
  reportComment: '举报说明',
  appealText: '申诉理由',
}

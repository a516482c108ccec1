/**
 * What every published thing (card, activity, article, nickname, avatar, a
 * login-service client's logo) shares: where
 * it stands in moderation. Text that the gate refuses outright is never stored
 * (the call fails with CONTENT_REFUSED and field issues); what is stored is
 * published, held for a person or for the image check, or taken down.
 */
import * as z from 'zod/mini'

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

/** As the author sees it; others only ever see published content. */
export const moderationView = z.object({
  state: z.enum(MODERATION_STATES),
  label: z.string(),
  /** Why it is held or was taken down, in Chinese; empty when published. */
  reasons: z.array(z.string()),
})
export type ModerationView = z.infer<typeof moderationView>

/** Images are files the client uploaded to cloud storage first. */
export const imageFileId = z.string().check(
  z.maxLength(512, '图片地址过长'),
  z.refine((s) => /^cloud:\/\/\S+$/.test(s), '图片必须先上传到云存储'),
)

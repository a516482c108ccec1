/**
 * What every published thing (card, activity, article, nickname, avatar) shares: where
 * it stands in moderation. Text that the gate refuses outright is never stored
 * (the call fails with CONTENT_REFUSED and field issues); what is stored is
 * published, held for a person or for the image check, or taken down.
 */
import * as z from 'zod/mini'

/** Published content: a document shows its decision (`moderation`), and it may be held for people or its images. */
export const PUBLISHED_KINDS = ['card', 'activity', 'article', 'nickname', 'avatar'] as const
export type PublishedKind = (typeof PUBLISHED_KINDS)[number]

/**
 * Text one user sends another (a card exchange request's message): never held —
 * anything but a clean pass refuses it — and no document shows its decision, so
 * the decision is only a record; nothing writes a verdict onto its target.
 */
export const MESSAGE_KINDS = ['exchangeMessage'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** Every kind of text or image the moderation gate decides on. */
export const CONTENT_KINDS = [...PUBLISHED_KINDS, ...MESSAGE_KINDS] as const
export type ContentKind = (typeof CONTENT_KINDS)[number]

export function isMessageKind(kind: ContentKind): kind is MessageKind {
  return MESSAGE_KINDS.some((k) => k === kind)
}

export const MODERATION_STATES = ['published', 'pendingReview', 'pendingImages', 'rejected'] as const
export type ModerationState = (typeof MODERATION_STATES)[number]

export const MODERATION_STATE_LABELS: Record<ModerationState, string> = {
  published: '已发布',
  pendingReview: '审核中：需要人工复审，通过前只有你能看到',
  pendingImages: '审核中：图片安全检查进行中，通过前只有你能看到',
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

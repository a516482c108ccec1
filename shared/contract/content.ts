/**
 * What every published thing (card, activity, article, nickname, avatar) shares: where
 * it stands in moderation. Text that the gate refuses outright is never stored
 * (the call fails with CONTENT_REFUSED and field issues); what is stored is
 * published, held for a person or for the image check, or taken down.
 */
import * as z from 'zod/mini'

export const CONTENT_KINDS = ['card', 'activity', 'article', 'nickname', 'avatar'] as const
export type ContentKind = (typeof CONTENT_KINDS)[number]

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

/**
 * What every published thing (card, activity, article, nickname, avatar, a
 * login-service client's logo) shares: where
 * it stands in moderation. Text that the gate refuses outright is never stored
 * (the call fails with CONTENT_REFUSED and field issues); what is stored is
 * published, held for a person or for the image check, or taken down.
 */
import * as z from 'zod/mini'
import { MODERATION_STATES } from '../content'

export {
  CONTENT_KINDS,
  isMessageKind,
  MESSAGE_KINDS,
  MODERATION_STATE_LABELS,
  MODERATION_STATES,
  PUBLISHED_KINDS,
  refusedUnlessClean,
  type ContentKind,
  type MessageKind,
  type ModerationState,
  type PublishedKind,
} from '../content'

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

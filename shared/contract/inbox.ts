import * as z from 'zod/mini'
import { PENALTY_STATES } from '../account'
import { MESSAGE_TYPES } from '../inbox'
import { id, isoDateTime, nextCursor, pageInput } from './common'
import { action } from './define'

export const messageView = z.object({
  id: z.string(),
  type: z.enum(MESSAGE_TYPES),
  title: z.string(),
  body: z.string(),
  /** A mini-program page path to open, e.g. /pages/legal/doc?docId=privacy-policy */
  link: z.nullable(z.string()),
  read: z.boolean(),
  createdAt: isoDateTime,
})
export type MessageView = z.infer<typeof messageView>

export const inbox = {
  list: action({
    summary: '我的站内信（最新在前）',
    access: 'signedIn',
    terms: 'exempt',
    // A penalty must not cut a person off from being told about it.
    states: PENALTY_STATES,
    input: z.strictObject({ ...pageInput }),
    output: z.object({ messages: z.array(messageView), nextCursor, unread: z.number() }),
    errors: [],
  }),
  unreadCount: action({
    summary: '未读站内信数量（角标）',
    access: 'signedIn',
    terms: 'exempt',
    states: PENALTY_STATES,
    input: z.strictObject({}),
    output: z.object({ unread: z.number() }),
    errors: [],
  }),
  markRead: action({
    summary: '标记站内信为已读（指定几条或全部）',
    access: 'signedIn',
    terms: 'exempt',
    states: PENALTY_STATES,
    input: z
      .strictObject({ ids: z.optional(z.array(id).check(z.minLength(1), z.maxLength(50))), all: z.optional(z.literal(true)) })
      .check(z.refine((v) => (v.ids === undefined) !== (v.all === undefined), '请指定要标记的消息，或选择全部')),
    output: z.object({ unread: z.number() }),
    errors: [],
  }),
  subscribe: action({
    summary: '记录我同意接收的微信订阅消息（每次同意可推送一条）',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({ accepted: z.array(z.enum(MESSAGE_TYPES)).check(z.minLength(1), z.maxLength(MESSAGE_TYPES.length)) }),
    output: z.object({ credits: z.record(z.enum(MESSAGE_TYPES), z.number()) }),
    errors: [],
  }),
}

/**
 * The in-app inbox (站内信), used by every domain to tell a person something.
 * The message is always written; when the person has granted a WeChat
 * subscribe-message credit for its type and the operator configured a
 * template, it is pushed too. A failed push never costs the inbox message.
 */
import { createHash } from 'node:crypto'
import { MESSAGE_TYPES, type MessageType } from '../../shared/inbox'
import { COLLECTIONS } from './collections'
import type { Context } from './context'
import type { Collection, Doc, Store } from './db'
import { isDuplicateKey } from './errors'
import { templateData } from './subscribe-template'

export interface InboxMessageDoc extends Doc {
  recipient: string
  type: MessageType
  title: string
  body: string
  link: string | null
  dedupeKey: string | null
  readAt: Date | null
  createdAt: Date
}

/** Remaining subscribe-message credits per type: WeChat allows one push per acceptance. */
export interface SubscriptionDoc extends Doc {
  openid: string
  credits: Record<MessageType, number>
  updatedAt: Date
}

export interface OutgoingMessage {
  recipient: string
  type: MessageType
  title: string
  body: string
  link?: string | null
  /** Messages with the same key reach a recipient once (e.g. `legal:privacy-policy@2`). */
  dedupeKey?: string | null
}

export function inboxMessages(db: Store): Collection<InboxMessageDoc> {
  return db.collection<InboxMessageDoc>(COLLECTIONS.inboxMessages)
}

export function subscriptions(db: Store): Collection<SubscriptionDoc> {
  return db.collection<SubscriptionDoc>(COLLECTIONS.subscriptions)
}

/**
 * A deduplicated message's _id derives from (recipient, key), so the _id's own
 * uniqueness makes delivery idempotent. (A unique index on (recipient,
 * dedupeKey) would be refused in CloudBase for the many messages whose key is null.)
 */
export function dedupeIdOf(recipient: string, dedupeKey: string): string {
  return `dk-${createHash('sha256').update(`${recipient}\u0000${dedupeKey}`, 'utf8').digest('hex').slice(0, 40)}`
}

export function emptyCredits(): Record<MessageType, number> {
  return Object.fromEntries(MESSAGE_TYPES.map((t) => [t, 0])) as Record<MessageType, number>
}

export interface NotifyResult {
  id: string
  /** False when a message with the same dedupe key had already reached the recipient. */
  delivered: boolean
  pushed: boolean
}

export async function notify(ctx: Context, message: OutgoingMessage): Promise<NotifyResult> {
  const dedupeKey = message.dedupeKey ?? null
  const doc: Omit<InboxMessageDoc, '_id'> & { _id?: string } = {
    recipient: message.recipient,
    type: message.type,
    title: message.title,
    body: message.body,
    link: message.link ?? null,
    dedupeKey,
    readAt: null,
    createdAt: ctx.now,
  }
  if (dedupeKey !== null) doc._id = dedupeIdOf(message.recipient, dedupeKey)
  let id: string
  try {
    id = await inboxMessages(ctx.db).add(doc)
  } catch (error) {
    if (dedupeKey !== null && isDuplicateKey(error)) return { id: dedupeIdOf(message.recipient, dedupeKey), delivered: false, pushed: false }
    throw error
  }
  return { id, delivered: true, pushed: await push(ctx, id, doc) }
}

/** Sends only the deduplicated messages not yet delivered: one read when all are there already (the usual case). */
export async function notifyMissing(ctx: Context, messages: ReadonlyArray<OutgoingMessage & { dedupeKey: string }>): Promise<void> {
  if (messages.length === 0) return
  const ids = messages.map((m) => dedupeIdOf(m.recipient, m.dedupeKey))
  const present = await inboxMessages(ctx.db).find({ _id: ctx.db.cmd.in(ids) }, { limit: ids.length, fields: { _id: true } })
  const have = new Set(present.map((m) => m._id))
  for (const [index, message] of messages.entries()) if (!have.has(ids[index] ?? '')) await notify(ctx, message)
}

async function push(ctx: Context, id: string, message: Omit<InboxMessageDoc, '_id'>): Promise<boolean> {
  const template = ctx.config.subscribeTemplates[message.type]
  if (!template) return false
  const field = `credits.${message.type}`
  // Take one credit atomically: two pushes never spend the same acceptance.
  const taken = await subscriptions(ctx.db).updateWhere(
    { openid: message.recipient, [field]: ctx.db.cmd.gt(0) },
    { [field]: ctx.db.cmd.inc(-1), updatedAt: ctx.now },
  )
  if (taken === 0) return false
  try {
    await ctx.openApi.sendSubscribeMessage({
      touser: message.recipient,
      templateId: template.id,
      // Subscribe-message pages are given without the leading slash.
      page: (message.link ?? '/pages/inbox/index').replace(/^\//, ''),
      data: templateData(template.fields, message),
    })
    return true
  } catch (error) {
    // The credit stays spent: WeChat's refusals (e.g. the user revoked the subscription) would refuse again.
    ctx.log.error('subscribe message not sent; the inbox message is kept', { requestId: ctx.requestId, messageId: id, error: String(error) })
    return false
  }
}

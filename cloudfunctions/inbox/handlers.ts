import type { MessageView } from '../../shared/contract/inbox'
import type { MessageType } from '../../shared/inbox'
import { loadAndDeliver } from '../_core/consent/status'
import type { Context } from '../_core/context'
import { defineFunction } from '../_core/define'
import { isDuplicateKey } from '../_core/errors'
import { emptyCredits, inboxMessages, subscriptions, type InboxMessageDoc } from '../_core/inbox'
import { inbox as inboxContract } from '../../shared/contract/inbox'
import { after, decodeCursor, newestFirst, nextOf } from '../_core/cursor'

const PAGE = 20

function toView(m: InboxMessageDoc): MessageView {
  return { id: m._id, type: m.type, title: m.title, body: m.body, link: m.link, read: m.readAt !== null, createdAt: m.createdAt.toISOString() }
}

function unreadOf(ctx: Context): Promise<number> {
  return inboxMessages(ctx.db).count({ recipient: ctx.openid, readAt: null })
}

export const inboxFunction = defineFunction('inbox', inboxContract, {
  async list({ cursor, limit }, ctx) {
    await loadAndDeliver(ctx, ctx.account)
    const size = limit ?? PAGE
    // Newest first, ties broken by _id.
    const where = after(ctx.db, { recipient: ctx.openid }, 'createdAt', decodeCursor(cursor))
    const messages = await inboxMessages(ctx.db).find(where, { orderBy: newestFirst('createdAt'), limit: size })
    return { messages: messages.map(toView), nextCursor: nextOf(messages, size, (m) => m.createdAt), unread: await unreadOf(ctx) }
  },

  async unreadCount(_input, ctx) {
    return { unread: await unreadOf(ctx) }
  },

  async markRead({ ids }, ctx) {
    const _ = ctx.db.cmd
    // The recipient condition is what keeps someone else's ids from changing anything.
    const where: Record<string, unknown> = { recipient: ctx.openid, readAt: null }
    if (ids) where._id = _.in(ids)
    await inboxMessages(ctx.db).updateWhere(where, { readAt: ctx.now })
    return { unread: await unreadOf(ctx) }
  },

  async subscribe({ accepted }, ctx) {
    const types = [...new Set(accepted)]
    const patch: Record<string, unknown> = { updatedAt: ctx.now }
    for (const type of types) patch[`credits.${type}`] = ctx.db.cmd.inc(1)
    const subs = subscriptions(ctx.db)
    for (let attempt = 0; attempt < 2; attempt++) {
      if ((await subs.updateWhere({ openid: ctx.openid }, patch)) > 0) break
      const credits = emptyCredits()
      for (const type of types) credits[type] = 1
      try {
        await subs.add({ openid: ctx.openid, credits, updatedAt: ctx.now })
        break
      } catch (error) {
        // Created meanwhile by a parallel call: add to it instead.
        if (!isDuplicateKey(error)) throw error
      }
    }
    const stored = await subs.findOne({ openid: ctx.openid })
    const credits = emptyCredits()
    for (const type of Object.keys(credits) as MessageType[]) credits[type] = stored?.credits[type] ?? 0
    return { credits }
  },
})

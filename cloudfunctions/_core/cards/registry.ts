/**
 * The cards domain's rows of the erasure and export registries
 * (cloudfunctions/_core/erasure.ts, export.ts): what account deletion does to
 * each of its collections, and what each contributes to the person's copy of
 * their data. Other people's identifiers never go into a copy.
 */
import type { Context } from '../context'
import type { Collection, Doc, Where } from '../db'
import type { ErasureRule } from '../data-rules'
import type { ExportRule } from '../data-rules'
import { inboxMessages } from '../inbox'
import { CARD_COLLECTIONS, cards, cardSettings, exchanges, holder, visitCounts, visits, type CardDoc, type ExchangeDoc } from './store'

type Loose = Record<string, unknown>

/** Every document matching `where`, by _id, in pages of 100. */
async function all<T extends Doc>(ctx: Context, collection: Collection<T>, where: Record<string, unknown>): Promise<T[]> {
  const docs: T[] = []
  for (;;) {
    const last = docs.at(-1)
    const query: Where = last ? ctx.db.cmd.and(where, { _id: ctx.db.cmd.gt(last._id) }) : where
    const page = await collection.find(query, { orderBy: [['_id', 'asc']], limit: 100 })
    docs.push(...page)
    if (page.length < 100) return docs
  }
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : null
}

/** Hand-made or older documents may miss fields: export what is there. */
function cardRecord(doc: Partial<CardDoc> & Doc): Loose {
  return {
    id: doc._id,
    isDefault: doc.isDefault ?? null,
    name: doc.name ?? null,
    title: doc.title ?? null,
    company: doc.company ?? null,
    phone: doc.phone ?? null,
    email: doc.email ?? null,
    wechatId: doc.wechatId ?? null,
    address: doc.address ?? null,
    intro: doc.intro ?? null,
    avatarUrl: doc.avatarUrl ?? null,
    links: doc.links ?? [],
    visibility: doc.visibility ?? null,
    moderation: doc.moderation ? { state: doc.moderation.state, reasons: doc.moderation.reasons, decidedAt: iso(doc.moderation.decidedAt) } : null,
    hiddenForMissingConsent: doc.consentHidden ?? null,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  }
}

/**
 * The notices an exchange put in the other party's inbox — the request (with
 * the requester's card name) and the acceptance — all carry the dedupe key
 * `exchange:<exchange id>:…` (exchange.ts). Seen from the person being erased,
 * every such notice in the other party's inbox is one they caused: removed by
 * the key's prefix, as a range (the SDK has no prefix query; ';' follows ':').
 */
async function removeExchangeNotices(ctx: Context, exchange: ExchangeDoc, erased: string): Promise<void> {
  const other = exchange.fromOpenid === erased ? exchange.toOpenid : exchange.fromOpenid
  const { cmd } = ctx.db
  const prefix = `exchange:${exchange._id}:`
  await inboxMessages(ctx.db).removeWhere(cmd.and({ recipient: other, dedupeKey: cmd.gte(prefix) }, { dedupeKey: cmd.lt(`exchange:${exchange._id};`) }))
}

export const CARD_ERASURE_RULES: readonly ErasureRule[] = [
  {
    collection: CARD_COLLECTIONS.cards,
    title: '名片',
    treatment: 'delete',
    detail: '你的名片全部删除，扫码将看不到；别人名片夹里保存的你的名片显示为“已删除”。',
    count: (ctx, s) => cards(ctx.db).count({ ownerOpenid: s.openid }),
    erase: async (ctx, s) => void (await cards(ctx.db).removeWhere({ ownerOpenid: s.openid })),
  },
  {
    collection: CARD_COLLECTIONS.visits,
    title: '名片访问记录',
    treatment: 'delete',
    detail: '你看过别人名片的记录、别人看过你名片的记录都删除。',
    count: async (ctx, s) => (await visits(ctx.db).count({ viewerOpenid: s.openid })) + (await visits(ctx.db).count({ ownerOpenid: s.openid })),
    async erase(ctx, s) {
      await visits(ctx.db).removeWhere({ viewerOpenid: s.openid })
      await visits(ctx.db).removeWhere({ ownerOpenid: s.openid })
    },
  },
  {
    collection: CARD_COLLECTIONS.visitCounts,
    title: '名片每日访问量',
    treatment: 'delete',
    detail: '你的名片的每日访问量统计全部删除（统计中没有访客的身份）。',
    count: (ctx, s) => visitCounts(ctx.db).count({ ownerOpenid: s.openid }),
    erase: async (ctx, s) => void (await visitCounts(ctx.db).removeWhere({ ownerOpenid: s.openid })),
  },
  {
    collection: CARD_COLLECTIONS.holder,
    title: '名片夹（保存的名片、备注和标签）',
    treatment: 'delete',
    detail: '你的名片夹连同备注和标签全部删除。',
    count: (ctx, s) => holder(ctx.db).count({ ownerOpenid: s.openid }),
    erase: async (ctx, s) => void (await holder(ctx.db).removeWhere({ ownerOpenid: s.openid })),
  },
  {
    collection: CARD_COLLECTIONS.exchanges,
    title: '交换名片记录',
    treatment: 'delete',
    detail: '你发出和收到的交换请求全部删除，你的请求和同意在对方站内信中留下的通知也一并删除；对方从此看不到你名片中“交换后可见”的内容（你的名片本身也已删除）。',
    count: async (ctx, s) => (await exchanges(ctx.db).count({ fromOpenid: s.openid })) + (await exchanges(ctx.db).count({ toOpenid: s.openid })),
    async erase(ctx, s) {
      // The notices first: a run stopped half-way finds the exchanges, and with them the notices, again.
      for (const where of [{ fromOpenid: s.openid }, { toOpenid: s.openid }]) {
        for (const exchange of await all(ctx, exchanges(ctx.db), where)) await removeExchangeNotices(ctx, exchange, s.openid)
      }
      await exchanges(ctx.db).removeWhere({ fromOpenid: s.openid })
      await exchanges(ctx.db).removeWhere({ toOpenid: s.openid })
    },
  },
  {
    collection: CARD_COLLECTIONS.settings,
    title: '名片访问设置',
    treatment: 'delete',
    detail: '删除。',
    count: (ctx, s) => cardSettings(ctx.db).count({ ownerOpenid: s.openid }),
    erase: async (ctx, s) => void (await cardSettings(ctx.db).removeWhere({ ownerOpenid: s.openid })),
  },
]

export const CARD_EXPORT_RULES: readonly ExportRule[] = [
  {
    collection: CARD_COLLECTIONS.cards,
    async sections(ctx, a) {
      const docs = await all(ctx, cards(ctx.db), { ownerOpenid: a.openid })
      return [{ domain: 'cards', title: '我的名片', records: docs.map(cardRecord), note: null }]
    },
  },
  {
    collection: CARD_COLLECTIONS.visits,
    async sections(ctx, a) {
      const [mine, ofMine] = await Promise.all([all(ctx, visits(ctx.db), { viewerOpenid: a.openid }), all(ctx, visits(ctx.db), { ownerOpenid: a.openid })])
      const row = (v: (typeof mine)[number]): Loose => ({ cardId: v.cardId, day: v.day ?? null, visitedAt: iso(v.visitedAt) })
      return [
        { domain: 'cardVisits', title: '我看过的名片', records: mine.map(row), note: null },
        { domain: 'cardVisitors', title: '我的名片被查看的记录', records: ofMine.map(row), note: '查看者的身份属于他人的个人信息，不在本副本中。' },
      ]
    },
  },
  {
    collection: CARD_COLLECTIONS.visitCounts,
    async sections(ctx, a) {
      const docs = await all(ctx, visitCounts(ctx.db), { ownerOpenid: a.openid })
      return [
        {
          domain: 'cardVisitCounts',
          title: '我的名片每日访问量',
          records: docs.map((d) => ({ cardId: d.cardId, day: d.day, visitors: d.visitors, anonymous: d.anonymous })),
          note: null,
        },
      ]
    },
  },
  {
    collection: CARD_COLLECTIONS.holder,
    async sections(ctx, a) {
      const docs = await all(ctx, holder(ctx.db), { ownerOpenid: a.openid })
      return [
        {
          domain: 'cardHolder',
          title: '我的名片夹',
          records: docs.map((d) => ({ cardId: d.cardId, note: d.note, tags: d.tags, savedAt: iso(d.savedAt) })),
          note: '名片夹只记录名片编号和你的备注、标签；名片内容属于名片主人，请在小程序中查看。',
        },
      ]
    },
  },
  {
    collection: CARD_COLLECTIONS.exchanges,
    async sections(ctx, a) {
      const [sent, received] = await Promise.all([
        all(ctx, exchanges(ctx.db), { fromOpenid: a.openid }),
        all(ctx, exchanges(ctx.db), { toOpenid: a.openid }),
      ])
      const row = (e: (typeof sent)[number], outgoing: boolean): Loose => ({
        direction: outgoing ? '我发出的' : '我收到的',
        myCardId: outgoing ? e.fromCardId : e.toCardId,
        theirCardId: outgoing ? e.toCardId : e.fromCardId,
        status: e.status,
        message: e.message,
        createdAt: iso(e.createdAt),
        decidedAt: iso(e.decidedAt),
      })
      return [
        {
          domain: 'cardExchanges',
          title: '交换名片记录',
          records: [...sent.map((e) => row(e, true)), ...received.map((e) => row(e, false))],
          note: '对方的微信标识属于他人的个人信息，不在本副本中。',
        },
      ]
    },
  },
  {
    collection: CARD_COLLECTIONS.settings,
    async sections(ctx, a) {
      const docs = await all(ctx, cardSettings(ctx.db), { ownerOpenid: a.openid })
      return [
        {
          domain: 'cardSettings',
          title: '名片访问设置',
          records: docs.map((d) => ({ shareCardOnVisit: d.shareCardOnVisit, updatedAt: iso(d.updatedAt) })),
          note: null,
        },
      ]
    },
  },
]

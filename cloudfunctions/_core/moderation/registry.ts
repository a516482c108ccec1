/**
 * The moderation domain's rows of the erasure and export registries
 * (cloudfunctions/_core/erasure.ts, export.ts). Decisions are records of how
 * the platform handled content (kept, pseudonymized, for appeals and
 * regulators); image checks are working data (deleted); the lexicon is the
 * operator's and holds nobody's data.
 */
import { CONTENT_KIND_LABELS, DECISION_STATE_LABELS } from '../../../shared/content'
import type { ErasureRule } from '../data-rules'
import type { ExportRule, ExportSection } from '../data-rules'
import { collectAll } from '../paging'
import { COLLECTIONS } from '../collections'
import { decisions } from './decisions'
import { mediaChecks } from './media'
import type { ProfileAccount } from './targets'

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null)

export const MODERATION_ERASURE_RULES: readonly ErasureRule[] = [
  {
    collection: COLLECTIONS.moderationDecisions,
    title: '内容审核记录',
    treatment: 'pseudonymize',
    detail: '保留审核结论及其理由（用于申诉、复审和监管查询），其中你的微信标识替换为无法还原的编号；审核记录不含你发布的内容本身，其中的号码均已打码。',
    count: (ctx, s) => decisions(ctx.db).count({ authorOpenid: s.openid }),
    erase: async (ctx, s) => void (await decisions(ctx.db).updateWhere({ authorOpenid: s.openid }, { authorOpenid: s.pseudonym })),
  },
  {
    collection: COLLECTIONS.moderationMediaChecks,
    title: '图片安全检查记录',
    treatment: 'delete',
    detail: '全部删除；尚未返回的检查结果到达后将被忽略。',
    count: (ctx, s) => mediaChecks(ctx.db).count({ authorOpenid: s.openid }),
    erase: async (ctx, s) => void (await mediaChecks(ctx.db).removeWhere({ authorOpenid: s.openid })),
  },
  {
    collection: COLLECTIONS.moderationLexicons,
    title: '审核词库',
    treatment: 'none',
    detail: '运营方的审核词库，不含个人信息。',
    count: async () => 0,
    erase: async () => undefined,
  },
]

function section(domain: string, title: string, records: Array<Record<string, unknown>>, note: string | null = null): ExportSection {
  return { domain, title, records, note }
}

export const MODERATION_EXPORT_RULES: readonly ExportRule[] = [
  {
    collection: COLLECTIONS.moderationDecisions,
    async sections(ctx, account) {
      const mine = await collectAll(ctx.db, decisions(ctx.db), { authorOpenid: account.openid })
      const records = mine.map((d) => ({
        id: d._id,
        kind: d.kind,
        kindLabel: CONTENT_KIND_LABELS[d.kind],
        targetId: d.targetId,
        state: d.state,
        stateLabel: DECISION_STATE_LABELS[d.state],
        reasons: d.reasons,
        images: d.images,
        createdAt: d.createdAt.toISOString(),
        settledAt: iso(d.settledAt),
      }))
      const held = account as ProfileAccount
      const pending = held.pendingNickname
        ? [{ nickname: held.pendingNickname, state: held.nicknameModeration?.state ?? null, reasons: held.nicknameModeration?.reasons ?? [] }]
        : []
      const pendingAvatar = held.pendingAvatarUrl
        ? [{ avatarUrl: held.pendingAvatarUrl, state: held.avatarModeration?.state ?? null, reasons: held.avatarModeration?.reasons ?? [] }]
        : []
      return [
        section('moderation', '内容审核记录', records, '每次发布或修改内容（名片、活动、文章、昵称、头像）和每条交换名片留言的审核结论和理由；内容本身见各自的部分。'),
        section('pendingNickname', '等待审核的新昵称', pending),
        section('pendingAvatar', '等待审核的新头像', pendingAvatar),
      ]
    },
  },
  {
    collection: COLLECTIONS.moderationMediaChecks,
    async sections(ctx, account) {
      const checks = await collectAll(ctx.db, mediaChecks(ctx.db), { authorOpenid: account.openid })
      return [
        section(
          'moderationImages',
          '图片安全检查记录',
          checks.map((c) => ({ fileId: c.fileId, kind: c.kind, targetId: c.targetId, status: c.status, createdAt: c.createdAt.toISOString(), settledAt: iso(c.settledAt) })),
        ),
      ]
    },
  },
  { collection: COLLECTIONS.moderationLexicons, excluded: '运营方的审核词库，不含个人信息。' },
]

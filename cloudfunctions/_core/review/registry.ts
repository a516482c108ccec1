/**
 * The staff side's rows of the erasure and export registries (../erasure.ts,
 * ../export.ts). Decisions, reports and appeals are records of how the
 * platform handled someone (kept, pseudonymized, for appeals still running on
 * others' reports and for regulators); what a person wrote to staff (report
 * comments, appeal texts) and what a decision kept of removed content go.
 */
import type { ErasureRule } from '../data-rules'
import type { ExportRule } from '../data-rules'
import { collectAll, walk } from '../paging'
import { COLLECTIONS } from '../collections'
import { conductView, toMyReportView } from './notices'
import { appeals, reports, reviewables, reviewDecisions } from './store'

export const REVIEW_ERASURE_RULES: readonly ErasureRule[] = [
  {
    collection: COLLECTIONS.moderationReports,
    title: '举报记录',
    treatment: 'pseudonymize',
    detail: '你提交的举报保留类别和处理结果（其他人的处理决定以此为依据），你的补充说明删除，你的微信标识替换为无法还原的编号；别人对你的举报中，你的标识同样替换。',
    count: async (ctx, s) => (await reports(ctx.db).count({ reporterOpenid: s.openid })) + (await reports(ctx.db).count({ subject: s.openid })),
    async erase(ctx, s) {
      await reports(ctx.db).updateWhere({ reporterOpenid: s.openid }, { reporterOpenid: s.pseudonym, comment: '', commentFlags: ctx.db.cmd.set([]) })
      await reports(ctx.db).updateWhere({ subject: s.openid }, { subject: s.pseudonym })
    },
  },
  {
    collection: COLLECTIONS.moderationReviewables,
    title: '审核队列中与你有关的事项',
    treatment: 'pseudonymize',
    detail: '尚未处理的事项随内容一起结束；已处理的保留审核经过，你的微信标识替换为无法还原的编号。',
    count: (ctx, s) => reviewables(ctx.db).count({ subject: s.openid }),
    async erase(ctx, s) {
      await walk(ctx.db, reviewables(ctx.db), { subject: s.openid, state: 'open' }, '_id', async (item) => {
        await reviewables(ctx.db).updateWhere({ _id: item._id, state: 'open' }, { state: 'resolved', openKey: `${item.openKey}:${item._id}`, resolvedAt: ctx.now, resolvedKey: `${String(ctx.now.getTime()).padStart(15, '0')}:${item._id}`, claim: null })
      })
      await reviewables(ctx.db).updateWhere({ subject: s.openid }, { subject: s.pseudonym })
      // A member of staff's claims end with their account.
      await reviewables(ctx.db).updateWhere({ 'claim.by': s.openid }, { claim: null })
    },
  },
  {
    collection: COLLECTIONS.reviewDecisions,
    title: '违规处理记录',
    treatment: 'pseudonymize',
    detail: '保留处理决定、理由和申诉结果（用于监管查询和维护他人的权利），你的微信标识替换为无法还原的编号；决定中保存的被处理内容删除。',
    count: (ctx, s) => reviewDecisions(ctx.db).count({ subject: s.openid }),
    erase: async (ctx, s) => void (await reviewDecisions(ctx.db).updateWhere({ subject: s.openid }, { subject: s.pseudonym, snapshot: null })),
  },
  {
    collection: COLLECTIONS.reviewAppeals,
    title: '我的申诉',
    treatment: 'pseudonymize',
    detail: '保留申诉的结果和复核理由，你写的申诉理由删除，你的微信标识替换为无法还原的编号。',
    count: (ctx, s) => appeals(ctx.db).count({ appellant: s.openid }),
    erase: async (ctx, s) => void (await appeals(ctx.db).updateWhere({ appellant: s.openid }, { appellant: s.pseudonym, text: '', textFlags: ctx.db.cmd.set([]) })),
  },
]

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null)

export const REVIEW_EXPORT_RULES: readonly ExportRule[] = [
  {
    collection: COLLECTIONS.moderationReports,
    async sections(ctx, account) {
      const mine = await collectAll(ctx.db, reports(ctx.db), { reporterOpenid: account.openid })
      const records = mine.map((r) => ({ ...toMyReportView(r) }))
      return [{ domain: 'reports', title: '我的举报', records, note: '别人对你的举报包含举报人的信息，不在本副本中；对你作出的处理见「违规处理记录」。' }]
    },
  },
  { collection: COLLECTIONS.moderationReviewables, excluded: '审核队列是工作人员的工作记录；对你作出的处理决定见「违规处理记录」。' },
  {
    collection: COLLECTIONS.reviewDecisions,
    async sections(ctx, account) {
      const mine = await collectAll(ctx.db, reviewDecisions(ctx.db), { subject: account.openid })
      const filed = await collectAll(ctx.db, appeals(ctx.db), { appellant: account.openid })
      const byDecision = new Map(filed.map((a) => [a.decisionId, a]))
      const records = mine.map((d) => ({ ...conductView(d, byDecision.get(d._id) ?? null, ctx.now) }))
      return [{ domain: 'conduct', title: '违规处理记录', records, note: '每项处理决定的理由、违规记录和申诉结果；不含作出决定的工作人员是谁。' }]
    },
  },
  {
    collection: COLLECTIONS.reviewAppeals,
    async sections(ctx, account) {
      const mine = await collectAll(ctx.db, appeals(ctx.db), { appellant: account.openid })
      const records = mine.map((a) => ({ id: a._id, decisionId: a.decisionId, state: a.state, text: a.text, reason: a.reason, effects: a.effects, createdAt: a.createdAt.toISOString(), decidedAt: iso(a.decidedAt) }))
      return [{ domain: 'appeals', title: '我的申诉', records, note: null }]
    },
  },
]

/**
 * The moderation function: reports, the review queue and its decisions,
 * appeals and the person's record (the staff side, `_core/review/`); the
 * operator's lexicon; the gate's stored decisions; WeChat's image verdicts
 * (the `wxa_media_check` message push) and the `sweep` timer. The gate itself
 * runs inside each publishing function (`_core/moderation/gate.ts`).
 */
import { noteAudit } from '../_core/audit'
import { defineFunction } from '../_core/define'
import { fail, isDuplicateKey } from '../_core/errors'
import { decisions, toDecisionView } from '../_core/moderation/decisions'
import {
  adoptLexicon,
  currentScanner,
  DEMO_LEXICON_VERSION,
  lexicons,
  newestLexiconHead,
  summaryOf,
  termCountOf,
  type LexiconDoc,
} from '../_core/moderation/lexicon-store'
import { mediaCheckPush, sweepMediaChecks } from '../_core/moderation/media'
import { decideAppeal, fileAppeal, finishAppeals, toMyAppealView } from '../_core/review/appeals'
import { decide, finishDecisions } from '../_core/review/decide'
import { itemView } from '../_core/review/item'
import { myDecisionsPage, myReportsPage, queueCounts, queuePage, toQueueRow } from '../_core/review/listing'
import { staffDecisionView, toMyReportView } from '../_core/review/notices'
import { claim, release } from '../_core/review/queue'
import { fileReport } from '../_core/review/reports'
import { activeStrikes } from '../_core/review/account-effects'
import { reviewables, type ReviewableDoc } from '../_core/review/store'
import type { AccountContext } from '../_core/context'
import type { Lexicon } from '../../shared/moderation/lexicon'
import type { LexiconReadings } from '../../shared/moderation/readings'
import { moderation as moderationContract } from '../../shared/contract/moderation'
import { after, decodeCursor, newestFirst, nextOf } from '../_core/cursor'

const DECISION_PAGE = 20
const HISTORY = 20

async function reviewable(ctx: AccountContext, id: string): Promise<ReviewableDoc> {
  const item = await reviewables(ctx.db).byId(id)
  if (!item) fail('NOT_FOUND', '待审核事项不存在')
  return item
}

/** Nobody claims what is about themself. */
function refuseOwn(ctx: AccountContext, item: ReviewableDoc): void {
  if (item.subject === ctx.openid) fail('FORBIDDEN', '这一项与你本人有关，请交给其他工作人员')
}

function versionTaken(version: string): never {
  const message = `词库版本“${version}”已经存在，请使用新的版本号`
  return fail('CONFLICT', message, [{ path: 'lexicon.version', message }])
}

/** The readings need pinyin-pro's dictionary: loaded only when a lexicon is stored, not at every cold start. */
async function readingsOf(lexicon: Lexicon): Promise<LexiconReadings> {
  const { lexiconReadings } = await import('../_core/moderation/lexicon-readings')
  return lexiconReadings(lexicon)
}

export const moderationFunction = defineFunction(
  'moderation', moderationContract,
  {
    async report(input, ctx) {
      const filed = await fileReport(ctx, input)
      return { report: toMyReportView(filed.report), updated: filed.updated }
    },

    async myReports({ cursor, limit }, ctx) {
      return myReportsPage(ctx, ctx.openid, cursor, limit)
    },

    async queue(input, ctx) {
      // The counts go with the first page only: paging on needs the rows, not the 工作台's figures again.
      const [page, counts] = await Promise.all([queuePage(ctx, input), input.cursor ? [] : queueCounts(ctx)])
      return { ...page, counts }
    },

    async item({ reviewableId }, ctx) {
      return { item: await itemView(ctx, await reviewable(ctx, reviewableId)) }
    },

    async claim({ reviewableId }, ctx) {
      const item = await reviewable(ctx, reviewableId)
      refuseOwn(ctx, item)
      return { item: toQueueRow(await claim(ctx, item), ctx.openid, ctx.now) }
    },

    async release({ reviewableId }, ctx) {
      return { item: toQueueRow(await release(ctx, await reviewable(ctx, reviewableId)), ctx.openid, ctx.now) }
    },

    async decide(input, ctx) {
      return { decision: staffDecisionView(await decide(ctx, input), null, ctx.now) }
    },

    async appeal({ decisionId, text }, ctx) {
      return { appeal: toMyAppealView(await fileAppeal(ctx, decisionId, text)) }
    },

    async decideAppeal({ appealId, outcome, reason }, ctx) {
      return { appeal: toMyAppealView(await decideAppeal(ctx, appealId, outcome, reason)) }
    },

    async myDecisions({ cursor, limit }, ctx) {
      const [page, strikes] = await Promise.all([myDecisionsPage(ctx, ctx.openid, cursor, limit), activeStrikes(ctx, ctx.openid)])
      return { ...page, activeStrikes: strikes }
    },

    async putLexicon({ lexicon }, ctx) {
      noteAudit(ctx, { detail: `lexicon ${lexicon.version}` })
      if (lexicon.version === DEMO_LEXICON_VERSION || (await lexicons(ctx.db).findOne({ version: lexicon.version }))) versionTaken(lexicon.version)
      // Versions are immutable and ordered by createdAt: never at or before the newest one, whatever the clock says.
      const head = await newestLexiconHead(ctx.db)
      const createdAt = head && head.createdAt.getTime() >= ctx.now.getTime() ? new Date(head.createdAt.getTime() + 1) : ctx.now
      const doc: Omit<LexiconDoc, '_id'> = { version: lexicon.version, categories: lexicon.categories, termCount: termCountOf(lexicon), readings: await readingsOf(lexicon), createdAt }
      let id: string
      try {
        id = await lexicons(ctx.db).add(doc)
      } catch (error) {
        if (isDuplicateKey(error)) versionTaken(lexicon.version)
        throw error
      }
      return { current: summaryOf(adoptLexicon(ctx, { ...doc, _id: id })) }
    },

    async lexiconInfo({ withTerms }, ctx) {
      const current = await currentScanner(ctx)
      const recent = await lexicons(ctx.db).find({}, {
        orderBy: [
          ['createdAt', 'desc'],
          ['_id', 'desc'],
        ],
        limit: HISTORY,
        fields: { version: true, createdAt: true, termCount: true },
      })
      return {
        current: summaryOf(current),
        history: recent.map((v) => ({ version: v.version, storedAt: v.createdAt.toISOString(), termCount: v.termCount })),
        ...(withTerms ? { lexicon: current.lexicon } : {}),
      }
    },

    async decisions({ state, kind, cursor, limit }, ctx) {
      const size = limit ?? DECISION_PAGE
      const filter: Record<string, unknown> = {}
      if (state) filter.state = state
      if (kind) filter.kind = kind
      const page = await decisions(ctx.db).find(after(ctx.db, filter, 'createdAt', decodeCursor(cursor)), { orderBy: newestFirst('createdAt'), limit: size })
      return { decisions: page.map(toDecisionView), nextCursor: nextOf(page, size, (d) => d.createdAt) }
    },
  },
  {
    /** Every minute: image verdicts (and the sandbox's), decisions and appeal rulings whose completion was cut short. */
    async sweep(ctx) {
      const report = await sweepMediaChecks(ctx)
      const decided = await finishDecisions(ctx)
      const appealed = await finishAppeals(ctx)
      if (report.delivered + report.timedOut + report.synced + decided + appealed > 0) ctx.log.info('moderation sweep', { requestId: ctx.requestId, ...report, decided, appealed })
    },
  },
  { wxa_media_check: mediaCheckPush },
)

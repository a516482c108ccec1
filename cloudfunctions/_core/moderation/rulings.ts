/**
 * What people (not the automated checks) change about a gate decision:
 * reports that hide published content until a reviewer rules, and the
 * reviewer's ruling, final for that submission. Both are written onto the
 * decision and reach its target the way image verdicts do (media.ts
 * `recompute` → targets.ts `syncTarget`), so a newer edit still wins.
 */
import type { Context } from '../context'
import { decisions, type DecisionSource, type Ruling } from './decisions'
import { recompute } from './media'

/**
 * Hides the decision's content from others because of its reports. Only once,
 * and never what a reviewer has ruled on (content approved since its last edit
 * is not hidden again by reports: a reviewer looks at them instead).
 */
export async function holdForReports(ctx: Context, decisionId: string, reviewableId: string): Promise<boolean> {
  const written = await decisions(ctx.db).updateWhere(
    { _id: decisionId, reportHold: null, ruling: null },
    { reportHold: ctx.db.cmd.set({ reviewableId, at: ctx.now }), updatedAt: ctx.now },
  )
  if (written === 0) return false
  await recompute(ctx, decisionId, { sync: true })
  return true
}

/**
 * A reviewer's ruling: published or taken down, with the review decision that
 * gives the reasons (`why`, added to what the author reads on a take-down).
 * Idempotent: ruling again for the same review decision changes nothing.
 */
export async function ruleOn(ctx: Context, decisionId: string, ruling: Omit<Ruling, 'at'>, why: string | null): Promise<boolean> {
  const _ = ctx.db.cmd
  const patch: Record<string, unknown> = { ruling: _.set({ ...ruling, at: ctx.now }), reportHold: null, updatedAt: ctx.now }
  if (ruling.state === 'rejected' && why) {
    const source: DecisionSource = { field: '', source: 'review', verdict: 'refuse', reasons: [why], labels: [] }
    patch.sources = _.push([source])
  }
  const written = await decisions(ctx.db).updateWhere({ _id: decisionId, 'ruling.reviewDecisionId': _.neq(ruling.reviewDecisionId) }, patch)
  if (written === 0) return false
  await recompute(ctx, decisionId, { sync: true })
  return true
}

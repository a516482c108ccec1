/**
 * Where a decision shows: the `moderation` field of the card, activity or
 * article it is about, or, for a nickname, the account's `nicknameModeration`
 * (with the requested nickname held in `pendingNickname` until it may be
 * public). A decision is written there only while that field still names it:
 * an edit made since then has its own decision, and the newer one wins.
 */
import type { ContentKind } from '../../../shared/contract/content'
import { CONTENT_KIND_LABELS } from '../../../shared/contract/moderation'
import type { AccountDoc } from '../accounts'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Doc, Patch } from '../db'
import { notify } from '../inbox'
import { decisions, type ContentModeration, type ModerationDecisionDoc } from './decisions'

/** The account's side of nickname moderation. */
export interface NicknameFields {
  /** A nickname waiting for review: shown to its owner only; the public one stays `nickname`. */
  pendingNickname: string | null
  /** The decision on the last nickname change. */
  nicknameModeration: ContentModeration | null
}

export type NicknameAccount = AccountDoc & Partial<NicknameFields>

/** The collection each kind of content lives in. */
export const TARGET_COLLECTIONS: Record<ContentKind, string> = {
  card: COLLECTIONS.cards,
  activity: COLLECTIONS.activities,
  article: COLLECTIONS.articles,
  nickname: COLLECTIONS.accounts,
}

interface ModeratedDoc extends Doc {
  moderation?: ContentModeration | null
}

export type TargetOutcome = 'applied' | 'stale' | 'missing'

async function applyToNickname(ctx: Context, decision: ModerationDecisionDoc, moderation: ContentModeration): Promise<TargetOutcome> {
  const accounts = ctx.db.collection<NicknameAccount>(COLLECTIONS.accounts)
  const account = await accounts.byId(decision.targetId)
  if (!account) return 'missing'
  if (account.nicknameModeration?.decisionId !== decision._id) return 'stale'
  const patch: Patch = { nicknameModeration: ctx.db.cmd.set(moderation) }
  if (moderation.state === 'published' && account.pendingNickname) {
    patch.nickname = account.pendingNickname
    patch.pendingNickname = null
  }
  if (moderation.state === 'rejected') patch.pendingNickname = null
  const written = await accounts.updateWhere({ _id: account._id, 'nicknameModeration.decisionId': decision._id }, patch)
  return written > 0 ? 'applied' : 'stale'
}

/** Writes the decision's current state onto its target, if the target still shows this decision. */
export async function applyToTarget(ctx: Context, decision: ModerationDecisionDoc): Promise<TargetOutcome> {
  if (decision.state === 'refused') return 'stale'
  const moderation: ContentModeration = { state: decision.state, decisionId: decision._id, reasons: decision.reasons, decidedAt: ctx.now }
  if (decision.kind === 'nickname') return applyToNickname(ctx, decision, moderation)
  const targets = ctx.db.collection<ModeratedDoc>(TARGET_COLLECTIONS[decision.kind])
  const written = await targets.updateWhere({ _id: decision.targetId, 'moderation.decisionId': decision._id }, { moderation: ctx.db.cmd.set(moderation) })
  if (written > 0) return 'applied'
  return (await targets.byId(decision.targetId)) ? 'stale' : 'missing'
}

function rejectionNotice(decision: ModerationDecisionDoc): { title: string; body: string } {
  const why = decision.reasons.join('；') || '未通过内容安全审核'
  if (decision.kind === 'nickname') return { title: '新昵称未通过审核', body: `你提交的新昵称未通过审核，仍使用原来的昵称。原因：${why}` }
  const kind = CONTENT_KIND_LABELS[decision.kind]
  return { title: `${kind}未通过审核`, body: `你发布的${kind}未通过内容安全审核，已对他人隐藏。原因：${why}。修改后可以重新提交。` }
}

/**
 * Brings the target up to the decision and records that it did. The author
 * hears of a take-down in the inbox (once per decision); content superseded by
 * a newer edit is left alone and nobody is told about it.
 */
export async function syncTarget(ctx: Context, decision: ModerationDecisionDoc): Promise<TargetOutcome> {
  const outcome = await applyToTarget(ctx, decision)
  if (outcome === 'missing') return outcome
  // Unless the decision changed meanwhile: then its own sync is still to come.
  await decisions(ctx.db).updateWhere({ _id: decision._id, updatedAt: decision.updatedAt }, { targetSyncedAt: ctx.now })
  if (outcome === 'applied' && decision.state === 'rejected') {
    await notify(ctx, { recipient: decision.authorOpenid, type: 'moderationDecision', ...rejectionNotice(decision), dedupeKey: `moderation:${decision._id}:rejected` })
  }
  return outcome
}

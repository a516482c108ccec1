/**
 * Where a decision shows: the `moderation` field of the card, activity or
 * article it is about, or, for a nickname or an avatar, the account's
 * `nicknameModeration` / `avatarModeration` (with the requested nickname or
 * avatar held in `pendingNickname` / `pendingAvatarUrl` until it may be
 * public). A decision is written there only while that field still names it:
 * an edit made since then has its own decision, and the newer one wins.
 * A message's decision (MESSAGE_KINDS) shows nowhere: nothing is written for it.
 */
import { isMessageKind, type ContentKind, type PublishedKind } from '../../../shared/content'
import { CONTENT_KIND_LABELS } from '../../../shared/content'
import type { AccountDoc } from '../accounts'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Doc, Patch } from '../db'
import { notify } from '../inbox'
import { decisions, type ContentModeration, type ModerationDecisionDoc } from './decisions'
import { afterDecisionShown } from './hooks'
import { queueHeld } from '../review/queue'

/** The account's side of profile moderation (nickname and avatar, each with its own decision). */
export interface ProfileModerationFields {
  /** A nickname waiting for review: shown to its owner only; the public one stays `nickname`. */
  pendingNickname: string | null
  /** The decision on the last nickname change. */
  nicknameModeration: ContentModeration | null
  /** An avatar waiting for its image check or review: shown to its owner only; the public one stays `avatarUrl`. */
  pendingAvatarUrl: string | null
  /** The decision on the last avatar change. */
  avatarModeration: ContentModeration | null
}

/** Accounts stored before profile moderation read with these fields absent. */
export type ProfileAccount = AccountDoc & Partial<ProfileModerationFields>

type ProfileKind = Extract<ContentKind, 'nickname' | 'avatar'>

/** For each profile kind: the public field, the field holding the requested value, and the decision's field. */
const PROFILE_FIELDS = {
  nickname: { shown: 'nickname', pending: 'pendingNickname', moderation: 'nicknameModeration' },
  avatar: { shown: 'avatarUrl', pending: 'pendingAvatarUrl', moderation: 'avatarModeration' },
} as const satisfies Record<ProfileKind, { shown: keyof AccountDoc; pending: keyof ProfileModerationFields; moderation: keyof ProfileModerationFields }>

function isProfileKind(kind: ContentKind): kind is ProfileKind {
  return kind === 'nickname' || kind === 'avatar'
}

/** The collection each kind of published content lives in (messages have no target to write to). */
export const TARGET_COLLECTIONS: Record<PublishedKind, string> = {
  card: COLLECTIONS.cards,
  activity: COLLECTIONS.activities,
  article: COLLECTIONS.articles,
  nickname: COLLECTIONS.accounts,
  avatar: COLLECTIONS.accounts,
  // A login-service client's logo: the client document shows its decision (only staff submit one; never queued for review).
  clientLogo: COLLECTIONS.oidcClients,
}

interface ModeratedDoc extends Doc {
  moderation?: ContentModeration | null
}

/**
 * `behind`: the target still names an earlier decision — the domain has not
 * written this one yet (or its write failed); the media sweep tries again.
 */
export type TargetOutcome = 'applied' | 'stale' | 'missing' | 'behind'

/** The moderation the target shows now (null when it has none, or does not exist). */
export async function shownModeration(ctx: Context, kind: ContentKind, targetId: string): Promise<ContentModeration | null> {
  if (isMessageKind(kind)) return null
  if (isProfileKind(kind)) {
    const account = await ctx.db.collection<ProfileAccount>(COLLECTIONS.accounts).byId(targetId)
    return account?.[PROFILE_FIELDS[kind].moderation] ?? null
  }
  const target = await ctx.db.collection<ModeratedDoc>(TARGET_COLLECTIONS[kind]).byId(targetId)
  return target?.moderation ?? null
}

/** What the target shows now: its moderation field, and the stored decision it names (either may be null). */
export async function shownDecision(ctx: Context, kind: ContentKind, targetId: string): Promise<{ moderation: ContentModeration; decision: ModerationDecisionDoc | null } | null> {
  const moderation = await shownModeration(ctx, kind, targetId)
  return moderation ? { moderation, decision: await decisions(ctx.db).byId(moderation.decisionId) } : null
}

/** Whether the target names a decision made before this one: then this one's write is still to come. */
async function targetIsBehind(ctx: Context, decision: ModerationDecisionDoc, shown: string | null): Promise<boolean> {
  if (shown === null || shown === decision._id) return false
  const current = await decisions(ctx.db).byId(shown)
  return current !== null && current.createdAt.getTime() < decision.createdAt.getTime()
}

async function applyToProfile(ctx: Context, kind: ProfileKind, decision: ModerationDecisionDoc, moderation: ContentModeration): Promise<TargetOutcome> {
  const fields = PROFILE_FIELDS[kind]
  const accounts = ctx.db.collection<ProfileAccount>(COLLECTIONS.accounts)
  const account = await accounts.byId(decision.targetId)
  if (!account) return 'missing'
  const shown = account[fields.moderation]?.decisionId ?? null
  if (shown !== decision._id) return (await targetIsBehind(ctx, decision, shown)) ? 'behind' : 'stale'
  const patch: Patch = { [fields.moderation]: ctx.db.cmd.set(moderation) }
  const pending = account[fields.pending]
  if (moderation.state === 'published' && pending) {
    patch[fields.shown] = pending
    patch[fields.pending] = null
  }
  if (moderation.state === 'rejected') patch[fields.pending] = null
  const written = await accounts.updateWhere({ _id: account._id, [`${fields.moderation}.decisionId`]: decision._id }, patch)
  return written > 0 ? 'applied' : 'stale'
}

/** Writes the decision's current state onto its target, if the target still shows this decision. */
export async function applyToTarget(ctx: Context, decision: ModerationDecisionDoc): Promise<TargetOutcome> {
  // Nothing shows a refused decision, nor a message's: there is nothing to write.
  if (decision.state === 'refused' || isMessageKind(decision.kind)) return 'stale'
  const moderation: ContentModeration = { state: decision.state, decisionId: decision._id, reasons: decision.reasons, decidedAt: ctx.now }
  if (isProfileKind(decision.kind)) return applyToProfile(ctx, decision.kind, decision, moderation)
  const targets = ctx.db.collection<ModeratedDoc>(TARGET_COLLECTIONS[decision.kind])
  const written = await targets.updateWhere({ _id: decision.targetId, 'moderation.decisionId': decision._id }, { moderation: ctx.db.cmd.set(moderation) })
  if (written > 0) return 'applied'
  const target = await targets.byId(decision.targetId)
  if (!target) return 'missing'
  return (await targetIsBehind(ctx, decision, target.moderation?.decisionId ?? null)) ? 'behind' : 'stale'
}

/** Where the author fixes what was taken down: the editor of the card, activity or article; 我的 for a nickname or an avatar. */
export function rejectionLink(decision: Pick<ModerationDecisionDoc, 'kind' | 'targetId'>): string | null {
  const id = encodeURIComponent(decision.targetId)
  switch (decision.kind) {
    case 'card':
      return `/packageCards/pages/editor/index?cardId=${id}`
    case 'activity':
      return `/packageActivities/pages/editor/index?id=${id}`
    case 'article':
      return `/packageArticles/pages/editor/index?id=${id}`
    case 'nickname':
    case 'avatar':
      return '/pages/me/index'
    case 'clientLogo':
      return '/packageAdmin/pages/clients/index'
    case 'exchangeMessage':
    case 'reportComment':
    case 'appealText':
      return null
  }
}

function rejectionNotice(decision: ModerationDecisionDoc): { title: string; body: string } {
  const why = decision.reasons.join('；') || '未通过内容安全审核'
  if (decision.kind === 'nickname') return { title: '新昵称未通过审核', body: `你提交的新昵称未通过审核，仍使用原来的昵称。原因：${why}` }
  if (decision.kind === 'avatar') return { title: '新头像未通过审核', body: `你提交的新头像未通过审核，其他人看到的仍是原来的头像。原因：${why}。可以换一张重新提交。` }
  if (decision.kind === 'clientLogo') return { title: '接入应用图标未通过审核', body: `你为接入应用上传的图标未通过审核，授权页面不会显示它。原因：${why}。可以换一张重新登记。` }
  const kind = CONTENT_KIND_LABELS[decision.kind]
  return { title: `${kind}未通过审核`, body: `你发布的${kind}未通过内容安全审核，已对他人隐藏。原因：${why}。修改后可以重新提交。` }
}

/**
 * Brings the target up to the decision and records that it did. The author
 * hears of a take-down in the inbox (once per decision); content superseded by
 * a newer edit is left alone and nobody is told about it. A target that is
 * missing or still behind is left for the media sweep to try again.
 */
export async function syncTarget(ctx: Context, decision: ModerationDecisionDoc): Promise<TargetOutcome> {
  const outcome = await applyToTarget(ctx, decision)
  if (outcome === 'missing' || outcome === 'behind') return outcome
  // The target's domain follows up (hooks.ts); should it fail, the decision stays unsynced and the sweep comes back.
  if (outcome === 'applied') await afterDecisionShown(ctx, decision)
  // Held for people after the fact (an image WeChat was unsure of, a verdict that never came): into the queue.
  if (outcome === 'applied' && decision.state === 'pendingReview') await queueHeld(ctx, decision)
  // Unless the decision changed meanwhile: then its own sync is still to come.
  await decisions(ctx.db).updateWhere({ _id: decision._id, updatedAt: decision.updatedAt }, { targetSyncedAt: ctx.now })
  // A reviewer's take-down is told with its statement of reasons (review/decide.ts), not with this notice.
  if (outcome === 'applied' && decision.state === 'rejected' && !decision.ruling) {
    await notify(ctx, {
      recipient: decision.authorOpenid,
      type: 'moderationDecision',
      ...rejectionNotice(decision),
      link: rejectionLink(decision),
      dedupeKey: `moderation:${decision._id}:rejected`,
    })
  }
  return outcome
}

/**
 * What a decision does to the person's account, through the lifecycle's own
 * transitions (warn is a strike and a notice, nothing more): checked in full
 * before anything is written, applied by the decision's completion, and
 * undone by an appeal that overturns it — but only while nothing changed the
 * account since (a later decision has its own appeal).
 */
import { ACCOUNT_ACTION_LABELS, suggestedStep, type AccountAction, type LadderStep } from '../../../shared/review'
import { activeBans, type Actor, type Feature, type FeatureBan, type TransitionName } from '../../../shared/rules/lifecycle'
import { findAccount, stateOf, type AccountDoc } from '../accounts'
import type { AccountContext, Context } from '../context'
import { AppError, fail } from '../errors'
import { judgeTransition, recordTransition } from '../lifecycle/transition'
import { refuseIfLastAdmin, refuseStaffConflict } from '../staff'
import { reviewDecisions, type AccountEffect, type ReviewDecisionDoc } from './store'

const TRANSITION_OF: Record<Exclude<AccountAction, 'none' | 'warn'>, TransitionName> = {
  restrict: 'restrict',
  suspend: 'suspend',
  freeze: 'freezeByStaff',
  terminate: 'terminate',
}

/** Actions that take the account out of use: the last usable admin is kept from them. */
const DISABLING: ReadonlySet<AccountAction> = new Set<AccountAction>(['suspend', 'freeze', 'terminate'])

export function staffActor(ctx: AccountContext): Actor {
  return ctx.account.roles.includes('admin') ? 'admin' : 'reviewer'
}

/** Strikes in force now: not expired, not overruled on appeal. */
export async function activeStrikes(ctx: Context, subject: string): Promise<number> {
  const _ = ctx.db.cmd
  return reviewDecisions(ctx.db).count({ subject, 'strike.expiresAt': _.gt(ctx.now), 'strike.overruledAt': null })
}

/** The ladder's next step for the person, with its end time from now. */
export function suggestionFor(strikes: number, now: Date): LadderStep & { until: Date | null } {
  const step = suggestedStep(strikes)
  return { ...step, until: step.days === null ? null : new Date(now.getTime() + step.days * 24 * 3600 * 1000) }
}

export interface ActionRequest {
  action: AccountAction
  until: Date | null
  features: readonly Feature[]
  /** What the person is told as the state's reason. */
  reason: string
}

/** Checks the action in full against the account as it is now; returns the effect to record (null for none). */
export function planAccountEffect(ctx: AccountContext, subject: AccountDoc | null, request: ActionRequest): AccountEffect | null {
  if (request.action === 'none') return null
  if (!subject) fail('INVALID_INPUT', '当事人的账号已注销，不能再处理账号', [{ path: 'accountAction', message: '账号已注销' }])
  refuseStaffConflict(ctx, subject)
  if (request.action === 'terminate' && !ctx.account.roles.includes('admin')) fail('FORBIDDEN', '终止服务只能由管理员决定；审核员可以先冻结账号，并说明建议终止的理由')
  const base = { action: request.action, features: [...request.features], until: request.until, stateVersionAfter: null, skipped: null }
  if (request.action === 'warn') return { ...base, transition: null, features: [], until: null }
  if (request.action === 'restrict' && request.features.length === 0) fail('INVALID_INPUT', '请选择要限制的功能', [{ path: 'features', message: '请选择要限制的功能' }])
  const transition = TRANSITION_OF[request.action]
  judgeTransition(subject, { name: transition, actor: staffActor(ctx), reason: request.reason, until: request.until }, ctx.now)
  return { ...base, transition, until: request.action === 'restrict' || request.action === 'suspend' ? request.until : null }
}

/** The last-admin rule needs a read: checked with the plan, before anything is written. */
export async function refuseIfLeavesNoAdmin(ctx: Context, subject: AccountDoc | null, effect: AccountEffect | null): Promise<void> {
  if (subject && effect && DISABLING.has(effect.action)) await refuseIfLastAdmin(ctx, subject, ACCOUNT_ACTION_LABELS[effect.action])
}

/**
 * Applies the decision's account effect to the account as it is now. A
 * transition the account no longer allows (the person asked for deletion
 * meanwhile …) is recorded as skipped, with why; the decision stands.
 */
export async function applyAccountEffect(ctx: Context, decision: ReviewDecisionDoc, actor: Actor): Promise<AccountEffect | null> {
  const effect = decision.accountEffect
  if (!effect || effect.transition === null) return effect
  const account = await findAccount(ctx.db, decision.subject)
  if (!account) return { ...effect, skipped: '账号已注销' }
  try {
    const after = await recordTransition(ctx, account, {
      name: effect.transition,
      actor,
      reason: decision.statement?.facts ?? decision.note,
      until: effect.until,
      features: effect.features,
      // The decision's notice tells the person everything at once (notices.ts).
      notify: false,
    })
    return { ...effect, stateVersionAfter: after.stateVersion }
  } catch (error) {
    if (error instanceof AppError && error.code !== 'CONFLICT' && error.code !== 'INTERNAL') return { ...effect, skipped: error.userMessage ?? error.message }
    throw error
  }
}

/**
 * Undoes the effect on appeal, while the account still stands where the
 * decision put it (its stateVersion unchanged): the suspension or freeze is
 * lifted, a termination restored (by an admin), a restriction's bans removed
 * (bans of other decisions stay). Returns what was done, in words for the person.
 */
export async function liftAccountEffect(ctx: Context, decision: ReviewDecisionDoc, actor: Actor, reason: string): Promise<string | null> {
  const effect = decision.accountEffect
  if (!effect || effect.transition === null || effect.stateVersionAfter === null) return null
  const account = await findAccount(ctx.db, decision.subject)
  if (!account) return null
  if (account.stateVersion !== effect.stateVersionAfter || stateOf(account, ctx.now) === 'active') {
    return '原处罚已经结束或已被新的处理取代，无需解除'
  }
  if (effect.action === 'restrict') {
    const own = (ban: FeatureBan): boolean => effect.features.includes(ban.feature) && effect.until !== null && ban.until.getTime() === effect.until.getTime()
    const remaining = activeBans(account.bans, ctx.now).filter((ban) => !own(ban))
    await recordTransition(ctx, account, { name: remaining.length > 0 ? 'restrict' : 'overturn', actor, reason, until: latest(remaining), bans: remaining })
    return remaining.length > 0 ? '本次决定的功能限制已解除，其他决定的限制仍然有效' : '功能限制已解除'
  }
  await recordTransition(ctx, account, { name: effect.action === 'terminate' ? 'restore' : 'overturn', actor, reason })
  return effect.action === 'terminate' ? '账号已恢复服务' : effect.action === 'suspend' ? '账号暂停已解除' : '账号冻结已解除'
}

function latest(bans: readonly FeatureBan[]): Date | null {
  let end: Date | null = null
  for (const ban of bans) if (!end || ban.until > end) end = ban.until
  return end
}

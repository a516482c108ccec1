/**
 * The one way an account changes state: a named transition from
 * shared/rules/lifecycle.ts, taken by an actor, written atomically on the
 * condition that nobody changed the state in between, recorded in
 * account_events and told to the person in their inbox.
 */
import type { AccountState } from '../../../shared/account'
import type { ErrorCode } from '../../../shared/errors'
import {
  activeBans,
  applyTransition,
  hidesContent,
  TRANSITIONS,
  type Actor,
  type Feature,
  type FeatureBan,
  type TransitionName,
  type TransitionRefusal,
} from '../../../shared/rules/lifecycle'
import { accounts, stateOf, type AccountDoc } from '../accounts'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Collection, Doc, Patch, Store } from '../db'
import { fail } from '../errors'
import { notify } from '../inbox'
import { transitionMessage } from './view'
import { orderedId } from '../ids'

/** Where every account-state message leads: 账号与安全 shows the state and what can be done about it (解冻, 恢复, 撤销注销 …). */
export const ACCOUNT_SECURITY_PAGE = '/packageAccount/pages/security/index'

/** The history of an account's states: kept (pseudonymized) after erasure, as proof of what was decided and why. */
export interface AccountEventDoc extends Doc {
  accountId: string
  /** The person's openid; a pseudonym after erasure. */
  subject: string
  transition: TransitionName
  from: AccountState
  to: AccountState
  actor: Actor
  reason: string | null
  until: Date | null
  bans: FeatureBan[]
  /** Links a staff decision to its audit record (which names the staff member). */
  requestId: string
  at: Date
}

export function accountEvents(db: Store): Collection<AccountEventDoc> {
  return db.collection<AccountEventDoc>(COLLECTIONS.accountEvents)
}

const REFUSALS: Record<TransitionRefusal, ErrorCode> = {
  NOT_ALLOWED_FOR_ACTOR: 'FORBIDDEN',
  NOT_ALLOWED_FROM_STATE: 'TRANSITION_NOT_ALLOWED',
  REASON_REQUIRED: 'REASON_REQUIRED',
  END_TIME_REQUIRED: 'END_TIME_REQUIRED',
}

export interface TransitionArgs {
  name: TransitionName
  actor: Actor
  reason?: string | null
  until?: Date | null
  /** The features a restriction bans until `until`. */
  features?: readonly Feature[]
  /** A restriction's bans exactly (what stays when one decision's bans are lifted on appeal), instead of adding `features`. */
  bans?: readonly FeatureBan[]
  /** More fields written in the same conditional update (e.g. the tombstone's). */
  patch?: Partial<AccountDoc>
  /** Default true; false only where nobody is left to tell (completed erasure). */
  notify?: boolean
  /**
   * Judge the stored state rather than the effective one: the timer's tidying
   * transitions end a suspension or restriction that has, in effect, already ended.
   */
  judge?: 'effective' | 'stored'
  /** More conditions on the document as the caller read it (e.g. no sign-in since). */
  expect?: Record<string, unknown>
}

function latest(bans: readonly FeatureBan[]): Date | null {
  let end: Date | null = null
  for (const ban of bans) if (!end || ban.until > end) end = ban.until
  return end
}

/** The state `args` would take `account` to, or the refusal it would get (nothing is written). */
export function judgeTransition(account: AccountDoc, args: Pick<TransitionArgs, 'name' | 'actor' | 'reason' | 'until' | 'judge'>, now: Date): AccountState {
  const from = args.judge === 'stored' ? account.state : stateOf(account, now)
  const verdict = applyTransition(from, { name: args.name, actor: args.actor, reason: args.reason?.trim() || null, until: args.until ?? null, now })
  if (!verdict.ok) {
    const message = verdict.refusal === 'NOT_ALLOWED_FROM_STATE' ? `账号当前状态不能进行「${TRANSITIONS[args.name].label}」` : undefined
    fail(REFUSALS[verdict.refusal], message)
  }
  return verdict.to
}

/** Applies `args.name` to `account` (as read by the caller); returns the account after it. */
export async function recordTransition(ctx: Context, account: AccountDoc, args: TransitionArgs): Promise<AccountDoc> {
  const now = ctx.now
  const from = args.judge === 'stored' ? account.state : stateOf(account, now)
  const reason = args.reason?.trim() || null
  const until = args.until ?? null
  const judged = judgeTransition(account, args, now)
  // A restriction lifted in part on appeal stays a restriction with the bans that remain.
  const to = args.bans && args.bans.length > 0 ? 'restricted' : judged

  let bans: FeatureBan[] = []
  if (args.bans && to === 'restricted') {
    bans = [...args.bans]
  } else if (to === 'restricted') {
    const features = new Set(args.features ?? [])
    // A new restriction adds to the bans still in force; a feature banned again takes the new end and reason.
    const kept = from === 'restricted' ? activeBans(account.bans, now).filter((ban) => !features.has(ban.feature)) : []
    bans = [...kept, ...[...features].map((feature) => ({ feature, until: until ?? now, reason: reason ?? '' }))]
    if (bans.length === 0) fail('INVALID_INPUT', '请选择要限制的功能')
  }

  const next: Partial<AccountDoc> = {
    state: to,
    stateReason: reason,
    stateUntil: to === 'suspended' ? until : to === 'restricted' ? latest(bans) : null,
    stateChangedAt: now,
    stateVersion: account.stateVersion + 1,
    bans,
    contentHidden: hidesContent(to),
    updatedAt: now,
  }
  if (args.name === 'requestDeletion') Object.assign(next, { deletionRequestedAt: now, deletionDueAt: until })
  if (args.name === 'cancelDeletion') Object.assign(next, { deletionRequestedAt: null, deletionDueAt: null })
  if (args.name === 'wake') Object.assign(next, { lastActiveAt: now, dormancyNoticesSent: [], dormancyNoticeBasis: null, lastDormancyNoticeAt: null })
  Object.assign(next, args.patch)

  const patch: Patch = { ...next }
  // Arrays are replaced whole (an update with a plain array could merge element by element).
  for (const [key, value] of Object.entries(next)) if (Array.isArray(value)) patch[key] = ctx.db.cmd.set(value)
  const version = account.stateVersion === 0 ? ctx.db.cmd.in([0, null]) : account.stateVersion
  const written = await accounts(ctx.db).updateWhere({ ...args.expect, _id: account._id, stateVersion: version }, patch)
  if (written === 0) fail('CONFLICT', '账号状态刚刚被修改过，请刷新后重试')
  const after: AccountDoc = { ...account, ...next }

  await accountEvents(ctx.db).add({
    // Ordered: two decisions within one millisecond list in the order they were taken.
    _id: orderedId(now),
    accountId: account._id,
    subject: after.openid,
    transition: args.name,
    from,
    to,
    actor: args.actor,
    reason,
    until: next.stateUntil ?? (args.name === 'requestDeletion' ? until : null),
    bans,
    requestId: ctx.requestId,
    at: now,
  })

  const message = args.notify === false ? null : transitionMessage(args.name, after, ctx.config, args.actor === 'reviewer' || args.actor === 'admin')
  if (message) {
    try {
      await notify(ctx, { recipient: after.openid, type: 'accountState', title: message.title, body: message.body, link: ACCOUNT_SECURITY_PAGE })
    } catch (error) {
      // The decision stands and is recorded; the operator sees the failed message in the log.
      ctx.log.error('state message not delivered', { requestId: ctx.requestId, accountId: account._id, transition: args.name, error: String(error) })
    }
  }
  return after
}

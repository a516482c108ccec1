/**
 * Staff actions on accounts and on staff. The dispatcher audits every call
 * that passed access (actor, role, reason, outcome); handlers name the person
 * concerned (`noteAudit`) so that the person sees the action in their access
 * log. Penalties taken here are decisions like those of the review queue
 * (statement of reasons, strike, appeal: _core/review/decide.ts).
 */
import { isUsable, ACCOUNT_STATE_LABELS } from '../../shared/account'
import { decodeCardScene } from '../../shared/cards'
import type { ParsedInputOf } from '../../shared/contract'
import { PENALTY_TRANSITIONS, type StaffAccountView, type StaffMemberView } from '../../shared/contract/admin'
import type { AccountAction } from '../../shared/review'
import { TRANSITIONS } from '../../shared/rules/lifecycle'
import { timingSafeEqual } from 'node:crypto'
import { accountById, accounts, normalizeAccount, stateOf, type AccountDoc } from '../_core/accounts'
import { noteAudit } from '../_core/audit'
import { cards } from '../_core/cards/store'
import { ageClassOf } from '../_core/consent/gate'
import type { AccountContext, Context } from '../_core/context'
import { correctionRequests, toStaffCorrectionView } from '../_core/corrections'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { accountEvents, recordTransition } from '../_core/lifecycle/transition'
import { lifecycleViewOf } from '../_core/lifecycle/view'
import { staffActor } from '../_core/review/account-effects'
import { decide, sanctionAccount } from '../_core/review/decide'
import { openReviewable, openReviewableOf } from '../_core/review/queue'
import { refuseIfLastAdmin, refuseStaffConflict, usableAdmins } from '../_core/staff'
import { admin as adminContract } from '../../shared/contract/admin'
import { after, decodeCursor, encodeCursor, orderOf } from '../_core/cursor'

async function staffView(ctx: Context, account: AccountDoc): Promise<StaffAccountView> {
  const events = await accountEvents(ctx.db).find({ accountId: account._id }, { orderBy: [['at', 'desc'], ['_id', 'desc']], limit: 20 })
  return {
    id: account._id,
    nickname: account.nickname,
    avatarUrl: account.avatarUrl,
    roles: account.roles,
    verified: account.verifiedAt !== null,
    maskedBirthDate: account.birthDate ? `${account.birthDate.slice(0, 4)}-**-**` : null,
    ageClass: ageClassOf(account, ctx.now),
    createdAt: account.createdAt.toISOString(),
    lastActiveAt: account.lastActiveAt.toISOString(),
    lifecycle: lifecycleViewOf(account, ctx.now, ctx.config),
    events: events.map((e) => ({
      transition: e.transition,
      label: TRANSITIONS[e.transition].label,
      from: e.from,
      to: e.to,
      actor: e.actor,
      reason: e.reason,
      until: e.until?.toISOString() ?? null,
      at: e.at.toISOString(),
    })),
  }
}

/** The account named by staff, which then becomes the audit record's subject. */
async function subjectAccount(ctx: Context, accountId: string): Promise<AccountDoc> {
  const account = await accountById(ctx.db, accountId)
  if (!account || account.state === 'deleted') fail('NOT_FOUND', '账号不存在或已注销')
  noteAudit(ctx, { subject: account.openid })
  return account
}

/** A card code or a card's QR scene (`c=…`, as scanned) → the card's owner. */
async function accountByCard(ctx: Context, card: string): Promise<AccountDoc> {
  const cardId = decodeCardScene(card) ?? card
  const found = await cards(ctx.db).byId(cardId)
  const owner = found ? await accounts(ctx.db).findOne({ openid: found.ownerOpenid }) : null
  if (!owner) fail('NOT_FOUND', '没有找到这张名片')
  return subjectAccount(ctx, owner._id)
}

const ACTION_OF: Record<string, Exclude<AccountAction, 'none' | 'warn'>> = {
  restrict: 'restrict',
  suspend: 'suspend',
  freezeByStaff: 'freeze',
  terminate: 'terminate',
}

type TransitionInput = ParsedInputOf<'admin', 'transition'>

/** A penalty is a decision (statement, strike, appeal); lifting restrictions and restoring are plain transitions. */
async function transitionAccount(ctx: AccountContext, account: AccountDoc, input: TransitionInput): Promise<AccountDoc> {
  refuseStaffConflict(ctx, account)
  const until = input.until ? new Date(input.until) : null
  const action = ACTION_OF[input.transition]
  if (action && PENALTY_TRANSITIONS.has(input.transition) && input.category && input.rule) {
    const decision = await sanctionAccount(ctx, account, { action, category: input.category, rule: input.rule, facts: input.reason, until, features: input.features ?? [] })
    if (decision.accountEffect?.skipped) fail('CONFLICT', `处理未能生效：${decision.accountEffect.skipped}`)
    return (await accountById(ctx.db, account._id)) ?? account
  }
  return recordTransition(ctx, account, { name: input.transition, actor: staffActor(ctx), reason: input.reason, until, ...(input.features ? { features: input.features } : {}) })
}

/** A staff role goes only to a verified account that can be used now: staff are accountable by name to the operator. */
function requireEligible(ctx: Context, account: AccountDoc): void {
  if (account.verifiedAt === null) fail('VERIFICATION_REQUIRED', '只能为已实名认证的账号授予工作人员角色')
  if (!isUsable(stateOf(account, ctx.now))) fail('FORBIDDEN', '账号当前状态不能授予工作人员角色')
}

function memberView(ctx: Context, account: AccountDoc): StaffMemberView {
  const state = stateOf(account, ctx.now)
  return { id: account._id, nickname: account.nickname, roles: account.roles, state, stateLabel: ACCOUNT_STATE_LABELS[state], verified: account.verifiedAt !== null, usable: isUsable(state) }
}

/** Compares without telling, by its timing, how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

export const adminFunction = defineFunction('admin', adminContract, {
  async transition(input, ctx) {
    noteAudit(ctx, { detail: input.transition })
    const account = await subjectAccount(ctx, input.accountId)
    // A penalty goes through the decision's checks (the last usable admin is kept there too).
    const after = await transitionAccount(ctx, account, input)
    return { account: await staffView(ctx, after) }
  },

  async getAccount(input, ctx) {
    const account = input.accountId ? await subjectAccount(ctx, input.accountId) : await accountByCard(ctx, input.card ?? '')
    return { account: await staffView(ctx, account) }
  },

  async grantRole({ accountId, role }, ctx) {
    noteAudit(ctx, { detail: `grant:${role}` })
    const account = await subjectAccount(ctx, accountId)
    if (account._id === ctx.account._id) fail('FORBIDDEN', '不能给自己授予角色')
    requireEligible(ctx, account)
    if (!account.roles.includes(role)) await accounts(ctx.db).update(account._id, { roles: ctx.db.cmd.set([...account.roles, role]), updatedAt: ctx.now })
    return { account: await staffView(ctx, { ...account, roles: account.roles.includes(role) ? account.roles : [...account.roles, role] }) }
  },

  async revokeRole({ accountId, role }, ctx) {
    noteAudit(ctx, { detail: `revoke:${role}` })
    const account = await subjectAccount(ctx, accountId)
    if (role === 'admin') await refuseIfLastAdmin(ctx, account, '撤销管理员角色')
    const roles = account.roles.filter((r) => r !== role)
    if (roles.length !== account.roles.length) await accounts(ctx.db).update(account._id, { roles: ctx.db.cmd.set(roles), updatedAt: ctx.now })
    return { account: await staffView(ctx, { ...account, roles }) }
  },

  async listStaff(_input, ctx) {
    const found = await accounts(ctx.db).find({ roles: ctx.db.cmd.in(['reviewer', 'admin']) }, { orderBy: [['createdAt', 'asc'], ['_id', 'asc']], limit: 100 })
    return { staff: found.map(normalizeAccount).map((a) => memberView(ctx, a)) }
  },

  async claimFirstAdmin({ code }, ctx) {
    const expected = ctx.config.review.firstAdminCode
    if (!expected || !sameSecret(code, expected)) fail('FORBIDDEN', '口令不正确，或运营方没有开放首位管理员设置')
    if ((await usableAdmins(ctx)).length > 0 || (await accounts(ctx.db).count({ roles: 'admin' })) > 0) fail('CONFLICT', '已经有管理员了，请由管理员为你授予角色')
    const roles = ctx.account.roles.includes('admin') ? ctx.account.roles : [...ctx.account.roles, 'admin' as const]
    await accounts(ctx.db).update(ctx.account._id, { roles: ctx.db.cmd.set(roles), updatedAt: ctx.now })
    ctx.log.info('first admin claimed', { requestId: ctx.requestId, accountId: ctx.account._id })
    return { roles }
  },

  async listCorrections(input, ctx) {
    const limit = input.limit ?? 20
    const base = { status: input.status ?? 'open' }
    const docs = await correctionRequests(ctx.db).find(after(ctx.db, base, 'createdAt', decodeCursor(input.cursor), 'asc'), { orderBy: orderOf('createdAt', 'asc'), limit: limit + 1 })
    const shown = docs.slice(0, limit)
    // The list shows each person's explanation: every one of them sees this view in their access log.
    const people = shown.map((d) => d.subject)
    noteAudit(ctx, { subject: people[0] ?? null, others: people })
    const last = shown.at(-1)
    return {
      requests: shown.map(toStaffCorrectionView),
      nextCursor: docs.length > limit && last ? encodeCursor(last.createdAt, last._id) : null,
    }
  },

  /** The correction queue's decision, through the review queue like every other decision. */
  async resolveCorrection(input, ctx) {
    const request = await correctionRequests(ctx.db).byId(input.requestId)
    if (!request) fail('NOT_FOUND')
    noteAudit(ctx, { subject: request.subject, detail: input.decision })
    if (request.status !== 'open') fail('CORRECTION_RESOLVED')
    // Requests made before the queue existed have no item yet.
    const item =
      (await openReviewableOf(ctx, 'correction', request._id)) ??
      (await openReviewable(ctx, { kind: 'correction', targetId: request._id, subject: request.subject, source: 'correction' }))
    await decide(ctx, {
      reviewableId: item._id,
      outcome: input.decision === 'accepted' ? 'accept' : 'reject',
      facts: input.reason,
      correctedBirthDate: input.correctedBirthDate,
    })
    const after = await correctionRequests(ctx.db).byId(request._id)
    return { request: toStaffCorrectionView(after ?? request) }
  },
})

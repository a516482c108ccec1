/**
 * Staff actions on accounts. The dispatcher audits every call (actor, role,
 * reason, outcome); handlers name the person concerned (`noteAudit`) so that
 * the person sees the action in their access log.
 */
import { CORRECTION_FIELD_LABELS } from '../../shared/account'
import type { ParsedInputOf } from '../../shared/contract'
import type { StaffAccountView } from '../../shared/contract/admin'
import { TRANSITIONS, type Actor } from '../../shared/rules/lifecycle'
import { accountById, accounts, type AccountDoc } from '../_core/accounts'
import { noteAudit } from '../_core/audit'
import { ageClassOf } from '../_core/consent/gate'
import type { AccountContext, Context } from '../_core/context'
import { correctionRequests, toStaffCorrectionView, type CorrectionRequestDoc } from '../_core/corrections'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { removeIdentityData } from '../_core/identity/records'
import { notify } from '../_core/inbox'
import { accountEvents, recordTransition } from '../_core/lifecycle/transition'
import { lifecycleViewOf } from '../_core/lifecycle/view'

function staffActor(ctx: AccountContext): Actor {
  return ctx.account.roles.includes('admin') ? 'admin' : 'reviewer'
}

async function staffView(ctx: Context, account: AccountDoc): Promise<StaffAccountView> {
  const events = await accountEvents(ctx.db).find({ accountId: account._id }, { orderBy: [['at', 'desc']], limit: 20 })
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

/** Cursor: `<createdAt ms>.<_id>` of the last request shown. */
function parseCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  const match = cursor ? /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor) : null
  return match?.[1] && match[2] ? { at: new Date(Number(match[1])), id: match[2] } : null
}

export const adminFunction = defineFunction('admin', {
  async transition(input, ctx) {
    noteAudit(ctx, { detail: input.transition })
    const account = await subjectAccount(ctx, input.accountId)
    // Nobody decides about their own account.
    if (account._id === ctx.account._id) fail('FORBIDDEN', '不能处理自己的账号')
    const after = await recordTransitionFor(ctx, account, input)
    return { account: await staffView(ctx, after) }
  },

  async getAccount(input, ctx) {
    const account = await subjectAccount(ctx, input.accountId)
    return { account: await staffView(ctx, account) }
  },

  async listCorrections(input, ctx) {
    const cmd = ctx.db.cmd
    const limit = input.limit ?? 20
    const base = { status: input.status ?? 'open' }
    const after = parseCursor(input.cursor)
    const where = after ? cmd.and(base, cmd.or({ createdAt: cmd.gt(after.at) }, { createdAt: after.at, _id: cmd.gt(after.id) })) : base
    const docs = await correctionRequests(ctx.db).find(where, {
      orderBy: [
        ['createdAt', 'asc'],
        ['_id', 'asc'],
      ],
      limit: limit + 1,
    })
    const shown = docs.slice(0, limit)
    const last = shown.at(-1)
    return {
      requests: shown.map(toStaffCorrectionView),
      nextCursor: docs.length > limit && last ? `${last.createdAt.getTime()}.${last._id}` : null,
    }
  },

  async resolveCorrection(input, ctx) {
    noteAudit(ctx, { detail: input.decision })
    const request = await correctionRequests(ctx.db).byId(input.requestId)
    if (!request) fail('NOT_FOUND')
    noteAudit(ctx, { subject: request.subject })
    if (request.status !== 'open') fail('CORRECTION_RESOLVED')
    const account = await accountById(ctx.db, request.accountId)
    if (!account || account.state === 'deleted') fail('NOT_FOUND', '账号不存在或已注销')
    const birthDate = input.decision === 'accepted' ? input.correctedBirthDate : undefined
    if (input.correctedBirthDate !== undefined && (request.field !== 'birthDate' || input.decision !== 'accepted')) {
      fail('INVALID_INPUT', '只有同意出生日期的更正时才填写更正后的日期', [{ path: 'correctedBirthDate', message: '此处无需填写' }])
    }
    if (birthDate !== undefined && account.birthDateSource === 'verified') {
      // A verified birth date is read from the ID number: it changes only by verifying again.
      fail('INVALID_INPUT', '该账号的出生日期来自实名认证的身份证号，需要用户重新实名认证后更新', [{ path: 'correctedBirthDate', message: '已实名账号不能直接修改出生日期' }])
    }

    const resolved: Partial<CorrectionRequestDoc> = {
      status: input.decision,
      resolvedAt: ctx.now,
      resolution: input.reason,
      openKey: `${request.openKey}:${request._id}`,
    }
    const written = await correctionRequests(ctx.db).updateWhere({ _id: request._id, status: 'open' }, resolved)
    if (written === 0) fail('CORRECTION_RESOLVED')
    if (birthDate !== undefined) {
      await accounts(ctx.db).update(account._id, { birthDate, birthDateSource: 'declared', updatedAt: ctx.now })
    }

    const field = CORRECTION_FIELD_LABELS[request.field]
    const accepted = input.decision === 'accepted'
    // What verification sealed (name, ID number, the birth date read from it) is corrected only by
    // verifying again: the wrong identity goes, the person verifies with the right card.
    const reverify = accepted && (request.field !== 'birthDate' || account.birthDateSource === 'verified') && account.verifiedAt !== null
    if (reverify) {
      await removeIdentityData(ctx, account.openid)
      await accounts(ctx.db).update(account._id, { verifiedAt: null, updatedAt: ctx.now })
    }
    const next = !accepted
      ? '如有异议，可以补充材料后重新提交申请。'
      : birthDate !== undefined
        ? `出生日期已更正为 ${birthDate}。`
        : reverify
          ? '原实名信息已删除，请在「我的 → 实名认证」用正确的身份证重新完成实名认证；完成前暂不能发布内容。'
          : '工作人员将按核实结果更新你的信息。'
    await notify(ctx, {
      recipient: request.subject,
      type: 'system',
      title: accepted ? `「${field}」更正申请已通过` : `「${field}」更正申请未通过`,
      body: `处理说明：${input.reason}\n${next}`,
      link: reverify ? '/packageAccount/pages/verify/index' : '/pages/me/index',
    })
    return { request: toStaffCorrectionView({ ...request, ...resolved }) }
  },
})

type TransitionInput = ParsedInputOf<'admin', 'transition'>

function recordTransitionFor(ctx: AccountContext, account: AccountDoc, input: TransitionInput): Promise<AccountDoc> {
  return recordTransition(ctx, account, {
    name: input.transition,
    actor: staffActor(ctx),
    reason: input.reason,
    until: input.until ? new Date(input.until) : null,
    ...(input.features ? { features: input.features } : {}),
  })
}

/**
 * Appeals (申诉): one per decision, within 14 days, by the person it was
 * about — reachable in every state a penalty can put them in. Another member
 * of staff rules on it (never the one who decided; an admin for a
 * termination). Upholding tells the person why; overturning undoes what the
 * decision did — the strike is overruled, the account action lifted, the
 * content checked by the gate as it is today and published again if it
 * passes — and tells the person. The steps of an overturn are marked once
 * done, so the sweep can finish one cut short.
 */
import { APPEAL_STATE_LABELS, CONDUCT_PAGE, isContentReviewKind } from '../../../shared/review'
import type { MyAppealView } from '../../../shared/contract/moderation'
import { findAccount } from '../accounts'
import { noteAudit } from '../audit'
import type { AccountContext, Context } from '../context'
import type { Patch } from '../db'
import { AppError, fail, isDuplicateKey } from '../errors'
import { orderedId } from '../ids'
import { notify } from '../inbox'
import { decisions } from '../moderation/decisions'
import { moderate } from '../moderation/gate'
import { afterDecisionShown } from '../moderation/hooks'
import { TARGET_COLLECTIONS } from '../moderation/targets'
import { walk } from '../paging'
import { staffRoleOf } from '../staff'
import { liftAccountEffect } from './account-effects'
import { canAppeal } from './notices'
import { claimedByOther, openReviewable } from './queue'
import { appeals, reviewables, reviewDecisions, type AppealDoc, type ReviewDecisionDoc } from './store'
import { targetFacts } from './targets'

export function toMyAppealView(appeal: AppealDoc): MyAppealView {
  return {
    id: appeal._id,
    decisionId: appeal.decisionId,
    state: appeal.state,
    stateLabel: APPEAL_STATE_LABELS[appeal.state],
    text: appeal.text,
    reason: appeal.reason,
    effects: appeal.effects,
    createdAt: appeal.createdAt.toISOString(),
    decidedAt: appeal.decidedAt?.toISOString() ?? null,
  }
}

/** The appeal text passes the gate as text for staff: refused only when it must be, otherwise kept with its findings. */
async function checkedText(ctx: AccountContext, decisionId: string, text: string): Promise<string[]> {
  return (await moderate(ctx, { kind: 'appealText', targetId: decisionId, texts: { text } })).reasons
}

export async function fileAppeal(ctx: AccountContext, decisionId: string, text: string): Promise<AppealDoc> {
  const decision = await reviewDecisions(ctx.db).byId(decisionId)
  if (!decision || decision.subject !== ctx.openid) fail('NOT_FOUND', '处理决定不存在')
  const existing = await appeals(ctx.db).findOne({ decisionId })
  // A filing cut short (the queue item not yet opened) is finished, not refused.
  if (existing && existing.reviewableId !== '') fail('ALREADY_APPEALED')
  if (!existing) {
    if (!decision.adverse) fail('FORBIDDEN', '这项决定没有对你作出处理，无需申诉')
    if (!canAppeal(decision, ctx.now)) fail(decision.appealState ? 'ALREADY_APPEALED' : 'APPEAL_CLOSED')
  }
  let appeal: AppealDoc = existing ?? {
    _id: orderedId(ctx.now),
    decisionId,
    appellant: ctx.openid,
    text,
    textFlags: await checkedText(ctx, decisionId, text),
    state: 'open',
    reviewableId: '',
    deciderOpenid: null,
    deciderRole: null,
    reason: null,
    effects: [],
    steps: { strike: false, account: false, content: false, notice: false },
    createdAt: ctx.now,
    decidedAt: null,
    completedAt: null,
  }
  if (!existing) {
    try {
      await appeals(ctx.db).add(appeal)
    } catch (error) {
      if (isDuplicateKey(error)) fail('ALREADY_APPEALED')
      throw error
    }
  }
  const item = await openReviewable(ctx, {
    kind: 'appeal',
    targetId: appeal._id,
    subject: ctx.openid,
    source: 'appeal',
    categories: decision.statement ? [decision.statement.category] : [],
  })
  await appeals(ctx.db).update(appeal._id, { reviewableId: item._id })
  await reviewDecisions(ctx.db).updateWhere({ _id: decisionId, appealState: null }, { appealState: 'open' })
  appeal = { ...appeal, reviewableId: item._id }
  await notify(ctx, {
    recipient: ctx.openid,
    type: 'moderationDecision',
    title: '已收到你的申诉',
    body: '你的申诉已提交，将由未参与原决定的工作人员复核，结果会通过消息告诉你。复核期间原决定继续有效。',
    link: CONDUCT_PAGE,
    dedupeKey: `appeal:${appeal._id}:received`,
  })
  return appeal
}

export async function decideAppeal(ctx: AccountContext, appealId: string, outcome: 'uphold' | 'overturn', reason: string): Promise<AppealDoc> {
  const appeal = await appeals(ctx.db).byId(appealId)
  if (!appeal) fail('NOT_FOUND', '申诉不存在')
  noteAudit(ctx, { subject: appeal.appellant, detail: `appeal:${outcome}` })
  if (appeal.state !== 'open') fail('CONFLICT', '这项申诉已经复核过了')
  const decision = await reviewDecisions(ctx.db).byId(appeal.decisionId)
  if (!decision) fail('NOT_FOUND', '原处理决定不存在')
  if (decision.deciderOpenid === ctx.openid) fail('FORBIDDEN', '不能复核自己作出的决定，请交给其他工作人员')
  if (appeal.appellant === ctx.openid) fail('FORBIDDEN', '不能复核与自己有关的申诉')
  if (decision.accountEffect?.action === 'terminate' && !ctx.account.roles.includes('admin')) fail('FORBIDDEN', '终止服务的申诉由管理员复核')
  const item = appeal.reviewableId ? await reviewables(ctx.db).byId(appeal.reviewableId) : null
  if (item && claimedByOther(item, ctx.openid, ctx.now)) fail('CONFLICT', '另一位审核员已认领这项申诉')

  const state = outcome === 'uphold' ? 'upheld' : 'overturned'
  const ruled: Partial<AppealDoc> = { state, deciderOpenid: ctx.openid, deciderRole: staffRoleOf(ctx.account) ?? 'reviewer', reason, decidedAt: ctx.now }
  // The commit point: of two reviewers ruling at once, one wins.
  if ((await appeals(ctx.db).updateWhere({ _id: appeal._id, state: 'open' }, ruled)) === 0) fail('CONFLICT', '这项申诉刚刚被其他审核员复核了')
  if (item) {
    await reviewables(ctx.db).updateWhere(
      { _id: item._id, state: 'open' },
      { state: 'resolved', openKey: `${item.openKey}:${item._id}`, decisionId: decision._id, resolvedAt: ctx.now, resolvedKey: `${String(ctx.now.getTime()).padStart(15, '0')}:${item._id}`, claim: null, updatedAt: ctx.now },
    )
  }
  await reviewDecisions(ctx.db).update(decision._id, { appealState: state })
  const after: AppealDoc = { ...appeal, ...ruled }
  try {
    return await completeAppeal(ctx, after, { ...decision, appealState: state })
  } catch (error) {
    ctx.log.error('appeal ruling not completed; the sweep will finish it', { requestId: ctx.requestId, appealId, error: String(error) })
    return after
  }
}

type Step = keyof AppealDoc['steps']

/** Carries out the ruling, each step once; the effects are what the person is told. */
export async function completeAppeal(ctx: Context, start: AppealDoc, decision: ReviewDecisionDoc): Promise<AppealDoc> {
  let appeal = start
  const mark = async (step: Step, effect: string | null): Promise<void> => {
    const effects = effect ? [...appeal.effects, effect] : appeal.effects
    const patch: Patch = { [`steps.${step}`]: true, effects: ctx.db.cmd.set(effects) }
    await appeals(ctx.db).update(appeal._id, patch)
    appeal = { ...appeal, effects, steps: { ...appeal.steps, [step]: true } }
  }
  if (appeal.state === 'overturned') {
    if (!appeal.steps.strike) {
      await reviewDecisions(ctx.db).updateWhere({ _id: decision._id, strike: ctx.db.cmd.neq(null), 'strike.overruledAt': null }, { 'strike.overruledAt': ctx.now })
      await mark('strike', decision.strike ? '违规记录已撤销' : null)
    }
    if (!appeal.steps.account) await mark('account', await liftAccountEffect(ctx, decision, appeal.deciderRole ?? 'reviewer', `申诉成立：${appeal.reason ?? ''}`))
    if (!appeal.steps.content) await mark('content', await restoreContent(ctx, decision))
  }
  if (!appeal.steps.notice) {
    const overturned = appeal.state === 'overturned'
    await notify(ctx, {
      recipient: appeal.appellant,
      type: 'moderationDecision',
      title: overturned ? '申诉成立，原决定已撤销' : '申诉复核结果：维持原决定',
      body: overturned
        ? `经复核，撤销原处理决定。复核说明：${appeal.reason ?? ''}${appeal.effects.length > 0 ? `\n${appeal.effects.join('；')}。` : ''}`
        : `经复核，维持原处理决定。复核说明：${appeal.reason ?? ''}\n如仍有异议，可以依法向有关主管部门投诉或举报。`,
      link: CONDUCT_PAGE,
      dedupeKey: `appeal:${appeal._id}:ruled`,
    })
    await mark('notice', null)
  }
  await appeals(ctx.db).update(appeal._id, { completedAt: ctx.now })
  return { ...appeal, completedAt: ctx.now }
}

/**
 * Content taken down by the decision goes through the gate again as it is
 * now (without the hold a take-down puts on edits): published if it passes
 * today, back with a reviewer if the checks hold it, still down if refused.
 * Content edited since the decision is left to its own, newer decision.
 */
async function restoreContent(ctx: Context, decision: ReviewDecisionDoc): Promise<string | null> {
  if (decision.outcome !== 'remove') return null
  if (decision.kind === 'nickname' || decision.kind === 'avatar' || decision.kind === 'account') return '你可以重新设置昵称和头像'
  if (!isContentReviewKind(decision.kind) || !decision.moderationDecisionId) return null
  const facts = await targetFacts(ctx, decision.kind, decision.targetId)
  if (!facts?.request) return '内容已被删除，无法恢复'
  if (facts.moderation?.decisionId !== decision.moderationDecisionId) return '内容在处理后已被修改，修改后的版本按正常流程审核'
  const author = await findAccount(ctx.db, decision.subject)
  if (!author) return null
  let moderation
  try {
    moderation = await moderate({ ...ctx, openid: author.openid, account: author }, { ...facts.request, afterAppeal: true })
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONTENT_REFUSED') return '内容按现行审核标准仍不能发布，暂不恢复；你可以修改后重新发布'
    throw error
  }
  const targets = ctx.db.collection(TARGET_COLLECTIONS[decision.kind])
  const written = await targets.updateWhere({ _id: decision.targetId, 'moderation.decisionId': decision.moderationDecisionId }, { moderation: ctx.db.cmd.set(moderation) })
  if (written === 0) return '内容在处理后已被修改，修改后的版本按正常流程审核'
  const shown = await decisions(ctx.db).byId(moderation.decisionId)
  if (shown) await afterDecisionShown(ctx, shown)
  return moderation.state === 'published' ? '内容已恢复显示' : '内容已重新提交审核，通过后恢复显示'
}

/** The sweep's part: overturns and upholds whose completion was cut short. */
export async function finishAppeals(ctx: Context): Promise<number> {
  let finished = 0
  const settled = new Date(ctx.now.getTime() - 60 * 1000)
  const _ = ctx.db.cmd
  await walk(ctx.db, appeals(ctx.db), { completedAt: null, state: _.neq('open'), decidedAt: _.lt(settled) }, '_id', async (appeal) => {
    const decision = await reviewDecisions(ctx.db).byId(appeal.decisionId)
    if (!decision) return
    await completeAppeal(ctx, appeal, decision)
    finished++
  })
  return finished
}

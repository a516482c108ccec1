/** How a person's account state reads: the state view and the inbox messages of each transition. */
import { ACCOUNT_STATE_LABELS, APPEALABLE_STATES, type AccountState, type SelfServiceAction } from '../../../shared/account'
import type { LifecycleView } from '../../../shared/contract/account'
import { activeBans, FEATURE_LABELS, TRANSITIONS, type FeatureBan, type TransitionName } from '../../../shared/rules/lifecycle'
import { stateOf, type AccountDoc } from '../accounts'
import { beijingDateTime } from '../clock'
import type { Config } from '../config'
import { APPEAL_HINT } from '../../../shared/review'

const SELF_SERVICE: Record<SelfServiceAction, TransitionName> = {
  freeze: 'freezeSelf',
  unfreeze: 'unfreezeSelf',
  wake: 'wake',
  requestDeletion: 'requestDeletion',
  cancelDeletion: 'cancelDeletion',
}

function bansText(bans: readonly FeatureBan[]): string {
  return bans.map((ban) => `${FEATURE_LABELS[ban.feature]}（至 ${beijingDateTime(ban.until)}）`).join('、')
}

function noticeOf(state: AccountState, doc: AccountDoc, bans: readonly FeatureBan[], config: Config): string {
  switch (state) {
    case 'active':
      return '账号状态正常。'
    case 'restricted':
      return `以下功能暂时不能使用：${bansText(bans)}（北京时间），到期自动恢复。`
    case 'suspended':
      return `账号暂停使用至 ${beijingDateTime(doc.stateUntil ?? new Date(0))}（北京时间），期满自动恢复。`
    case 'frozenBySelf':
      return '你已冻结账号，冻结期间无法使用；确认账号安全后可以本人解冻。'
    case 'frozenByStaff':
      return '账号已被平台冻结，冻结期间无法使用。'
    case 'pendingDeletion':
      return `账号注销冷静期中：${beijingDateTime(doc.deletionDueAt ?? new Date(0))}（北京时间）起将删除或匿名化你的个人信息；在此之前可以随时撤销注销。`
    case 'dormant':
      return doc.verifiedAt === null
        ? `账号因超过 ${config.dormancyMonths} 个月未使用已转为休眠，你发布的内容暂不对他人显示，数据仍然保留；重新登录即可恢复。`
        : `账号因超过 ${config.dormancyMonths} 个月未使用已转为休眠，你发布的内容暂不对他人显示，数据仍然保留；在「账号与安全」完成本人人脸核验即可恢复。`
    case 'terminated':
      return '平台已终止向该账号提供服务。'
    case 'deleted':
      return '账号已注销。'
  }
}

export function lifecycleViewOf(doc: AccountDoc, now: Date, config: Config): LifecycleView {
  const state = stateOf(doc, now)
  // A timed state that ended by itself no longer carries the decision's reason.
  const ended = state !== doc.state
  const bans = state === 'restricted' ? activeBans(doc.bans, now) : []
  const available = (Object.keys(SELF_SERVICE) as SelfServiceAction[]).filter((action) => {
    const transition = TRANSITIONS[SELF_SERVICE[action]]
    return (transition.from as readonly AccountState[]).includes(state)
  })
  return {
    state,
    label: ACCOUNT_STATE_LABELS[state],
    reason: ended ? null : doc.stateReason,
    until: !ended && (state === 'suspended' || state === 'restricted') && doc.stateUntil ? doc.stateUntil.toISOString() : null,
    changedAt: doc.stateChangedAt?.toISOString() ?? null,
    bans: bans.map((ban) => ({ feature: ban.feature, label: FEATURE_LABELS[ban.feature], until: ban.until.toISOString(), reason: ban.reason })),
    deletionDueAt: state === 'pendingDeletion' && doc.deletionDueAt ? doc.deletionDueAt.toISOString() : null,
    notice: noticeOf(state, doc, bans, config),
    appeal: APPEALABLE_STATES.has(state) ? APPEAL_HINT : null,
    available,
  }
}

/** Why signed-in features are refused in this state, in one sentence. */
export function unavailableMessage(doc: AccountDoc, state: AccountState, config: Config): string {
  const reason = doc.stateReason && state !== 'pendingDeletion' && state !== 'dormant' ? `理由：${doc.stateReason}。` : ''
  return `${noticeOf(state, doc, [], config)}${reason}`
}

/**
 * How a dormant account comes back: an unverified one wakes by signing in; a
 * verified one only by its owner's face check (account.wake), which a sign-in
 * alone does not replace.
 */
export function howToWake(doc: Pick<AccountDoc, 'verifiedAt'>): string {
  return doc.verifiedAt === null ? '重新登录即可恢复。' : '在「我的 → 账号与安全」完成本人人脸核验即可恢复。'
}

export interface StateMessage {
  title: string
  body: string
}

/** The inbox message of a transition (the account after it); null for transitions nobody is left to tell. */
export function transitionMessage(name: TransitionName, after: AccountDoc, config: Config, actorIsStaff: boolean): StateMessage | null {
  const reason = after.stateReason ? `\n理由：${after.stateReason}` : ''
  const appeal = `\n${APPEAL_HINT}`
  const until = after.stateUntil ? beijingDateTime(after.stateUntil) : ''
  switch (name) {
    case 'restrict':
      return { title: '部分功能已被限制', body: `以下功能暂停使用：${bansText(after.bans)}（北京时间），到期自动恢复。${reason}${appeal}` }
    case 'liftRestrictions':
      return actorIsStaff
        ? { title: '功能限制已解除', body: `平台已解除对你账号的功能限制。${reason}` }
        : { title: '功能限制已到期', body: '限制期已满，相关功能已恢复使用。' }
    case 'suspend':
      return { title: '账号已被暂停使用', body: `账号暂停使用至 ${until}（北京时间），期满自动恢复。${reason}${appeal}` }
    case 'endSuspension':
      return { title: '账号已恢复使用', body: '暂停期已满，账号已恢复正常。' }
    case 'freezeSelf':
      return {
        title: '账号已冻结',
        body: '你已冻结账号，冻结期间任何人都无法使用它。确认账号安全后，可以在「我的 → 账号与安全」本人解冻。如果这不是你本人的操作，请立即联系我们。',
      }
    case 'unfreezeSelf':
      return { title: '账号已解冻', body: '你已解除自助冻结，账号恢复正常。如果这不是你本人的操作，请立即重新冻结并联系我们。' }
    case 'freezeByStaff':
      return { title: '账号已被平台冻结', body: `平台已冻结你的账号，冻结期间无法使用。${reason}${appeal}` }
    case 'restore':
      return { title: '账号已恢复', body: `平台已恢复你的账号，现在可以正常使用。${reason}` }
    case 'overturn':
      return { title: '申诉成立，处罚已撤销', body: `经复核，平台撤销了对你账号的处理，账号恢复正常。${reason}` }
    case 'requestDeletion':
      return {
        title: '已收到你的注销申请',
        body: `冷静期至 ${beijingDateTime(after.deletionDueAt ?? new Date(0))}（北京时间）。冷静期内可以随时撤销注销；期满后我们将在 15 个工作日内删除或匿名化你的个人信息。`,
      }
    case 'cancelDeletion':
      return { title: '已撤销注销', body: '你已撤销注销申请，账号恢复正常，个人信息不会被删除。' }
    case 'completeDeletion':
      // Erasure removes the inbox itself: the person was told the date when they asked.
      return null
    case 'markDormant':
      return {
        title: '账号已转为休眠',
        body: `账号超过 ${config.dormancyMonths} 个月未使用，已转为休眠：你发布的内容暂不对他人显示，数据全部保留，不会因此被删除。${howToWake(after)}`,
      }
    case 'wake':
      return { title: '账号已从休眠恢复', body: '欢迎回来！你的账号已恢复正常，发布的内容重新对他人显示。' }
    case 'terminate':
      return { title: '平台已终止服务', body: `平台已终止向你的账号提供服务。${reason}${appeal}` }
  }
}

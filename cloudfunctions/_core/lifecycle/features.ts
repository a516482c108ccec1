import type { Feature } from '../../../shared/rules/lifecycle'
import { FEATURE_LABELS, activeBans, isBanned } from '../../../shared/rules/lifecycle'
import { beijingDateTime } from '../clock'
import { timedFacts } from '../accounts'
import type { AccountContext } from '../context'
import { fail } from '../errors'

/** For domains: refuse a feature the account is banned from, saying until when and why. */
export function requireFeature(ctx: AccountContext, feature: Feature): void {
  const facts = timedFacts(ctx.account)
  if (!isBanned(facts, feature, ctx.now)) return
  const ban = activeBans(facts.bans, ctx.now).find((b) => b.feature === feature)
  fail('FEATURE_RESTRICTED', `「${FEATURE_LABELS[feature]}」已被限制使用至 ${beijingDateTime(ban?.until ?? ctx.now)}（北京时间）。理由：${ban?.reason ?? ''}`)
}

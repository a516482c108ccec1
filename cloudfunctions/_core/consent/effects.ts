/**
 * What withdrawing (or refusing after granting) a consent does, per purpose:
 * the processing stops and what it produced is deleted or hidden at once
 * (PIPL Art. 15, 47). Each effect is idempotent, so a retry finishes the job.
 */
import type { PurposeId } from '../../../shared/consent'
import { accounts } from '../accounts'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Doc } from '../db'
import { removeIdentityData } from '../identity/records'

/** Returns what it did, in words for the person. */
export type WithdrawalEffect = (ctx: Context, subject: string) => Promise<string>

/** Real-name data is one whole: without any of its three consents, verification ends and pending verifications go too. */
const endVerification: WithdrawalEffect = async (ctx, subject) => {
  const removed = await removeIdentityData(ctx, subject)
  await accounts(ctx.db).updateWhere({ openid: subject, verifiedAt: ctx.db.cmd.neq(null) }, { verifiedAt: null, updatedAt: ctx.now })
  return removed > 0 ? `已删除你的实名信息（${removed} 条），实名认证已失效。` : '实名认证已失效，没有需要删除的实名信息。'
}

export const WITHDRAWAL_EFFECTS: Record<PurposeId, WithdrawalEffect | null> = {
  // Contract purposes end with the account (WITHDRAW_VIA_DELETION), not by withdrawal.
  terms: null,
  privacy: null,
  childrenRules: null,
  idNumber: endVerification,
  face: endVerification,
  partnerSharing: endVerification,
  async publicCard(ctx, subject) {
    const hidden = await ctx.db.collection<Doc>(COLLECTIONS.cards).updateWhere({ ownerOpenid: subject }, { consentHidden: true })
    return hidden > 0 ? `你的名片（${hidden} 张）已对他人隐藏。` : '你的名片已对他人隐藏。'
  },
  async location(ctx, subject) {
    const removed = await ctx.db.collection<Doc>(COLLECTIONS.locations).removeWhere({ openid: subject })
    return removed > 0 ? `已删除保存的位置信息（${removed} 条），不再读取你的位置。` : '不再读取你的位置，没有保存的位置信息。'
  },
  async personalization(ctx, subject) {
    const removed = await ctx.db.collection<Doc>(COLLECTIONS.cardVisits).removeWhere({ viewerOpenid: subject })
    return removed > 0 ? `已删除你的名片访问记录（${removed} 条），不再记录。` : '不再记录你的名片访问，没有需要删除的记录。'
  },
}

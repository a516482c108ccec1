/** Shared by the staff-side page tests: staff, reported content and decisions made through the real backend. */
import { cardPublisher, SAMPLE_CARD, type TestCloud } from '../../local/testing'
import type { OwnCardView } from '../../shared/contract/cards'
import type { ItemView, StaffDecisionView } from '../../shared/contract/moderation'
import { callAs } from './backend'

/** A verified member of staff (the role arranged in the store, as `npm run admin:grant` does). */
export async function staffMember(cloud: TestCloud, openid: string, role: 'reviewer' | 'admin'): Promise<string> {
  await cardPublisher(cloud, openid)
  const account = await cloud.store.collection('accounts').findOne({ openid })
  if (!account) throw new Error(`no account for ${openid}`)
  await cloud.store.collection('accounts').update(account._id, { roles: ['user', role] })
  return account._id
}

/** A verified person with a published card (`intro` with 沙箱待审 makes the gate hold it). */
export async function cardOf(cloud: TestCloud, openid: string, card: Partial<typeof SAMPLE_CARD> = {}): Promise<OwnCardView> {
  await cardPublisher(cloud, openid)
  return (await callAs(cloud, openid, 'cards', 'create', { ...SAMPLE_CARD, ...card })).card
}

export async function itemIdOf(cloud: TestCloud, kind: string, targetId: string): Promise<string> {
  const found = await cloud.store.collection('moderation_reviewables').findOne({ kind, targetId, state: 'open' })
  if (!found) throw new Error(`no open item for ${kind} ${targetId}`)
  return found._id
}

/** A card reported by `reporter` and removed by `reviewer` with the ladder's step; the decision. */
export async function removedCard(cloud: TestCloud, author: string, reporter: string, reviewer: string, extra: Record<string, unknown> = {}): Promise<StaffDecisionView> {
  const card = await cardOf(cloud, author)
  await callAs(cloud, reporter, 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam' })
  const id = await itemIdOf(cloud, 'card', card.id)
  const { item } = await callAs(cloud, reviewer, 'moderation', 'item', { reviewableId: id, reason: '处理举报队列' })
  return (await callAs(cloud, reviewer, 'moderation', 'decide', removalOf(item, extra))).decision
}

export function removalOf(item: ItemView, extra: Record<string, unknown> = {}) {
  const step = item.suggested
  return {
    reviewableId: item.reviewable.id,
    outcome: 'remove' as const,
    moderationDecisionId: item.moderationDecisionId,
    category: 'spam' as const,
    rule: 'harassment' as const,
    facts: '名片简介中反复出现引流广告',
    accountAction: step?.action ?? 'none',
    ...(step?.until ? { until: step.until } : {}),
    ...(step && step.features.length > 0 ? { features: step.features } : {}),
    ...extra,
  }
}

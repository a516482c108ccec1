/** Helpers for the staff-side tests (reports, the queue, decisions, appeals): every call goes through the real dispatcher. */
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import type { InboxMessageDoc } from '../../cloudfunctions/_core/inbox'
import { acceptCurrentTerms, cardPublisher, SAMPLE_CARD, startTestCloud, verifiedPublisher, type TestCloud, uploadsOf } from '../../local/testing'
import type { OwnCardView } from '../../shared/contract/cards'
import type { ItemView, StaffDecisionView } from '../../shared/contract/moderation'
import type { ApiResult } from '../../shared/errors'
import { ok } from './helpers'

export type Call = (openid: string, fn: string, action: string, input?: unknown) => Promise<ApiResult<unknown>>

export function caller(cloud: TestCloud): Call {
  return (openid, fn, action, input = {}) => cloud.call(fn, { action, input }, openid)
}

/** A verified staff member who shows a public card (roles are arranged in the database, as `npm run admin:grant` does). */
export async function staff(cloud: TestCloud, openid: string, role: 'reviewer' | 'admin'): Promise<string> {
  await cardPublisher(cloud, openid)
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}`)
  await accounts(cloud.store).update(account._id, { roles: ['user', role] })
  return account._id
}

/** A verified person with a published, public card; returns the card. */
/** `ownAvatar`: the name of an image in the person's own upload folder to use as the card's avatar. */
export async function personWithCard(cloud: TestCloud, openid: string, card: Partial<typeof SAMPLE_CARD> = {}, ownAvatar?: string): Promise<OwnCardView> {
  await cardPublisher(cloud, openid)
  const avatar = ownAvatar === undefined ? {} : { avatarUrl: (await uploadsOf(cloud, openid))(ownAvatar) }
  return ok<{ card: OwnCardView }>(await cloud.call('cards', { action: 'create', input: { ...SAMPLE_CARD, ...card, ...avatar } }, openid)).card
}

/** A registered reporter, verified (weight 1) or not (weight 0.5). */
export async function reporter(cloud: TestCloud, openid: string, verified: boolean): Promise<void> {
  if (verified) await verifiedPublisher(cloud, openid)
  else await acceptCurrentTerms(cloud, openid)
}

/** The id of the open queue item about a target (arranging a test; the queue itself is tested through moderation.queue). */
export async function itemIdOf(cloud: TestCloud, kind: string, targetId: string): Promise<string> {
  const found = await cloud.store.collection<{ _id: string; kind: string; targetId: string; state: string }>('moderation_reviewables').findOne({ kind, targetId, state: 'open' })
  if (!found) throw new Error(`no open item for ${kind} ${targetId}`)
  return found._id
}

export async function itemOf(cloud: TestCloud, reviewer: string, reviewableId: string): Promise<ItemView> {
  return ok<{ item: ItemView }>(await cloud.call('moderation', { action: 'item', input: { reviewableId, reason: '处理举报队列' } }, reviewer)).item
}

export async function decideAs(cloud: TestCloud, reviewer: string, input: Record<string, unknown>): Promise<StaffDecisionView> {
  return ok<{ decision: StaffDecisionView }>(await cloud.call('moderation', { action: 'decide', input }, reviewer)).decision
}

/** A removal with a complete statement of reasons, as the decide form sends it (the ladder's step unless `action` says otherwise). */
export function removal(item: ItemView, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const suggested = item.suggested
  return {
    reviewableId: item.reviewable.id,
    outcome: item.reviewable.kind === 'account' ? 'sanction' : 'remove',
    moderationDecisionId: item.moderationDecisionId,
    category: 'spam',
    rule: 'harassment',
    facts: '名片简介中反复出现引流广告',
    accountAction: suggested?.action ?? 'none',
    ...(suggested?.until ? { until: suggested.until } : {}),
    ...(suggested && suggested.features.length > 0 ? { features: suggested.features } : {}),
    ...extra,
  }
}

export async function inboxOf(cloud: TestCloud, openid: string): Promise<InboxMessageDoc[]> {
  return cloud.store.collection<InboxMessageDoc>('inbox_messages').find({ recipient: openid }, { orderBy: [['createdAt', 'asc'], ['_id', 'asc']], limit: 100 })
}

export interface ReviewStage {
  cloud: TestCloud
  call: Call
  /** An admin, two reviewers and three verified reporters, named after `prefix`. */
  admin: string
  reviewer: string
  reviewer2: string
  reporters: [string, string, string]
}

/**
 * The cast of a staff-side test file, set up once (beforeAll), closed after
 * (afterAll), the clock a second on before each test. Read it inside tests:
 * the cloud exists only once beforeAll ran.
 */
export function reviewStage(prefix: string): ReviewStage {
  const stage = {
    admin: `${prefix}-admin`,
    reviewer: `${prefix}-reviewer`,
    reviewer2: `${prefix}-reviewer-2`,
    reporters: [`${prefix}-r1`, `${prefix}-r2`, `${prefix}-r3`] as [string, string, string],
  } as ReviewStage
  beforeAll(async () => {
    stage.cloud = await startTestCloud({ start: new Date('2026-12-07T02:00:00.000Z') })
    stage.call = caller(stage.cloud)
    await staff(stage.cloud, stage.admin, 'admin')
    await staff(stage.cloud, stage.reviewer, 'reviewer')
    await staff(stage.cloud, stage.reviewer2, 'reviewer')
    for (const who of stage.reporters) await reporter(stage.cloud, who, true)
  })
  afterAll(async () => {
    await stage.cloud.close()
  })
  beforeEach(() => {
    stage.cloud.clock.advance(1000)
  })
  return stage
}

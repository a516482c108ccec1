/**
 * What a content domain does once a moderation decision has been written onto
 * its target (targets.ts `syncTarget`, after an image verdict or a reviewer
 * changed the decision's state): e.g. the activities domain tells attendees
 * the details of an edit only once a decision published them. One entry per
 * kind, registered here by the domain (as the erasure and export registries
 * are), so every function that can apply a decision carries the hook.
 *
 * A hook reads the target itself, must be idempotent, and may throw: the
 * decision is then left unsynced and the media sweep applies it again.
 */
import { isMessageKind, type PublishedKind } from '../../../shared/content'
import { activityDecisionShown } from '../activities/notices'
import type { Context } from '../context'
import type { ModerationDecisionDoc } from './decisions'

export type DecisionShownHook = (ctx: Context, decision: ModerationDecisionDoc) => Promise<void>

const HOOKS: Partial<Record<PublishedKind, DecisionShownHook>> = {
  activity: activityDecisionShown,
}

export async function afterDecisionShown(ctx: Context, decision: ModerationDecisionDoc): Promise<void> {
  if (isMessageKind(decision.kind)) return
  await HOOKS[decision.kind]?.(ctx, decision)
}

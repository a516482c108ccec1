/** Every deployable function the local cloud serves; typed so a function in the contract cannot be missing. */
import type { FunctionName } from '../shared/contract'
import { accountFunction } from '../cloudfunctions/account/handlers'
import { activitiesFunction } from '../cloudfunctions/activities/handlers'
import { articlesFunction } from '../cloudfunctions/articles/handlers'
import { cardsFunction } from '../cloudfunctions/cards/handlers'
import { moderationFunction } from '../cloudfunctions/moderation/handlers'
import { adminFunction } from '../cloudfunctions/admin/handlers'
import { consentFunction } from '../cloudfunctions/consent/handlers'
import { identityFunction } from '../cloudfunctions/identity/handlers'
import { inboxFunction } from '../cloudfunctions/inbox/handlers'
import { legalFunction } from '../cloudfunctions/legal/handlers'
import { oidcFunction } from '../cloudfunctions/oidc/handlers'
import { schedulerFunction } from '../cloudfunctions/scheduler/handlers'
import type { AnyFunctionDef } from '../cloudfunctions/_core/dispatch'

export const FUNCTIONS: Record<FunctionName, AnyFunctionDef> = {
  account: accountFunction,
  legal: legalFunction,
  consent: consentFunction,
  inbox: inboxFunction,
  identity: identityFunction,
  admin: adminFunction,
  scheduler: schedulerFunction,
  cards: cardsFunction,
  activities: activitiesFunction,
  articles: articlesFunction,
  moderation: moderationFunction,
  oidc: oidcFunction,
}

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name)
}

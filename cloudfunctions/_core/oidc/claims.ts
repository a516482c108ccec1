/**
 * What a client learns about a person: a pseudonymous subject of its own
 * sector, and only the claims of the scopes the person agreed to share, each
 * read fresh from the verified identity when a token is issued.
 */
import { claimsOf, FULL_ID_NUMBER_ORG_TYPES, type OidcClaim, type OidcScope } from '../../../shared/oidc'
import { beijingDate, completedYears, parseCalendarDate } from '../../../shared/rules/age'
import { maskIdNumber } from '../../../shared/rules/id-number'
import type { AccountDoc } from '../accounts'
import type { Config } from '../config'
import type { Context } from '../context'
import { keyedRef, type Keyring } from '../identity/crypto'
import { identities } from '../identity/records'
import type { ClientDoc } from './records'

/**
 * The pairwise subject (OIDC Core §8.1): a keyed hash of the sector and the
 * account id — stable for every client of one organization's sector,
 * unrelated across sectors, and never the openid, unionid or account id.
 */
export function pairwiseSubject(config: Pick<Config, 'blindIndexKey'>, sector: string, accountId: string): string {
  return keyedRef(config.blindIndexKey, 'oidc-subject', `${sector}\u0000${accountId}`)
}

export type ClaimValues = Partial<Record<OidcClaim, string | number | boolean>>

/** Null when the person no longer has a verified identity (then no token is issued). */
export async function claimValues(
  ctx: Pick<Context, 'db' | 'now'>,
  keyring: Keyring,
  client: Pick<ClientDoc, 'orgType'>,
  account: AccountDoc,
  scopes: readonly OidcScope[],
): Promise<ClaimValues | null> {
  const identity = await identities(ctx.db).findOne({ openid: account.openid })
  if (!identity || account.verifiedAt === null) return null
  const wanted = new Set(claimsOf(scopes))
  const birth = parseCalendarDate(identity.birthDate)
  const age = birth ? completedYears(birth, beijingDate(ctx.now)) : 0
  const idNumber = wanted.has('id_number') || wanted.has('gender') ? keyring.decrypt(identity.idNumberSealed, 'idNumber') : null
  const all: ClaimValues = {
    real_name_verified: true,
    verified_at: Math.floor(account.verifiedAt.getTime() / 1000),
    age_over_14: age >= 14,
    age_over_18: age >= 18,
    birthdate: identity.birthDate,
  }
  if (wanted.has('name')) all.name = keyring.decrypt(identity.nameSealed, 'name')
  if (idNumber !== null) {
    // GB 11643: the 17th character is odd for men, even for women.
    all.gender = Number(idNumber.charAt(16)) % 2 === 1 ? 'male' : 'female'
    all.id_number = FULL_ID_NUMBER_ORG_TYPES.includes(client.orgType) ? idNumber : maskIdNumber(idNumber)
  }
  const shared: ClaimValues = {}
  for (const claim of wanted) if (all[claim] !== undefined) shared[claim] = all[claim]
  return shared
}

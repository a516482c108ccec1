/**
 * The consent gate: whether a person may use signed-in features now, decided
 * from their ledger and the documents in effect. The dispatcher runs it on
 * every non-exempt call (one ledger query plus the cached catalogue); domains
 * call `requireConsent` before processing that needs a separate or optional consent.
 */
import { PURPOSES, requiredPurposes, type PurposeId } from '../../../shared/consent'
import { ageClass, beijingDate, parseCalendarDate, type AgeClass } from '../../../shared/rules/age'
import type { AccountDoc } from '../accounts'
import type { AccountContext, Context } from '../context'
import { fail } from '../errors'
import { documentCatalogue, type DocumentCatalogue, type VersionRecord } from '../legal'
import { Ledger, NO_DECISION, type ConsentRecordDoc, type PurposeDecision } from './ledger'

export type Block = 'TERMS_NOT_ACCEPTED' | 'TERMS_UPDATED' | 'GUARDIAN_CONSENT_REQUIRED'

export function ageClassOf(account: Pick<AccountDoc, 'birthDate'>, now: Date): AgeClass {
  return ageClass(account.birthDate ? parseCalendarDate(account.birthDate) : null, beijingDate(now))
}

export function ledgerOf(ctx: Pick<Context, 'db' | 'config'>): Ledger {
  return new Ledger(ctx.db, ctx.config)
}

export interface Standing {
  purpose: PurposeId
  decision: PurposeDecision
  /** The version of the purpose's document in effect now. */
  current: VersionRecord | null
  /** The person's standing grant of that version, if any. */
  currentGrant: ConsentRecordDoc | null
}

export function standingOf(purpose: PurposeId, decision: PurposeDecision, catalogue: DocumentCatalogue, now: Date): Standing {
  const current = catalogue.current(PURPOSES[purpose].document, now)
  const currentGrant = current ? (decision.activeGrants.find((r) => r.version === current.version) ?? null) : null
  return { purpose, decision, current, currentGrant }
}

/** Granted for the version in effect, and by a guardian when the person is under 14. */
export function isSatisfied(standing: Standing, under14: boolean): boolean {
  return standing.currentGrant !== null && (!under14 || standing.currentGrant.method === 'guardian')
}

export interface TermsVerdict {
  ageClass: AgeClass
  required: Standing[]
  blocked: Block | null
  /** The Chinese explanation to show when blocked. */
  message: string | null
}


export function judgeTerms(age: AgeClass, decisions: ReadonlyMap<PurposeId, PurposeDecision>, catalogue: DocumentCatalogue, now: Date): TermsVerdict {
  const under14 = age === 'under14'
  const required = requiredPurposes(under14).map((p) => standingOf(p, decisions.get(p) ?? NO_DECISION, catalogue, now))
  const unmet = required.filter((s) => !isSatisfied(s, under14))
  if (unmet.length === 0) return { ageClass: age, required, blocked: null, message: null }
  const blocked: Block = under14
    ? 'GUARDIAN_CONSENT_REQUIRED'
    : unmet.some((s) => !s.decision.everGranted)
      ? 'TERMS_NOT_ACCEPTED'
      : 'TERMS_UPDATED'
  // A person who said no is told so plainly, with the two ways forward.
  const refused = unmet.find((s) => s.decision.latest?.action === 'refuse')
  const message = refused
    ? `你已拒绝《${refused.current?.title ?? PURPOSES[refused.purpose].title}》，在同意之前无法继续使用服务。你可以重新阅读并同意，或联系我们注销账号。`
    : null
  return { ageClass: age, required, blocked, message }
}

/** Every purpose that can be required; reading them all needs no birth date, so the read can start before the account is known. */
const CONTRACT_PURPOSES = requiredPurposes(true)

/**
 * The dispatcher's gate, in two halves: the ledger read starts at once, in
 * parallel with the account lookup; the returned check judges it against the account.
 */
export function startTermsCheck(ctx: Context): (account: AccountDoc) => Promise<void> {
  const reading = Promise.all([ledgerOf(ctx).decisions(ctx.openid, CONTRACT_PURPOSES), documentCatalogue(ctx.db)])
  // Unawaited when access is refused first; that must not become an unhandled rejection.
  reading.catch(() => undefined)
  return async (account) => {
    const [decisions, catalogue] = await reading
    const verdict = judgeTerms(ageClassOf(account, ctx.now), decisions, catalogue, ctx.now)
    const unpublished = verdict.required.filter((s) => s.current === null).map((s) => PURPOSES[s.purpose].document)
    // Nobody can accept a document that was never published: the operator must publish it (legal.publish).
    if (unpublished.length > 0) ctx.log.error('required documents have no version in effect', { requestId: ctx.requestId, documents: unpublished })
    if (verdict.blocked) fail(verdict.blocked, verdict.message ?? undefined)
  }
}

/** The purposes among `purposes` whose current notice is not granted (in their order). */
async function missingConsents(ctx: AccountContext, purposes: readonly PurposeId[]): Promise<Standing[]> {
  const [decisions, catalogue] = await Promise.all([ledgerOf(ctx).decisions(ctx.openid, purposes), documentCatalogue(ctx.db)])
  const under14 = ageClassOf(ctx.account, ctx.now) === 'under14'
  return purposes
    .map((purpose) => standingOf(purpose, decisions.get(purpose) ?? NO_DECISION, catalogue, ctx.now))
    .filter((standing) => !isSatisfied(standing, under14))
}

/** Whether every one of `purposes` is granted now (for processing that is skipped, not refused, without them). */
export async function consentsInForce(ctx: AccountContext, purposes: readonly PurposeId[]): Promise<boolean> {
  return (await missingConsents(ctx, purposes)).length === 0
}

/** For domains: refuse processing that needs `purpose` unless its current notice is granted. */
export async function requireConsent(ctx: AccountContext, purpose: PurposeId): Promise<void> {
  return requireConsents(ctx, [purpose])
}

/**
 * For processing that needs several separate consents at once: one refusal
 * naming every purpose still missing, in the message and as issues
 * (`consents.<purpose>`) the client can turn into the consent screens to show.
 */
export async function requireConsents(ctx: AccountContext, purposes: readonly PurposeId[]): Promise<void> {
  const missing = await missingConsents(ctx, purposes)
  const [first] = missing
  if (!first) return
  const lineOf = (standing: Standing): string => {
    const title = PURPOSES[standing.purpose].title
    return standing.decision.latest?.action === 'grant' ? `「${title}」的说明已更新，请阅读并重新同意` : `需要你单独同意「${title}」`
  }
  const message =
    missing.length === 1
      ? first.decision.latest?.action === 'grant'
        ? `「${PURPOSES[first.purpose].title}」的说明已更新，请阅读并重新同意后使用这项功能`
        : `这项功能需要你单独同意「${PURPOSES[first.purpose].title}」`
      : `这项功能需要你单独同意：${missing.map((s) => `「${PURPOSES[s.purpose].title}」`).join('、')}`
  fail(
    'CONSENT_REQUIRED',
    message,
    missing.map((standing) => ({ path: `consents.${standing.purpose}`, message: lineOf(standing) })),
  )
}

/**
 * Real-name verification, the logic behind the identity function: starting a
 * verification with the provider (limits per window), settling its result
 * once, binding one identity per person and one person per identity, face
 * re-checks, the name index, and impersonation reports. The function's
 * handlers (cloudfunctions/identity/handlers.ts) map calls onto it.
 *
 * Invariants kept without transactions:
 * - one account per person: the unique blind index on `identities.idIndex`;
 * - one identity per account: the unique `identities.openid`;
 * - a verification settles once: the conditional `usedAt: null → now` claim;
 * - starts per window: a conditional counter (`count < limit → inc`).
 */
import type { ClientActionView,CompleteResult,IdentityStatus,IdentityView,RecheckResult } from '../../../shared/contract/identity'
import { ageClass, beijingDate, parseCalendarDate } from '../../../shared/rules/age'
import { maskIdNumber, maskName } from '../../../shared/rules/id-number'
import { accounts, findAccount } from '../accounts'
import type { IdentitySettings } from '../identity/settings'
import { WITHDRAWAL_EFFECTS } from '../consent/effects'
import { requireConsents } from '../consent/gate'
import type { AccountContext, Context } from '../context'
import { AppError, fail, isDuplicateKey } from '../errors'
import { blindIndex, IdentityCryptoError } from '../identity/crypto'
import { createIdentityProvider, IdentityProviderError, type IdentityProvider, type VerificationResult, type VerificationSubject } from '../identity/providers'
import {
  identities,
  identityAttempts,
  nameRefOf,
  RECHECK_VALID_MS,
  VERIFICATION_PURPOSES,
  startCounterId,
  startCounters,
  type IdentityAttemptDoc,
  type IdentityDoc,
} from '../identity/records'
import { createAccessTokenGetter, type AccessTokenGetter } from '../identity/wechat-token'
import { orderedId } from '../ids'


/** How long the client waits before asking again about a pending result. */
const PENDING_RETRY_SECONDS = 3
/** Used attempts are kept this long (impersonation reports refer to them), then removed. */
export const USED_ATTEMPT_RETENTION_DAYS = 30
export const DAY_MS = 24 * 3600 * 1000
/** An identity whose account is still unverified this long after binding was left by an interrupted run. */
const ORPHAN_AFTER_MS = 10 * 60 * 1000

export function invalid(path: string, message: string): never {
  return fail('INVALID_INPUT', message, [{ path, message }])
}

export function settingsOf(ctx: Context): IdentitySettings {
  if (ctx.config.identity) return ctx.config.identity
  // Only a deployment mistake gets here: production loads these for the identity function.
  ctx.log.error('identity settings are not loaded in this function', { fn: ctx.fn, requestId: ctx.requestId })
  return fail('IDENTITY_SERVICE_UNAVAILABLE')
}

/** One token cache per app and instance, shared by calls. */
const tokenGetters = new Map<string, AccessTokenGetter>()

function providerOf(ctx: Context, settings: IdentitySettings): IdentityProvider {
  const now = (): Date => ctx.clock.now()
  let getAccessToken: AccessTokenGetter | undefined
  if (settings.wechatApp) {
    const { appId } = settings.wechatApp
    getAccessToken = tokenGetters.get(appId)
    if (!getAccessToken) {
      getAccessToken = createAccessTokenGetter(settings.wechatApp, { fetch: globalThis.fetch, now })
      tokenGetters.set(appId, getAccessToken)
    }
  }
  return createIdentityProvider(settings.provider, { fetch: globalThis.fetch, now, ...(getAccessToken ? { getAccessToken } : {}) })
}

/** A provider problem in words for the user; the details (never personal data) go to the log. */
function providerFailure(ctx: Context, error: unknown): AppError {
  if (!(error instanceof IdentityProviderError)) throw error
  ctx.log.error('identity provider failed', {
    requestId: ctx.requestId,
    provider: error.provider,
    problem: error.problem,
    providerCode: error.providerCode,
    detail: error.message,
  })
  if (error.problem === 'badVerificationId') return new AppError('VERIFICATION_EXPIRED', error.userMessage)
  return new AppError('IDENTITY_SERVICE_UNAVAILABLE', error.userMessage)
}

function beijingTime(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 3600 * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日 ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`
}

/**
 * Takes one start from the account's window, atomically: an increment that
 * only matches while the window is open and below the limit, or a reset that
 * only matches once the window has passed. Concurrent starts cannot overshoot.
 */
async function takeStart(ctx: AccountContext, settings: IdentitySettings): Promise<void> {
  const counters = startCounters(ctx.db)
  const id = startCounterId(ctx.openid)
  const { cmd } = ctx.db
  const windowMs = settings.startWindowHours * 3600 * 1000
  const windowOpenSince = new Date(ctx.now.getTime() - windowMs)
  for (let round = 0; round < 4; round++) {
    if ((await counters.updateWhere({ _id: id, windowStart: cmd.gt(windowOpenSince), count: cmd.lt(settings.startLimit) }, { count: cmd.inc(1) })) > 0) return
    if ((await counters.updateWhere({ _id: id, windowStart: cmd.lte(windowOpenSince) }, { windowStart: ctx.now, count: 1 })) > 0) return
    const counter = await counters.byId(id)
    if (counter) {
      if (counter.windowStart > windowOpenSince && counter.count >= settings.startLimit) {
        const retryAt = new Date(counter.windowStart.getTime() + windowMs)
        fail(
          'RATE_LIMITED',
          `实名核验每 ${settings.startWindowHours} 小时最多发起 ${settings.startLimit} 次，请于 ${beijingTime(retryAt)}（北京时间）后再试`,
          undefined,
          retryAt,
        )
      }
      continue
    }
    try {
      await counters.add({ _id: id, openid: ctx.openid, windowStart: ctx.now, count: 1 })
      return
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  fail('CONFLICT')
}

/** Gives a start back when the provider could not even begin (not the user's doing). */
async function returnStart(ctx: AccountContext): Promise<void> {
  await startCounters(ctx.db).updateWhere({ _id: startCounterId(ctx.openid), count: ctx.db.cmd.gt(0) }, { count: ctx.db.cmd.inc(-1) })
}

/**
 * Gives an identity bound before `nameRef` was kept its reference (opening the
 * sealed name here, where the keyring is): until then no card of the account
 * shows the 已实名 badge. Conditional, so a concurrent fill or rebinding wins.
 */
export async function fillNameRef(ctx: Context, settings: IdentitySettings, doc: IdentityDoc): Promise<boolean> {
  if (doc.nameRef !== undefined) return false
  const nameRef = nameRefOf(ctx.config, settings.keyring.decrypt(doc.nameSealed, 'name'))
  return (await identities(ctx.db).updateWhere({ _id: doc._id, nameRef: ctx.db.cmd.exists(false) }, { nameRef })) > 0
}

/** Every identity without `nameRef`, in pages of 100 by _id; one that cannot be opened is logged and left. */
export async function fillNameRefs(ctx: Context, settings: IdentitySettings): Promise<number> {
  const { cmd } = ctx.db
  let filled = 0
  let lastId = ''
  for (;;) {
    const where = lastId ? { nameRef: cmd.exists(false), _id: cmd.gt(lastId) } : { nameRef: cmd.exists(false) }
    const page = await identities(ctx.db).find(where, { orderBy: [['_id', 'asc']], limit: 100 })
    for (const doc of page) {
      try {
        if (await fillNameRef(ctx, settings, doc)) filled += 1
      } catch (error) {
        if (!(error instanceof IdentityCryptoError)) throw error
        ctx.log.error('identity name could not be opened for its reference', { requestId: ctx.requestId, identityId: doc._id, problem: error.problem })
      }
    }
    const last = page.at(-1)
    if (page.length < 100 || !last) return filled
    lastId = last._id
  }
}

function birthDateFromId(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`
}

export function viewOf(ctx: Context, settings: IdentitySettings, doc: IdentityDoc): IdentityView {
  return {
    maskedName: maskName(settings.keyring.decrypt(doc.nameSealed, 'name')),
    maskedIdNumber: maskIdNumber(settings.keyring.decrypt(doc.idNumberSealed, 'idNumber')),
    provider: doc.provider,
    verifiedAt: doc.verifiedAt.toISOString(),
    birthDate: doc.birthDate,
    ageClass: ageClass(parseCalendarDate(doc.birthDate), beijingDate(ctx.now)),
  }
}

/** Settles the attempt once; false when another call settled it first. */
async function claim(ctx: Context, attempt: IdentityAttemptDoc, result: 'passed' | 'failed' | 'invalid', providerCode: string): Promise<boolean> {
  const updated = await identityAttempts(ctx.db).updateWhere(
    { _id: attempt._id, usedAt: null },
    // The sealed subject is not needed any more.
    { usedAt: ctx.now, result, providerCode, subject: null },
  )
  return updated > 0
}

/**
 * Stores the identity and marks the account verified. The unique blind index
 * decides between two accounts presenting the same ID; the loser's account is
 * never touched. Returns the stored identity.
 */
async function bind(
  ctx: AccountContext,
  settings: IdentitySettings,
  attempt: IdentityAttemptDoc,
  subject: VerificationSubject,
  providerCode: string,
): Promise<IdentityDoc> {
  const idIndex = blindIndex(settings.blindIndex, subject.idNumber)
  const birthDate = birthDateFromId(subject.idNumber)
  const fresh: Omit<IdentityDoc, '_id'> = {
    openid: ctx.openid,
    nameSealed: settings.keyring.encrypt(subject.name, 'name'),
    idNumberSealed: settings.keyring.encrypt(subject.idNumber, 'idNumber'),
    idIndex,
    provider: attempt.provider,
    verificationId: attempt.verificationId,
    result: 'passed',
    providerCode,
    verifiedAt: ctx.now,
    birthDate,
    maskedName: maskName(subject.name),
    maskedIdNumber: maskIdNumber(subject.idNumber),
    nameRef: nameRefOf(ctx.config, subject.name),
  }
  let stored: IdentityDoc | null = null
  let inserted = false
  for (let round = 0; stored === null; round++) {
    try {
      stored = { _id: await identities(ctx.db).add(fresh), ...fresh }
      inserted = true
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      const holder = await identities(ctx.db).findOne({ idIndex })
      if (holder && holder.openid !== ctx.openid) {
        await identityAttempts(ctx.db).update(attempt._id, { result: 'bound', boundTo: holder.openid })
        fail('ID_ALREADY_BOUND')
      }
      // This account already holds an identity although it is not marked verified.
      const mine = holder ?? (await identities(ctx.db).findOne({ openid: ctx.openid }))
      if (!mine) fail('CONFLICT')
      if (mine.idIndex === idIndex) {
        // The same person again after a run that stopped before marking the account: finish that run.
        stored = mine
      } else {
        // Another ID: a concurrent complete of this account is binding it, or a run that stopped
        // half-way (e.g. a function timeout) left it behind long ago; only the latter is replaced.
        const orphaned = mine.verifiedAt.getTime() < ctx.now.getTime() - ORPHAN_AFTER_MS
        if (round > 0 || !orphaned || (await identities(ctx.db).removeWhere({ _id: mine._id, verifiedAt: mine.verifiedAt })) === 0) {
          fail('ALREADY_VERIFIED')
        }
      }
    }
  }

  const patch = { verifiedAt: stored.verifiedAt, birthDate: stored.birthDate, birthDateSource: 'verified' as const, updatedAt: ctx.now }
  const marked = await accounts(ctx.db).updateWhere({ _id: ctx.account._id, verifiedAt: null }, patch)
  if (marked === 0) {
    const account = await findAccount(ctx.db, ctx.openid)
    if (!account || account.verifiedAt === null) {
      // The account went away meanwhile: leave no identity without its account.
      if (inserted) await identities(ctx.db).remove(stored._id)
      fail('ACCOUNT_UNAVAILABLE')
    }
  }
  return stored
}

/**
 * The provider's answer on an attempt, with the subject unsealed for what
 * follows; an attempt the provider no longer knows is settled as invalid.
 */
async function askProvider(
  ctx: AccountContext,
  settings: IdentitySettings,
  attempt: IdentityAttemptDoc,
): Promise<{ subject: VerificationSubject; result: VerificationResult }> {
  if (!attempt.subject) fail('VERIFICATION_EXPIRED')
  const subject: VerificationSubject = {
    openid: ctx.openid,
    name: settings.keyring.decrypt(attempt.subject.name, 'name'),
    idNumber: settings.keyring.decrypt(attempt.subject.idNumber, 'idNumber'),
  }
  try {
    return { subject, result: await providerOf(ctx, settings).result(attempt.verificationId, subject) }
  } catch (error) {
    const failure = providerFailure(ctx, error)
    if (failure.code === 'VERIFICATION_EXPIRED') await claim(ctx, attempt, 'invalid', error instanceof IdentityProviderError ? error.providerCode : 'invalid')
    throw failure
  }
}

export async function settle(ctx: AccountContext, settings: IdentitySettings, attempt: IdentityAttemptDoc): Promise<CompleteResult> {
  const { subject, result } = await askProvider(ctx, settings, attempt)
  if (result.outcome === 'pending') return { outcome: 'pending', reason: result.reason, retryAfterSeconds: PENDING_RETRY_SECONDS }
  if (!(await claim(ctx, attempt, result.outcome, result.providerCode))) fail('VERIFICATION_USED')
  if (result.outcome === 'failed') return { outcome: 'failed', reason: result.reason }

  const stored = await bind(ctx, settings, attempt, subject, result.providerCode)
  // A withdrawal that landed while the provider answered must still win.
  try {
    await requireConsents(ctx, VERIFICATION_PURPOSES)
  } catch (error) {
    await WITHDRAWAL_EFFECTS.idNumber?.(ctx, ctx.openid)
    throw error
  }
  return { outcome: 'passed', identity: viewOf(ctx, settings, stored) }
}

/**
 * Starts a face check with the provider for `subject`, counted against the
 * account's start window; the sealed subject waits in the attempt for `complete`.
 */
export async function begin(
  ctx: AccountContext,
  settings: IdentitySettings,
  subject: VerificationSubject,
  purpose: 'verify' | 'recheck',
): Promise<{ verificationId: string; clientAction: ClientActionView; expiresAt: string }> {
  await takeStart(ctx, settings)
  const provider = providerOf(ctx, settings)
  let started
  try {
    started = await provider.start(subject)
  } catch (error) {
    await returnStart(ctx)
    throw providerFailure(ctx, error)
  }
  const lifetimeMs = Math.min(started.expiresInSeconds * 1000, settings.attemptMinutes * 60 * 1000)
  const expiresAt = new Date(ctx.now.getTime() + lifetimeMs)
  await identityAttempts(ctx.db).add({
    // Ordered: a verification and the re-check right after it list in that order even within one millisecond.
    _id: orderedId(ctx.now),
    openid: ctx.openid,
    verificationId: started.verificationId,
    subject: { name: settings.keyring.encrypt(subject.name, 'name'), idNumber: settings.keyring.encrypt(subject.idNumber, 'idNumber') },
    provider: provider.name,
    createdAt: ctx.now,
    expiresAt,
    usedAt: null,
    result: null,
    providerCode: null,
    boundTo: null,
    purpose,
    consumedAt: null,
  })
  return { verificationId: started.verificationId, clientAction: started.clientAction, expiresAt: expiresAt.toISOString() }
}

/** The caller's own, unsettled, unexpired attempt of `purpose` with the current provider. */
export async function usableAttempt(
  ctx: AccountContext,
  settings: IdentitySettings,
  verificationId: string,
  purpose: 'verify' | 'recheck',
): Promise<IdentityAttemptDoc> {
  const attempt = await identityAttempts(ctx.db).findOne({ verificationId })
  // Someone else's verification id, or one started for the other purpose, is as unknown as a made-up one.
  if (!attempt || attempt.openid !== ctx.openid || (attempt.purpose ?? 'verify') !== purpose) {
    fail('NOT_FOUND', purpose === 'verify' ? '没有找到这次实名核验，请重新发起' : '没有找到这次本人复核，请重新发起')
  }
  if (attempt.usedAt !== null) fail('VERIFICATION_USED')
  if (attempt.expiresAt.getTime() <= ctx.now.getTime()) fail('VERIFICATION_EXPIRED')
  if (attempt.provider !== settings.provider.provider) fail('VERIFICATION_EXPIRED', '实名核验服务已更换，请重新发起实名核验')
  return attempt
}

/** The provider's verdict on a re-check; a pass must be of the identity the account holds now. */
export async function settleRecheck(ctx: AccountContext, settings: IdentitySettings, attempt: IdentityAttemptDoc): Promise<RecheckResult> {
  const { subject, result } = await askProvider(ctx, settings, attempt)
  if (result.outcome === 'pending') return { outcome: 'pending', reason: result.reason, retryAfterSeconds: PENDING_RETRY_SECONDS }
  const identity = await identities(ctx.db).findOne({ openid: ctx.openid })
  const same = identity !== null && identity.idIndex === blindIndex(settings.blindIndex, subject.idNumber)
  const outcome = result.outcome === 'passed' && same ? 'passed' : 'failed'
  if (!(await claim(ctx, attempt, outcome, result.providerCode))) fail('VERIFICATION_USED')
  if (result.outcome === 'failed') return { outcome: 'failed', reason: result.reason }
  if (!same) return { outcome: 'failed', reason: '账号的实名信息已变更，请重新发起本人复核' }
  return { outcome: 'passed', verificationId: attempt.verificationId, validUntil: new Date(ctx.now.getTime() + RECHECK_VALID_MS).toISOString() }
}

export async function attemptsLeft(ctx: AccountContext, settings: IdentitySettings): Promise<IdentityStatus['attempts']> {
  const counter = await startCounters(ctx.db).byId(startCounterId(ctx.openid))
  const windowMs = settings.startWindowHours * 3600 * 1000
  const open = counter !== null && counter.windowStart.getTime() + windowMs > ctx.now.getTime()
  const used = open ? counter.count : 0
  const remaining = Math.max(0, settings.startLimit - used)
  return {
    limit: settings.startLimit,
    remaining,
    retryAt: open && remaining === 0 ? new Date(counter.windowStart.getTime() + windowMs).toISOString() : null,
  }
}

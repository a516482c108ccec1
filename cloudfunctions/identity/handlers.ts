/**
 * Real-name verification: start (name + ID number → provider), complete
 * (provider result → sealed identity, verified account), status, impersonation
 * reports, and the audited admin reveal.
 *
 * Invariants kept without transactions:
 * - one account per person: the unique blind index on `identities.idIndex`;
 * - one identity per account: the unique `identities.openid`;
 * - a verification settles once: the conditional `usedAt: null → now` claim;
 * - starts per window: a conditional counter (`count < limit → inc`).
 */
import type { ClientActionView, CompleteResult, IdentityStatus, IdentityView, RecheckResult } from '../../shared/contract/identity'
import { ageClass, beijingDate, parseCalendarDate } from '../../shared/rules/age'
import { ID_NUMBER_PROBLEMS, idNumberProblem, maskIdNumber, maskName } from '../../shared/rules/id-number'
import { accounts, findAccount } from '../_core/accounts'
import { noteAudit } from '../_core/audit'
import type { IdentitySettings } from '../_core/identity/settings'
import { WITHDRAWAL_EFFECTS } from '../_core/consent/effects'
import { requireConsents } from '../_core/consent/gate'
import type { AccountContext, Context } from '../_core/context'
import { defineFunction } from '../_core/define'
import { AppError, fail, isDuplicateKey } from '../_core/errors'
import { notify } from '../_core/inbox'
import { blindIndex, IdentityCryptoError } from '../_core/identity/crypto'
import {
  createIdentityProvider,
  IdentityProviderError,
  type IdentityProvider,
  type VerificationResult,
  type VerificationSubject,
} from '../_core/identity/providers'
import {
  identities,
  identityAttempts,
  impersonationReports,
  nameRefOf,
  RECHECK_VALID_MS,
  VERIFICATION_PURPOSES,
  startCounterId,
  startCounters,
  type IdentityAttemptDoc,
  type IdentityDoc,
} from '../_core/identity/records'
import { createAccessTokenGetter, type AccessTokenGetter } from '../_core/identity/wechat-token'
import { orderedId } from '../_core/ids'
import { openReviewable } from '../_core/review/queue'
import { requireRecheckConsents } from '../_core/lifecycle/reconfirm'
import { identity as identityContract } from '../../shared/contract/identity'


/** How long the client waits before asking again about a pending result. */
const PENDING_RETRY_SECONDS = 3
/** Used attempts are kept this long (impersonation reports refer to them), then removed. */
const USED_ATTEMPT_RETENTION_DAYS = 30
const DAY_MS = 24 * 3600 * 1000
/** An identity whose account is still unverified this long after binding was left by an interrupted run. */
const ORPHAN_AFTER_MS = 10 * 60 * 1000

function invalid(path: string, message: string): never {
  return fail('INVALID_INPUT', message, [{ path, message }])
}

function settingsOf(ctx: Context): IdentitySettings {
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
async function fillNameRef(ctx: Context, settings: IdentitySettings, doc: IdentityDoc): Promise<boolean> {
  if (doc.nameRef !== undefined) return false
  const nameRef = nameRefOf(ctx.config, settings.keyring.decrypt(doc.nameSealed, 'name'))
  return (await identities(ctx.db).updateWhere({ _id: doc._id, nameRef: ctx.db.cmd.exists(false) }, { nameRef })) > 0
}

/** Every identity without `nameRef`, in pages of 100 by _id; one that cannot be opened is logged and left. */
async function fillNameRefs(ctx: Context, settings: IdentitySettings): Promise<number> {
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

function viewOf(ctx: Context, settings: IdentitySettings, doc: IdentityDoc): IdentityView {
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

async function settle(ctx: AccountContext, settings: IdentitySettings, attempt: IdentityAttemptDoc): Promise<CompleteResult> {
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
async function begin(
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
async function usableAttempt(
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
async function settleRecheck(ctx: AccountContext, settings: IdentitySettings, attempt: IdentityAttemptDoc): Promise<RecheckResult> {
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

async function attemptsLeft(ctx: AccountContext, settings: IdentitySettings): Promise<IdentityStatus['attempts']> {
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

export const identityFunction = defineFunction(
  'identity', identityContract,
  {
    async start({ name, idNumber }, ctx) {
      const settings = settingsOf(ctx)
      if (ctx.account.verifiedAt !== null) fail('ALREADY_VERIFIED')
      await requireConsents(ctx, VERIFICATION_PURPOSES)
      const problem = idNumberProblem(idNumber, beijingDate(ctx.now))
      if (problem) invalid('idNumber', ID_NUMBER_PROBLEMS[problem])
      // Whether the ID is already bound is told only after the face check passes:
      // telling it here would let anyone probe which ID numbers have an account.
      return begin(ctx, settings, { openid: ctx.openid, name, idNumber }, 'verify')
    },

    async recheck(_input, ctx) {
      const settings = settingsOf(ctx)
      const identity = ctx.account.verifiedAt === null ? null : await identities(ctx.db).findOne({ openid: ctx.openid })
      if (!identity) fail('VERIFICATION_REQUIRED', '你的账号尚未实名，无需本人复核')
      // Standing grants suffice, even of an older notice: a frozen or dormant account cannot re-accept one (reconfirm.ts).
      await requireRecheckConsents(ctx)
      const subject = {
        openid: ctx.openid,
        name: settings.keyring.decrypt(identity.nameSealed, 'name'),
        idNumber: settings.keyring.decrypt(identity.idNumberSealed, 'idNumber'),
      }
      return begin(ctx, settings, subject, 'recheck')
    },

    async completeRecheck({ verificationId }, ctx) {
      const settings = settingsOf(ctx)
      const attempt = await usableAttempt(ctx, settings, verificationId, 'recheck')
      if (ctx.account.verifiedAt === null) fail('VERIFICATION_REQUIRED', '你的账号尚未实名，无需本人复核')
      await requireRecheckConsents(ctx)
      return settleRecheck(ctx, settings, attempt)
    },

    async complete({ verificationId }, ctx) {
      const settings = settingsOf(ctx)
      const attempt = await usableAttempt(ctx, settings, verificationId, 'verify')
      if (ctx.account.verifiedAt !== null) fail('ALREADY_VERIFIED')
      await requireConsents(ctx, VERIFICATION_PURPOSES)
      return settle(ctx, settings, attempt)
    },

    async status(_input, ctx) {
      const settings = settingsOf(ctx)
      const identity = await identities(ctx.db).findOne({ openid: ctx.openid })
      const verified = ctx.account.verifiedAt !== null
      // An identity from before name references: the owner's cards get their badge back from now on.
      if (verified && identity) await fillNameRef(ctx, settings, identity)
      const pending = verified
        ? null
        : await identityAttempts(ctx.db).findOne(
            { openid: ctx.openid, usedAt: null, expiresAt: ctx.db.cmd.gt(ctx.now), purpose: ctx.db.cmd.neq('recheck') },
            [['createdAt', 'desc']],
          )
      return {
        state: verified ? 'verified' : pending ? 'pending' : 'unverified',
        identity: verified && identity ? viewOf(ctx, settings, identity) : null,
        pending: pending ? { verificationId: pending.verificationId, provider: pending.provider, expiresAt: pending.expiresAt.toISOString() } : null,
        attempts: await attemptsLeft(ctx, settings),
      }
    },

    async reportImpersonation({ verificationId, reason }, ctx) {
      const attempt = await identityAttempts(ctx.db).findOne({ verificationId })
      if (!attempt || attempt.openid !== ctx.openid || attempt.result !== 'bound' || !attempt.boundTo) {
        fail('NOT_FOUND', '只有通过了人脸核验、但身份证号已被其他账号绑定的核验才能申诉')
      }
      const reports = impersonationReports(ctx.db)
      const existing = await reports.findOne({ verificationId })
      if (existing) return { reportId: existing._id, createdAt: existing.createdAt.toISOString(), created: false }
      let reportId: string
      try {
        reportId = await reports.add({ reporter: ctx.openid, holder: attempt.boundTo, verificationId, reason, status: 'open', createdAt: ctx.now })
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        const raced = await reports.findOne({ verificationId })
        if (!raced) throw error
        return { reportId: raced._id, createdAt: raced.createdAt.toISOString(), created: false }
      }
      // Staff decide it from the review queue; the person concerned is the account holding the ID.
      await openReviewable(ctx, { kind: 'impersonation', targetId: reportId, subject: attempt.boundTo, source: 'impersonation', categories: ['impersonation'] })
      await notify(ctx, {
        recipient: ctx.openid,
        type: 'system',
        title: '已收到你的冒用申诉',
        body: '你提交的身份证被冒用申诉已进入人工核查。核查期间请勿重复提交；结果会通过站内信告诉你。',
        dedupeKey: `impersonation:${verificationId}`,
      })
      return { reportId, createdAt: ctx.now.toISOString(), created: true }
    },

    async reveal({ openid }, ctx) {
      const settings = settingsOf(ctx)
      // The person's access log reads `subject`; it is named before anything can fail.
      noteAudit(ctx, { subject: openid, detail: 'reveal' })
      const doc = await identities(ctx.db).findOne({ openid })
      if (!doc) fail('NOT_FOUND', '该账号没有实名信息')
      return {
        openid,
        name: settings.keyring.decrypt(doc.nameSealed, 'name'),
        idNumber: settings.keyring.decrypt(doc.idNumberSealed, 'idNumber'),
        provider: doc.provider,
        verifiedAt: doc.verifiedAt.toISOString(),
      }
    },
  },
  {
    /**
     * Data minimization: an expired verification loses its sealed name and ID
     * number at once; settled ones go after the report window. The daily run
     * also gives identities bound before name references their `nameRef`.
     */
    async purgeAttempts(ctx) {
      const { cmd } = ctx.db
      const attempts = identityAttempts(ctx.db)
      const stripped = await attempts.updateWhere({ expiresAt: cmd.lte(ctx.now), subject: cmd.neq(null) }, { subject: null })
      const removed = await attempts.removeWhere({ createdAt: cmd.lt(new Date(ctx.now.getTime() - USED_ATTEMPT_RETENTION_DAYS * DAY_MS)) })
      const nameRefs = ctx.config.identity ? await fillNameRefs(ctx, ctx.config.identity) : 0
      ctx.log.info('identity attempts purged', { requestId: ctx.requestId, stripped, removed, nameRefs })
    },
  },
)

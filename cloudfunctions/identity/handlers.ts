/**
 * The identity function: real-name verification (start, complete, status),
 * face re-checks, impersonation reports and the audited admin reveal, mapped
 * onto _core/identity/verification.ts.
 */
import { beijingDate } from '../../shared/rules/age'
import { ID_NUMBER_PROBLEMS, idNumberProblem } from '../../shared/rules/id-number'
import { noteAudit } from '../_core/audit'
import { requireConsents } from '../_core/consent/gate'
import { defineFunction } from '../_core/define'
import { fail, isDuplicateKey } from '../_core/errors'
import { notify } from '../_core/inbox'
import { identities, identityAttempts, impersonationReports, VERIFICATION_PURPOSES } from '../_core/identity/records'
import { openReviewable } from '../_core/review/queue'
import { requireRecheckConsents } from '../_core/lifecycle/reconfirm'
import { identity as identityContract } from '../../shared/contract/identity'

import {
  USED_ATTEMPT_RETENTION_DAYS,
  DAY_MS,
  invalid,
  settingsOf,
  fillNameRef,
  fillNameRefs,
  viewOf,
  settle,
  begin,
  usableAttempt,
  settleRecheck,
  attemptsLeft,
} from '../_core/identity/verification'

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

import { randomBytes } from 'node:crypto'
import { DEFAULT_ROLES, ERASURE_WORKING_DAYS } from '../../shared/account'
import type { DeletionPreviewItem } from '../../shared/contract/account'
import { accessLogPage } from '../_core/access-log'
import { openReviewable } from '../_core/review/queue'
import { refuseIfLastAdmin } from '../_core/staff'
import { accounts, defaultNickname, findAccount, freshLifecycle, pendingOf, stateOf, toAccountView, type AccountDoc } from '../_core/accounts'
import { judgeTerms } from '../_core/consent/gate'
import { consentPicture, deliverLegalNotices } from '../_core/consent/status'
import type { Context } from '../_core/context'
import { correctionRequests, openKeyOf, toCorrectionView, type CorrectionRequestDoc } from '../_core/corrections'
import { defineFunction } from '../_core/define'
import { erasureRules, erasureSubject } from '../_core/erasure'
import { fail, isDuplicateKey } from '../_core/errors'
import { exportPerson } from '../_core/export'
import { needsFaceRecheck, requireReconfirmation } from '../_core/lifecycle/reconfirm'
import { recordTransition } from '../_core/lifecycle/transition'
import { lifecycleViewOf } from '../_core/lifecycle/view'
import { changeAvatar, pendingAvatarOf } from '../_core/moderation/avatar'
import { changeNickname, pendingNicknameOf } from '../_core/moderation/nickname'
import type { ProfileAccount } from '../_core/moderation/targets'
import type { Patch } from '../_core/db'
import { storeUpload } from '../_core/uploads'
import { account as accountContract } from '../../shared/contract/account'

const DAY_MS = 24 * 3600 * 1000

/** A friendly default name that reveals nothing about the person. */
async function createAccount(ctx: Context): Promise<AccountDoc | null> {
  const id = randomBytes(16).toString('hex')
  const doc: AccountDoc = {
    _id: id,
    ...freshLifecycle(),
    openid: ctx.openid,
    state: 'active',
    roles: [...DEFAULT_ROLES],
    nickname: defaultNickname(id),
    avatarUrl: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    lastActiveAt: ctx.now,
    lastLoginAt: ctx.now,
    birthDate: null,
    birthDateSource: null,
    verifiedAt: null,
  }
  try {
    await accounts(ctx.db).add(doc)
    return doc
  } catch (error) {
    // Two first logins at once: the unique index on openid lets one win; the other reads it.
    if (isDuplicateKey(error)) return null
    throw error
  }
}

export const accountFunction = defineFunction('account', accountContract, {
  async login(_input, ctx) {
    let account = await findAccount(ctx.db, ctx.openid)
    let created = false
    let woke = false
    if (!account) {
      account = await createAccount(ctx)
      created = account !== null
      account ??= await findAccount(ctx.db, ctx.openid)
      if (!account) fail('INTERNAL')
    } else {
      // Erasure has claimed the account and not yet finished: the next login after it starts afresh.
      if (account.state === 'deleted') fail('ACCOUNT_UNAVAILABLE', '账号正在注销，个人信息删除完成后可以重新注册')
      await accounts(ctx.db).update(account._id, { lastActiveAt: ctx.now, lastLoginAt: ctx.now })
      account = { ...account, lastActiveAt: ctx.now, lastLoginAt: ctx.now }
      // Signing in is what dormancy waits for: the account wakes, its content shows again. A verified
      // account is woken by its owner's face check (account.wake), not by whoever holds the phone.
      if (stateOf(account, ctx.now) === 'dormant' && !(await needsFaceRecheck({ ...ctx, account }))) {
        account = await recordTransition(ctx, account, { name: 'wake', actor: 'user' })
        woke = true
      }
    }
    const picture = await consentPicture(ctx, account)
    if (!created) await deliverLegalNotices(ctx, account, picture)
    const { blocked } = judgeTerms(picture.age, picture.decisions, picture.catalogue, ctx.now)
    return {
      account: toAccountView(account, ctx.now),
      created,
      pending: pendingOf(account, blocked === null),
      lifecycle: lifecycleViewOf(account, ctx.now, ctx.config),
      woke,
      pendingNickname: pendingNicknameOf(account),
      pendingAvatar: pendingAvatarOf(account),
    }
  },

  async getProfile(_input, ctx) {
    // Not exempt from the consent gate: reaching here means the agreement is accepted.
    return {
      account: toAccountView(ctx.account, ctx.now),
      pending: pendingOf(ctx.account, true),
      pendingNickname: pendingNicknameOf(ctx.account),
      pendingAvatar: pendingAvatarOf(ctx.account),
    }
  },

  async uploadImage(input, ctx) {
    return { fileId: await storeUpload(ctx, input.kind, input.data) }
  },

  async updateProfile(input, ctx) {
    const patch: Patch = { updatedAt: ctx.now }
    const after: ProfileAccount = { ...ctx.account, updatedAt: ctx.now }
    if (input.nickname !== undefined) {
      // A new nickname passes the moderation gate; one held for review stays private until approved.
      const change = await changeNickname(ctx, input.nickname)
      Object.assign(patch, change.patch)
      after.nickname = change.nickname
      after.pendingNickname = change.pendingNickname
      after.nicknameModeration = change.nicknameModeration
    }
    if (input.avatarUrl !== undefined) {
      // Avatars are public images: a new one waits for the image check, shown to its owner only until it passes.
      const change = await changeAvatar(ctx, input.avatarUrl)
      Object.assign(patch, change.patch)
      after.avatarUrl = change.avatarUrl
      after.pendingAvatarUrl = change.pendingAvatarUrl
      after.avatarModeration = change.avatarModeration
    }
    await accounts(ctx.db).update(ctx.account._id, patch)
    return { account: toAccountView(after, ctx.now), pendingNickname: pendingNicknameOf(after), pendingAvatar: pendingAvatarOf(after) }
  },

  async getState(_input, ctx) {
    return { lifecycle: lifecycleViewOf(ctx.account, ctx.now, ctx.config) }
  },

  async freeze(_input, ctx) {
    await refuseIfLastAdmin(ctx, ctx.account, '冻结')
    const after = await recordTransition(ctx, ctx.account, { name: 'freezeSelf', actor: 'user' })
    return { lifecycle: lifecycleViewOf(after, ctx.now, ctx.config) }
  },

  async unfreeze(input, ctx) {
    await requireReconfirmation(ctx, input)
    const after = await recordTransition(ctx, ctx.account, { name: 'unfreezeSelf', actor: 'user' })
    return { lifecycle: lifecycleViewOf(after, ctx.now, ctx.config) }
  },

  async wake(input, ctx) {
    await requireReconfirmation(ctx, input)
    const after = await recordTransition(ctx, ctx.account, { name: 'wake', actor: 'user' })
    return { lifecycle: lifecycleViewOf(after, ctx.now, ctx.config) }
  },

  async requestDeletion(input, ctx) {
    await refuseIfLastAdmin(ctx, ctx.account, '注销')
    await requireReconfirmation(ctx, input)
    const until = new Date(ctx.now.getTime() + ctx.config.coolingOffDays * DAY_MS)
    const after = await recordTransition(ctx, ctx.account, { name: 'requestDeletion', actor: 'user', until })
    return { lifecycle: lifecycleViewOf(after, ctx.now, ctx.config) }
  },

  async cancelDeletion(_input, ctx) {
    const after = await recordTransition(ctx, ctx.account, { name: 'cancelDeletion', actor: 'user' })
    return { lifecycle: lifecycleViewOf(after, ctx.now, ctx.config) }
  },

  async deletionPreview(_input, ctx) {
    const subject = erasureSubject(ctx.config, ctx.account)
    const items: DeletionPreviewItem[] = []
    for (const rule of erasureRules()) {
      if (rule.treatment === 'none') continue
      const count = await rule.count(ctx, subject)
      // Records only staff can have (e.g. published documents) are not news to anyone else.
      if (count === 0 && rule.treatment === 'keep') continue
      items.push({ collection: rule.collection, title: rule.title, count, treatment: rule.treatment, detail: rule.detail })
    }
    const pending = stateOf(ctx.account, ctx.now) === 'pendingDeletion'
    return {
      coolingOffDays: ctx.config.coolingOffDays,
      erasureWorkingDays: ERASURE_WORKING_DAYS,
      deletionDueAt: pending && ctx.account.deletionDueAt ? ctx.account.deletionDueAt.toISOString() : null,
      items,
    }
  },

  async exportData(_input, ctx) {
    return { document: await exportPerson(ctx, ctx.account) }
  },

  async requestCorrection(input, ctx) {
    const doc: Omit<CorrectionRequestDoc, '_id'> = {
      subject: ctx.openid,
      accountId: ctx.account._id,
      field: input.field,
      note: input.note,
      status: 'open',
      createdAt: ctx.now,
      resolvedAt: null,
      resolution: null,
      openKey: openKeyOf(ctx.account._id, input.field),
    }
    let id: string
    try {
      id = await correctionRequests(ctx.db).add(doc)
    } catch (error) {
      if (isDuplicateKey(error)) fail('CORRECTION_PENDING')
      throw error
    }
    // Staff decide it from the review queue.
    await openReviewable(ctx, { kind: 'correction', targetId: id, subject: ctx.openid, source: 'correction' })
    return { request: toCorrectionView({ _id: id, ...doc }) }
  },

  async corrections(_input, ctx) {
    const docs = await correctionRequests(ctx.db).find({ subject: ctx.openid }, { orderBy: [['createdAt', 'desc']], limit: 50 })
    return { requests: docs.map(toCorrectionView) }
  },

  async accessLog(input, ctx) {
    return accessLogPage(ctx, ctx.openid, input.cursor, input.limit ?? 20)
  },
})

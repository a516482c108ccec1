import { randomBytes } from 'node:crypto'
import { DEFAULT_ROLES } from '../../shared/account'
import { accounts, findAccount, pendingOf, toAccountView, type AccountDoc } from '../_core/accounts'
import { defineFunction } from '../_core/define'
import { fail, isDuplicateKey } from '../_core/errors'
import type { Context } from '../_core/context'
import { judgeTerms } from '../_core/consent/gate'
import { deliverLegalNotices, consentPicture } from '../_core/consent/status'

/** A friendly default name that reveals nothing about the person. */
function defaultNickname(id: string): string {
  return `乐聊用户${id.slice(-4).toUpperCase()}`
}

async function createAccount(ctx: Context): Promise<AccountDoc | null> {
  const id = randomBytes(16).toString('hex')
  const doc: AccountDoc = {
    _id: id,
    openid: ctx.openid,
    state: 'active',
    roles: [...DEFAULT_ROLES],
    nickname: defaultNickname(id),
    avatarUrl: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    lastActiveAt: ctx.now,
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

export const accountFunction = defineFunction('account', {
  async login(_input, ctx) {
    let account = await findAccount(ctx.db, ctx.openid)
    let created = false
    if (!account) {
      account = await createAccount(ctx)
      created = account !== null
      account ??= await findAccount(ctx.db, ctx.openid)
      if (!account) fail('INTERNAL')
    } else {
      await accounts(ctx.db).update(account._id, { lastActiveAt: ctx.now })
    }
    const picture = await consentPicture(ctx, account)
    if (!created) await deliverLegalNotices(ctx, account, picture)
    const { blocked } = judgeTerms(picture.age, picture.decisions, picture.catalogue, ctx.now)
    return { account: toAccountView(account), created, pending: pendingOf(account, blocked === null) }
  },

  async getProfile(_input, ctx) {
    // Not exempt from the consent gate: reaching here means the agreement is accepted.
    return { account: toAccountView(ctx.account), pending: pendingOf(ctx.account, true) }
  },

  async updateProfile(input, ctx) {
    const patch: Partial<AccountDoc> = { updatedAt: ctx.now }
    if (input.nickname !== undefined) patch.nickname = input.nickname
    if (input.avatarUrl !== undefined) patch.avatarUrl = input.avatarUrl
    await accounts(ctx.db).update(ctx.account._id, patch)
    return { account: toAccountView({ ...ctx.account, ...patch }) }
  },
})

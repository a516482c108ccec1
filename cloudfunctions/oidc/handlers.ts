import { claimsOf, CLIENT_ID_PATTERN, CLIENT_ORG_TYPE_LABELS, SCOPE_SPECS, type OidcScope } from '../../shared/oidc'
import type { SignInOutcome, SignInView } from '../../shared/contract/oidc'
import { noteAudit } from '../_core/audit'
import type { AccountContext } from '../_core/context'
import { decodeKeyCursor, PAGE_DEFAULT } from '../_core/cursor'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { spendRecheck } from '../_core/identity/records'
import { rotateClientSecret, saveClient, shownLogo, toClientView } from '../_core/oidc/clients'
import { OAuthError } from '../_core/oidc/errors'
import { currentLoginNotice, recordSharing } from '../_core/oidc/ledger'
import { grantIdOf, oidcClients, oidcGrants, oidcSignIns, type ClientDoc, type SignInDoc } from '../_core/oidc/records'
import { claimPushed, openSignIn, settleSignIn } from '../_core/oidc/signin'
import { issueCode, revokeTokensOf } from '../_core/oidc/tokens'
import { purgeExpired } from '../_core/oidc/purge'
import { oidcHttp } from './http'
import { oidc as oidcContract } from '../../shared/contract/oidc'

async function clientOf(ctx: AccountContext, clientId: string): Promise<ClientDoc> {
  const client = await oidcClients(ctx.db).byId(clientId)
  if (!client || client.status !== 'active') fail('NOT_FOUND', '发起登录的应用未登记或已暂停使用乐聊名片登录')
  return client
}

async function viewOf(ctx: AccountContext, doc: SignInDoc): Promise<SignInView> {
  const client = await clientOf(ctx, doc.clientId)
  const notice = await currentLoginNotice(ctx)
  return {
    signInId: doc._id,
    channel: doc.channel,
    client: {
      name: client.name,
      organization: client.organization,
      orgTypeLabel: CLIENT_ORG_TYPE_LABELS[client.orgType],
      logo: shownLogo(client),
      privacyNoticeUrl: client.privacyNoticeUrl,
    },
    scopes: doc.scopes.map((scope) => ({ scope, label: SCOPE_SPECS[scope].label, shows: SCOPE_SPECS[scope].shows, sensitive: SCOPE_SPECS[scope].sensitive })),
    expiresAt: doc.expiresAt.toISOString(),
    noticeVersion: notice.version,
  }
}

async function rememberGrant(ctx: AccountContext, client: ClientDoc, scopes: OidcScope[]): Promise<void> {
  const grants = oidcGrants(ctx.db)
  const id = grantIdOf(client._id, ctx.account._id)
  const existing = await grants.byId(id)
  await grants.put({
    _id: id,
    openid: ctx.openid,
    clientId: client._id,
    scopes,
    firstUsedAt: existing && existing.revokedAt === null ? existing.firstUsedAt : ctx.now,
    lastUsedAt: ctx.now,
    revokedAt: null,
  })
}

export const oidcFunction = defineFunction(
  'oidc', oidcContract,
  {
    async open(input, ctx) {
      let id: string
      if ('signInId' in input) {
        id = input.signInId
      } else {
        await clientOf(ctx, input.clientId)
        try {
          id = (await claimPushed(ctx, input.clientId, input.requestUri, 'miniprogram')).doc._id
        } catch (error) {
          if (error instanceof OAuthError) fail('SIGN_IN_EXPIRED')
          throw error
        }
      }
      return { signIn: await viewOf(ctx, await openSignIn(ctx, id, ctx.openid)) }
    },

    async approve({ signInId, verificationId, shareSensitive }, ctx) {
      const doc = await openSignIn(ctx, signInId, ctx.openid)
      const client = await clientOf(ctx, doc.clientId)
      // Signing in is the person's face, now: a passed re-check of this account, spent here.
      if (!(await spendRecheck(ctx, ctx.openid, verificationId))) fail('REVERIFICATION_REQUIRED', '这次人脸核验已失效或已使用，请重新完成人脸核验')
      const granted = doc.scopes.filter((scope) => shareSensitive || !SCOPE_SPECS[scope].sensitive)
      // One approval wins; the ledger record comes before the grant that tokens need, so nothing is shared unrecorded.
      await settleSignIn(ctx, doc, { stage: 'approved', grantedScopes: granted, authTime: ctx.now })
      await recordSharing(ctx, ctx.openid, client, granted, 'grant')
      await rememberGrant(ctx, client, granted)
      if (doc.channel === 'web') return { channel: 'web', extraData: null } satisfies SignInOutcome
      await oidcSignIns(ctx.db).update(doc._id, { stage: 'delivered' })
      const code = await issueCode(ctx, { ...doc, grantedScopes: granted, authTime: ctx.now, openid: ctx.openid })
      return { channel: 'miniprogram', extraData: { code, state: doc.state } }
    },

    async deny({ signInId }, ctx) {
      const doc = await openSignIn(ctx, signInId, ctx.openid)
      await settleSignIn(ctx, doc, { stage: 'denied' })
      return doc.channel === 'web' ? { channel: 'web', extraData: null } : { channel: 'miniprogram', extraData: { error: 'access_denied', state: doc.state } }
    },

    async grants(_input, ctx) {
      const docs = await oidcGrants(ctx.db).find({ openid: ctx.openid, revokedAt: null }, { orderBy: [['lastUsedAt', 'desc'], ['_id', 'desc']], limit: 100 })
      const clients = await oidcClients(ctx.db).find({ _id: ctx.db.cmd.in(docs.map((d) => d.clientId)) }, { limit: 100 })
      const byId = new Map(clients.map((c) => [c._id, c]))
      return {
        grants: docs.flatMap((grant) => {
          const client = byId.get(grant.clientId)
          if (!client) return []
          return [
            {
              clientId: client._id,
              name: client.name,
              organization: client.organization,
              claims: claimsOf(grant.scopes),
              scopeLabels: ['该机构专用的用户编号', ...grant.scopes.map((scope) => SCOPE_SPECS[scope].label)],
              firstUsedAt: grant.firstUsedAt.toISOString(),
              lastUsedAt: grant.lastUsedAt.toISOString(),
            },
          ]
        }),
      }
    },

    async revokeGrant({ clientId }, ctx) {
      const id = grantIdOf(clientId, ctx.account._id)
      const grant = await oidcGrants(ctx.db).byId(id)
      if (!grant || grant.revokedAt !== null) fail('NOT_FOUND', '你没有授权过这个应用，或已撤销')
      const revoked = await oidcGrants(ctx.db).updateWhere({ _id: id, revokedAt: null }, { revokedAt: ctx.now })
      if (revoked === 0) return { revoked: false }
      await revokeTokensOf(ctx, ctx.openid, clientId)
      const client = await oidcClients(ctx.db).byId(clientId)
      await recordSharing(ctx, ctx.openid, { _id: clientId, organization: client?.organization ?? clientId }, grant.scopes, 'withdraw')
      return { revoked: true }
    },

    async clients({ cursor, limit }, ctx) {
      const size = limit ?? PAGE_DEFAULT
      // Keyset on the client id (the cursor is the last one shown): unique and stable, so a page never shifts.
      const after = decodeKeyCursor(cursor, CLIENT_ID_PATTERN)
      const docs = await oidcClients(ctx.db).find(after ? { _id: ctx.db.cmd.gt(after) } : {}, { orderBy: [['_id', 'asc']], limit: size })
      const last = docs.at(-1)
      return { clients: docs.map(toClientView), nextCursor: docs.length === size && last ? last._id : null }
    },

    async saveClient(input, ctx) {
      noteAudit(ctx, { detail: input.clientId })
      return saveClient(ctx, input)
    },

    async setClientStatus({ clientId, status }, ctx) {
      noteAudit(ctx, { detail: `${clientId}:${status}` })
      const client = await oidcClients(ctx.db).byId(clientId)
      if (!client) fail('NOT_FOUND', '没有这个接入应用')
      await oidcClients(ctx.db).update(clientId, { status, updatedAt: ctx.now })
      return { client: toClientView({ ...client, status, updatedAt: ctx.now }) }
    },

    async rotateSecret({ clientId }, ctx) {
      noteAudit(ctx, { detail: clientId })
      return { secret: await rotateClientSecret(ctx, clientId) }
    },
  },
  {
    async purge(ctx) {
      const removed = await purgeExpired(ctx)
      ctx.log.info('login service purge', removed)
    },
  },
  {},
  oidcHttp,
)

/**
 * The login service in the export and erasure registries. Erasure revokes
 * every grant first (each a withdrawal in the consent ledger, which is kept
 * pseudonymized as proof), then deletes grants, sign-ins and tokens, so no
 * organization can use a token of an erased account again.
 */
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { ErasureRule, ErasureSubject } from '../data-rules'
import type { ExportRule } from '../data-rules'
import { collectAll } from '../paging'
import { recordSharing } from './ledger'
import { oidcClients, oidcGrants, oidcSignIns, oidcTokens } from './records'

async function revokeAllGrants(ctx: Context, s: ErasureSubject): Promise<void> {
  const active = await collectAll(ctx.db, oidcGrants(ctx.db), { openid: s.openid, revokedAt: null })
  for (const grant of active) {
    const revoked = await oidcGrants(ctx.db).updateWhere({ _id: grant._id, revokedAt: null }, { revokedAt: ctx.now })
    if (revoked === 0) continue
    const client = await oidcClients(ctx.db).byId(grant.clientId)
    await recordSharing(ctx, s.openid, { _id: grant.clientId, organization: client?.organization ?? grant.clientId }, grant.scopes, 'withdraw')
  }
}

export const OIDC_ERASURE_RULES: readonly ErasureRule[] = [
  {
    collection: COLLECTIONS.oidcGrants,
    title: '已授权的应用（乐聊名片登录）',
    treatment: 'delete',
    detail: '每项授权先撤销（同意记录中留下撤销记录），再删除；各机构持有的令牌随即失效。',
    count: (ctx, s) => oidcGrants(ctx.db).count({ openid: s.openid }),
    async erase(ctx, s) {
      await revokeAllGrants(ctx, s)
      await oidcTokens(ctx.db).removeWhere({ openid: s.openid })
      await oidcGrants(ctx.db).removeWhere({ openid: s.openid })
    },
  },
  {
    collection: COLLECTIONS.oidcTokens,
    title: '登录令牌（只存哈希）',
    treatment: 'delete',
    detail: '全部删除，令牌立即失效。',
    count: (ctx, s) => oidcTokens(ctx.db).count({ openid: s.openid }),
    erase: async (ctx, s) => void (await oidcTokens(ctx.db).removeWhere({ openid: s.openid })),
  },
  {
    collection: COLLECTIONS.oidcSignIns,
    title: '登录请求记录',
    treatment: 'delete',
    detail: '全部删除。',
    count: (ctx, s) => oidcSignIns(ctx.db).count({ openid: s.openid }),
    erase: async (ctx, s) => void (await oidcSignIns(ctx.db).removeWhere({ openid: s.openid })),
  },
  {
    collection: COLLECTIONS.oidcClients,
    title: '接入应用登记',
    treatment: 'none',
    detail: '登记的是第三方机构，不含你的个人信息。',
    count: async () => 0,
    erase: async () => undefined,
  },
]

export const OIDC_EXPORT_RULES: readonly ExportRule[] = [
  {
    collection: COLLECTIONS.oidcGrants,
    async sections(ctx, account) {
      const grants = await collectAll(ctx.db, oidcGrants(ctx.db), { openid: account.openid })
      return [
        {
          domain: 'oidcGrants',
          title: '已授权的应用（乐聊名片登录）',
          records: grants.map((g) => ({
            clientId: g.clientId,
            scopes: g.scopes,
            firstUsedAt: g.firstUsedAt.toISOString(),
            lastUsedAt: g.lastUsedAt.toISOString(),
            revokedAt: g.revokedAt?.toISOString() ?? null,
          })),
          note: '每次提供信息的具体记录见「账号访问记录」，每次同意与撤销见「同意记录」。',
        },
      ]
    },
  },
  {
    collection: COLLECTIONS.oidcSignIns,
    async sections(ctx, account) {
      const docs = await collectAll(ctx.db, oidcSignIns(ctx.db), { openid: account.openid })
      return [
        {
          domain: 'oidcSignIns',
          title: '登录请求',
          records: docs.map((d) => ({ clientId: d.clientId, channel: d.channel, stage: d.stage, scopes: d.grantedScopes ?? d.scopes, createdAt: d.createdAt.toISOString() })),
          note: null,
        },
      ]
    },
  },
  {
    collection: COLLECTIONS.oidcTokens,
    async sections(ctx, account) {
      const docs = await collectAll(ctx.db, oidcTokens(ctx.db), { openid: account.openid })
      return [
        {
          domain: 'oidcTokens',
          title: '登录令牌',
          records: docs.map((d) => ({ kind: d.kind, clientId: d.clientId, createdAt: d.createdAt.toISOString(), expiresAt: d.expiresAt.toISOString(), usedAt: d.usedAt?.toISOString() ?? null, revokedAt: d.revokedAt?.toISOString() ?? null })),
          note: '令牌本身只以哈希保存，无法导出原文。',
        },
      ]
    },
  },
  { collection: COLLECTIONS.oidcClients, excluded: '接入应用登记的是第三方机构，不含你的个人信息。' },
]

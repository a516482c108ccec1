/**
 * The login service's records about a person: each sharing with an
 * organization and each revocation is a consent-ledger record (purpose
 * loginSharing, the login-service notice's version and hash, and the
 * recipient with the claims), and each token issuance is an entry in the
 * person's access log (role 第三方应用, the organization and the claims).
 */
import { LOGIN_SHARING } from '../../../shared/consent'
import { claimsOf, SCOPE_SPECS, type OidcScope } from '../../../shared/oidc'
import type { AccountDoc } from '../accounts'
import { recordAudit } from '../audit'
import { ledgerOf } from '../consent/gate'
import type { Context } from '../context'
import { fail } from '../errors'
import { documentCatalogue } from '../legal'
import type { ClientDoc } from './records'

export const LOGIN_NOTICE = 'notice-login-sharing' as const

/** The login-service notice in effect: its version is what a sharing is recorded against. */
export async function currentLoginNotice(ctx: Pick<Context, 'db' | 'now'>): Promise<{ version: string; hash: string }> {
  const notice = (await documentCatalogue(ctx.db)).current(LOGIN_NOTICE, ctx.now)
  if (!notice) fail('INTERNAL', '登录服务说明尚未发布，暂时无法使用乐聊名片登录')
  return { version: notice.version, hash: notice.hash }
}

export async function recordSharing(
  ctx: Context,
  openid: string,
  client: Pick<ClientDoc, '_id' | 'organization'>,
  scopes: readonly OidcScope[],
  action: 'grant' | 'withdraw',
): Promise<void> {
  const notice = await currentLoginNotice(ctx)
  await ledgerOf(ctx).append(openid, ctx.now, [
    {
      purpose: LOGIN_SHARING,
      action,
      method: 'signIn',
      docId: LOGIN_NOTICE,
      version: notice.version,
      hash: notice.hash,
      guardian: null,
      recipient: { clientId: client._id, organization: client.organization, claims: ['sub', ...claimsOf(scopes)] },
    },
  ])
}

/** One access-log entry per token issuance: the organization, and what it received. */
export async function noteTokenIssued(ctx: Context, client: Pick<ClientDoc, '_id' | 'name' | 'organization'>, account: AccountDoc, scopes: readonly OidcScope[]): Promise<void> {
  const shared = ['该机构专用的用户编号', ...scopes.map((scope) => SCOPE_SPECS[scope].label)]
  await recordAudit(
    { ...ctx, openid: `client:${client._id}`, action: 'token' },
    {
      outcome: 'ok',
      code: null,
      target: client._id,
      subject: account.openid,
      detail: null,
      reason: `${client.organization}（${client.name}）：${shared.join('、')}`,
      actorRole: 'client',
    },
  )
}

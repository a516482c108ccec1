/**
 * The registry of applications that may use the login service, kept by
 * admins (every call audited by the dispatcher). Names shown to people pass
 * the text scanner; the logo (an image the admin uploaded) passes the gate's image check.
 */
import { CLIENT_ORG_TYPE_LABELS } from '../../../shared/oidc'
import { LOOPBACK_URL } from '../../../shared/oidc'
import { type ClientInput, type ClientView } from '../../../shared/contract/oidc'
import { scanText } from '../../../shared/moderation/scan'
import type { AccountContext } from '../context'
import { fail } from '../errors'
import type { ContentModeration } from '../moderation/decisions'
import { moderate } from '../moderation/gate'
import { currentScanner } from '../moderation/lexicon-store'
import { oidcClients, type ClientDoc } from './records'
import { hashSecret, newClientSecret } from './secrets'

export function toClientView(doc: ClientDoc): ClientView {
  return {
    clientId: doc._id,
    name: doc.name,
    organization: doc.organization,
    orgType: doc.orgType,
    orgTypeLabel: CLIENT_ORG_TYPE_LABELS[doc.orgType],
    logo: doc.logo,
    redirectUris: doc.redirectUris,
    miniProgramAppIds: doc.miniProgramAppIds,
    allowedScopes: doc.allowedScopes,
    authMethod: doc.authMethod,
    hasSecret: doc.secretHash !== null,
    jwksKids: (doc.jwks?.keys ?? []).map((key) => String(key.kid)),
    sector: doc.sector,
    privacyNoticeUrl: doc.privacyNoticeUrl,
    status: doc.status,
    updatedAt: doc.updatedAt.toISOString(),
  }
}

/** Clients of one organization share a sector (and so a subject); by default the host of the first redirect URI. */
function sectorOf(input: Pick<ClientInput, 'sector' | 'redirectUris' | 'miniProgramAppIds'>): string {
  if (input.sector) return input.sector
  const first = input.redirectUris[0]
  return first ? new URL(first).hostname : `miniprogram.${input.miniProgramAppIds[0] ?? 'unknown'}`
}

/**
 * A new or changed logo goes through the moderation gate (the image check):
 * until it passes, the authorize page shows no logo; a refused one is never shown.
 */
async function logoModeration(ctx: AccountContext, input: Pick<ClientInput, 'clientId' | 'logo'>, existing: ClientDoc | null): Promise<ContentModeration | null> {
  if (!input.logo) return null
  if (existing?.logo === input.logo && existing.moderation) return existing.moderation
  return moderate(ctx, { kind: 'clientLogo', targetId: input.clientId, texts: {}, images: [input.logo] })
}

/** The logo as people may see it: only after its image check passed. */
export function shownLogo(doc: Pick<ClientDoc, 'logo' | 'moderation'>): string | null {
  return doc.logo && doc.moderation?.state === 'published' ? doc.logo : null
}

async function checkShownTexts(ctx: AccountContext, input: Pick<ClientInput, 'name' | 'organization'>): Promise<void> {
  const scanner = (await currentScanner(ctx)).scanner
  for (const [field, text] of [['name', input.name], ['organization', input.organization]] as const) {
    const scan = scanText(text, scanner)
    if (scan.verdict !== 'pass') fail('CONTENT_REFUSED', `${field === 'name' ? '应用名称' : '提供机构'}未通过内容检查：${scan.reasons.join('；')}`)
  }
}

export async function saveClient(ctx: AccountContext, input: ClientInput): Promise<{ client: ClientView; secret: string | null }> {
  if (ctx.config.mode === 'production' && input.redirectUris.some((uri) => LOOPBACK_URL.test(uri))) {
    fail('INVALID_INPUT', '正式环境只接受 https 回调地址', [{ path: 'redirectUris', message: '本机地址（127.0.0.1、localhost）只用于本地开发' }])
  }
  await checkShownTexts(ctx, input)
  const existing = await oidcClients(ctx.db).byId(input.clientId)
  const moderation = await logoModeration(ctx, input, existing)
  let secret: string | null = null
  let secretHash = existing?.secretHash ?? null
  if (input.authMethod === 'client_secret_basic' && secretHash === null) {
    secret = newClientSecret()
    secretHash = await hashSecret(secret)
  }
  if (input.authMethod === 'private_key_jwt') secretHash = null
  const doc: ClientDoc = {
    _id: input.clientId,
    name: input.name,
    organization: input.organization,
    orgType: input.orgType,
    logo: input.logo,
    moderation,
    redirectUris: [...new Set(input.redirectUris)],
    miniProgramAppIds: [...new Set(input.miniProgramAppIds)],
    allowedScopes: [...new Set(input.allowedScopes)],
    authMethod: input.authMethod,
    secretHash,
    jwks: input.jwks ? { keys: input.jwks.keys.map((key) => ({ ...key })) } : null,
    sector: sectorOf(input),
    privacyNoticeUrl: input.privacyNoticeUrl,
    status: existing?.status ?? 'active',
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  }
  await oidcClients(ctx.db).put(doc)
  return { client: toClientView(doc), secret }
}

export async function rotateClientSecret(ctx: AccountContext, clientId: string): Promise<string> {
  const client = await oidcClients(ctx.db).byId(clientId)
  if (!client) fail('NOT_FOUND', '没有这个接入应用')
  if (client.authMethod !== 'client_secret_basic') fail('CONFLICT', '这个应用使用 private_key_jwt，没有密钥可重置')
  const secret = newClientSecret()
  await oidcClients(ctx.db).update(clientId, { secretHash: await hashSecret(secret), updatedAt: ctx.now })
  return secret
}

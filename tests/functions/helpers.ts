/** Small helpers shared by the function tests (all calls go through the real dispatcher). */
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import type { ConsentStatus } from '../../shared/contract/consent'
import { PURPOSES, type DocumentId, type PurposeId } from '../../shared/consent'
import type { ApiError, ApiResult } from '../../shared/errors'
import { testDocumentBody, type TestCloud } from '../../local/testing'

export function ok<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`)
  return result.data as T
}

export function errorOf(result: ApiResult<unknown>): ApiError {
  if (result.ok) throw new Error('expected a refusal')
  return result.error
}

export type Caller = (fn: string, action: string, input?: unknown) => Promise<ApiResult<unknown>>

export function callerFor(cloud: TestCloud, openid: string): Caller {
  return (fn, action, input) => cloud.call(fn, { action, input }, openid)
}

/** Arranged in the database: staff roles are granted by a later issue's admin flow. */
export async function makeAdmin(cloud: TestCloud, openid: string): Promise<void> {
  ok(await cloud.call('account', { action: 'login', input: {} }, openid))
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error('no account')
  await accounts(cloud.store).update(account._id, { roles: ['user', 'admin'] })
}

export interface PublishArgs {
  docId: DocumentId
  version: string
  announcedAt: Date
  effectiveAt: Date
  summary?: string
  body?: string
}

export function publishInput(args: PublishArgs): Record<string, string> {
  return {
    docId: args.docId,
    version: args.version,
    title: `测试标题 ${args.docId}`,
    summary: args.summary ?? `第 ${args.version} 版的变更摘要`,
    body: args.body ?? testDocumentBody(args.docId, args.version),
    announcedAt: args.announcedAt.toISOString(),
    effectiveAt: args.effectiveAt.toISOString(),
    reason: '测试发布新版本',
  }
}

export interface VersionMetaData {
  docId: DocumentId
  version: string
  hash: string
  title: string
  summary: string
  announcedAt: string
  effectiveAt: string
}

export async function publish(cloud: TestCloud, admin: string, args: PublishArgs): Promise<VersionMetaData> {
  return ok<{ document: VersionMetaData }>(await cloud.call('legal', { action: 'publish', input: publishInput(args) }, admin)).document
}

export async function statusOf(cloud: TestCloud, openid: string): Promise<ConsentStatus> {
  return ok<{ status: ConsentStatus }>(await cloud.call('consent', { action: 'status', input: {} }, openid)).status
}

export const DAY = 24 * 3600 * 1000

export interface Shown {
  purpose: PurposeId
  version: string
  hash: string
}

/** What the client shows for a purpose: the current version of its document, read through legal.get. */
export async function shownCurrent(cloud: TestCloud, purpose: PurposeId, version?: string): Promise<Shown> {
  const input = { docId: PURPOSES[purpose].document, ...(version ? { version } : {}) }
  const { document } = ok<{ document: { version: string; hash: string } }>(await cloud.call('legal', { action: 'get', input }, 'reader'))
  return { purpose, version: document.version, hash: document.hash }
}

export interface RecordData {
  id: string
  seq: number
  purpose: PurposeId
  action: string
  method: string
  docId: string
  version: string
  hash: string
  at: string
  guardian: { relation: string; maskedName: string; identityRef: string } | null
}

/** consent.grant of the current versions of `purposes` by the person themself (from settings). */
export async function grant(cloud: TestCloud, openid: string, purposes: PurposeId[], extra: Record<string, unknown> = {}): Promise<ApiResult<unknown>> {
  const items = []
  for (const purpose of purposes) items.push(await shownCurrent(cloud, purpose))
  return cloud.call('consent', { action: 'grant', input: { items, method: 'settings', ...extra } }, openid)
}

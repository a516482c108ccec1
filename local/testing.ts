/**
 * An in-process local cloud for tests: the real dispatcher and the real
 * wx-server-sdk against a fresh local database, with a clock tests can move.
 */
import { ManualClock } from '../cloudfunctions/_core/clock'
import { jsonLogger, silentLogger, type Logger } from '../cloudfunctions/_core/context'
import { documentCatalogue, publishDocument } from '../cloudfunctions/_core/legal'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/openapi'
import { DOCUMENT_IDS, DOCUMENT_TITLES, PURPOSES, requiredPurposes } from '../shared/consent'
import type { ConsentStatus } from '../shared/contract/consent'
import type { ApiResult } from '../shared/errors'
import { composeLocalCloud, type LocalCloudStack } from './cloud'

export interface TestCloud extends LocalCloudStack {
  clock: ManualClock
  openApi: ReturnType<typeof sandboxOpenApi>
  call(name: string, data: unknown, openid: string): Promise<ApiResult<unknown>>
}

export async function startTestCloud(
  options: { dataDir?: string; start?: Date; env?: Record<string, string>; log?: Logger } = {},
): Promise<TestCloud> {
  const clock = new ManualClock(options.start ?? new Date())
  const openApi = sandboxOpenApi()
  const stack = await composeLocalCloud({
    dataDir: options.dataDir ?? ':memory:',
    mode: 'test',
    clock,
    openApi,
    // LECHAT_TEST_LOG=1 shows what functions log while a test runs.
    log: options.log ?? (process.env.LECHAT_TEST_LOG ? jsonLogger : silentLogger),
    ...(options.env ? { env: options.env } : {}),
  })
  return { ...stack, clock, openApi, call: stack.gateway.call }
}

/** A short stand-in text per document, so tests do not depend on the real templates. */
export function testDocumentBody(docId: string, version: string): string {
  return `# 测试文档 ${docId}\n\n这是测试用的 ${docId} 第 ${version} 版正文，运营方为 {{operatorName}}。\n`
}

/** Publishes version 1 of every document that has none, in effect from now (as `npm start` seeds them). */
export async function ensureTestDocuments(cloud: TestCloud): Promise<void> {
  const catalogue = await documentCatalogue(cloud.store, { fresh: true })
  const now = cloud.clock.now()
  for (const docId of DOCUMENT_IDS) {
    if (catalogue.versions(docId).length > 0) continue
    await publishDocument(cloud.store, cloud.config, now, {
      docId,
      version: '1',
      title: DOCUMENT_TITLES[docId],
      summary: '首次发布',
      template: testDocumentBody(docId, '1'),
      announcedAt: now,
      effectiveAt: now,
      publishedBy: 'test-setup',
    })
  }
}

function dataOf<T>(result: ApiResult<unknown>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`)
  return result.data as T
}

/**
 * Registers `openid` as a user would: logs in, reads the current agreement and
 * policy, and accepts them through consent.grant (declaring an adult birth date
 * unless the account has one). Returns the consent status afterwards.
 */
export async function acceptCurrentTerms(cloud: TestCloud, openid: string, options: { birthDate?: string } = {}): Promise<ConsentStatus> {
  await ensureTestDocuments(cloud)
  dataOf(await cloud.call('account', { action: 'login', input: {} }, openid), 'login')
  const { status } = dataOf<{ status: ConsentStatus }>(await cloud.call('consent', { action: 'status', input: {} }, openid), 'consent.status')
  const items = []
  for (const purpose of requiredPurposes(status.ageClass === 'under14')) {
    const reply = await cloud.call('legal', { action: 'get', input: { docId: PURPOSES[purpose].document } }, openid)
    const { document } = dataOf<{ document: { version: string; hash: string } }>(reply, 'legal.get')
    items.push({ purpose, version: document.version, hash: document.hash })
  }
  const input = { items, method: 'checkbox', ...(status.ageClass === 'unknown' ? { declaredBirthDate: options.birthDate ?? '1990-01-01' } : {}) }
  return dataOf<{ status: ConsentStatus }>(await cloud.call('consent', { action: 'grant', input }, openid), 'consent.grant').status
}

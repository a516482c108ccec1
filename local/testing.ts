/**
 * An in-process local cloud for tests: the real dispatcher and the real
 * wx-server-sdk against a fresh local database, with a clock tests can move.
 */
import { ManualClock } from '../cloudfunctions/_core/clock'
import { jsonLogger, silentLogger, type Logger } from '../cloudfunctions/_core/context'
import { documentCatalogue, publishDocument } from '../cloudfunctions/_core/legal'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/sandbox-openapi'
import { findAccount } from '../cloudfunctions/_core/accounts'
import { SANDBOX_FILE_ID_PREFIX } from '../cloudfunctions/_core/ports/storage'
import { uploadFolderOf } from '../cloudfunctions/_core/uploads'
import { DOCUMENT_IDS, DOCUMENT_TITLES, type PurposeId } from '../shared/consent'
import type { CardInput } from '../shared/contract/cards'
import type { ConsentStatus } from '../shared/contract/consent'
import type { ApiResult } from '../shared/errors'
import { checkCharacter } from '../shared/rules/id-number'
import { composeLocalCloud, type LocalCloudStack } from './cloud'
import { acceptTerms, grantPurposes, verifyIdentity } from './enrol'

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

/** Registers `openid` as a user would (enrol.ts acceptTerms), with the test documents published first. */
export async function acceptCurrentTerms(cloud: TestCloud, openid: string, options: { birthDate?: string } = {}): Promise<ConsentStatus> {
  await ensureTestDocuments(cloud)
  return acceptTerms(cloud.call, openid, options)
}

/** Grants separate consents (purposes of shared/consent) as from the privacy settings page. */
export async function grantConsents(cloud: TestCloud, openid: string, purposes: readonly PurposeId[]): Promise<void> {
  await grantPurposes(cloud.call, openid, purposes)
}

let idSerial = 0

/** A valid resident ID number of an adult (born 1990-01-01), distinct per call in this process. */
export function freshTestIdNumber(): string {
  idSerial += 1
  const first17 = `11010119900101${String(idSerial % 1000).padStart(3, '0')}`
  return `${first17}${checkCharacter(first17)}`
}

/**
 * A registered, real-name verified adult (sandbox provider) who may publish:
 * terms accepted, the three verification consents granted, verification passed.
 * The legal name defaults to SAMPLE_CARD's, so that card gets the 已实名 badge
 * (a card shows it only when it carries its owner's verified name).
 */
export async function verifiedPublisher(cloud: TestCloud, openid: string, options: { name?: string; idNumber?: string } = {}): Promise<void> {
  await acceptCurrentTerms(cloud, openid)
  await verifyIdentity(cloud.call, openid, options.name ?? SAMPLE_CARD.name, options.idNumber ?? freshTestIdNumber())
}

/** A verified publisher (verifiedPublisher) who, unless `publicCard` is false, also granted「公开展示我的名片」. */
export async function cardPublisher(cloud: TestCloud, openid: string, options: { publicCard?: boolean; name?: string } = {}): Promise<void> {
  await verifiedPublisher(cloud, openid, options.name ? { name: options.name } : {})
  if (options.publicCard !== false) await grantConsents(cloud, openid, ['publicCard'])
}

/** A card with every field filled in. */
export const SAMPLE_CARD: CardInput = {
  name: '王小明',
  title: '产品经理',
  company: '乐聊科技',
  phone: '13812345678',
  email: 'xiaoming@example.com',
  wechatId: 'wxm_2024',
  address: '北京市海淀区中关村大街1号',
  intro: '专注企业服务产品十年。',
  links: [{ label: '公司官网', url: 'https://example.com' }],
}

/**
 * File ids of images `openid` uploaded from the mini-program: in their own
 * folder (`u/<account id>/…`, cloudfunctions/_core/uploads.ts), the only files
 * the functions accept in their documents. The account must exist.
 */
export async function uploadsOf(cloud: TestCloud, openid: string): Promise<(name: string) => string> {
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}: sign them up first`)
  const folder = `${SANDBOX_FILE_ID_PREFIX}${uploadFolderOf(account._id)}`
  return (name) => `${folder}/${name}`
}

/**
 * Legal documents: immutable versions of the agreement, the policy and the
 * notices. A version is never updated; a change is a new version, announced
 * before it takes effect. What users see is the filled template, and the hash
 * is of exactly that text.
 */
import { createHash } from 'node:crypto'
import { DOCUMENT_TITLES, type DocumentId } from '../../shared/consent'
import type { VersionMeta } from '../../shared/contract/legal'
import { compareVersions } from '../../shared/rules/version'
import { COLLECTIONS } from './collections'
import type { Config } from './config'
import { appendOnly, PAGE_MAX, type AppendOnlyCollection, type Doc, type Store } from './db'
import type { ErasureRule } from './data-rules'
import { fail, isDuplicateKey } from './errors'
import type { ExportRule } from './data-rules'

export interface LegalDocumentDoc extends Doc {
  docId: DocumentId
  version: string
  title: string
  summary: string
  body: string
  /** SHA-256 (hex) of `body`, the exact text shown. */
  hash: string
  announcedAt: Date
  effectiveAt: Date
  /** The staff member's openid, or the local tool that published it. */
  publishedBy: string
  createdAt: Date
}

export type VersionRecord = Omit<LegalDocumentDoc, 'body'>

function documents(db: Store): AppendOnlyCollection<LegalDocumentDoc> {
  return appendOnly(db.collection<LegalDocumentDoc>(COLLECTIONS.legalDocuments))
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export function toVersionMeta(v: VersionRecord): VersionMeta {
  return {
    docId: v.docId,
    version: v.version,
    title: v.title,
    summary: v.summary,
    hash: v.hash,
    announcedAt: v.announcedAt.toISOString(),
    effectiveAt: v.effectiveAt.toISOString(),
  }
}

function lastWhere<T>(list: readonly T[], test: (item: T) => boolean): T | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]
    if (item !== undefined && test(item)) return item
  }
  return null
}

/** Every version's metadata, grouped by document in ascending version order; times decide what is current. */
export class DocumentCatalogue {
  private readonly byDoc = new Map<DocumentId, VersionRecord[]>()

  constructor(versions: readonly VersionRecord[]) {
    for (const v of versions) {
      const list = this.byDoc.get(v.docId) ?? []
      list.push(v)
      this.byDoc.set(v.docId, list)
    }
    for (const list of this.byDoc.values()) list.sort((a, b) => compareVersions(a.version, b.version))
  }

  versions(docId: DocumentId): readonly VersionRecord[] {
    return this.byDoc.get(docId) ?? []
  }

  find(docId: DocumentId, version: string): VersionRecord | null {
    return this.versions(docId).find((v) => v.version === version) ?? null
  }

  /** The version in effect at `at`: the highest one whose effective time has come. */
  current(docId: DocumentId, at: Date): VersionRecord | null {
    return lastWhere(this.versions(docId), (v) => v.effectiveAt <= at)
  }

  /** The newest version announced but not yet in effect at `at`. */
  upcoming(docId: DocumentId, at: Date): VersionRecord | null {
    return lastWhere(this.versions(docId), (v) => v.announcedAt <= at && v.effectiveAt > at)
  }

  /** Versions the public may see at `at` (a scheduled announcement stays hidden until its time). */
  announced(docId: DocumentId, at: Date): VersionRecord[] {
    return this.versions(docId).filter((v) => v.announcedAt <= at)
  }

  /** Whether `v` may be decided on at `at`: the version in effect or the one announced next. */
  isDecidable(v: VersionRecord, at: Date): boolean {
    const { docId, version } = v
    return this.current(docId, at)?.version === version || this.upcoming(docId, at)?.version === version
  }

  titleOf(docId: DocumentId, version: string): string {
    return this.find(docId, version)?.title ?? DOCUMENT_TITLES[docId]
  }
}

/**
 * Each warm instance keeps the catalogue ~30 s: the gate consults it on every
 * call, and a version published by another instance shows up within that time.
 * Versions carry their own effective times, so a cached catalogue is never
 * wrong about which version is current, only late about new ones.
 */
const CACHE_MS = 30_000
const cache = new WeakMap<Store, { loadedAt: number; catalogue: Promise<DocumentCatalogue> }>()

async function loadCatalogue(db: Store): Promise<DocumentCatalogue> {
  const all: VersionRecord[] = []
  for (;;) {
    const page = await documents(db).find({}, { orderBy: [['_id', 'asc']], skip: all.length, limit: PAGE_MAX, fields: { body: false } })
    all.push(...page)
    if (page.length < PAGE_MAX) return new DocumentCatalogue(all)
  }
}

export function documentCatalogue(db: Store, options: { fresh?: boolean } = {}): Promise<DocumentCatalogue> {
  const hit = cache.get(db)
  if (hit && !options.fresh && Date.now() - hit.loadedAt < CACHE_MS) return hit.catalogue
  const catalogue = loadCatalogue(db)
  cache.set(db, { loadedAt: Date.now(), catalogue })
  // A failed load must not be served from the cache.
  catalogue.catch(() => cache.delete(db))
  return catalogue
}

export async function readDocument(db: Store, docId: DocumentId, version: string): Promise<LegalDocumentDoc | null> {
  return documents(db).findOne({ docId, version })
}

/** Template placeholders and where their values come from (the operator sets them). */
function templateValues(config: Config): Record<string, { value: string | null; setting: string }> {
  const { operator, verificationProvider } = config
  return {
    operatorName: { value: operator.name || null, setting: 'LECHAT_OPERATOR_NAME' },
    contactEmail: { value: operator.email || null, setting: 'LECHAT_OPERATOR_EMAIL' },
    address: { value: operator.address || null, setting: 'LECHAT_OPERATOR_ADDRESS' },
    disputeVenue: { value: operator.disputeVenue, setting: 'LECHAT_DISPUTE_VENUE' },
    childProtectionContact: { value: operator.childProtectionContact, setting: 'LECHAT_CHILD_PROTECTION_CONTACT' },
    verificationProvider: { value: verificationProvider?.name ?? null, setting: 'LECHAT_VERIFICATION_PROVIDER' },
    verificationProviderContact: { value: verificationProvider?.contact ?? null, setting: 'LECHAT_VERIFICATION_PROVIDER_CONTACT' },
    coolingOffDays: { value: String(config.coolingOffDays), setting: 'LECHAT_COOLING_OFF_DAYS' },
    dormancyPeriod: { value: `${config.dormancyMonths} 个月`, setting: 'LECHAT_DORMANCY_MONTHS' },
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g

/** Fills `{{name}}` from the configuration; refuses when a placeholder is unknown or has no value, naming the setting. */
export function fillTemplate(template: string, config: Config): string {
  const values = templateValues(config)
  const problems = new Set<string>()
  const filled = template.replace(PLACEHOLDER, (whole, name: string) => {
    const entry = Object.hasOwn(values, name) ? values[name] : undefined
    if (!entry) {
      problems.add(`未知的占位符 ${whole}`)
      return whole
    }
    if (entry.value === null) {
      problems.add(`${whole} 没有设置（${entry.setting}）`)
      return whole
    }
    return entry.value
  })
  if (problems.size > 0) fail('INVALID_INPUT', undefined, [{ path: 'body', message: `正文模板无法填写：${[...problems].join('；')}` }])
  return filled
}

export interface PublishRequest {
  docId: DocumentId
  version: string
  title: string
  summary: string
  /** The template as written; placeholders are filled here, before hashing. */
  template: string
  announcedAt: Date
  effectiveAt: Date
  publishedBy: string
}

/** Announcements may be a few minutes old (clock skew, a slow admin page), never backdated further. */
const ANNOUNCE_GRACE_MS = 5 * 60_000

export async function publishDocument(db: Store, config: Config, now: Date, request: PublishRequest): Promise<VersionRecord> {
  const { docId, version, announcedAt, effectiveAt } = request
  // Every version is greater than the ones before it, so the last published is the highest.
  const latest = await documents(db).findOne({ docId }, [['createdAt', 'desc']])
  if (latest && compareVersions(version, latest.version) <= 0) {
    fail('VERSION_EXISTS', `版本号须大于已发布的最新版本 ${latest.version}`)
  }
  const issue = (path: string, message: string): never => fail('INVALID_INPUT', undefined, [{ path, message }])
  if (effectiveAt < announcedAt) issue('effectiveAt', '生效时间不能早于公告时间')
  if (latest) {
    // The first version may record when it was really announced; changes must give users notice.
    if (announcedAt.getTime() < now.getTime() - ANNOUNCE_GRACE_MS) issue('announcedAt', '公告时间不能早于现在')
    if (effectiveAt.getTime() <= announcedAt.getTime()) issue('effectiveAt', '新版本须先公告、后生效：生效时间须晚于公告时间')
    if (effectiveAt < latest.effectiveAt) issue('effectiveAt', `生效时间不能早于上一版本（${latest.version}）的生效时间`)
  }
  const body = fillTemplate(request.template, config)
  const doc: LegalDocumentDoc = {
    _id: `${docId}@${version}`,
    docId,
    version,
    title: request.title,
    summary: request.summary,
    body,
    hash: sha256Hex(body),
    announcedAt,
    effectiveAt,
    publishedBy: request.publishedBy,
    createdAt: now,
  }
  try {
    await documents(db).add(doc)
  } catch (error) {
    if (isDuplicateKey(error)) fail('VERSION_EXISTS')
    throw error
  }
  // This instance sees its own publication at once; others within the cache time.
  cache.delete(db)
  const { body: _body, ...meta } = doc
  return meta
}

/** Published documents name the staff account that published them: kept, as the operator's accountability record. */
export const legalErasure: ErasureRule = {
  collection: COLLECTIONS.legalDocuments,
  title: '你以工作人员身份发布的协议文档',
  treatment: 'keep',
  detail: '协议文档是公开且不可修改的版本记录，发布人记录随文档保留，以便追溯。普通用户没有这类记录。',
  count: (ctx, s) => documents(ctx.db).count({ publishedBy: s.openid }),
  erase: async () => undefined,
}

export const legalExport: ExportRule = {
  collection: COLLECTIONS.legalDocuments,
  excluded: '协议与告知文档是公开内容，不是你的个人信息；你同意了哪些版本见「同意记录」一节。',
}

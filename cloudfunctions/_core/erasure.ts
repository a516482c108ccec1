/**
 * The erasure registry: for every collection, what account deletion does to a
 * person's documents in it — delete, anonymize, pseudonymize, keep (with the
 * reason) or nothing (no personal data). A collection without a rule fails the
 * guard test (tests/functions/deletion.test.ts), so a new collection cannot
 * quietly keep personal data after deletion. Each `erase` is idempotent: a run
 * that stops half-way is finished by the next one.
 *
 * Domains own their rules where the guards require it (consent ledger, legal
 * documents); the identity domain's rules below call its own erasure.
 *
 * Uploaded files: documents name the person's images in cloud storage
 * (`cloud://` file ids: avatar and avatar waiting for review, card avatars,
 * activity covers, article covers — FILE_REFERENCES). Before any document is
 * erased, the files those documents name are deleted through the storage port
 * (`eraseFiles`), so a run that stops half-way finds them again. It is best
 * effort: a file storage will not delete is logged (how many, never which)
 * and the erasure goes on; a file another person's document also names is
 * left alone (a file id is no proof of who uploaded it). Files replaced or
 * removed while the account lives (a new avatar, a changed cover, a deleted
 * article) are not deleted for now: only erasure deletes files.
 */
import { accounts, freshLifecycle, type AccountDoc } from './accounts'
import { CARD_ERASURE_RULES } from './cards/registry'
import { COLLECTIONS } from './collections'
import type { Config } from './config'
import { consentErasure, subjectRefOf } from './consent/ledger'
import { OIDC_ERASURE_RULES } from './oidc/registry'
import type { Context } from './context'
import { PAGE_MAX, type Doc } from './db'
import { eraseIdentityData, identityAttempts, identities, impersonationReports, startCounters } from './identity/records'
import { inboxMessages, subscriptions } from './inbox'
import { legalErasure } from './legal'
import { accountEvents } from './lifecycle/transition'
import { MODERATION_ERASURE_RULES } from './moderation/registry'
import { REVIEW_ERASURE_RULES } from './review/registry'
import { correctionRequests } from './corrections'
import type { AuditDoc } from './audit'
import { activitiesErasure, activityFiles, activitySignUpsErasure } from './activities/registry'
import { articleFiles, articleReadsErasure, articlesErasure } from './articles/records'
import { storageFor } from './ports/storage'
import { uploadFiles, uploadsErasure } from './uploads'
import type { ErasureRule, ErasureSubject, FileReference } from './data-rules'

export type { ErasureRule, ErasureSubject, FileReference, Treatment } from './data-rules'



const nothing = async (): Promise<number> => 0
const noop = async (): Promise<void> => undefined

/**
 * The ledger's subject after erasure is `erased:<subjectRef>` (its chain is
 * computed over subjectRef) plus the account id, so a person who returns,
 * registers again and deletes again does not collide with their first ledger.
 */
export function pseudonymOf(config: Config, openid: string, accountId: string): string {
  return `erased:${subjectRefOf(config, openid)}:${accountId}`
}

export function erasureSubject(config: Config, account: Pick<AccountDoc, 'openid' | '_id'>): ErasureSubject {
  return { openid: account.openid, accountId: account._id, pseudonym: pseudonymOf(config, account.openid, account._id) }
}

interface OwnedDoc extends Doc {
  ownerOpenid?: string
  viewerOpenid?: string
  openid?: string
}

const locations = (ctx: Context) => ctx.db.collection<OwnedDoc>(COLLECTIONS.locations)
const auditLogs = (ctx: Context) => ctx.db.collection<AuditDoc>(COLLECTIONS.auditLogs)

/** The tombstone: the account id and dates that prove the deletion happened in time; nothing that identifies the person. */
function tombstoneOf(account: AccountDoc, subject: ErasureSubject, now: Date): AccountDoc {
  return {
    _id: account._id,
    ...freshLifecycle(),
    openid: subject.pseudonym,
    state: 'deleted',
    roles: [],
    nickname: '已注销用户',
    avatarUrl: null,
    createdAt: account.createdAt,
    updatedAt: now,
    lastActiveAt: now,
    birthDate: null,
    birthDateSource: null,
    verifiedAt: null,
    stateChangedAt: now,
    stateVersion: account.stateVersion + 1,
    contentHidden: true,
    deletionRequestedAt: account.deletionRequestedAt,
    deletionDueAt: account.deletionDueAt,
    erasure: 'done',
  }
}

export const ACCOUNTS_RULE: ErasureRule = {
  collection: COLLECTIONS.accounts,
  title: '账号资料（昵称、头像、出生日期、角色、活跃时间）',
  treatment: 'anonymize',
  detail: '昵称、头像、出生日期等全部删除，只留下不含个人信息的注销记录（账号编号、注销申请与完成时间），以证明已按时注销。以后用同一微信再次使用会得到全新的账号。',
  count: async (ctx, s) => (await accounts(ctx.db).byId(s.accountId) ? 1 : 0),
  async erase(ctx, s) {
    const account = await accounts(ctx.db).byId(s.accountId)
    if (!account || account.erasure === 'done') return
    // Replaced whole, so fields other domains may have added to the account go too.
    await accounts(ctx.db).put(tombstoneOf({ ...freshLifecycle(), ...account }, s, ctx.now))
  },
}

const RULES: readonly ErasureRule[] = [
  {
    collection: COLLECTIONS.inboxMessages,
    title: '站内信',
    treatment: 'delete',
    detail: '全部删除。',
    count: (ctx, s) => inboxMessages(ctx.db).count({ recipient: s.openid }),
    erase: async (ctx, s) => void (await inboxMessages(ctx.db).removeWhere({ recipient: s.openid })),
  },
  {
    collection: COLLECTIONS.subscriptions,
    title: '订阅消息授权',
    treatment: 'delete',
    detail: '全部删除。',
    count: (ctx, s) => subscriptions(ctx.db).count({ openid: s.openid }),
    erase: async (ctx, s) => void (await subscriptions(ctx.db).removeWhere({ openid: s.openid })),
  },
  ...CARD_ERASURE_RULES,
  {
    collection: COLLECTIONS.locations,
    title: '位置信息',
    treatment: 'delete',
    detail: '全部删除。',
    count: (ctx, s) => locations(ctx).count({ openid: s.openid }),
    erase: async (ctx, s) => void (await locations(ctx).removeWhere({ openid: s.openid })),
  },
  {
    collection: COLLECTIONS.identities,
    title: '实名信息（姓名、身份证号，加密保存）',
    treatment: 'delete',
    detail: '全部删除，包括用于“一人一号”的身份证号索引；此后该身份证号可以重新认证其他账号。',
    count: (ctx, s) => identities(ctx.db).count({ openid: s.openid }),
    erase: (ctx, s) => eraseIdentityData(ctx, s.openid),
  },
  {
    collection: COLLECTIONS.identityAttempts,
    title: '实名核验过程记录',
    treatment: 'delete',
    detail: '全部删除；别人核验时与你的账号冲突的记录不再关联到你。',
    count: (ctx, s) => identityAttempts(ctx.db).count({ openid: s.openid }),
    async erase(ctx, s) {
      await identityAttempts(ctx.db).removeWhere({ openid: s.openid })
      // Another person's refused attempt names the holder of the ID (short-lived: attempts are purged).
      await identityAttempts(ctx.db).updateWhere({ boundTo: s.openid }, { boundTo: 'erased' })
    },
  },
  {
    collection: COLLECTIONS.impersonationReports,
    title: '冒用申诉',
    treatment: 'keep',
    detail: '你提交的申诉删除；别人针对你账号的申诉只保留处理结论，不再关联到你。',
    count: async (ctx, s) =>
      (await impersonationReports(ctx.db).count({ reporter: s.openid })) + (await impersonationReports(ctx.db).count({ holder: s.openid })),
    async erase(ctx, s) {
      await impersonationReports(ctx.db).removeWhere({ reporter: s.openid })
      await impersonationReports(ctx.db).updateWhere({ holder: s.openid }, { holder: 'erased' })
    },
  },
  {
    collection: COLLECTIONS.counters,
    title: '次数计数（实名核验、每日发布和举报次数）',
    treatment: 'delete',
    detail: '删除。',
    count: (ctx, s) => startCounters(ctx.db).count({ openid: s.openid }),
    erase: async (ctx, s) => void (await startCounters(ctx.db).removeWhere({ openid: s.openid })),
  },
  {
    collection: COLLECTIONS.correctionRequests,
    title: '信息更正申请',
    treatment: 'keep',
    detail: '未处理的申请删除；已处理的只保留处理结论和时间（作为依法处理你的请求的记录），删除你填写的说明，不再关联到你。',
    count: (ctx, s) => correctionRequests(ctx.db).count({ subject: s.openid }),
    async erase(ctx, s) {
      await correctionRequests(ctx.db).removeWhere({ subject: s.openid, status: 'open' })
      await correctionRequests(ctx.db).updateWhere({ subject: s.openid }, { subject: s.pseudonym, note: '' })
    },
  },
  // Grants are revoked (withdrawals appended to the ledger) before the ledger is pseudonymized.
  ...OIDC_ERASURE_RULES,
  consentErasure,
  {
    collection: COLLECTIONS.auditLogs,
    title: '工作人员查看或处理你账号的记录',
    treatment: 'pseudonymize',
    detail: '保留（平台须留存工作人员访问个人信息的记录），其中你的微信标识替换为无法还原的编号。',
    count: (ctx, s) => auditLogs(ctx).count({ subject: s.openid }),
    async erase(ctx, s) {
      await auditLogs(ctx).updateWhere({ subject: s.openid }, { subject: s.pseudonym })
      await auditLogs(ctx).updateWhere({ target: s.openid }, { target: s.pseudonym })
      // A former staff member's own actions stay attributable to the pseudonym (accountability), not to the openid.
      await auditLogs(ctx).updateWhere({ actorOpenid: s.openid }, { actorOpenid: s.pseudonym })
    },
  },
  {
    collection: COLLECTIONS.accountEvents,
    title: '账号状态变更记录',
    treatment: 'pseudonymize',
    detail: '保留（处理决定及其理由的记录，用于申诉和监管查询），其中你的微信标识替换为无法还原的编号。',
    count: (ctx, s) => accountEvents(ctx.db).count({ subject: s.openid }),
    erase: async (ctx, s) => void (await accountEvents(ctx.db).updateWhere({ subject: s.openid }, { subject: s.pseudonym })),
  },
  articlesErasure,
  articleReadsErasure,
  activitySignUpsErasure,
  activitiesErasure,
  ...MODERATION_ERASURE_RULES,
  ...REVIEW_ERASURE_RULES,
  legalErasure,
  uploadsErasure,
  {
    collection: 'demo_items',
    title: '演示数据',
    treatment: 'none',
    detail: '不含个人信息。',
    count: nothing,
    erase: noop,
  },
  // The account itself goes last: until its tombstone is written, a failed run can find and finish the rest.
  ACCOUNTS_RULE,
]

export function erasureRules(): readonly ErasureRule[] {
  return RULES
}


/** Every place a person's uploaded files are named; a domain that stores file ids adds its own (exported next to its erasure rule). */
export const FILE_REFERENCES: readonly FileReference[] = [
  { collection: COLLECTIONS.accounts, owner: 'openid', fields: ['avatarUrl', 'pendingAvatarUrl'] },
  // The cards domain's avatars (cards/store.ts `avatarUrl`).
  { collection: COLLECTIONS.cards, owner: 'ownerOpenid', fields: ['avatarUrl'] },
  activityFiles,
  articleFiles,
  uploadFiles,
]

type Loose = Doc & Record<string, unknown>

function isCloudFile(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('cloud://')
}

/** The `cloud://` file ids the person's documents name now. */
export async function filesOf(ctx: Context, s: ErasureSubject): Promise<Set<string>> {
  const files = new Set<string>()
  const { cmd } = ctx.db
  for (const ref of FILE_REFERENCES) {
    const collection = ctx.db.collection<Loose>(ref.collection)
    const fields = Object.fromEntries(ref.fields.map((f) => [f, true]))
    let last: string | null = null
    for (;;) {
      const where = last === null ? { [ref.owner]: s.openid } : { [ref.owner]: s.openid, _id: cmd.gt(last) }
      const page = await collection.find(where, { orderBy: [['_id', 'asc']], limit: PAGE_MAX, fields })
      for (const doc of page) for (const field of ref.fields) if (isCloudFile(doc[field])) files.add(doc[field])
      const end = page.at(-1)
      if (page.length < PAGE_MAX || !end) break
      last = end._id
    }
  }
  return files
}

/** The files among `fileIds` that a document of someone else names too. */
async function namedByOthers(ctx: Context, s: ErasureSubject, fileIds: readonly string[]): Promise<Set<string>> {
  const shared = new Set<string>()
  const { cmd } = ctx.db
  for (const ref of FILE_REFERENCES) {
    const collection = ctx.db.collection<Loose>(ref.collection)
    for (const field of ref.fields) {
      for (let i = 0; i < fileIds.length; i += PAGE_MAX) {
        const batch = fileIds.slice(i, i + PAGE_MAX).filter((f) => !shared.has(f))
        if (batch.length === 0) continue
        const found = await collection.find({ [field]: cmd.in(batch), [ref.owner]: cmd.neq(s.openid) }, { limit: PAGE_MAX, fields: { [field]: true } })
        for (const doc of found) if (isCloudFile(doc[field])) shared.add(doc[field])
        // A full page may hide other files of the batch behind a much-shared one: ask about the rest one by one.
        if (found.length === PAGE_MAX) {
          for (const fileId of batch) {
            if (!shared.has(fileId) && (await collection.count({ [field]: fileId, [ref.owner]: cmd.neq(s.openid) })) > 0) shared.add(fileId)
          }
        }
      }
    }
  }
  return shared
}

export interface FileErasureReport {
  /** Files the person's documents named. */
  found: number
  /** Asked to be deleted and deleted (or already gone). */
  deleted: number
  /** Left because someone else's document names them too. */
  shared: number
  /** Storage did not delete them (logged). */
  failed: number
}

/**
 * Deletes from cloud storage the files the person's documents name, before
 * the documents themselves go (erasePerson). Best effort and idempotent: it
 * never throws — a failure is logged and the erasure of the documents goes on.
 */
export async function eraseFiles(ctx: Context, s: ErasureSubject): Promise<FileErasureReport> {
  const report: FileErasureReport = { found: 0, deleted: 0, shared: 0, failed: 0 }
  try {
    const mine = [...(await filesOf(ctx, s))]
    report.found = mine.length
    if (mine.length === 0) return report
    const shared = await namedByOthers(ctx, s, mine)
    report.shared = shared.size
    const outcomes = await storageFor(ctx).deleteFiles(mine.filter((f) => !shared.has(f)))
    report.deleted = outcomes.filter((o) => o.deleted).length
    const failed = outcomes.filter((o) => !o.deleted)
    report.failed = failed.length
    // Never the file ids: their paths are the client's choice and may say who uploaded them.
    if (failed.length > 0) ctx.log.error('uploaded files not deleted on erasure', { requestId: ctx.requestId, accountId: s.accountId, ...report, problems: [...new Set(failed.map((o) => o.problem))] })
  } catch (error) {
    report.failed = report.found - report.deleted - report.shared
    ctx.log.error('uploaded files could not be deleted on erasure', { requestId: ctx.requestId, accountId: s.accountId, ...report, error: String(error) })
    return report
  }
  ctx.log.info('uploaded files erased', { requestId: ctx.requestId, accountId: s.accountId, ...report })
  return report
}

/** Erases everything of the person: the files their documents name first, then collection by collection, the account last. */
export async function erasePerson(ctx: Context, subject: ErasureSubject): Promise<void> {
  await eraseFiles(ctx, subject)
  for (const rule of RULES) await rule.erase(ctx, subject)
}

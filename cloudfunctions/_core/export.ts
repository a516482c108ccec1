/**
 * The export registry: for every collection, the section it contributes to a
 * person's copy of their data (PIPL Art. 45), or why it contributes none. A
 * collection without a rule fails the guard test (tests/functions/export.test.ts).
 */
import { ACCOUNT_STATE_LABELS } from '../../shared/account'
import type { ExportDocument } from '../../shared/contract/account'
import { FEATURE_LABELS, TRANSITIONS } from '../../shared/rules/lifecycle'
import { accessLogPage } from './access-log'
import type { AccountDoc } from './accounts'
import { CARD_EXPORT_RULES } from './cards/registry'
import { COLLECTIONS } from './collections'
import { ledgerOf } from './consent/gate'
import { consentErasure } from './consent/ledger'
import { buildReceipt } from './consent/receipts'
import { toRecordView } from './consent/status'
import type { Context } from './context'
import { correctionRequests, toCorrectionView } from './corrections'
import type { Doc } from './db'
import { identityAttempts, identities, impersonationReports } from './identity/records'
import { inboxMessages, subscriptions } from './inbox'
import { documentCatalogue, legalExport } from './legal'
import { accountEvents } from './lifecycle/transition'
import { MODERATION_EXPORT_RULES } from './moderation/registry'
import { REVIEW_EXPORT_RULES } from './review/registry'
import { collectAll } from './paging'
import { uploadsExport } from './uploads'
import { OIDC_EXPORT_RULES } from './oidc/registry'
import { activitiesExport, activitySignUpsExport } from './activities/registry'
import { articleReadsExport, articlesExport } from './articles/records'
import type { ExportRule, ExportSection } from './data-rules'

export type { ExportRule, ExportSection } from './data-rules'

type JsonRecord = Record<string, unknown>

/** Plain JSON: dates as ISO 8601; other people's identifiers (any `…openid` field) left out. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    const out: JsonRecord = {}
    for (const [key, inner] of Object.entries(value as JsonRecord)) if (!/openid$/i.test(key)) out[key] = plain(inner)
    return out
  }
  return value
}

function record(value: unknown): JsonRecord {
  return plain(value) as JsonRecord
}

/** Oldest first by `field`; equal times in id order (ordered ids keep the order they were made in: ids.ts). */
function chronological<T extends Doc>(docs: T[], field: keyof T & string): T[] {
  const time = (doc: T): number => {
    const value = doc[field]
    return value instanceof Date ? value.getTime() : 0
  }
  return docs.sort((a, b) => time(a) - time(b) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
}

function section(domain: string, title: string, records: JsonRecord[], note: string | null = null): ExportSection {
  return { domain, title, records, note }
}

interface OwnedDoc extends Doc {
  ownerOpenid?: string
  viewerOpenid?: string
  openid?: string
}

const RULES: readonly ExportRule[] = [
  {
    collection: COLLECTIONS.accounts,
    async sections(_ctx, a) {
      return [
        section('account', '账号资料', [
          {
            id: a._id,
            nickname: a.nickname,
            avatarUrl: a.avatarUrl,
            roles: a.roles,
            state: a.state,
            stateLabel: ACCOUNT_STATE_LABELS[a.state],
            stateReason: a.stateReason,
            stateUntil: plain(a.stateUntil),
            bans: a.bans.map((ban) => ({ feature: ban.feature, label: FEATURE_LABELS[ban.feature], until: ban.until.toISOString(), reason: ban.reason })),
            birthDate: a.birthDate,
            birthDateSource: a.birthDateSource,
            verified: a.verifiedAt !== null,
            verifiedAt: plain(a.verifiedAt),
            createdAt: a.createdAt.toISOString(),
            lastActiveAt: a.lastActiveAt.toISOString(),
            lastLoginAt: plain(a.lastLoginAt),
            deletionRequestedAt: plain(a.deletionRequestedAt),
            deletionDueAt: plain(a.deletionDueAt),
          },
        ]),
      ]
    },
  },
  {
    // Named through the ledger: only it may name its collection (tests/guards/append-only).
    collection: consentErasure.collection,
    async sections(ctx, a) {
      const records = await ledgerOf(ctx).all(a.openid)
      const receipt = buildReceipt(ctx.config, await documentCatalogue(ctx.db), a.openid, records, ctx.now)
      return [
        section('consent', '同意记录', records.map((r) => record(toRecordView(r)))),
        section('consentReceipt', '同意记录回执（可独立校验的完整记录链）', [record(receipt)]),
      ]
    },
  },
  {
    collection: COLLECTIONS.inboxMessages,
    async sections(ctx, a) {
      const messages = await collectAll(ctx.db, inboxMessages(ctx.db), { recipient: a.openid })
      return [section('inbox', '站内信', messages.map(({ dedupeKey: _key, recipient: _recipient, ...m }) => record(m)))]
    },
  },
  {
    collection: COLLECTIONS.subscriptions,
    async sections(ctx, a) {
      const docs = await collectAll(ctx.db, subscriptions(ctx.db), { openid: a.openid })
      return [section('subscriptions', '订阅消息授权（剩余可推送次数）', docs.map((d) => record({ credits: d.credits, updatedAt: d.updatedAt })))]
    },
  },
  {
    collection: COLLECTIONS.identities,
    async sections(ctx, a) {
      const docs = await collectAll(ctx.db, identities(ctx.db), { openid: a.openid })
      return [
        section(
          'identity',
          '实名认证',
          docs.map((d) =>
            record({
              name: d.maskedName ?? null,
              idNumber: d.maskedIdNumber ?? null,
              provider: d.provider,
              result: d.result,
              verifiedAt: d.verifiedAt,
              birthDate: d.birthDate,
            }),
          ),
          // The copy may be shared or stored carelessly; the full values stay sealed and are shown to staff only on a legal request.
          '姓名和身份证号加密保存，本副本只包含打码后的内容，以免副本外泄时暴露完整证件号。',
        ),
      ]
    },
  },
  {
    collection: COLLECTIONS.identityAttempts,
    async sections(ctx, a) {
      const docs = chronological(await collectAll(ctx.db, identityAttempts(ctx.db), { openid: a.openid }), 'createdAt')
      return [
        section(
          'identityAttempts',
          '实名核验记录',
          docs.map((d) =>
            record({
              purpose: d.purpose ?? 'verify',
              provider: d.provider,
              createdAt: d.createdAt,
              expiresAt: d.expiresAt,
              usedAt: d.usedAt,
              result: d.result,
              consumedAt: d.consumedAt ?? null,
            }),
          ),
          '核验时填写的姓名和身份证号加密保存，核验结束即删除，本副本不包含。',
        ),
      ]
    },
  },
  {
    collection: COLLECTIONS.impersonationReports,
    async sections(ctx, a) {
      const docs = await collectAll(ctx.db, impersonationReports(ctx.db), { reporter: a.openid })
      return [
        section(
          'impersonationReports',
          '我提交的冒用申诉',
          docs.map((d) => record({ reason: d.reason, status: d.status, createdAt: d.createdAt })),
          '别人针对你账号的申诉含有申诉人的个人信息，不在本副本中；如有疑问请联系我们。',
        ),
      ]
    },
  },
  { collection: COLLECTIONS.counters, excluded: '技术计数（实名核验、每日发布和举报的次数限制），不含其他信息。' },
  ...CARD_EXPORT_RULES,
  {
    collection: COLLECTIONS.locations,
    async sections(ctx, a) {
      const docs = await collectAll(ctx.db, ctx.db.collection<OwnedDoc>(COLLECTIONS.locations), { openid: a.openid })
      return [section('locations', '位置信息', docs.map(record))]
    },
  },
  {
    collection: COLLECTIONS.auditLogs,
    async sections(ctx, a) {
      const entries = []
      let cursor: string | null = null
      do {
        const page = await accessLogPage(ctx, a.openid, cursor, 50)
        entries.push(...page.entries)
        cursor = page.nextCursor
      } while (cursor)
      return [section('accessLog', '工作人员查看或处理我的信息的记录', entries.map(record), '只显示工作人员的角色，不显示具体是谁。')]
    },
  },
  {
    collection: COLLECTIONS.accountEvents,
    async sections(ctx, a) {
      const events = await collectAll(ctx.db, accountEvents(ctx.db), { subject: a.openid })
      return [
        section(
          'accountHistory',
          '账号状态变更记录',
          events.map((e) =>
            record({ transition: e.transition, label: TRANSITIONS[e.transition].label, from: e.from, to: e.to, actor: e.actor, reason: e.reason, until: e.until, at: e.at }),
          ),
        ),
      ]
    },
  },
  {
    collection: COLLECTIONS.correctionRequests,
    async sections(ctx, a) {
      const docs = await collectAll(ctx.db, correctionRequests(ctx.db), { subject: a.openid })
      return [section('corrections', '信息更正申请', docs.map((d) => record(toCorrectionView(d))))]
    },
  },
  articlesExport,
  articleReadsExport,
  activitiesExport,
  activitySignUpsExport,
  ...MODERATION_EXPORT_RULES,
  ...REVIEW_EXPORT_RULES,
  legalExport,
  uploadsExport,
  ...OIDC_EXPORT_RULES,
  { collection: 'demo_items', excluded: '本地演示数据，不含个人信息。' },
]

export function exportRules(): readonly ExportRule[] {
  return RULES
}

export async function exportPerson(ctx: Context, account: AccountDoc): Promise<ExportDocument> {
  const sections: ExportSection[] = []
  for (const rule of RULES) if ('sections' in rule) sections.push(...(await rule.sections(ctx, account)))
  const { operator } = ctx.config
  return {
    format: 'lechat-export/1',
    exportedAt: ctx.now.toISOString(),
    controller: { name: operator.name, contact: [operator.email, operator.contact, operator.address].filter(Boolean).join('；') },
    accountId: account._id,
    sections,
  }
}

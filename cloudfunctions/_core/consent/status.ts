/** What a person sees of their consents: the status view and the lazy notices of new versions. */
import { PURPOSE_IDS, PURPOSES, requiredPurposes, type PurposeId, type PurposeState } from '../../../shared/consent'
import type { ConsentRecordView, ConsentStatus } from '../../../shared/contract/consent'
import type { AgeClass } from '../../../shared/rules/age'
import type { AccountDoc } from '../accounts'
import type { Context } from '../context'
import { documentCatalogue, type DocumentCatalogue, type VersionRecord } from '../legal'
import { beijingDateTime } from '../clock'
import { notifyMissing } from '../inbox'
import { ageClassOf, judgeTerms, ledgerOf, standingOf } from './gate'
import { NO_DECISION, type ConsentRecordDoc, type PurposeDecision } from './ledger'

export type Decisions = ReadonlyMap<PurposeId, PurposeDecision>


export const STATE_AFTER: Record<ConsentRecordDoc['action'], PurposeState> = { grant: 'granted', refuse: 'refused', withdraw: 'withdrawn' }

export function toRecordView(r: ConsentRecordDoc): ConsentRecordView {
  return {
    id: r._id,
    seq: r.seq,
    purpose: r.purpose,
    ...(r.recipient ? { recipient: r.recipient } : {}),
    action: r.action,
    method: r.method,
    docId: r.docId,
    version: r.version,
    hash: r.hash,
    at: r.at.toISOString(),
    guardian: r.guardian,
  }
}

/** Everything needed to describe one person's consents now: one ledger query, the cached catalogue. */
export interface ConsentPicture {
  age: AgeClass
  decisions: Decisions
  catalogue: DocumentCatalogue
}

export async function consentPicture(ctx: Pick<Context, 'db' | 'config' | 'now'>, account: AccountDoc): Promise<ConsentPicture> {
  const [decisions, catalogue] = await Promise.all([ledgerOf(ctx).decisions(account.openid, PURPOSE_IDS), documentCatalogue(ctx.db)])
  return { age: ageClassOf(account, ctx.now), decisions, catalogue }
}

/** Documents that concern this person: the required ones, and the notices of purposes they granted. */
function relevantPurposes({ age, decisions }: ConsentPicture): PurposeId[] {
  const required = requiredPurposes(age === 'under14')
  const granted = PURPOSE_IDS.filter((p) => !required.includes(p) && decisions.get(p)?.latest?.action === 'grant')
  return [...required, ...granted]
}

export function buildStatus(picture: ConsentPicture, now: Date): ConsentStatus {
  const { age, decisions, catalogue } = picture
  const verdict = judgeTerms(age, decisions, catalogue, now)
  const required = verdict.required.map((s) => ({
    purpose: s.purpose,
    docId: PURPOSES[s.purpose].document,
    currentVersion: s.current?.version ?? null,
    acceptedVersion: s.currentGrant?.version ?? s.decision.activeGrants[0]?.version ?? null,
    state: s.currentGrant ? ('current' as const) : s.decision.everGranted ? ('outdated' as const) : ('missing' as const),
  }))
  const upcoming = relevantPurposes(picture).flatMap((purpose) => {
    const next = catalogue.upcoming(PURPOSES[purpose].document, now)
    if (!next) return []
    const accepted = (decisions.get(purpose) ?? NO_DECISION).activeGrants.some((r) => r.version === next.version)
    const { docId, version, title, summary } = next
    return [{ purpose, docId, version, title, summary, effectiveAt: next.effectiveAt.toISOString(), accepted }]
  })
  const purposes = PURPOSE_IDS.map((purpose) => {
    const standing = standingOf(purpose, decisions.get(purpose) ?? NO_DECISION, catalogue, now)
    const latest = standing.decision.latest
    const state: PurposeState = latest ? STATE_AFTER[latest.action] : 'none'
    return {
      purpose,
      state,
      version: latest?.version ?? null,
      at: latest?.at.toISOString() ?? null,
      outdated: state === 'granted' && standing.current !== null && standing.currentGrant === null,
    }
  })
  return { ageClass: age, blocked: verdict.blocked, required, upcoming, purposes }
}

/**
 * Tells the person about new versions of their documents, once each, when they
 * next show up (login, consent status, inbox): no job has to fan out to every
 * account. A version concerns them when it takes effect after they joined and
 * they have not already accepted it; only the newest such version per document.
 */
export async function deliverLegalNotices(ctx: Context, account: AccountDoc, picture: ConsentPicture): Promise<void> {
  const { catalogue, decisions } = picture
  const due: VersionRecord[] = []
  for (const purpose of relevantPurposes(picture)) {
    const versions = catalogue.announced(PURPOSES[purpose].document, ctx.now)
    const newest = versions.at(-1)
    if (!newest || versions.length < 2 || newest.effectiveAt <= account.createdAt) continue
    if ((decisions.get(purpose) ?? NO_DECISION).activeGrants.some((r) => r.version === newest.version)) continue
    due.push(newest)
  }
  await notifyMissing(
    ctx,
    due.map((v) => {
      const upcoming = v.effectiveAt > ctx.now
      const when = beijingDateTime(v.effectiveAt)
      return {
        recipient: account.openid,
        type: 'legalUpdate' as const,
        title: upcoming ? `《${v.title}》将于 ${when.slice(0, 10)} 更新` : `《${v.title}》已更新`,
        body: upcoming
          ? `${v.summary}\n新版本（${v.version}）将于 ${when}（北京时间）生效，生效后需要同意新版本才能继续使用相关功能。`
          : `${v.summary}\n新版本（${v.version}）已于 ${when}（北京时间）生效，请阅读并确认是否同意。`,
        link: `/pages/legal/doc?docId=${v.docId}&version=${v.version}`,
        dedupeKey: `legal:${v.docId}@${v.version}`,
      }
    }),
  )
}

export async function loadAndDeliver(ctx: Context, account: AccountDoc): Promise<ConsentPicture> {
  const picture = await consentPicture(ctx, account)
  await deliverLegalNotices(ctx, account, picture)
  return picture
}

export async function currentStatus(ctx: Context, account: AccountDoc): Promise<ConsentStatus> {
  return buildStatus(await consentPicture(ctx, account), ctx.now)
}

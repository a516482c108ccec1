import { PURPOSES, type ConsentMethod, type PurposeId } from '../../shared/consent'
import type { guardianInput } from '../../shared/contract/consent'
import { ageClass, beijingDate, isFuture, parseCalendarDate, type AgeClass } from '../../shared/rules/age'
import { birthDateOf, ID_NUMBER_PROBLEMS, idNumberProblem, maskName } from '../../shared/rules/id-number'
import type * as z from 'zod/mini'
import { accounts, findAccount, type AccountDoc } from '../_core/accounts'
import { WITHDRAWAL_EFFECTS } from '../_core/consent/effects'
import { ageClassOf, ledgerOf } from '../_core/consent/gate'
import { identityRefOf, type ConsentRecordDoc, type GuardianFacts, type NewConsentRecord } from '../_core/consent/ledger'
import { buildReceipt, replayAsOf } from '../_core/consent/receipts'
import { buildStatus, currentStatus, loadAndDeliver, toRecordView } from '../_core/consent/status'
import type { AccountContext } from '../_core/context'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { documentCatalogue, type VersionRecord } from '../_core/legal'
import { consent as consentContract } from '../../shared/contract/consent'
import { decodeKeyCursor } from '../_core/cursor'

function invalid(path: string, message: string): never {
  return fail('INVALID_INPUT', message, [{ path, message }])
}

interface Shown {
  purpose: PurposeId
  version: string
  hash: string
}

/** The stored version the person was shown: in effect or announced next, with the very text they saw. */
async function shownVersion(ctx: AccountContext, shown: Shown): Promise<VersionRecord> {
  const docId = PURPOSES[shown.purpose].document
  let catalogue = await documentCatalogue(ctx.db)
  // A version published moments ago by another instance may not be in this one's cache yet.
  if (!catalogue.find(docId, shown.version)) catalogue = await documentCatalogue(ctx.db, { fresh: true })
  const stored = catalogue.find(docId, shown.version)
  if (!stored || !catalogue.isDecidable(stored, ctx.now) || stored.hash !== shown.hash) fail('DOCUMENT_OUTDATED')
  return stored
}

/** The birth date decides who must consent; it is declared once and then kept. */
async function settleBirthDate(ctx: AccountContext, declared: string | undefined): Promise<AccountDoc> {
  const { account } = ctx
  const fixed = '出生日期已经登记，不能自行更改；如有错误请联系我们更正'
  if (account.birthDate !== null) {
    if (declared !== undefined && declared !== account.birthDate) invalid('declaredBirthDate', fixed)
    return account
  }
  if (declared === undefined) invalid('declaredBirthDate', '请填写你的出生日期，我们据此判断是否需要监护人同意')
  const birth = parseCalendarDate(declared)
  if (!birth || birth.year < 1900) invalid('declaredBirthDate', '出生日期不能早于 1900 年')
  if (isFuture(birth, beijingDate(ctx.now))) invalid('declaredBirthDate', '出生日期不能晚于今天')
  // Kept even when the consent is then refused for want of a guardian: a child cannot simply try another date.
  const patch = { birthDate: declared, birthDateSource: 'declared' as const, updatedAt: ctx.now }
  const set = await accounts(ctx.db).updateWhere({ _id: account._id, birthDate: null }, patch)
  if (set > 0) return { ...account, ...patch }
  const raced = await findAccount(ctx.db, ctx.openid)
  if (!raced || raced.birthDate !== declared) invalid('declaredBirthDate', fixed)
  return raced
}

type GuardianInput = z.output<typeof guardianInput>

/** Under 14 every consent is the guardian's (PIPL Art. 31); only a keyed reference to their ID number is kept. */
function guardianFacts(ctx: AccountContext, age: AgeClass, method: ConsentMethod, guardian: GuardianInput | undefined): GuardianFacts | null {
  if (age !== 'under14') {
    if (guardian !== undefined || method === 'guardian') invalid(guardian ? 'guardian' : 'method', '年满14周岁的用户由本人同意，无需监护人')
    return null
  }
  if (method !== 'guardian' || !guardian) fail('GUARDIAN_CONSENT_REQUIRED', '未满14周岁的用户，需要由监护人填写身份信息并同意')
  const today = beijingDate(ctx.now)
  const problem = idNumberProblem(guardian.idNumber, today)
  if (problem) invalid('guardian.idNumber', ID_NUMBER_PROBLEMS[problem])
  if (ageClass(birthDateOf(guardian.idNumber), today) !== 'adult') invalid('guardian.idNumber', '监护人须年满18周岁')
  return { relation: guardian.relation, maskedName: maskName(guardian.name), identityRef: identityRefOf(ctx.config, guardian.idNumber) }
}

/** A repeated tap is not a new decision: the same decision on the same version by the same person stands. */
function repeats(latest: ConsentRecordDoc | null | undefined, next: NewConsentRecord): latest is ConsentRecordDoc {
  return (
    latest !== null &&
    latest !== undefined &&
    latest.action === next.action &&
    latest.version === next.version &&
    latest.hash === next.hash &&
    latest.method === next.method &&
    latest.guardian?.identityRef === next.guardian?.identityRef
  )
}

const HISTORY_PAGE = 20

/** The ledger pages by sequence number: the cursor is the last one shown. */
function seqCursor(cursor: string | null | undefined): number | undefined {
  const seq = decodeKeyCursor(cursor, /^\d{1,9}$/)
  return seq === null ? undefined : Number(seq)
}

export const consentFunction = defineFunction('consent', consentContract, {
  async status(_input, ctx) {
    return { status: buildStatus(await loadAndDeliver(ctx, ctx.account), ctx.now) }
  },

  async grant(input, ctx) {
    const purposes = input.items.map((item) => item.purpose)
    if (new Set(purposes).size !== purposes.length) invalid('items', '同一项不能重复提交')
    const shown: VersionRecord[] = []
    for (const item of input.items) shown.push(await shownVersion(ctx, item))

    const account = await settleBirthDate(ctx, input.declaredBirthDate)
    const age = ageClassOf(account, ctx.now)
    const guardian = guardianFacts(ctx, age, input.method, input.guardian)
    if (age !== 'under14' && purposes.includes('childrenRules')) invalid('items', '《儿童个人信息保护规则》仅适用于未满14周岁的用户')

    const ledger = ledgerOf(ctx)
    const decisions = await ledger.decisions(ctx.openid, purposes)
    const wanted = input.items.map((item, i) => {
      const v = shown[i] as VersionRecord
      const entry: NewConsentRecord = { purpose: item.purpose, action: 'grant', method: input.method, docId: v.docId, version: v.version, hash: v.hash, guardian }
      return { entry, standing: decisions.get(item.purpose)?.latest }
    })
    const appended = await ledger.append(
      ctx.openid,
      ctx.now,
      wanted.filter((w) => !repeats(w.standing, w.entry)).map((w) => w.entry),
    )
    const records = wanted.map((w) => (repeats(w.standing, w.entry) ? w.standing : appended.find((r) => r.purpose === w.entry.purpose)))
    return {
      records: records.filter((r): r is ConsentRecordDoc => r !== undefined).map(toRecordView),
      status: await currentStatus(ctx, account),
    }
  },

  async refuse(input, ctx) {
    const v = await shownVersion(ctx, input)
    const ledger = ledgerOf(ctx)
    const before = (await ledger.decisions(ctx.openid, [input.purpose])).get(input.purpose)?.latest
    const entry: NewConsentRecord = { purpose: input.purpose, action: 'refuse', method: input.method, docId: v.docId, version: v.version, hash: v.hash, guardian: null }
    const record = repeats(before, entry) ? before : (await ledger.append(ctx.openid, ctx.now, [entry]))[0]
    if (!record) fail('INTERNAL')
    // Saying no to something granted before stops that processing, as a withdrawal would.
    const effect = before?.action === 'grant' ? WITHDRAWAL_EFFECTS[input.purpose] : null
    if (effect) await effect(ctx, ctx.openid)
    return { record: toRecordView(record), status: await currentStatus(ctx, ctx.account) }
  },

  async withdraw({ purpose }, ctx) {
    const effect = WITHDRAWAL_EFFECTS[purpose]
    // Contract purposes have no effect to run: they end with the account.
    if (!effect) fail('WITHDRAW_VIA_DELETION')
    const ledger = ledgerOf(ctx)
    const latest = (await ledger.decisions(ctx.openid, [purpose])).get(purpose)?.latest
    let record: ConsentRecordDoc | undefined
    if (latest?.action === 'grant') {
      const { docId, version, hash } = latest
      record = (await ledger.append(ctx.openid, ctx.now, [{ purpose, action: 'withdraw', method: 'settings', docId, version, hash, guardian: null }]))[0]
    } else if (latest?.action === 'withdraw') {
      // Already withdrawn: run the effect again (idempotent) so an interrupted withdrawal completes.
      record = latest
    } else {
      fail('NOT_FOUND', `你目前没有同意「${PURPOSES[purpose].title}」，无需撤回`)
    }
    if (!record) fail('INTERNAL')
    const done = await effect(ctx, ctx.openid)
    return { record: toRecordView(record), effect: done, status: await currentStatus(ctx, ctx.account) }
  },

  async history({ purpose, cursor, limit }, ctx) {
    const size = limit ?? HISTORY_PAGE
    const beforeSeq = seqCursor(cursor)
    const records = await ledgerOf(ctx).page(ctx.openid, { ...(purpose ? { purpose } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}), limit: size })
    const last = records.at(-1)
    return { records: records.map(toRecordView), nextCursor: records.length === size && last ? String(last.seq) : null }
  },

  async receipt({ recordId }, ctx) {
    const record = await ledgerOf(ctx).byId(ctx.openid, recordId)
    if (!record) fail('NOT_FOUND', '没有找到这条同意记录')
    return { receipt: buildReceipt(ctx.config, await documentCatalogue(ctx.db), ctx.openid, [record], ctx.now) }
  },

  async receipts(_input, ctx) {
    const records = await ledgerOf(ctx).all(ctx.openid)
    return { receipt: buildReceipt(ctx.config, await documentCatalogue(ctx.db), ctx.openid, records, ctx.now) }
  },

  async verifyChain(_input, ctx) {
    return ledgerOf(ctx).verifyChain(ctx.openid)
  },

  async prove({ openid, at }, ctx) {
    const ledger = ledgerOf(ctx)
    const records = await ledger.all(openid)
    return { chain: await ledger.verifyChain(openid, records), purposes: replayAsOf(records, new Date(at)) }
  },
})

/** account.exportData: one JSON document, one section per domain, from the export registry. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportRules } from '../../cloudfunctions/_core/export'
import { ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import type { ExportDocument } from '../../shared/contract/account'
import { maskIdNumber, maskName } from '../../shared/rules/id-number'
import { grant, ok } from './helpers'
import { arrange, idNumberOf, makeStaff, signUp } from './lifecycle-helpers'

const collectionNames = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'database', 'collections.json'), 'utf8')) as { collections: Array<{ name: string }> }
).collections.map((c) => c.name)

let cloud: TestCloud
const START = new Date('2026-09-07T02:00:00.000Z')
const person = 'exp-person'
const idNumber = idNumberOf('1993-12-24', '615')
let document: ExportDocument

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await ensureTestDocuments(cloud)
  await makeStaff(cloud, 'exp-admin', 'admin')
  const me = await signUp(cloud, person)
  ok(await cloud.call('account', { action: 'updateProfile', input: { nickname: '孙导出' } }, person))
  ok(await grant(cloud, person, ['idNumber', 'face', 'partnerSharing']))
  const { verificationId } = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'start', input: { name: '孙导出', idNumber } }, person))
  ok(await cloud.call('identity', { action: 'complete', input: { verificationId } }, person))
  await arrange(cloud, 'cards', { ownerOpenid: person, title: '孙导出的名片' })
  await arrange(cloud, 'card_visits', { cardId: 'c-1', ownerOpenid: person, viewerOpenid: 'exp-visitor', at: cloud.clock.now() })
  await arrange(cloud, 'locations', { openid: person, lat: 31.2, lng: 121.5 })
  ok(await cloud.call('admin', { action: 'getAccount', input: { accountId: me._id, reason: '处理导出相关投诉' } }, 'exp-admin'))
  ok(await cloud.call('account', { action: 'requestCorrection', input: { field: 'realName', note: '姓名需要更正一个字' } }, person))
  // Export stays possible during the cooling-off period: people often take a copy before leaving.
  const recheck = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'recheck', input: {} }, person))
  ok(await cloud.call('identity', { action: 'completeRecheck', input: { verificationId: recheck.verificationId } }, person))
  ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true, verificationId: recheck.verificationId } }, person))
  document = ok<{ document: ExportDocument }>(await cloud.call('account', { action: 'exportData', input: {} }, person)).document
})
afterAll(async () => {
  await cloud.close()
})

const sectionOf = (domain: string) => document.sections.find((s) => s.domain === domain)

describe('the export registry', () => {
  it('has a rule or an explicit exclusion with a reason for every collection', () => {
    const named = exportRules().map((r) => r.collection)
    expect(new Set(named).size).toBe(named.length)
    expect([...named].sort()).toEqual([...collectionNames].sort())
    for (const rule of exportRules()) if ('excluded' in rule) expect(rule.excluded).toMatch(/[\u4e00-\u9fff]{4,}/)
  })
})

describe('account.exportData', () => {
  it('is one JSON document naming the controller, with a section per domain', () => {
    expect(document.format).toBe('lechat-export/1')
    expect(document.controller.name.length).toBeGreaterThan(0)
    expect(JSON.parse(JSON.stringify(document))).toEqual(document)
    expect(document.sections.map((s) => s.domain)).toEqual(
      expect.arrayContaining(['account', 'consent', 'consentReceipt', 'inbox', 'identity', 'identityAttempts', 'cards', 'cardVisits', 'cardVisitors', 'locations', 'accessLog', 'accountHistory', 'corrections']),
    )
  })

  it('contains my profile, consents with a verifiable receipt, inbox, cards, locations and history', () => {
    expect(sectionOf('account')?.records[0]).toMatchObject({ nickname: '孙导出', state: 'pendingDeletion', birthDate: '1993-12-24', birthDateSource: 'verified', verified: true })
    expect(sectionOf('consent')?.records.length).toBeGreaterThanOrEqual(5)
    const receipt = sectionOf('consentReceipt')?.records[0] as { records: unknown[]; receiptVersion: string }
    expect(receipt.receiptVersion).toBe('lechat-consent-receipt/1')
    expect(receipt.records).toHaveLength(sectionOf('consent')?.records.length ?? -1)
    expect(sectionOf('inbox')?.records.map((m) => m.title)).toContain('已收到你的注销申请')
    expect(sectionOf('cards')?.records).toEqual([expect.objectContaining({ title: '孙导出的名片' })])
    expect(sectionOf('locations')?.records).toEqual([expect.objectContaining({ lat: 31.2, lng: 121.5 })])
    expect(sectionOf('accountHistory')?.records.map((e) => e.transition)).toEqual(['requestDeletion'])
    expect(sectionOf('accessLog')?.records).toEqual([expect.objectContaining({ role: 'admin', actionLabel: '查看了你的账号资料', reason: '处理导出相关投诉' })])
    expect(sectionOf('corrections')?.records).toEqual([expect.objectContaining({ field: 'realName', status: 'open' })])
  })

  it('never contains the ID number, sealed data, openids — mine or anyone else’s', () => {
    const text = JSON.stringify(document)
    expect(text).not.toContain(idNumber)
    expect(text).not.toContain('exp-visitor')
    expect(text).not.toContain('exp-admin')
    expect(text).not.toContain(person)
    expect(text).not.toMatch(/Sealed|ciphertext|idIndex/i)
    expect(sectionOf('identity')?.records[0]).toMatchObject({
      provider: 'sandbox',
      result: 'passed',
      birthDate: '1993-12-24',
      name: maskName('孙导出'),
      idNumber: maskIdNumber(idNumber),
    })
    expect(sectionOf('identity')?.note).toContain('加密')
    // The verification and the face re-check spent on the deletion request, each with what it was for.
    expect(sectionOf('identityAttempts')?.records).toEqual([
      expect.objectContaining({ purpose: 'verify', result: 'passed', consumedAt: null }),
      expect.objectContaining({ purpose: 'recheck', result: 'passed', consumedAt: expect.any(String) }),
    ])
    expect(sectionOf('cardVisitors')?.records).toEqual([expect.objectContaining({ cardId: 'c-1' })])
  })
})

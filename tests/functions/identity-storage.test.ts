/**
 * Names and ID numbers never reach the disk or the logs in clear: after real
 * verifications (passed, pending, failed, refused as bound, provider outage,
 * admin reveal, the purge timer) the database files and everything logged are
 * scanned byte by byte for the plain values in the encodings a leak would use.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../../cloudfunctions/_core/context'
import type { CompleteResult } from '../../shared/contract/identity'
import { checkCharacter } from '../../shared/rules/id-number'
import { acceptCurrentTerms, startTestCloud, type TestCloud } from '../../local/testing'
import { errorOf, grant, makeAdmin, ok } from './helpers'

function idNumberOf(date: string, seq: string): string {
  const first17 = `110101${date.replaceAll('-', '')}${seq}`
  return `${first17}${checkCharacter(first17)}`
}

const HOLDER_NAME = '欧阳晓岚'
const HOLDER_ID = idNumberOf('1987-09-14', '629')
const WAITING_NAME = '司马沙箱等待'
const WAITING_ID = idNumberOf('1992-12-03', '517')
const FAILED_NAME = '诸葛沙箱不符'
const FAILED_ID = idNumberOf('1975-05-21', '834')
const OUTAGE_NAME = '上官沙箱故障'
const OUTAGE_ID = idNumberOf('1969-10-30', '276')
/** Stored in clear on purpose (the report's text): proves the scan finds what is there. */
const REPORT_REASON = '申诉说明：对照样本甲乙丙丁'

function encodings(text: string): Array<[string, Buffer]> {
  const utf16be = Buffer.from(text, 'utf16le').swap16()
  const escapes = (upper: boolean) =>
    Array.from(text)
      .map((c) => {
        const code = c.charCodeAt(0)
        if (code < 0x80) return c
        const hex = code.toString(16).padStart(4, '0')
        return `\\u${upper ? hex.toUpperCase() : hex}`
      })
      .join('')
  const rows: Array<[string, Buffer]> = [
    ['utf-8', Buffer.from(text, 'utf8')],
    ['utf-16le', Buffer.from(text, 'utf16le')],
    ['utf-16be', utf16be],
    ['json escapes', Buffer.from(escapes(false), 'utf8')],
    ['JSON ESCAPES', Buffer.from(escapes(true), 'utf8')],
    ['base64', Buffer.from(Buffer.from(text, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8')],
    ['url-encoded', Buffer.from(encodeURIComponent(text), 'utf8')],
    ['hex', Buffer.from(Buffer.from(text, 'utf8').toString('hex'), 'utf8')],
  ]
  return rows
}

/** Every plain value, and for ID numbers the 17 digits before the check character and the lower-case form. */
function needles(): Array<[string, Buffer]> {
  const values = [HOLDER_NAME, WAITING_NAME, FAILED_NAME, OUTAGE_NAME, HOLDER_ID, WAITING_ID, FAILED_ID, OUTAGE_ID]
  const ids = [HOLDER_ID, WAITING_ID, FAILED_ID, OUTAGE_ID]
  const texts = [...values, ...ids.map((id) => id.slice(0, 17)), ...ids.map((id) => id.toLowerCase())]
  return [...new Set(texts)].flatMap((text) => encodings(text).map(([how, bytes]) => [`${text} (${how})`, bytes] as [string, Buffer]))
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

const logged: string[] = []
const capture: Logger = {
  info: (message, fields) => logged.push(JSON.stringify({ message, ...fields })),
  error: (message, fields) => logged.push(JSON.stringify({ message, ...fields })),
}

let dataDir: string
let cloud: TestCloud
let consoleSpies: jest.SpyInstance[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lechat-identity-'))
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    }),
  )
  cloud = await startTestCloud({ dataDir, start: new Date('2026-04-01T02:00:00.000Z'), log: capture })

  const ready = async (openid: string) => {
    await acceptCurrentTerms(cloud, openid)
    ok(await grant(cloud, openid, ['idNumber', 'face', 'partnerSharing']))
  }
  const start = async (openid: string, name: string, idNumber: string) =>
    ok<{ verificationId: string }>(await cloud.call('identity', { action: 'start', input: { name, idNumber } }, openid)).verificationId
  const complete = (openid: string, verificationId: string) => cloud.call('identity', { action: 'complete', input: { verificationId } }, openid)

  await ready('scan-holder')
  expect(ok<CompleteResult>(await complete('scan-holder', await start('scan-holder', HOLDER_NAME, HOLDER_ID))).outcome).toBe('passed')

  await ready('scan-wait')
  const waiting = await start('scan-wait', WAITING_NAME, WAITING_ID)
  expect(ok<CompleteResult>(await complete('scan-wait', waiting)).outcome).toBe('pending')

  await ready('scan-fail')
  expect(ok<CompleteResult>(await complete('scan-fail', await start('scan-fail', FAILED_NAME, FAILED_ID))).outcome).toBe('failed')
  expect(errorOf(await complete('scan-fail', await start('scan-fail', OUTAGE_NAME, OUTAGE_ID))).code).toBe('IDENTITY_SERVICE_UNAVAILABLE')

  await ready('scan-claimant')
  const bound = await start('scan-claimant', HOLDER_NAME, HOLDER_ID)
  expect(errorOf(await complete('scan-claimant', bound)).code).toBe('ID_ALREADY_BOUND')
  ok(await cloud.call('identity', { action: 'reportImpersonation', input: { verificationId: bound, reason: REPORT_REASON } }, 'scan-claimant'))

  await makeAdmin(cloud, 'scan-admin')
  await acceptCurrentTerms(cloud, 'scan-admin')
  const revealed = ok<{ idNumber: string }>(
    await cloud.call('identity', { action: 'reveal', input: { openid: 'scan-holder', reason: '法院协助执行通知书（2026）第 3 号' } }, 'scan-admin'),
  )
  expect(revealed.idNumber).toBe(HOLDER_ID)

  cloud.clock.advance(2 * 24 * 3600 * 1000)
  ok(await cloud.gateway.fireTimer('identity', 'purgeAttempts'))
  await cloud.close()
})

afterAll(() => {
  for (const spy of consoleSpies) spy.mockRestore()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('after verifications of every kind', () => {
  it('the database files hold no plain name or ID number in any common encoding', () => {
    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(0)
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)))
    // The scan sees clear text where there is some.
    expect(bytes.includes(Buffer.from(REPORT_REASON, 'utf8'))).toBe(true)
    const hits = needles().filter(([, needle]) => bytes.includes(needle)).map(([what]) => what)
    expect(hits).toEqual([])
  })

  it('nothing logged holds them either', () => {
    const text = Buffer.from(logged.join('\n'), 'utf8')
    // The outage was logged (for operators), so the capture works.
    expect(logged.some((line) => line.includes('identity provider failed'))).toBe(true)
    expect(logged.some((line) => line.includes('identity attempts purged'))).toBe(true)
    const hits = needles().filter(([, needle]) => text.includes(needle)).map(([what]) => what)
    expect(hits).toEqual([])
  })
})

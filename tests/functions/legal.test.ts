import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DOCUMENT_IDS } from '../../shared/consent'
import { compareVersions } from '../../shared/rules/version'
import { seedDemoData } from '../../local/seed'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { DAY, errorOf, makeAdmin, ok, publish, publishInput, type VersionMetaData } from './helpers'

const START = new Date('2026-03-01T02:00:00.000Z')
const ADMIN = 'legal-admin'
const root = join(__dirname, '..', '..')
let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
  await makeAdmin(cloud, ADMIN)
})
afterAll(async () => {
  await cloud.close()
})

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const legal = (action: string, input: unknown, openid = 'reader') => cloud.call('legal', { action, input }, openid)

interface Listed {
  docId: string
  title: string
  current: VersionMetaData | null
  upcoming: VersionMetaData | null
}

async function listed(docId: string): Promise<Listed | undefined> {
  return ok<{ documents: Listed[] }>(await legal('list', {})).documents.find((d) => d.docId === docId)
}

describe('versions compare as numbers', () => {
  it.each([
    ['1', '1.1'],
    ['1.1', '2'],
    ['1.9', '1.10'],
    ['2', '10'],
  ])('%s < %s', (a, b) => {
    expect(compareVersions(a, b)).toBeLessThan(0)
    expect(compareVersions(b, a)).toBeGreaterThan(0)
  })

  it('treats 1 and 1.0 as the same version', () => {
    expect(compareVersions('1', '1.0')).toBe(0)
  })
})

describe('legal.publish', () => {
  it('publishes the filled template and hashes exactly the text readers get', async () => {
    const now = cloud.clock.now()
    const meta = await publish(cloud, ADMIN, { docId: 'user-agreement', version: '1', announcedAt: new Date(now.getTime() - 30 * DAY), effectiveAt: now })
    const { document } = ok<{ document: VersionMetaData & { body: string } }>(await legal('get', { docId: 'user-agreement' }))
    expect(document.version).toBe('1')
    expect(document.body).toContain(cloud.config.operator.name)
    expect(document.body).not.toContain('{{')
    expect(document.hash).toBe(sha256(document.body))
    expect(meta.hash).toBe(document.hash)
  })

  it('lets only the first version be backdated', async () => {
    const now = cloud.clock.now()
    const late = errorOf(
      await cloud.call('legal', { action: 'publish', input: publishInput({ docId: 'user-agreement', version: '2', announcedAt: new Date(now.getTime() - 6 * 60_000), effectiveAt: new Date(now.getTime() + DAY) }) }, ADMIN),
    )
    expect(late.code).toBe('INVALID_INPUT')
    expect(late.issues?.map((i) => i.path)).toEqual(['announcedAt'])
    // A few minutes of skew are tolerated.
    const skewed = await publish(cloud, ADMIN, { docId: 'user-agreement', version: '2', announcedAt: new Date(now.getTime() - 4 * 60_000), effectiveAt: new Date(now.getTime() + DAY) })
    expect(skewed.version).toBe('2')
  })

  it.each([
    ['the same version', '2', 'VERSION_EXISTS'],
    ['the same version written differently', '2.0', 'VERSION_EXISTS'],
    ['a lower version', '1.5', 'VERSION_EXISTS'],
  ])('refuses %s', async (_name, version, code) => {
    const now = cloud.clock.now()
    const refused = errorOf(await cloud.call('legal', { action: 'publish', input: publishInput({ docId: 'user-agreement', version, announcedAt: now, effectiveAt: new Date(now.getTime() + 2 * DAY) }) }, ADMIN))
    expect(refused.code).toBe(code)
  })

  it('needs a later version to be announced before it takes effect, and not before the one it replaces', async () => {
    const now = cloud.clock.now()
    const attempt = async (effectiveAt: Date) =>
      errorOf(await cloud.call('legal', { action: 'publish', input: publishInput({ docId: 'user-agreement', version: '3', announcedAt: now, effectiveAt }) }, ADMIN))
    for (const effectiveAt of [now, new Date(now.getTime() - 1000), new Date(now.getTime() + DAY / 2)]) {
      const refused = await attempt(effectiveAt)
      expect(refused.code).toBe('INVALID_INPUT')
      expect(refused.issues?.map((i) => i.path)).toEqual(['effectiveAt'])
    }
  })

  it('refuses a template with a placeholder it cannot fill, naming it, and stores nothing', async () => {
    const now = cloud.clock.now()
    const refused = errorOf(
      await cloud.call('legal', { action: 'publish', input: publishInput({ docId: 'minor-notice', version: '1', announcedAt: now, effectiveAt: now, body: '# 提示\n\n请联系 {{operatorName}} 或 {{nobodyKnows}} 了解详情。' }) }, ADMIN),
    )
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('body')
    expect(refused.issues?.[0]?.message).toContain('{{nobodyKnows}}')
    expect(errorOf(await legal('get', { docId: 'minor-notice' })).code).toBe('NOT_FOUND')
  })

  it('is for admins only, and audited with its reason', async () => {
    ok(await cloud.call('account', { action: 'login', input: {} }, 'plain-user'))
    const now = cloud.clock.now()
    const input = publishInput({ docId: 'notice-face', version: '1', announcedAt: now, effectiveAt: now })
    expect(errorOf(await cloud.call('legal', { action: 'publish', input }, 'plain-user')).code).toBe('FORBIDDEN')
    ok(await cloud.call('legal', { action: 'publish', input }, ADMIN))
    const audit = await cloud.store.collection<{ _id: string; actorOpenid: string; action: string; outcome: string; target: string; reason: string }>('audit_logs').find(
      { action: 'publish', outcome: 'ok', target: 'notice-face' },
      { limit: 5 },
    )
    expect(audit).toEqual([expect.objectContaining({ actorOpenid: ADMIN, reason: '测试发布新版本' })])
  })
})

describe('current and upcoming versions over time', () => {
  it('moves from announcement to effect, and hides a scheduled announcement until its time', async () => {
    const t0 = cloud.clock.now()
    await publish(cloud, ADMIN, { docId: 'notice-location', version: '1', announcedAt: t0, effectiveAt: t0 })
    await publish(cloud, ADMIN, { docId: 'notice-location', version: '1.1', announcedAt: t0, effectiveAt: new Date(t0.getTime() + 10 * DAY) })
    await publish(cloud, ADMIN, { docId: 'notice-location', version: '2', announcedAt: new Date(t0.getTime() + DAY), effectiveAt: new Date(t0.getTime() + 20 * DAY) })

    let doc = await listed('notice-location')
    expect([doc?.current?.version, doc?.upcoming?.version]).toEqual(['1', '1.1'])
    const history = ok<{ versions: VersionMetaData[] }>(await legal('history', { docId: 'notice-location' })).versions
    expect(history.map((v) => v.version)).toEqual(['1.1', '1'])
    expect(errorOf(await legal('get', { docId: 'notice-location', version: '2' })).code).toBe('NOT_FOUND')
    expect(ok<{ document: { version: string } }>(await legal('get', { docId: 'notice-location', version: '1.1' })).document.version).toBe('1.1')

    cloud.clock.advance(11 * DAY)
    doc = await listed('notice-location')
    expect([doc?.current?.version, doc?.upcoming?.version]).toEqual(['1.1', '2'])
    expect(ok<{ document: { version: string } }>(await legal('get', { docId: 'notice-location' })).document.version).toBe('1.1')

    cloud.clock.advance(10 * DAY)
    doc = await listed('notice-location')
    expect([doc?.current?.version, doc?.upcoming ?? null]).toEqual(['2', null])
    // Old versions stay readable: people may check what they agreed to.
    expect(ok<{ document: { version: string } }>(await legal('get', { docId: 'notice-location', version: '1' })).document.version).toBe('1')
  })

  it('lists every document, with its catalogue title until a version exists', async () => {
    const documents = ok<{ documents: Listed[] }>(await legal('list', {})).documents
    expect(documents.map((d) => d.docId)).toEqual([...DOCUMENT_IDS])
    const unpublished = documents.find((d) => d.docId === 'notice-personalization')
    expect(unpublished).toEqual({ docId: 'notice-personalization', title: '个性化与访问记录说明', current: null, upcoming: null })
  })
})

describe('seeded documents (npm start)', () => {
  it('publishes version 1 of every document from legal/templates, filled with the demo operator, and the demo identities accordingly', async () => {
    const fresh = await startTestCloud({ start: START })
    try {
      await seedDemoData(fresh.store, fresh.clock.now(), fresh.config)
      const documents = ok<{ documents: Listed[] }>(await fresh.call('legal', { action: 'list', input: {} }, 'x')).documents
      expect(documents.every((d) => d.current?.version === '1')).toBe(true)
      const reply = await fresh.call('legal', { action: 'get', input: { docId: 'user-agreement' } }, 'x')
      const { body, hash, title } = ok<{ document: { body: string; hash: string; title: string } }>(reply).document
      const template = readFileSync(join(root, 'legal', 'templates', 'user-agreement.md'), 'utf8')
      expect(title).toBe(/^# (.+)$/m.exec(template)?.[1])
      expect(body).toContain(fresh.config.operator.name)
      expect(body).not.toMatch(/\{\{/)
      expect(hash).toBe(sha256(body))
      // The settled identities accepted the seeded versions; the new user has not.
      expect((await fresh.call('account', { action: 'getProfile', input: {} }, 'dev-alice')).ok).toBe(true)
      expect(errorOf(await fresh.call('account', { action: 'getProfile', input: {} }, 'dev-bob')).code).toBe('TERMS_NOT_ACCEPTED')
    } finally {
      await fresh.close()
    }
  })
})

describe('npm run legal:publish', () => {
  it('publishes a file into the local data folder through the admin handler', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lechat-legal-'))
    try {
      const run = (version: string) =>
        spawnSync(
          process.execPath,
          [
            join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
            join(root, 'scripts', 'legal-publish.ts'),
            ...['--doc', 'privacy-policy', '--version', version, '--file', join(root, 'legal', 'templates', 'privacy-policy.md')],
            ...['--summary', '补充了访客记录的说明', '--announce', new Date().toISOString(), '--effective', '2099-01-01T00:00:00+08:00'],
          ],
          { env: { ...process.env, LECHAT_DATA_DIR: dir }, encoding: 'utf8' },
        )
      const first = run('2')
      expect(first.stderr).not.toContain('发布失败')
      expect(first.status).toBe(0)
      expect(first.stdout).toMatch(/已发布 privacy-policy 第 2 版[\s\S]*SHA-256 [0-9a-f]{64}/)
      const again = run('2')
      expect(again.status).toBe(1)
      expect(again.stderr).toContain('VERSION_EXISTS')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

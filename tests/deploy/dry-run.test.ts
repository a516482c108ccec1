/**
 * `npm run deploy -- --dry-run` against the repository itself: with the
 * template filled it prints a complete, valid plan; a function, collection or
 * setting without its deploy entry, or a missing value, stops it by name.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { COLLECTIONS } from '../../cloudfunctions/_core/collections'
import { DeployError } from '../../deploy/operator-file'
import { describePlan, makePlan, type DeployPlan } from '../../deploy/plan'
import { contract } from '../../shared/contract'
import { credentials, FILLED, filledTemplate, root } from './helpers'

const run = promisify(execFile)
let plan: DeployPlan
let dist = ''

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'lechat-deploy-dist-'))
  plan = await makePlan({ root, operatorFile: filledTemplate(), dist, env: credentials(), version: '1.4.0', description: '测试版本' })
}, 60_000)
afterAll(() => rmSync(dist, { recursive: true, force: true }))

async function refusal(options: Partial<Parameters<typeof makePlan>[0]>): Promise<string> {
  try {
    await makePlan({ root, operatorFile: filledTemplate(), dist: join(dist, 'refused'), env: credentials(), version: '1.4.0', description: 'x', ...options })
  } catch (error) {
    expect(error).toBeInstanceOf(DeployError)
    return (error as Error).message
  }
  throw new Error('expected the plan to be refused')
}

describe('the plan for this repository', () => {
  it('deploys every function with its permissions, its one timer and its settings', () => {
    expect(plan.functions.map((f) => f.name).sort()).toEqual(Object.keys(contract).sort())
    const byName = Object.fromEntries(plan.functions.map((f) => [f.name, f]))
    expect(byName.scheduler?.triggers).toEqual([{ name: 'tick', type: 'timer', config: '0 */10 * * * * *' }])
    expect(byName.cards?.openapi).toContain('wxacode.getUnlimited')
    expect(byName.legal?.openapi).toEqual([])
    for (const fn of plan.functions) {
      expect(fn.triggers.length).toBeLessThanOrEqual(1)
      expect(fn.env).toMatchObject({ LECHAT_MODE: 'production', LECHAT_OPENAPI: 'wechat', LECHAT_BLIND_INDEX_KEY: FILLED.LECHAT_BLIND_INDEX_KEY })
    }
  })

  it('gives identity secrets to the identity function only (the ID keys also to the login service), and the first-admin code to admin only', () => {
    for (const fn of plan.functions) {
      expect([fn.name, 'LECHAT_ID_KEYS' in fn.env, 'LECHAT_FACEID_SECRET_KEY' in fn.env]).toEqual([fn.name, fn.name === 'identity' || fn.name === 'oidc', fn.name === 'identity'])
      expect([fn.name, 'LECHAT_OIDC_SIGNING_KEYS' in fn.env]).toEqual([fn.name, fn.name === 'oidc'])
      expect([fn.name, 'LECHAT_FIRST_ADMIN_CODE' in fn.env]).toEqual([fn.name, fn.name === 'admin'])
    }
  })

  it('creates every collection the code uses, with its indexes, and never the local-only ones', () => {
    const names = plan.collections.map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(Object.values(COLLECTIONS)))
    expect(names).not.toContain('demo_items')
    expect(plan.skippedCollections).toEqual(['demo_items'])
    expect(plan.collections.find((c) => c.name === 'accounts')?.indexes.find((ix) => ix.name === 'openid_unique')?.unique).toBe(true)
  })

  it('closes the database to clients, and storage to client writes (uploads go through a function)', () => {
    expect(plan.databaseRule).toEqual({ read: false, write: false })
    expect(plan.storageRule).toEqual({ read: 'auth != null', write: false })
  })

  it('names the message push the moderation function needs, and prints secrets masked', () => {
    expect(plan.messagePushes).toEqual([{ event: 'wxa_media_check', fn: 'moderation' }])
    const text = describePlan(plan)
    expect(text).toContain('消息推送: event wxa_media_check → cloud function moderation')
    expect(text).toContain('LECHAT_BLIND_INDEX_KEY=(secret, 64 characters)')
    for (const secret of [FILLED.LECHAT_BLIND_INDEX_KEY, FILLED.LECHAT_FACEID_SECRET_KEY, FILLED.LECHAT_FIRST_ADMIN_CODE, 'deploy-secret']) expect(text).not.toContain(secret)
    expect(text).toContain('upload 1.4.0 as a development version ("测试版本")')
  })

  it('builds the mini-program for the cloud environment of the operator file', () => {
    const config = readFileSync(join(plan.miniprogram.dir, 'config.js'), 'utf8')
    expect(config).toContain('"envId": "lechat-prod-1a2b3c"')
    expect(config).toContain('"system": "tmplSystem0001"')
    expect(plan.miniprogram.sizes.map((s) => s.pkg)).toEqual(expect.arrayContaining(['main', 'packageAccount', 'packageAdmin']))
  })
})

describe('refusals, each naming what is wrong', () => {
  it('a required value left empty', async () => {
    const { LECHAT_BLIND_INDEX_KEY: _dropped, ...rest } = FILLED
    expect(await refusal({ operatorFile: filledTemplate(rest) })).toContain('LECHAT_BLIND_INDEX_KEY is required and missing')
  })

  it('an unknown setting (a typo), a setting the deploy fixes, credentials in the file', async () => {
    const message = await refusal({ operatorFile: filledTemplate(FILLED, ['LECHAT_OPERATOR_MAIL=x@example.cn', 'LECHAT_MODE=local', 'TENCENTCLOUD_SECRETKEY=abc']) })
    expect(message).toContain('LECHAT_OPERATOR_MAIL is not a setting')
    expect(message).toContain('LECHAT_MODE is set by the deploy')
    expect(message).toContain('TENCENTCLOUD_SECRETKEY: deploy credentials come from the environment')
  })

  it('a subscribe template without its keyword mapping', async () => {
    const { LECHAT_SUBSCRIBE_FIELDS_SYSTEM: _dropped, ...rest } = FILLED
    expect(await refusal({ operatorFile: filledTemplate(rest) })).toContain('LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM needs LECHAT_SUBSCRIBE_FIELDS_SYSTEM')
  })

  it('FaceID with its SDK client but no SDK folder', async () => {
    expect(await refusal({ operatorFile: filledTemplate({ ...FILLED, LECHAT_FACEID_CLIENT: 'sdk' }) })).toContain('LECHAT_FACEID_SDK_DIR is required')
  })

  it('missing deploy credentials, or a key kept inside the repository', async () => {
    const message = await refusal({ env: {} })
    expect(message).toContain('LECHAT_CI_PRIVATE_KEY_FILE (environment) is missing')
    expect(message).toContain('TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY')
    expect(await refusal({ env: { ...credentials(), LECHAT_CI_PRIVATE_KEY_FILE: join(root, 'package.json') } })).toContain('lies inside the repository')
  })

  it('an operator file inside the repository that git would commit', async () => {
    const inside = join(root, 'deploy', 'operator.test-not-ignored.env')
    writeFileSync(inside, readFileSync(filledTemplate(), 'utf8'))
    try {
      expect(await refusal({ operatorFile: inside })).toContain('not git-ignored')
    } finally {
      rmSync(inside)
    }
  })

  it('a collection the code uses that database/collections.json does not create', async () => {
    // The same repository, but with one collection missing from the declaration.
    const copy = mkdtempSync(join(tmpdir(), 'lechat-repo-'))
    for (const dir of ['cloudfunctions', 'deploy', 'shared', 'node_modules']) symlinkSync(join(root, dir), join(copy, dir))
    cpSync(join(root, 'database'), join(copy, 'database'), { recursive: true })
    const specFile = join(copy, 'database', 'collections.json')
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { collections: Array<{ name: string }> }
    spec.collections = spec.collections.filter((c) => c.name !== 'inbox_messages')
    writeFileSync(specFile, JSON.stringify(spec))
    expect(await refusal({ root: copy })).toContain('collections the code uses but database/collections.json does not create: inbox_messages')
  })
})

it('runs as `npm run deploy -- --dry-run` from the command line and says nothing was sent', async () => {
  const { stdout } = await run('npx', ['tsx', 'deploy/run.ts', '--dry-run', '--operator', filledTemplate(), '--version', '2.0.1'], {
    cwd: root,
    env: { ...process.env, ...credentials() },
  })
  expect(stdout).toContain('乐聊名片 deployment plan → mini-program wx0123456789abcdef, CloudBase environment lechat-prod-1a2b3c')
  expect(stdout).toContain('dry run: the plan is complete and valid; nothing was sent.')
  const failed = await run('npx', ['tsx', 'deploy/run.ts', '--dry-run', '--operator', filledTemplate({ ...FILLED, LECHAT_APPID: '' })], {
    cwd: root,
    env: { ...process.env, ...credentials() },
  }).catch((error: { code: number; stderr: string }) => error)
  expect(failed).toMatchObject({ code: 1 })
  expect((failed as { stderr: string }).stderr).toContain('deploy stopped: operator file')
  expect((failed as { stderr: string }).stderr).toContain('LECHAT_APPID is required and missing')
}, 120_000)

/**
 * How the first admin comes to be: `npm run admin:grant` locally, and
 * admin.claimFirstAdmin with the operator's one-time code in production —
 * refused once any admin exists.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { findAccount } from '../../cloudfunctions/_core/accounts'
import { acceptCurrentTerms, startTestCloud, verifiedPublisher } from '../../local/testing'
import { errorOf, ok } from './helpers'

const run = promisify(execFile)
const root = join(__dirname, '..', '..')
const CODE = 'first-admin-code-7f3a91c2'

describe('admin.claimFirstAdmin', () => {
  it('makes a verified person the first admin with the operator’s code, once', async () => {
    const cloud = await startTestCloud({ env: { LECHAT_FIRST_ADMIN_CODE: CODE } })
    try {
      const claim = (openid: string, code: string) => cloud.call('admin', { action: 'claimFirstAdmin', input: { code } }, openid)
      await acceptCurrentTerms(cloud, 'first-unverified')
      expect(errorOf(await claim('first-unverified', CODE)).code).toBe('VERIFICATION_REQUIRED')
      await verifiedPublisher(cloud, 'first-operator')
      expect(errorOf(await claim('first-operator', 'guessed-code-guessed')).code).toBe('FORBIDDEN')
      expect(ok<{ roles: string[] }>(await claim('first-operator', CODE)).roles).toEqual(['user', 'admin'])
      ok(await cloud.call('admin', { action: 'listStaff', input: {} }, 'first-operator'))
      await verifiedPublisher(cloud, 'first-latecomer')
      expect(errorOf(await claim('first-latecomer', CODE)).code).toBe('CONFLICT')
    } finally {
      await cloud.close()
    }
  })

  it('is not offered without a code configured', async () => {
    const cloud = await startTestCloud()
    try {
      await verifiedPublisher(cloud, 'no-code-operator')
      expect(errorOf(await cloud.call('admin', { action: 'claimFirstAdmin', input: { code: CODE } }, 'no-code-operator')).code).toBe('FORBIDDEN')
    } finally {
      await cloud.close()
    }
  })
})

describe('npm run admin:grant', () => {
  it('gives a role to an existing account of the local data folder, audited; refuses an unknown openid', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lechat-grant-'))
    const env = { ...process.env, LECHAT_DATA_DIR: dataDir }
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')
    try {
      const granted = await run(process.execPath, [tsx, join(root, 'scripts', 'admin-grant.ts'), '--openid', 'dev-bob', '--role', 'reviewer'], { env })
      expect(granted.stdout).toContain('已授予 dev-bob')
      const unknown = await run(process.execPath, [tsx, join(root, 'scripts', 'admin-grant.ts'), '--openid', 'nobody-here'], { env }).catch((error: { code: number; stderr: string }) => error)
      expect(unknown).toMatchObject({ code: 1 })
      const cloud = await startTestCloud({ dataDir })
      try {
        expect((await findAccount(cloud.store, 'dev-bob'))?.roles).toEqual(['user', 'reviewer'])
        expect(await cloud.store.collection('audit_logs').count({ action: 'grantRole', subject: 'dev-bob' })).toBe(1)
      } finally {
        await cloud.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

/**
 * `npm run admin:grant -- --openid <openid> [--role admin|reviewer] [--reason <text>]`
 *
 * Gives a staff role to an account in the local cloud's data folder
 * (LECHAT_DATA_DIR, default .local-data/): how the first admin comes to be
 * locally, before there is an admin to grant roles in the 角色 page. The
 * account must exist (the person opened the mini-program once). The grant is
 * audited like admin.grantRole, and shows in the person's access log.
 * In production the first admin uses admin.claimFirstAdmin with the one-time
 * code LECHAT_FIRST_ADMIN_CODE (README, "Staff roles").
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { accounts, findAccount } from '../cloudfunctions/_core/accounts'
import type { AuditDoc } from '../cloudfunctions/_core/audit'
import { systemClock } from '../cloudfunctions/_core/clock'
import { COLLECTIONS } from '../cloudfunctions/_core/collections'
import { silentLogger } from '../cloudfunctions/_core/context'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/sandbox-openapi'
import { composeLocalCloud, localSettings } from '../local/cloud'
import { seedDemoData } from '../local/seed'
import { runMain } from './run-main'

const USAGE = 'usage: npm run admin:grant -- --openid <openid> [--role admin|reviewer] [--reason <text>]'

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { openid: { type: 'string' }, role: { type: 'string' }, reason: { type: 'string' } }, strict: true })
  const role = values.role ?? 'admin'
  if (!values.openid || (role !== 'admin' && role !== 'reviewer')) {
    console.error(USAGE)
    return 2
  }
  const dataDir = process.env.LECHAT_DATA_DIR ?? join(__dirname, '..', '.local-data')
  const cloud = await composeLocalCloud({ dataDir, port: 0, mode: 'local', clock: systemClock, openApi: sandboxOpenApi(), log: silentLogger, env: localSettings(process.env) })
  try {
    await seedDemoData(cloud.store, systemClock.now(), cloud.config)
    const account = await findAccount(cloud.store, values.openid)
    if (!account || account.state === 'deleted') {
      console.error(`没有 openid 为 ${values.openid} 的账号：请先用这个身份打开一次小程序（登录会创建账号）`)
      return 1
    }
    const now = systemClock.now()
    if (!account.roles.includes(role)) await accounts(cloud.store).update(account._id, { roles: cloud.store.cmd.set([...account.roles, role]), updatedAt: now })
    const audit: Omit<AuditDoc, '_id'> = {
      actorOpenid: 'local:admin-grant',
      actorRole: 'admin',
      fn: 'admin',
      action: 'grantRole',
      outcome: 'ok',
      code: null,
      target: account._id,
      subject: account.openid,
      detail: `grant:${role}`,
      reason: values.reason ?? '本地授予角色（npm run admin:grant）',
      requestId: randomUUID(),
      createdAt: now,
    }
    await cloud.store.collection<AuditDoc>(COLLECTIONS.auditLogs).add(audit)
    console.log(`已授予 ${values.openid}（账号 ${account._id}）${role === 'admin' ? '管理员' : '审核员'}角色\n  数据目录 ${dataDir}`)
    return 0
  } finally {
    await cloud.close()
  }
}

runMain(main)

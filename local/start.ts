/**
 * `npm start`: the local cloud on 127.0.0.1 with seeded demo data, no keys, no network.
 * Data lives under one folder (LECHAT_DATA_DIR, default .local-data/) across restarts.
 */
import { join } from 'node:path'
import { systemClock } from '../cloudfunctions/_core/clock'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/sandbox-openapi'
import { composeLocalCloud, localSettings } from './cloud'
import { DEV_IDENTITIES } from './identities'
import { seedDemoData } from './seed'
import { seedDemoContent } from './seed-content'
import { seedDemoReview } from './seed-review'
import { startTimers } from './timers'

const root = join(__dirname, '..')

async function main(): Promise<void> {
  const dataDir = process.env.LECHAT_DATA_DIR ?? join(root, '.local-data')
  const port = Number(process.env.LECHAT_PORT ?? 9696)
  const cloud = await composeLocalCloud({ dataDir, port, mode: 'local', clock: systemClock, openApi: sandboxOpenApi(), env: localSettings(process.env) })
  const { gateway, triggers, url } = cloud
  const seededAccounts = await seedDemoData(cloud.store, systemClock.now(), cloud.config)
  const seededContent = await seedDemoContent(cloud.store, gateway, systemClock.now())
  const seeded = (await seedDemoReview(cloud.store, gateway.call, systemClock.now())) || seededContent || seededAccounts
  await cloud.registerDemoClient()
  const stopTimers = startTimers(triggers, async (trigger) => {
    const result = await gateway.fireTimer(trigger.fn, trigger.name)
    if (!result.ok) console.error(`timer ${trigger.fn}.${trigger.name} failed: ${result.error.code}`)
  })

  console.log(`
乐聊名片 · 本地云已启动
  状态页        ${url}/
  云函数网关    POST ${url}/call   {"name":"account","data":{"action":"login","input":{}}}
  SDK 数据库    ${url}/admin
  健康检查      ${url}/health
  登录服务      ${url}/.well-known/openid-configuration
  示例第三方    ${url}/demo-rp   （使用乐聊名片登录；在状态页扮演扫码的人）
  数据目录      ${dataDir}${seeded ? '（已写入演示数据）' : ''}
  定时触发器    ${triggers.length} 个
  开发身份（请求头 x-lechat-openid 指定，默认 ${gateway.currentIdentity()}）:
${DEV_IDENTITIES.map((i) => `    ${i.openid.padEnd(14)} ${i.label}`).join('\n')}
按 Ctrl-C 停止。`)

  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    stopTimers()
    cloud
      .close()
      .then(() => {
        console.log('本地云已停止，数据已保存。')
        process.exit(0)
      })
      .catch((error: unknown) => {
        console.error(error)
        process.exit(1)
      })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

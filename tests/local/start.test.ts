/**
 * `npm start` as an operator runs it: the local cloud comes up with demo data,
 * answers, stops cleanly on Ctrl-C, and keeps its data across a restart
 * without seeding twice.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
let dataDir: string

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lechat-start-'))
})
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

interface Running {
  child: ChildProcess
  output: () => string
  url: string
}

async function start(): Promise<Running> {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'local', 'start.ts')], {
    env: { ...process.env, LECHAT_DATA_DIR: dataDir, LECHAT_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start banner within 20 s:\n${output}`)), 20_000)
    const check = (): void => {
      const match = /状态页\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
  return { child, output: () => output, url }
}

async function stop(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)))
  running.child.kill('SIGINT')
  return exited
}

async function callAs(url: string, openid: string, action: string): Promise<{ ok: boolean; data?: { account: { nickname: string }; created?: boolean } }> {
  const response = await fetch(`${url}/call`, {
    method: 'POST',
    headers: { 'x-lechat-openid': openid },
    body: JSON.stringify({ name: 'account', data: { action, input: {} } }),
  })
  return (await response.json()) as { ok: boolean; data?: { account: { nickname: string }; created?: boolean } }
}

it('starts with demo data, stops on Ctrl-C and keeps data across restarts without seeding twice', async () => {
  const first = await start()
  expect(first.output()).toContain('已写入演示数据')
  expect(first.output()).toContain('dev-reviewer')
  const health = (await (await fetch(`${first.url}/health`)).json()) as { ok: boolean }
  expect(health.ok).toBe(true)
  expect((await callAs(first.url, 'dev-alice', 'getProfile')).data?.account.nickname).toBe('张小乐')
  expect((await callAs(first.url, 'visitor-1', 'login')).ok).toBe(true)
  // dev-alice's card, activity and article are there for visitors, published through the real handlers.
  const demo = async (name: string, action: string, input: object): Promise<unknown> =>
    (await (await fetch(`${first.url}/call`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lechat-openid': 'visitor-1' }, body: JSON.stringify({ name, data: { action, input } }) })).json()) as unknown
  expect(await demo('cards', 'view', { cardId: 'dem0a11ce0' })).toMatchObject({ ok: true, data: { card: { name: expect.any(String) } } })
  expect(await demo('activities', 'list', {})).toMatchObject({ ok: true, data: { activities: [{ title: '乐聊名片线下交流会' }] } })
  expect(await demo('articles', 'feed', {})).toMatchObject({ ok: true, data: { articles: [{ title: '怎样写一张让人记住的名片' }] } })
  // dev-reviewer finds work in 工作台: the article the gate held, the card three people reported (hidden from others meanwhile).
  const board = (await (
    await fetch(`${first.url}/call`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lechat-openid': 'dev-reviewer' }, body: JSON.stringify({ name: 'moderation', data: { action: 'queue', input: {} } }) })
  ).json()) as { ok: boolean; data: { items: Array<{ kind: string; queue: string; reportCount: number }> } }
  expect(board.data.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ kind: 'article', queue: 'held' }), expect.objectContaining({ kind: 'card', queue: 'reports', reportCount: 3 })]),
  )
  expect(await stop(first)).toBe(0)
  expect(first.output()).toContain('本地云已停止')

  const second = await start()
  expect(second.output()).not.toContain('已写入演示数据')
  // The visitor's account was kept: logging in again finds it instead of creating one.
  expect((await callAs(second.url, 'visitor-1', 'login')).data?.created).toBe(false)
  const feed = (await (await fetch(`${second.url}/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'articles', data: { action: 'feed', input: {} } }) })).json()) as { data: { articles: unknown[] } }
  expect(feed.data.articles).toHaveLength(1)
  expect(await stop(second)).toBe(0)
}, 60_000)

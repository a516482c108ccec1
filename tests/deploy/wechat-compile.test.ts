/**
 * WeChat's own compiler (miniprogram-ci, offline) on the cloud build: what
 * DevTools would refuse at upload fails here first.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { buildMiniprogram } from '../../scripts/build-miniprogram'
import { sizeProblems, unresolvedRequires, type CompileReport } from '../../scripts/wechat-compile'
import { root } from './helpers'

const run = promisify(execFile)
let work = ''
let built = ''

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lechat-wechat-compile-'))
  built = join(work, 'miniprogram')
  await buildMiniprogram(built, { env: { LECHAT_TARGET: 'cloud', LECHAT_CLOUD_ENV: 'lechat-prod-1a2b3c' } })
}, 60_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function compile(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/wechat-compile.ts', dir], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

it('compiles the whole mini-program, every package within its size limit', async () => {
  const result = await compile(built)
  expect([result.code, result.stderr.includes('refused') ? result.stderr : '']).toEqual([0, ''])
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as CompileReport
  expect(report.packages.map((p) => p.pkg)).toEqual(['main', 'packageAccount', 'packageActivities', 'packageAdmin', 'packageArticles', 'packageCards', 'packageOidc', 'pages/legal', 'pages/privacy'])
  for (const p of report.packages) expect(p.bytes).toBeLessThan(2 * 1024 * 1024)
  expect(report.files).toBeGreaterThan(100)
}, 120_000)

it('fails on a template WeChat cannot compile, with its line and column', async () => {
  // A one-page mini-program with the broken template: the whole one compiled above, this needs no more.
  const broken = join(work, 'broken')
  const files: Record<string, string> = {
    'app.json': JSON.stringify({ pages: ['pages/home/index'] }),
    'app.js': 'App({})',
    'pages/home/index.json': '{}',
    'pages/home/index.js': 'Page({})',
    'pages/home/index.wxss': '',
    'pages/home/index.wxml': '<view>首页</view>\n<view>{{ unclosed </view\n',
  }
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(broken, file)), { recursive: true })
    writeFileSync(join(broken, file), content)
  }
  const result = await compile(broken)
  expect(result.code).toBe(1)
  expect(result.stderr).toContain("WeChat's compiler refused the mini-program")
  expect(result.stderr).toMatch(/\d+:\d+:unexpected end/)
}, 120_000)

it('finds a require that resolves to no compiled file, and a package over 2 MB', () => {
  const files = { 'app.js': 'require("./config")', 'config.js': '', 'pages/a/index.js': 'require("../../config");require("../../utils/gone")', 'pkg/b.js': 'require("/config.js")' }
  expect(unresolvedRequires(files)).toEqual(['pages/a/index.js: require("../../utils/gone") resolves to no file'])
  expect(sizeProblems([{ pkg: 'main', bytes: 2 * 1024 * 1024 + 1 }, { pkg: 'packageCards', bytes: 10 }])).toEqual(["main compiles to 2.00 MB, over WeChat's 2 MB per package"])
})

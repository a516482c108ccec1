/**
 * Mini-program package sizes as WeChat's own compiler (miniprogram-ci, offline)
 * outputs them for the cloud build, beside the build's own sizes and WeChat's
 * 2 MB limit per package.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildMiniprogram, PACKAGE_LIMIT } from '../scripts/build-miniprogram'
import type { CompileReport } from '../scripts/wechat-compile'
import type { BenchRow } from './stats'

const root = join(__dirname, '..')

export async function benchPackages(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-packages-'))
  try {
    const out = join(dir, 'miniprogram')
    const built = await buildMiniprogram(out, { env: { LECHAT_TARGET: 'cloud', LECHAT_CLOUD_ENV: 'bench-env' } })
    const started = process.hrtime.bigint()
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/wechat-compile.ts', out], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as CompileReport
    const builtBytes = (pkg: string): number =>
      built.filter((f) => (pkg === 'main' ? !report.packages.some((p) => p.pkg !== 'main' && f.file.startsWith(`${p.pkg}/`)) : f.file.startsWith(`${pkg}/`))).reduce((sum, f) => sum + f.bytes, 0)
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`
    const rows: BenchRow[] = report.packages.map((p) => ({
      name: p.pkg,
      value: kb(p.bytes),
      note: `built ${kb(builtBytes(p.pkg))} · ${((p.bytes / PACKAGE_LIMIT) * 100).toFixed(1)} % of 2 MB`,
    }))
    const total = report.packages.reduce((sum, p) => sum + p.bytes, 0)
    rows.push({ name: 'all packages', value: kb(total), note: `${report.files} files · compiled in ${seconds.toFixed(1)} s (offline, no keys)` })
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * `npm run build`: what WeChat DevTools opens (project.config.json points at dist/).
 * Environment: LECHAT_TARGET=local|cloud, LECHAT_CLOUD_ENV, LECHAT_LOCAL_URL (see README).
 */
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildFunctions, FUNCTION_BUNDLE_BUDGET, type BuiltFile } from './build-functions'
import { buildMiniprogram, checkMiniprogramSettings } from './build-miniprogram'

const root = join(__dirname, '..')
const dist = join(root, 'dist')

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function printTable(title: string, files: readonly BuiltFile[]): void {
  console.log(`\n${title}`)
  const width = Math.max(...files.map((f) => f.file.length), 10)
  for (const f of files) {
    const over = f.largest && f.bytes > FUNCTION_BUNDLE_BUDGET ? ` over the ${kb(FUNCTION_BUNDLE_BUDGET)} budget` : ''
    const largest = f.largest ? `  largest: ${f.largest.map((i) => `${i.input} ${kb(i.bytes)}`).join(', ')}` : ''
    console.log(`  ${f.file.padEnd(width)}  ${kb(f.bytes).padStart(10)}${over}${largest}`)
  }
  console.log(`  ${'total'.padEnd(width)}  ${kb(files.reduce((sum, f) => sum + f.bytes, 0)).padStart(10)}`)
}

/**
 * Checks every setting first, so that a refused build leaves the previous dist/ as it was;
 * only then replaces it.
 */
export async function buildAll(dist: string, env: Record<string, string | undefined> = process.env): Promise<{ functions: BuiltFile[]; miniprogram: BuiltFile[] }> {
  checkMiniprogramSettings({ env })
  rmSync(dist, { recursive: true, force: true })
  const functions = await buildFunctions(join(root, 'cloudfunctions'), join(dist, 'cloudfunctions'))
  const miniprogram = await buildMiniprogram(join(dist, 'miniprogram'), { env })
  return { functions, miniprogram }
}

async function main(): Promise<void> {
  const { functions, miniprogram } = await buildAll(dist)
  printTable('cloud functions (wx-server-sdk external)', functions)
  printTable('mini-program', miniprogram)
  console.log(`\nbuilt into ${dist}; open the project root in WeChat DevTools`)
}

// Run as `npm run build`; imported by tests for buildAll.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}

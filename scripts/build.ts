/**
 * `npm run build`: what WeChat DevTools opens (project.config.json points at dist/).
 * Environment: LECHAT_TARGET=local|cloud, LECHAT_CLOUD_ENV, LECHAT_LOCAL_URL (see README).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildFunctions, type BuiltFile } from './build-functions'
import { buildMiniprogram } from './build-miniprogram'

const root = join(__dirname, '..')
const dist = join(root, 'dist')

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function printTable(title: string, files: readonly BuiltFile[]): void {
  console.log(`\n${title}`)
  const width = Math.max(...files.map((f) => f.file.length), 10)
  for (const f of files) console.log(`  ${f.file.padEnd(width)}  ${kb(f.bytes).padStart(10)}`)
  console.log(`  ${'total'.padEnd(width)}  ${kb(files.reduce((sum, f) => sum + f.bytes, 0)).padStart(10)}`)
}

async function main(): Promise<void> {
  rmSync(dist, { recursive: true, force: true })
  const functions = await buildFunctions(join(root, 'cloudfunctions'), join(dist, 'cloudfunctions'))
  const miniprogram = await buildMiniprogram(join(dist, 'miniprogram'))
  printTable('cloud functions (wx-server-sdk external)', functions)
  printTable('mini-program', miniprogram)
  console.log(`\nbuilt into ${dist}; open the project root in WeChat DevTools`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

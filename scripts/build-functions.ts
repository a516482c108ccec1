/**
 * One self-contained folder per cloud function, as WeChat DevTools uploads it:
 * index.js (bundled; the dependencies its package.json declares — always
 * wx-server-sdk — left external and installed in the cloud), config.json
 * (open-API permissions, timer triggers) and package.json.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

export interface BuiltFile {
  file: string
  bytes: number
}

export function functionFolders(sourceDir: string): string[] {
  return readdirSync(sourceDir)
    .filter((name) => !name.startsWith('_') && statSync(join(sourceDir, name)).isDirectory())
    .sort()
}

/** What a function's package.json declares: installed in the cloud next to it, so not bundled. */
export function declaredDependencies(functionDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(functionDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  return Object.keys(pkg.dependencies ?? {})
}

export async function buildFunctions(sourceDir: string, outDir: string): Promise<BuiltFile[]> {
  const built: BuiltFile[] = []
  for (const fn of functionFolders(sourceDir)) {
    const target = join(outDir, fn)
    mkdirSync(target, { recursive: true })
    await build({
      entryPoints: [join(sourceDir, fn, 'index.ts')],
      outfile: join(target, 'index.js'),
      bundle: true,
      platform: 'node',
      // CloudBase offers Node 16 and later runtimes.
      target: 'node16',
      format: 'cjs',
      external: declaredDependencies(join(sourceDir, fn)),
      minify: true,
      // Chinese text as UTF-8 (3 bytes a character), not \uXXXX escapes (6).
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'warning',
    })
    for (const file of ['config.json', 'package.json']) copyFileSync(join(sourceDir, fn, file), join(target, file))
    built.push({ file: `cloudfunctions/${fn}/index.js`, bytes: statSync(join(target, 'index.js')).size })
  }
  return built
}

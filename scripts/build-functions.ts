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
  /** For a function bundle: its largest inputs, what to look at first when it grows (esbuild's metafile). */
  largest?: Array<{ input: string; bytes: number }>
}

/** Per bundle, the inputs that take most of it (a package counts as one input). */
export const LARGEST_INPUTS = 3

/** Bundle budget per function (issue 13): a bigger one is printed with a mark. */
export const FUNCTION_BUNDLE_BUDGET = 120 * 1024

function largestInputs(inputs: Record<string, { bytesInOutput: number }>): Array<{ input: string; bytes: number }> {
  const byInput = new Map<string, number>()
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const key = path.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1')
    byInput.set(key, (byInput.get(key) ?? 0) + bytesInOutput)
  }
  return [...byInput]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, LARGEST_INPUTS)
    .map(([input, bytes]) => ({ input, bytes }))
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
    const result = await build({
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
      metafile: true,
    })
    for (const file of ['config.json', 'package.json']) copyFileSync(join(sourceDir, fn, file), join(target, file))
    const output = Object.values(result.metafile.outputs)[0]
    built.push({ file: `cloudfunctions/${fn}/index.js`, bytes: statSync(join(target, 'index.js')).size, largest: largestInputs(output?.inputs ?? {}) })
  }
  return built
}

/**
 * Compiles a built mini-program (dist/miniprogram) with WeChat's own compiler,
 * miniprogram-ci, offline: no keys, no network. Its project attributes are
 * given instead of fetched and its one server call goes to a closed local port.
 * Fails on a compile error (app.json schema, a missing page or component,
 * WXML/WXSS syntax), on a `require` that resolves to no compiled file, and on a
 * package over WeChat's size limits.
 *
 *   tsx scripts/wechat-compile.ts <dir>   prints {packages, files} as JSON, exit 1 on failure
 *
 * Run in its own process: miniprogram-ci keeps workers alive, so the process
 * exits when done (tests and the bench spawn it).
 */
import { posix } from 'node:path'
import { PACKAGE_LIMIT, TOTAL_LIMIT } from './build-miniprogram'

export interface CompileReport {
  packages: Array<{ pkg: string; bytes: number }>
  files: number
}

/** Where each compiled file goes: its subpackage root, or the main package. */
function packageOf(file: string, roots: readonly string[]): string {
  return roots.find((root) => file.startsWith(`${root}/`)) ?? 'main'
}

/** Every `require('…')` of a compiled script must name a compiled file (WeChat resolves them at run time, too late to learn). */
export function unresolvedRequires(files: Readonly<Record<string, string | Buffer>>): string[] {
  const problems: string[] = []
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.js') || typeof content !== 'string') continue
    for (const match of content.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = match[1] as string
      const target = spec.startsWith('/') ? spec.slice(1) : posix.join(posix.dirname(file), spec)
      const candidates = [target, `${target}.js`, posix.join(target, 'index.js')]
      if (!candidates.some((candidate) => candidate in files)) problems.push(`${file}: require("${spec}") resolves to no file`)
    }
  }
  return problems
}

export function packageSizes(files: Readonly<Record<string, string | Buffer>>, roots: readonly string[]): Array<{ pkg: string; bytes: number }> {
  const sizes = new Map<string, number>()
  for (const [file, content] of Object.entries(files)) {
    const pkg = packageOf(file, roots)
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + Buffer.byteLength(content))
  }
  return [...sizes].map(([pkg, bytes]) => ({ pkg, bytes })).sort((a, b) => a.pkg.localeCompare(b.pkg))
}

export function sizeProblems(packages: ReadonlyArray<{ pkg: string; bytes: number }>): string[] {
  const problems = packages.filter((p) => p.bytes > PACKAGE_LIMIT).map((p) => `${p.pkg} compiles to ${(p.bytes / 1048576).toFixed(2)} MB, over WeChat's 2 MB per package`)
  const total = packages.reduce((sum, p) => sum + p.bytes, 0)
  if (total > TOTAL_LIMIT) problems.push(`all packages compile to ${(total / 1048576).toFixed(2)} MB, over 30 MB`)
  return problems
}

async function compile(dir: string): Promise<CompileReport> {
  const ci = await import('miniprogram-ci')
  const { readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  // The one request it makes (a list of allowed file extensions) fails fast against a closed port; it then uses its defaults.
  ci.proxy('http://127.0.0.1:9')
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: dir, privateKey: 'offline-compile-needs-no-key', ignores: ['node_modules/**/*'] })
  // Attributes a real upload fetches from WeChat's servers: the defaults are what an ordinary mini-program has.
  Object.assign(project, { attr: async () => ci.DefaultProjectAttr })
  const files = await ci.getCompiledResult({ project, version: '0.0.0', setting: { es6: true, minify: true }, onProgressUpdate: () => undefined })
  const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as { subpackages?: Array<{ root: string }> }
  const roots = (app.subpackages ?? []).map((pkg) => pkg.root.replace(/\/+$/, ''))
  const packages = packageSizes(files, roots)
  const problems = [...unresolvedRequires(files), ...sizeProblems(packages)]
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return { packages, files: Object.keys(files).length }
}

if (process.argv[1] !== undefined && /wechat-compile\.ts$/.test(process.argv[1])) {
  const dir = process.argv[2]
  if (!dir) {
    console.error('usage: tsx scripts/wechat-compile.ts <built mini-program folder>')
    process.exit(2)
  }
  // miniprogram-ci logs its progress on stdout; the report is the last line.
  compile(dir).then(
    (report) => {
      console.log(`\n${JSON.stringify(report)}`)
      process.exit(0)
    },
    (error: unknown) => {
      console.error(`WeChat's compiler refused the mini-program:\n${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    },
  )
}

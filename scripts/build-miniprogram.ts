/**
 * The mini-program as WeChat DevTools opens it (dist/miniprogram):
 * - every app/page/component .ts bundled on its own into a .js (CommonJS, ES2018),
 *   so imports from ../shared are inlined; config.js stays a separate module;
 * - .json/.wxml/.wxss/.wxs and images copied as they are;
 * - config.js written from the environment:
 *     LECHAT_TARGET      local (default) | cloud
 *     LECHAT_CLOUD_ENV   CloudBase environment id (required for cloud)
 *     LECHAT_LOCAL_URL   local cloud base URL (default http://127.0.0.1:9696)
 *     LECHAT_DEV_OPENID  development identity sent to the local cloud (optional)
 *     LECHAT_FACEID_SDK_DIR  Tencent FaceID's mini-program SDK folder (optional; see README)
 *     LECHAT_SUBSCRIBE_TEMPLATE_<TYPE>  WeChat subscribe-message template id per inbox
 *                        message type (optional; TYPE is the type in UPPER_SNAKE_CASE:
 *                        LEGAL_UPDATE, ACCOUNT_STATE, MODERATION_DECISION, SYSTEM)
 * Fails, before writing anything, when app.json names a missing page or component,
 * when the launch page is not the first tab, or when project.config.json's libVersion
 * is below an API the code uses; and after bundling when zod reaches a bundle or a
 * package passes WeChat's size limits.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { build, type Plugin } from 'esbuild'
import type { AppConfig } from '../miniprogram/config'
import { MESSAGE_TYPES, type MessageType } from '../shared/inbox'
import { checkBaseLibrary } from './base-library'

export interface BuiltFile {
  file: string
  bytes: number
}

export interface BuildOptions {
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>
  /** Defaults to the repository's miniprogram/ folder. */
  sourceDir?: string
}

const MB = 1024 * 1024
/** WeChat's limits: each package (the main one included) 2 MB, everything together 30 MB. */
export const PACKAGE_LIMIT = 2 * MB
export const TOTAL_LIMIT = 30 * MB

const COPIED = new Set(['.json', '.wxml', '.wxss', '.wxs', '.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp'])
/** Source-only files that must not ship. */
const NOT_SHIPPED = new Set(['tsconfig.json'])

interface AppJson {
  pages: string[]
  subpackages?: Array<{ root: string; name?: string; pages: string[] }>
  subPackages?: Array<{ root: string; name?: string; pages: string[] }>
  preloadRule?: Record<string, { network?: string; packages: string[] }>
  usingComponents?: Record<string, string>
  tabBar?: { list: Array<{ pagePath: string; iconPath?: string; selectedIconPath?: string }> }
}

/** legalUpdate → LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE */
export function subscribeTemplateVar(type: MessageType): string {
  return `LECHAT_SUBSCRIBE_TEMPLATE_${type.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

/** Template ids as the mini-program console shows them (letters, digits, - and _). */
const TEMPLATE_ID = /^[A-Za-z0-9_-]{8,128}$/

function subscribeTemplatesFromEnv(env: Record<string, string | undefined>): AppConfig['subscribeTemplates'] {
  const templates: AppConfig['subscribeTemplates'] = {}
  for (const type of MESSAGE_TYPES) {
    const name = subscribeTemplateVar(type)
    const value = (env[name] ?? '').trim()
    if (!value) continue
    if (!TEMPLATE_ID.test(value)) throw new Error(`${name} must be a subscribe-message template id, got "${value}"`)
    templates[type] = value
  }
  return templates
}

export function configFromEnv(env: Record<string, string | undefined>): AppConfig {
  const subscribeTemplates = subscribeTemplatesFromEnv(env)
  const target = env.LECHAT_TARGET || 'local'
  if (target !== 'local' && target !== 'cloud') {
    throw new Error(`LECHAT_TARGET must be "local" or "cloud", got "${target}"`)
  }
  if (target === 'cloud') {
    const envId = env.LECHAT_CLOUD_ENV ?? ''
    // The default environment is whichever was created first: too easy to ship against the wrong one.
    if (!envId) throw new Error('LECHAT_TARGET=cloud needs LECHAT_CLOUD_ENV (the CloudBase environment id)')
    // Nothing about the developer's machine goes into a cloud build.
    return { transport: 'cloud', envId, localUrl: '', devOpenid: '', subscribeTemplates }
  }
  const localUrl = env.LECHAT_LOCAL_URL || 'http://127.0.0.1:9696'
  if (!/^https?:\/\/[^\s/]+/.test(localUrl)) throw new Error(`LECHAT_LOCAL_URL must be an http(s) URL, got "${localUrl}"`)
  return { transport: 'local', envId: '', localUrl, devOpenid: env.LECHAT_DEV_OPENID ?? '', subscribeTemplates }
}

function walk(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...walk(path))
    else files.push(path)
  }
  return files
}

function toPosix(path: string): string {
  return path.split(sep).join('/')
}

/** app.ts plus every .ts that has a .json beside it (a page or a component). */
function entryPoints(sourceDir: string, files: readonly string[]): string[] {
  return files.filter((file) => {
    if (extname(file) !== '.ts' || file.endsWith('.d.ts')) return false
    if (file === join(sourceDir, 'app.ts')) return true
    return existsSync(file.slice(0, -3) + '.json')
  })
}

/** Every page and component app.json reaches must exist, or DevTools fails at open time. */
function checkAppJson(sourceDir: string, app: AppJson): void {
  const problems: string[] = []
  const subpackages = app.subpackages ?? app.subPackages ?? []
  const pages = [...app.pages, ...subpackages.flatMap((pkg) => pkg.pages.map((page) => `${pkg.root}/${page}`))]
  const checkComponentRefs = (owner: string, using: Record<string, string> | undefined, baseDir: string): void => {
    for (const [tag, ref] of Object.entries(using ?? {})) {
      const target = ref.startsWith('/') ? join(sourceDir, ref) : resolve(baseDir, ref)
      if (!existsSync(`${target}.json`)) problems.push(`${owner}: component <${tag}> → ${ref} has no .json`)
    }
  }
  for (const page of pages) {
    const base = join(sourceDir, page)
    for (const ext of ['.json', '.wxml']) {
      if (!existsSync(base + ext)) problems.push(`page ${page}: missing ${page}${ext}`)
    }
    if (!existsSync(`${base}.ts`) && !existsSync(`${base}.js`)) problems.push(`page ${page}: missing ${page}.ts`)
    if (existsSync(`${base}.json`)) {
      const json = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { usingComponents?: Record<string, string> }
      checkComponentRefs(page, json.usingComponents, dirname(base))
    }
  }
  checkComponentRefs('app.json', app.usingComponents, sourceDir)
  // Subpackages preloaded when a page opens: the page and the packages must exist.
  const packageNames = new Set(subpackages.flatMap((pkg) => [pkg.root, pkg.root.replace(/\/+$/, ''), ...(pkg.name ? [pkg.name] : [])]))
  for (const [page, rule] of Object.entries(app.preloadRule ?? {})) {
    if (!pages.includes(page)) problems.push(`preloadRule: ${page} is not a page`)
    for (const name of rule.packages) {
      if (!packageNames.has(name) && name !== '__APP__') problems.push(`preloadRule ${page}: no subpackage named ${name}`)
    }
  }
  // The launch page is pages[0]; people should land on the first tab (首页), not on whichever page was listed first.
  const firstTab = app.tabBar?.list[0]?.pagePath
  if (firstTab !== undefined && app.pages[0] !== firstTab) problems.push(`pages[0] (the launch page) is ${app.pages[0]}, not the first tab ${firstTab}`)
  for (const item of app.tabBar?.list ?? []) {
    if (!app.pages.includes(item.pagePath)) problems.push(`tabBar: ${item.pagePath} is not a main-package page`)
    for (const icon of [item.iconPath, item.selectedIconPath]) {
      if (icon && !existsSync(join(sourceDir, icon))) problems.push(`tabBar: icon ${icon} is missing`)
    }
  }
  if (problems.length > 0) throw new Error(`miniprogram/app.json does not match the files:\n  ${problems.join('\n  ')}`)
}

/**
 * Keeps config.ts out of the bundles: each bundle requires ./config.js relative to
 * its own output file, so the build (or an operator) can rewrite one small file.
 */
function configExternal(sourceDir: string, outDir: string, entryOut: string): Plugin {
  const configModule = join(sourceDir, 'config')
  return {
    name: 'lechat-config-external',
    setup(b) {
      b.onResolve({ filter: /(^|\/)config(\.ts)?$/ }, (args) => {
        const target = resolve(args.resolveDir, args.path).replace(/\.ts$/, '')
        if (target !== configModule) return undefined
        let path = toPosix(relative(dirname(entryOut), join(outDir, 'config')))
        if (!path.startsWith('.')) path = `./${path}`
        return { path, external: true }
      })
    },
  }
}

function writeConfig(outDir: string, config: AppConfig, target: string, withFaceIdSdk: boolean): void {
  const text = [
    '"use strict";',
    `// Written by scripts/build-miniprogram.ts (LECHAT_TARGET=${target}); edit the environment, not this file.`,
    `exports.config = ${JSON.stringify(config, null, 2)};`,
    `exports.faceIdSdk = ${withFaceIdSdk ? `require('./${FACEID_SDK_FOLDER}/main.js')` : 'null'};`,
    '',
  ].join('\n')
  writeFileSync(join(outDir, 'config.js'), text)
}

function packageOf(file: string, roots: readonly string[]): string {
  return roots.find((root) => file === root || file.startsWith(`${root}/`)) ?? ''
}

function checkSizes(built: readonly BuiltFile[], roots: readonly string[]): void {
  const sizes = new Map<string, number>()
  for (const f of built) {
    const pkg = packageOf(f.file, roots)
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + f.bytes)
  }
  const problems: string[] = []
  for (const [pkg, bytes] of sizes) {
    if (bytes > PACKAGE_LIMIT) {
      problems.push(`${pkg || 'main package'} is ${(bytes / MB).toFixed(2)} MB, over WeChat's 2 MB per package`)
    }
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0)
  if (total > TOTAL_LIMIT) problems.push(`all packages together are ${(total / MB).toFixed(2)} MB, over 30 MB`)
  if (problems.length > 0) throw new Error(`mini-program too large:\n  ${problems.join('\n  ')}`)
}

const PROJECT_CONFIG = join(__dirname, '..', 'project.config.json')

/** Where Tencent's FaceID SDK goes in the package, and what its guide says the folder holds. */
export const FACEID_SDK_FOLDER = 'verify_mpsdk'
const FACEID_SDK_PAGE = `${FACEID_SDK_FOLDER}/index/index`
const FACEID_SDK_FILES = ['main.js', 'index/index.js', 'index/index.json', 'index/index.wxml']

/**
 * The FaceID SDK folder given by LECHAT_FACEID_SDK_DIR (downloaded from the
 * FaceID console; not ours to put in the repository), checked for what its
 * guide has the app load: main.js (initialised in app.ts) and its page.
 */
function faceIdSdkDir(env: Record<string, string | undefined>): string | null {
  const dir = env.LECHAT_FACEID_SDK_DIR?.trim()
  if (!dir) return null
  const missing = FACEID_SDK_FILES.filter((file) => !existsSync(join(dir, file)))
  if (missing.length > 0) throw new Error(`LECHAT_FACEID_SDK_DIR=${dir} is not Tencent's verify_mpsdk folder: missing ${missing.join(', ')}`)
  return resolve(dir)
}

/** Copies the SDK into the main package and lists its page in app.json, as Tencent's guide does by hand. */
function addFaceIdSdk(dir: string, out: string): void {
  for (const file of walk(dir)) {
    const target = join(out, FACEID_SDK_FOLDER, relative(dir, file))
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(file, target)
  }
  const appJson = join(out, 'app.json')
  const app = JSON.parse(readFileSync(appJson, 'utf8')) as AppJson
  if (!app.pages.includes(FACEID_SDK_PAGE)) app.pages.push(FACEID_SDK_PAGE)
  writeFileSync(appJson, `${JSON.stringify(app, null, 2)}\n`)
}

/**
 * Everything a build can refuse, checked before anything is written or deleted:
 * the environment, app.json against the files, and the base library the code needs.
 */
export function checkMiniprogramSettings(options: BuildOptions = {}): { config: AppConfig; app: AppJson; sourceDir: string; faceIdSdk: string | null } {
  const sourceDir = resolve(options.sourceDir ?? join(__dirname, '..', 'miniprogram'))
  const config = configFromEnv(options.env ?? process.env)
  const app = JSON.parse(readFileSync(join(sourceDir, 'app.json'), 'utf8')) as AppJson
  checkAppJson(sourceDir, app)
  const project = JSON.parse(readFileSync(PROJECT_CONFIG, 'utf8')) as { libVersion?: string }
  checkBaseLibrary(sourceDir, project.libVersion ?? '')
  return { config, app, sourceDir, faceIdSdk: faceIdSdkDir(options.env ?? process.env) }
}

export async function buildMiniprogram(outDir: string, options: BuildOptions = {}): Promise<BuiltFile[]> {
  const { config, app, sourceDir, faceIdSdk } = checkMiniprogramSettings(options)
  const out = resolve(outDir)
  if (out === sourceDir || sourceDir.startsWith(`${out}${sep}`)) throw new Error(`refusing to build into ${out}`)

  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const files = walk(sourceDir)

  await Promise.all(
    entryPoints(sourceDir, files).map(async (entry) => {
      const outfile = join(out, relative(sourceDir, entry)).replace(/\.ts$/, '.js')
      const result = await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        format: 'cjs',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        // Older base libraries (iOS JavaScriptCore) lack newer syntax.
        target: 'es2018',
        // Readable in development, small for upload.
        minify: config.transport === 'cloud',
        legalComments: 'none',
        charset: 'utf8',
        metafile: true,
        logLevel: 'silent',
        plugins: [configExternal(sourceDir, out, outfile)],
      })
      const zod = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/zod/'))
      if (zod.length > 0) {
        // Types come from the contract; the server validates. A runtime import would add ~22–450 KB per bundle.
        throw new Error(`${relative(sourceDir, entry)} bundles zod at runtime (${zod[0]}): import contract types with "import type"`)
      }
    }),
  )

  for (const file of files) {
    const name = relative(sourceDir, file)
    if (!COPIED.has(extname(file).toLowerCase()) || NOT_SHIPPED.has(name)) continue
    const target = join(out, name)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(file, target)
  }
  if (faceIdSdk) addFaceIdSdk(faceIdSdk, out)
  writeConfig(out, config, config.transport, faceIdSdk !== null)

  const built = walk(out)
    .map((file) => ({ file: toPosix(relative(out, file)), bytes: statSync(file).size }))
    .sort((a, b) => a.file.localeCompare(b.file))
  checkSizes(
    built,
    (app.subpackages ?? app.subPackages ?? []).map((pkg) => pkg.root.replace(/\/+$/, '')),
  )
  return built
}

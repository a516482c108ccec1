/**
 * The deployment plan: everything `npm run deploy` will do, computed from the
 * repository and the operator file alone (no network), and checked. The dry
 * run prints it; the real run (apply.ts) carries it out.
 */
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { COLLECTIONS } from '../cloudfunctions/_core/collections'
import { ConfigError, loadConfig } from '../cloudfunctions/_core/config'
import { ALL_SECTIONS } from '../cloudfunctions/_core/config-sections'
import { FUNCTIONS } from '../local/functions'
import { loadSpec, type IndexSpec } from '../local/db/spec'
import { buildAll } from '../scripts/build'
import { functionFolders, type BuiltFile } from '../scripts/build-functions'
import { openApisReached } from './open-apis'
import { DeployError, readOperatorFile } from './operator-file'
import { isSecret, settingsFor } from './settings'
import { OIDC_PATHS } from '../cloudfunctions/oidc/http'

/** CloudBase's Node.js runtime for every function: the identity providers need the global fetch (Node 18). */
export const RUNTIME = 'Nodejs18.15'

export interface Trigger {
  name: string
  type: 'timer'
  config: string
}

export interface FunctionPlan {
  name: string
  /** The built folder DevTools and miniprogram-ci upload. */
  dir: string
  runtime: string
  timeoutSeconds: number
  openapi: string[]
  triggers: Trigger[]
  env: Record<string, string>
}

export interface StorageRule {
  read: boolean | string
  write: boolean | string
}

export interface Credentials {
  /** miniprogram-ci's upload key (mini-program console → 开发管理 → 开发设置 → 小程序代码上传), a file outside the repository. */
  ciPrivateKeyFile: string
  /** A Tencent Cloud API key (CAM sub-user with CloudBase rights) for @cloudbase/manager-node. */
  secretId: string
  secretKey: string
}

export interface DeployPlan {
  appid: string
  envId: string
  version: string
  description: string
  dist: string
  functions: FunctionPlan[]
  collections: Array<{ name: string; indexes: IndexSpec[] }>
  /** Listed in database/collections.json for the local cloud only; never created. */
  skippedCollections: string[]
  databaseRule: StorageRule
  storageRule: StorageRule
  /** Message pushes the functions handle: configured in the console (no API sets them). */
  messagePushes: Array<{ event: string; fn: string }>
  /** HTTP access service routes (path prefix → function): the login service's endpoints. */
  httpRoutes: Array<{ path: string; fn: string }>
  miniprogram: { dir: string; sizes: Array<{ pkg: string; bytes: number }> }
  credentials: Credentials
}

export interface PlanOptions {
  root: string
  operatorFile: string
  /** Where the cloud build goes (dist/ for a real run; a scratch folder for a dry run). */
  dist: string
  /** The deploying process's environment: credentials only. */
  env: Record<string, string | undefined>
  version: string
  description: string
}

const TIMER_TIMEOUT_SECONDS = 60
const CALL_TIMEOUT_SECONDS = 20
/** WeChat's 7-field cron: second minute hour day month weekday year. */
const CRON_7 = /^\S+( \S+){6}$/

function readRule(root: string, file: string): StorageRule {
  const json = JSON.parse(readFileSync(join(root, 'deploy', 'rules', file), 'utf8')) as { rule?: StorageRule }
  const rule = json.rule
  const valid = (v: unknown): boolean => typeof v === 'boolean' || (typeof v === 'string' && v.trim() !== '')
  if (!rule || !valid(rule.read) || !valid(rule.write)) throw new DeployError(`deploy/rules/${file}: needs {"rule": {"read": …, "write": …}}`)
  return rule
}

function credentialsFrom(root: string, env: Record<string, string | undefined>, problems: string[]): Credentials {
  const keyFile = env.LECHAT_CI_PRIVATE_KEY_FILE?.trim() ?? ''
  if (!keyFile) problems.push('LECHAT_CI_PRIVATE_KEY_FILE (environment) is missing: the path of the mini-program code-upload key')
  else if (!isAbsolute(keyFile)) problems.push('LECHAT_CI_PRIVATE_KEY_FILE must be an absolute path')
  else if (!relative(root, keyFile).startsWith('..')) problems.push('LECHAT_CI_PRIVATE_KEY_FILE lies inside the repository: keep keys outside it')
  else if (!existsSync(keyFile)) problems.push(`LECHAT_CI_PRIVATE_KEY_FILE: ${keyFile} does not exist`)
  const secretId = env.TENCENTCLOUD_SECRETID?.trim() ?? ''
  const secretKey = env.TENCENTCLOUD_SECRETKEY?.trim() ?? ''
  if (!secretId || !secretKey) problems.push('TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (environment) are missing: a Tencent Cloud API key for CloudBase')
  return { ciPrivateKeyFile: keyFile, secretId, secretKey }
}

function functionPlan(root: string, dist: string, fn: string, values: Record<string, string>, problems: string[]): FunctionPlan {
  const config = JSON.parse(readFileSync(join(root, 'cloudfunctions', fn, 'config.json'), 'utf8')) as {
    permissions?: { openapi?: string[] }
    triggers?: Array<{ name?: unknown; type?: unknown; config?: unknown }>
  }
  const openapi = [...(config.permissions?.openapi ?? [])].sort()
  const reached = openApisReached(join(root, 'cloudfunctions'), fn)
  if (JSON.stringify(openapi) !== JSON.stringify(reached)) {
    problems.push(`${fn}: config.json lists open APIs ${openapi.join(', ') || 'none'}, the code reaches ${reached.join(', ') || 'none'}`)
  }
  const triggers: Trigger[] = []
  for (const trigger of config.triggers ?? []) {
    if (trigger.type !== 'timer' || typeof trigger.name !== 'string' || typeof trigger.config !== 'string' || !CRON_7.test(trigger.config)) {
      problems.push(`${fn}: trigger ${JSON.stringify(trigger)} is not a timer with a name and a 7-field cron`)
      continue
    }
    triggers.push({ name: trigger.name, type: 'timer', config: trigger.config })
  }
  if (triggers.length > 1) problems.push(`${fn}: ${triggers.length} timer triggers; WeChat allows one per function`)
  const def = FUNCTIONS[fn as keyof typeof FUNCTIONS]
  for (const name of triggers.map((t) => t.name)) {
    if (!def || !Object.hasOwn(def.timers, name)) problems.push(`${fn}: trigger ${name} has no timer job in the function`)
  }
  const env = settingsFor(fn, values)
  // The function's own start-up check, run here: a missing or wrong value stops the deploy, not the first user.
  try {
    loadConfig(env, { fn, sections: ALL_SECTIONS })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push(`${fn}: ${error.message}`)
  }
  const dir = join(dist, 'cloudfunctions', fn)
  return { name: fn, dir, runtime: RUNTIME, timeoutSeconds: triggers.length > 0 ? TIMER_TIMEOUT_SECONDS : CALL_TIMEOUT_SECONDS, openapi, triggers, env }
}

function packageSizes(files: readonly BuiltFile[], roots: readonly string[]): Array<{ pkg: string; bytes: number }> {
  const sizes = new Map<string, number>()
  for (const file of files) {
    const pkg = roots.find((root) => file.file.startsWith(`${root}/`)) ?? 'main'
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + file.bytes)
  }
  return [...sizes].map(([pkg, bytes]) => ({ pkg, bytes })).sort((a, b) => a.pkg.localeCompare(b.pkg))
}

/** Builds for the cloud and computes the plan; throws a DeployError listing every problem found. */
export async function makePlan(options: PlanOptions): Promise<DeployPlan> {
  const root = resolve(options.root)
  const operator = readOperatorFile(root, options.operatorFile)
  const values = operator.values
  const problems: string[] = []
  const credentials = credentialsFrom(root, options.env, problems)
  if (!/^wx[0-9a-f]{16}$/.test(values.LECHAT_APPID ?? '')) problems.push('LECHAT_APPID must be the mini-program AppID (wx + 16 hex characters)')
  if (!/^[a-z0-9][a-z0-9-]{3,40}$/.test(values.LECHAT_CLOUD_ENV ?? '')) problems.push('LECHAT_CLOUD_ENV must be a CloudBase environment id (e.g. lechat-prod-1a2b3c)')
  // FaceID's SDK client runs wx.startVerify, which only the SDK adds: without it no one could verify.
  const faceIdSdkClient = values.LECHAT_IDENTITY_PROVIDER === 'tencent-faceid' && (values.LECHAT_FACEID_CLIENT || 'sdk') === 'sdk'
  if (faceIdSdkClient && !values.LECHAT_FACEID_SDK_DIR) {
    problems.push('LECHAT_FACEID_SDK_DIR is required with tencent-faceid and the sdk client: the verify_mpsdk folder from the FaceID console')
  }
  if (!/^\d+\.\d+\.\d+$/.test(options.version)) problems.push(`version ${options.version} must look like 1.2.3`)

  const functions = functionFolders(join(root, 'cloudfunctions')).map((fn) => functionPlan(root, options.dist, fn, values, problems))
  const missingFns = Object.keys(FUNCTIONS).filter((fn) => !functions.some((f) => f.name === fn))
  if (missingFns.length > 0) problems.push(`functions without a folder to deploy: ${missingFns.join(', ')}`)

  const spec = loadSpec(join(root, 'database', 'collections.json'))
  const collections = spec.filter((c) => !c.localOnly).map((c) => ({ name: c.name, indexes: c.indexes }))
  const undeclared = Object.values(COLLECTIONS).filter((name) => !collections.some((c) => c.name === name))
  if (undeclared.length > 0) problems.push(`collections the code uses but database/collections.json does not create: ${undeclared.join(', ')}`)

  const messagePushes = Object.values(FUNCTIONS).flatMap((def) => Object.keys(def.pushes ?? {}).map((event) => ({ event, fn: def.name })))
  // Prefixes: CloudBase routes /oidc/token and the rest under /oidc to the function; the event keeps the full path.
  const httpRoutes = [...new Set(OIDC_PATHS.map((path) => (path.startsWith('/oidc/') ? '/oidc' : path)))].map((path) => ({ path, fn: 'oidc' }))

  if (problems.length > 0) throw new DeployError(`the deployment plan has problems:\n  ${problems.join('\n  ')}`)

  // Built last: every check above runs first, and the build checks its own settings before writing.
  const built = await buildAll(options.dist, {
    ...values,
    LECHAT_TARGET: 'cloud',
  }).catch((error: unknown) => {
    throw new DeployError(`the cloud build failed: ${error instanceof Error ? error.message : String(error)}`)
  })
  const app = JSON.parse(readFileSync(join(options.dist, 'miniprogram', 'app.json'), 'utf8')) as { subpackages?: Array<{ root: string }> }
  const roots = (app.subpackages ?? []).map((pkg) => pkg.root.replace(/\/+$/, ''))

  return {
    appid: values.LECHAT_APPID ?? '',
    envId: values.LECHAT_CLOUD_ENV ?? '',
    version: options.version,
    description: options.description,
    dist: options.dist,
    functions,
    collections,
    skippedCollections: spec.filter((c) => c.localOnly).map((c) => c.name),
    databaseRule: readRule(root, 'database.json'),
    storageRule: readRule(root, 'storage.json'),
    messagePushes,
    httpRoutes,
    miniprogram: { dir: join(options.dist, 'miniprogram'), sizes: packageSizes(built.miniprogram, roots) },
    credentials,
  }
}

function shown(name: string, value: string): string {
  return isSecret(name) ? `(secret, ${value.length} characters)` : value
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

/** The plan as the operator reads it, secrets masked. */
export function describePlan(plan: DeployPlan): string {
  const lines: string[] = []
  lines.push(`乐聊名片 deployment plan → mini-program ${plan.appid}, CloudBase environment ${plan.envId}`)
  lines.push('', `1. Build for the cloud into ${plan.dist} (done)`)
  lines.push('', `2. Database: create missing collections and indexes (${plan.collections.length} collections)`)
  for (const c of plan.collections) {
    const indexes = c.indexes.map((ix) => `${ix.name}${ix.unique ? ' (unique)' : ''}`)
    lines.push(`   ${c.name}${indexes.length > 0 ? `: ${indexes.join(', ')}` : ''}`)
  }
  if (plan.skippedCollections.length > 0) lines.push(`   not created (local cloud only): ${plan.skippedCollections.join(', ')}`)
  lines.push('', `3. Database security rule on every collection: ${JSON.stringify(plan.databaseRule)}`)
  lines.push(`4. Storage security rule: ${JSON.stringify(plan.storageRule)}`)
  lines.push('', `5. Cloud functions (${plan.functions.length}), runtime ${RUNTIME}, dependencies installed in the cloud:`)
  for (const fn of plan.functions) {
    lines.push(`   ${fn.name}: timeout ${fn.timeoutSeconds} s; open APIs: ${fn.openapi.join(', ') || 'none'}; timer: ${fn.triggers.map((t) => `${t.name} ${t.config}`).join(', ') || 'none'}`)
    for (const [name, value] of Object.entries(fn.env)) lines.push(`      ${name}=${shown(name, value)}`)
  }
  lines.push('', `6. HTTP access service (the login service's issuer is LECHAT_OIDC_ISSUER on this service's domain):`)
  for (const route of plan.httpRoutes) lines.push(`   ${route.path} → cloud function ${route.fn}`)
  lines.push('', `7. Mini-program: upload ${plan.version} as a development version ("${plan.description}")`)
  for (const size of plan.miniprogram.sizes) lines.push(`   ${size.pkg.padEnd(20)} ${kb(size.bytes).padStart(10)}`)
  lines.push('', 'Console steps no API performs (the checklist in the README says where and how to verify):')
  for (const push of plan.messagePushes) {
    lines.push(`   - 消息推送: event ${push.event} → cloud function ${push.fn} (environment ${plan.envId}, data format JSON)`)
  }
  return lines.join('\n')
}

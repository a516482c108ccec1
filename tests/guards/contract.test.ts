import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ACCESS_LEVELS } from '../../shared/access'
import { contract, listActions } from '../../shared/contract'
import { ERROR_CODES } from '../../shared/errors'
import { FUNCTIONS } from '../../local/functions'

const root = join(__dirname, '..', '..')

describe('the contract', () => {
  it.each(listActions().map((row) => [`${row.fn}.${row.action}`, row] as const))(
    '%s declares an access rule, a summary and known error codes',
    (_name, row) => {
      expect(ACCESS_LEVELS).toContain(row.spec.access)
      expect(row.spec.summary.length).toBeGreaterThan(3)
      for (const code of row.spec.errors) expect(ERROR_CODES).toContain(code)
    },
  )

  it('has exactly one server implementation per action, and no implementation outside it', () => {
    for (const fn of Object.keys(contract) as Array<keyof typeof contract>) {
      expect(Object.keys(FUNCTIONS[fn].actions).sort()).toEqual(Object.keys(contract[fn]).sort())
      expect(FUNCTIONS[fn].name).toBe(fn)
    }
    expect(Object.keys(FUNCTIONS).sort()).toEqual(Object.keys(contract).sort())
  })

  it('matches the deployable folders: each with entry, config.json and package.json declaring wx-server-sdk', () => {
    const dir = join(root, 'cloudfunctions')
    const folders = readdirSync(dir).filter((name) => !name.startsWith('_') && statSync(join(dir, name)).isDirectory())
    expect(folders.sort()).toEqual(Object.keys(contract).sort())
    for (const fn of folders) {
      expect(existsSync(join(dir, fn, 'index.ts'))).toBe(true)
      const config = JSON.parse(readFileSync(join(dir, fn, 'config.json'), 'utf8')) as { permissions?: { openapi?: unknown } }
      expect(Array.isArray(config.permissions?.openapi)).toBe(true)
      const pkg = JSON.parse(readFileSync(join(dir, fn, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
      expect(pkg.dependencies?.['wx-server-sdk']).toBeDefined()
    }
  })

  it('gives each function at most one timer trigger (WeChat allows one): several jobs share a tick', () => {
    const dir = join(root, 'cloudfunctions')
    for (const fn of Object.keys(contract)) {
      const config = JSON.parse(readFileSync(join(dir, fn, 'config.json'), 'utf8')) as { triggers?: Array<{ type?: string }> }
      expect([fn, (config.triggers ?? []).filter((t) => t.type === 'timer').length <= 1]).toEqual([fn, true])
    }
  })

  it('grants each function the open APIs its code reaches (a missing permission fails only in production)', () => {
    const dir = join(root, 'cloudfunctions')
    // Calls that need cloud-call permissions (definitions excluded), and what they need.
    const NEEDS: Array<{ call: RegExp; apis: string[] }> = [
      { call: /(?<!function )\bmoderate\(/, apis: ['security.msgSecCheck', 'security.mediaCheckAsync'] },
      { call: /(?<!function )\bgetUnlimited\(/, apis: ['wxacode.getUnlimited'] },
      { call: /(?<!function )\bnotify\(/, apis: ['subscribeMessage.send'] },
    ]
    const missing: string[] = []
    for (const fn of Object.keys(contract)) {
      const sources = [...reachableModules(join(dir, fn, 'handlers.ts'))].map((file) => withoutComments(readFileSync(file, 'utf8')))
      const config = JSON.parse(readFileSync(join(dir, fn, 'config.json'), 'utf8')) as { permissions: { openapi: string[] } }
      for (const need of NEEDS.filter((n) => sources.some((source) => n.call.test(source)))) {
        missing.push(...need.apis.filter((api) => !config.permissions.openapi.includes(api)).map((api) => `${fn}: ${api}`))
      }
    }
    expect(missing).toEqual([])
  })
})

/** Every project module `entry` imports, directly or not (relative imports only). */
function reachableModules(entry: string): Set<string> {
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const base = join(file, '..', match[1] as string)
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate))
      if (target) queue.push(target)
    }
  }
  return seen
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
}

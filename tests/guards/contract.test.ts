import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ACCESS_LEVELS } from '../../shared/access'
import { AUDIT_ACTION_LABELS, IMPERSONAL_STAFF_ACTIONS } from '../../shared/audit'
import { contract, listActions } from '../../shared/contract'
import { ERROR_CODES } from '../../shared/errors'
import { FUNCTIONS } from '../../local/functions'
import { openApisReached } from '../../deploy/open-apis'

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

  it('gives each function definition its own slice of the contract, the one the dispatcher validates against', () => {
    for (const fn of Object.keys(contract) as Array<keyof typeof contract>) expect([fn, FUNCTIONS[fn].specs === contract[fn]]).toEqual([fn, true])
  })

  it('labels every staff action that can concern a person for their access log', () => {
    const staff = listActions().filter((a) => a.spec.access === 'admin' || a.spec.access === 'reviewer').map((a) => `${a.fn}.${a.action}`)
    const unlabelled = staff.filter((key) => !AUDIT_ACTION_LABELS[key] && !IMPERSONAL_STAFF_ACTIONS.includes(key))
    expect(unlabelled).toEqual([])
    for (const key of IMPERSONAL_STAFF_ACTIONS) expect([key, staff.includes(key)]).toEqual([key, true])
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

  it('lists exactly the open APIs each function reaches: a missing one fails only in production, an extra one grants too much', () => {
    const dir = join(root, 'cloudfunctions')
    const wrong = Object.keys(contract).flatMap((fn) => {
      const config = JSON.parse(readFileSync(join(dir, fn, 'config.json'), 'utf8')) as { permissions: { openapi: string[] } }
      const listed = [...config.permissions.openapi].sort()
      const reached = openApisReached(dir, fn)
      return JSON.stringify(listed) === JSON.stringify(reached) ? [] : [`${fn}: lists ${listed.join(', ') || 'nothing'}, reaches ${reached.join(', ') || 'nothing'}`]
    })
    expect(wrong).toEqual([])
  })

  it('sees a cloud call through the ports, and none where the handlers make none', () => {
    const dir = join(root, 'cloudfunctions')
    expect(openApisReached(dir, 'cards')).toContain('wxacode.getUnlimited')
    expect(openApisReached(dir, 'moderation')).toEqual(expect.arrayContaining(['security.mediaCheckAsync', 'security.msgSecCheck']))
    expect(openApisReached(dir, 'legal')).toEqual([])
  })
})

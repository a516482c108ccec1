/**
 * Every setting the functions read has a deploy entry and a line in the
 * operator template, so a new variable cannot be forgotten at deploy time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { FIXED_FUNCTION_SETTINGS, REFUSED_SETTINGS, SETTINGS, settingsFor } from '../../deploy/settings'
import { root } from './helpers'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

const readByCode = new Set(
  [...sources(join(root, 'cloudfunctions')), ...sources(join(root, 'shared'))].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/LECHAT_[A-Z0-9_]+/g)].map((m) => m[0])),
)
const declared = new Set(SETTINGS.map((s) => s.name))

it('has a deploy entry for every LECHAT_ variable the functions read', () => {
  const missing = [...readByCode].filter((name) => {
    if (name.endsWith('_')) return !SETTINGS.some((s) => s.name.startsWith(name))
    return !declared.has(name) && !(name in FIXED_FUNCTION_SETTINGS) && !REFUSED_SETTINGS.includes(name)
  })
  expect(missing).toEqual([])
  // And the scan is not vacuous.
  expect(readByCode.has('LECHAT_BLIND_INDEX_KEY')).toBe(true)
})

it('lists every setting in the operator template, and nothing else', () => {
  const template = readFileSync(join(root, 'deploy', 'operator.env.example'), 'utf8')
  const names = [...template.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1])
  expect([...names].sort()).toEqual([...declared].sort())
  // Nothing is pre-filled: every value is the operator's to give.
  expect(template.match(/^[A-Z0-9_]+=.+$/gm)).toBeNull()
})

it('gives a function only the settings of its scope, and always production with WeChat’s open APIs', () => {
  const values = { LECHAT_OPERATOR_NAME: '运营方', LECHAT_ID_KEYS: 'k:..', LECHAT_FIRST_ADMIN_CODE: 'c', LECHAT_APPID: 'wx', LECHAT_STRIKE_DAYS: '' }
  expect(settingsFor('cards', values)).toEqual({ LECHAT_OPERATOR_NAME: '运营方', LECHAT_MODE: 'production', LECHAT_OPENAPI: 'wechat' })
  expect(settingsFor('identity', values)).toMatchObject({ LECHAT_ID_KEYS: 'k:..' })
  expect(settingsFor('admin', values)).toMatchObject({ LECHAT_FIRST_ADMIN_CODE: 'c' })
  expect(settingsFor('admin', { ...values, LECHAT_MODE: 'local' }).LECHAT_MODE).toBe('production')
})

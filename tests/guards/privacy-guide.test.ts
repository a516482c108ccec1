import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVACY_APIS, PRIVACY_GUIDE, usesIn } from '../../scripts/privacy-guide'

const root = join(__dirname, '..', '..')
const sources = join(root, 'miniprogram')

it('covers every privacy-gated API the mini-program uses with an item of the privacy guide', () => {
  const covered = new Set(PRIVACY_GUIDE.flatMap((entry) => entry.uses))
  const used = usesIn(sources, PRIVACY_APIS)
  expect(used.size).toBeGreaterThan(3)
  expect([...used].filter((api) => !covered.has(api))).toEqual([])
})

it('declares nothing the code no longer collects', () => {
  const used = usesIn(sources, PRIVACY_GUIDE.flatMap((entry) => entry.uses))
  expect(PRIVACY_GUIDE.filter((entry) => !entry.uses.some((use) => used.has(use))).map((entry) => entry.item)).toEqual([])
})

it('lists every item in the README checklist', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  expect(PRIVACY_GUIDE.filter((entry) => !readme.includes(entry.item)).map((entry) => entry.item)).toEqual([])
})

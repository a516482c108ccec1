/**
 * The consent ledger and the legal documents are append-only: product code
 * reaches them only through their modules, which wrap the collections so that
 * no update or removal exists. A new reference elsewhere fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(__dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

const GUARDED = [
  { name: 'consent_records', key: 'consentRecords', owner: 'cloudfunctions/_core/consent/ledger.ts' },
  { name: 'legal_documents', key: 'legalDocuments', owner: 'cloudfunctions/_core/legal.ts' },
]

describe.each(GUARDED)('$name', ({ name, key, owner }) => {
  it(`is referenced by product code only in ${owner}`, () => {
    const referencing = ['cloudfunctions', 'local', 'scripts']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => {
        const text = readFileSync(file, 'utf8')
        return text.includes(`'${name}'`) || text.includes(`"${name}"`) || text.includes(`COLLECTIONS.${key}`)
      })
      .map((file) => relative(root, file).replaceAll('\\', '/'))
    expect(referencing.sort()).toEqual(['cloudfunctions/_core/collections.ts', owner].sort())
  })
})

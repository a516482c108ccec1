/**
 * database/collections.json: the collections and indexes the product needs,
 * read by the local engine and followed by operators in the CloudBase console.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface IndexField {
  field: string
  direction: 'asc' | 'desc'
}

export interface IndexSpec {
  name: string
  fields: IndexField[]
  unique: boolean
}

export interface CollectionSpec {
  name: string
  indexes: IndexSpec[]
  /** For the local cloud and its tests only: never created in the cloud. */
  localOnly?: boolean
}

export const DEFAULT_SPEC_PATH = path.resolve(__dirname, '..', '..', 'database', 'collections.json')

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
const FIELD_PART = /^[A-Za-z_][A-Za-z0-9_]*$/

export function checkCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name)
}

function fail(where: string, message: string): never {
  throw new Error(`collections spec: ${where}: ${message}`)
}

export function parseSpec(raw: unknown, source = 'collections.json'): CollectionSpec[] {
  const list = (raw as { collections?: unknown } | null)?.collections
  if (!Array.isArray(list)) fail(source, 'needs a "collections" array')
  const seen = new Set<string>()
  return list.map((c: unknown, i: number): CollectionSpec => {
    const where = `${source} collections[${i}]`
    const name = (c as { name?: unknown } | null)?.name
    if (typeof name !== 'string' || !checkCollectionName(name)) fail(where, `invalid collection name ${JSON.stringify(name)}`)
    if (seen.has(name)) fail(where, `collection "${name}" is listed twice`)
    seen.add(name)
    const rawIndexes = (c as { indexes?: unknown }).indexes ?? []
    if (!Array.isArray(rawIndexes)) fail(where, '"indexes" must be an array')
    const names = new Set<string>()
    const indexes = rawIndexes.map((ix: unknown, j: number): IndexSpec => {
      const iw = `${where} (${name}) indexes[${j}]`
      const fieldsRaw = (ix as { fields?: unknown } | null)?.fields
      if (!Array.isArray(fieldsRaw) || fieldsRaw.length === 0) fail(iw, 'needs a non-empty "fields" array')
      const fields = fieldsRaw.map((f: unknown): IndexField => {
        const field = (f as { field?: unknown } | null)?.field
        const direction = (f as { direction?: unknown } | null)?.direction ?? 'asc'
        if (typeof field !== 'string' || !field.split('.').every((p) => FIELD_PART.test(p))) {
          fail(iw, `invalid field ${JSON.stringify(field)} (letters, digits and _ separated by dots)`)
        }
        if (field === '_id' || field.startsWith('_id.')) fail(iw, '_id is always indexed and unique')
        if (direction !== 'asc' && direction !== 'desc') fail(iw, `direction must be "asc" or "desc"`)
        return { field, direction }
      })
      const unique = (ix as { unique?: unknown }).unique ?? false
      if (typeof unique !== 'boolean') fail(iw, '"unique" must be true or false')
      const given = (ix as { name?: unknown }).name
      const ixName = typeof given === 'string' && given ? given : fields.map((f) => `${f.field}_${f.direction === 'asc' ? 1 : -1}`).join('_')
      if (!/^[A-Za-z0-9_.-]+$/.test(ixName)) fail(iw, `invalid index name ${JSON.stringify(ixName)}`)
      if (names.has(ixName)) fail(iw, `index name "${ixName}" is used twice`)
      names.add(ixName)
      return { name: ixName, fields, unique }
    })
    const localOnly = (c as { localOnly?: unknown }).localOnly ?? false
    if (typeof localOnly !== 'boolean') fail(where, '"localOnly" must be true or false')
    return localOnly ? { name, indexes, localOnly } : { name, indexes }
  })
}

export function loadSpec(file = DEFAULT_SPEC_PATH): CollectionSpec[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(`collections spec: cannot read ${file}: ${(e as Error).message}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new Error(`collections spec: ${file} is not valid JSON: ${(e as Error).message}`)
  }
  return parseSpec(raw, path.basename(file))
}

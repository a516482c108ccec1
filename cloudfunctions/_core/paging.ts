/**
 * Walks every document matching `where` in pages of ≤ 100, ordered by one
 * indexed field, for timer jobs. The cursor (last value + ids already seen at
 * it) keeps the walk going whether or not a visit moves the document out of
 * the set, and a document whose visit fails is not retried within the run.
 */
import { PAGE_MAX, type Collection, type Doc, type Store, type Where } from './db'

export interface WalkResult {
  visited: number
  failed: number
  /** False when `maxPages` stopped the walk: the next run continues. */
  complete: boolean
}

function same(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b
}

export async function walk<T extends Doc>(
  db: Store,
  collection: Collection<T>,
  where: Record<string, unknown>,
  field: keyof T & string,
  visit: (doc: T) => Promise<void>,
  options: { maxPages?: number; onError?: (doc: T, error: unknown) => void } = {},
): Promise<WalkResult> {
  const maxPages = options.maxPages ?? 50
  let cursor: { value: unknown; ids: string[] } | null = null
  let visited = 0
  let failed = 0
  for (let page = 0; page < maxPages; page++) {
    const after: Record<string, unknown> | null = !cursor
      ? null
      : field === '_id'
        ? { _id: db.cmd.gt(cursor.value) }
        : { [field]: db.cmd.gte(cursor.value), _id: db.cmd.nin(cursor.ids) }
    const query: Where = after ? db.cmd.and(where, after) : where
    const docs = await collection.find(query, { orderBy: [[field, 'asc'], ['_id', 'asc']], limit: PAGE_MAX })
    for (const doc of docs) {
      try {
        await visit(doc)
        visited++
      } catch (error) {
        failed++
        options.onError?.(doc, error)
      }
    }
    if (docs.length < PAGE_MAX) return { visited, failed, complete: true }
    const lastValue = docs.at(-1)?.[field]
    const atLast = docs.filter((doc) => same(doc[field], lastValue)).map((doc) => doc._id)
    const carried: string[] = cursor && same(cursor.value, lastValue) ? cursor.ids : []
    cursor = { value: lastValue, ids: [...carried, ...atLast] }
  }
  return { visited, failed, complete: false }
}

/** Every document matching `where` (in pages of ≤ 100, up to 100 pages): for exports, which list all of a person's records. */
export async function collectAll<T extends Doc>(db: Store, collection: Collection<T>, where: Record<string, unknown>): Promise<T[]> {
  const docs: T[] = []
  await walk(db, collection, where, '_id', async (doc) => void docs.push(doc), { maxPages: 100 })
  return docs
}

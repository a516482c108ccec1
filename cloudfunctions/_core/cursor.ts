/**
 * Keyset paging, the one way every list pages: ordered by a date field with
 * `_id` as the tie-break (ids are ordered where ties matter: ids.ts), the
 * cursor is `<epoch ms>.<_id>` of the last item of the page; lists ordered by
 * a single sortable string key (the article feed) use that key as the cursor.
 * Stable while documents are added, unlike skip. A cursor that is not one of
 * ours is refused the same way everywhere: INVALID_INPUT, BAD_CURSOR_MESSAGE.
 */
import type { Doc, Store, Where } from './db'
import { fail } from './errors'

export const PAGE_DEFAULT = 20

/** What a person is told about a cursor we did not give out (a stale link, a hand-edited call). */
export const BAD_CURSOR_MESSAGE = '翻页位置无效，请刷新后从第一页重新加载'

export interface Position {
  at: number
  id: string
}

export type Direction = 'desc' | 'asc'

const CURSOR = /^(\d{1,15})\.([\w-]{1,64})$/

function badCursor(): never {
  return fail('INVALID_INPUT', BAD_CURSOR_MESSAGE, [{ path: 'cursor', message: BAD_CURSOR_MESSAGE }])
}

export function encodeCursor(at: Date, id: string): string {
  return `${at.getTime()}.${id}`
}

/** The position a cursor names; null for the first page (no cursor). */
export function decodeCursor(cursor: string | null | undefined): Position | null {
  if (cursor === undefined || cursor === null || cursor === '') return null
  const match = CURSOR.exec(cursor)
  if (!match?.[1] || !match[2]) return badCursor()
  return { at: Number(match[1]), id: match[2] }
}

/** A single-key cursor (the key itself), checked against the key's shape; null for the first page. */
export function decodeKeyCursor(cursor: string | null | undefined, shape: RegExp): string | null {
  if (cursor === undefined || cursor === null || cursor === '') return null
  return shape.test(cursor) ? cursor : badCursor()
}

/** `where` restricted to what comes after `position` in (field, _id) order, newest first by default. */
export function after(db: Store, where: Record<string, unknown>, field: string, position: Position | null, direction: Direction = 'desc'): Where {
  if (!position) return where
  const at = new Date(position.at)
  const beyond = direction === 'desc' ? db.cmd.lt : db.cmd.gt
  return db.cmd.and(where, db.cmd.or({ [field]: beyond(at) }, { [field]: at, _id: beyond(position.id) }))
}

/** The order keyset paging needs: the field, then `_id` the same way. */
export const orderOf = (field: string, direction: Direction = 'desc'): ReadonlyArray<readonly [string, Direction]> => [
  [field, direction],
  ['_id', direction],
]

export const newestFirst = (field: string): ReadonlyArray<readonly [string, Direction]> => orderOf(field, 'desc')

/** The next cursor: null when the page was not full. */
export function nextOf<T extends Doc>(page: readonly T[], limit: number, at: (doc: T) => Date): string | null {
  const last = page.at(-1)
  return page.length === limit && last ? encodeCursor(at(last), last._id) : null
}

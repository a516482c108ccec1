/**
 * Keyset paging, newest first, on a date field with `_id` as the tie-break:
 * the cursor is `<epoch ms>.<_id>` of the last item of the page. Stable while
 * documents are added (new ones sort before the cursor), unlike skip.
 */
import type { Doc, Store, Where } from './db'
import { fail } from './errors'

export const PAGE_DEFAULT = 20

export interface Position {
  at: number
  id: string
}

export function encodeCursor(at: Date, id: string): string {
  return `${at.getTime()}.${id}`
}

export function decodeCursor(cursor: string | null | undefined): Position | null {
  if (!cursor) return null
  const match = /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor)
  if (!match?.[1] || !match[2]) fail('INVALID_INPUT', '分页位置无效，请刷新后重试', [{ path: 'cursor', message: '分页位置无效' }])
  return { at: Number(match[1]), id: match[2] }
}

/** `where` restricted to what comes after `position` in (field desc, _id desc) order. */
export function after(db: Store, where: Record<string, unknown>, field: string, position: Position | null): Where {
  if (!position) return where
  const at = new Date(position.at)
  return db.cmd.and(where, db.cmd.or({ [field]: db.cmd.lt(at) }, { [field]: at, _id: db.cmd.lt(position.id) }))
}

export const newestFirst = (field: string): ReadonlyArray<readonly [string, 'desc']> => [
  [field, 'desc'],
  ['_id', 'desc'],
]

/** The next cursor: null when the page was not full. */
export function nextOf<T extends Doc>(page: readonly T[], limit: number, at: (doc: T) => Date): string | null {
  const last = page.at(-1)
  return page.length === limit && last ? encodeCursor(at(last), last._id) : null
}

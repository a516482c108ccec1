/**
 * A list paged by an opaque cursor (activities, articles …), as a page keeps
 * it in its data: the rows shown, the cursor of the next page (null at the
 * end), whether a page is being fetched, and why the last one failed.
 *
 * The first page goes through runLoad (the page's loading / empty / error
 * states); further pages come from 加载更多 or onReachBottom through
 * `loadNextPage`, which never fetches twice at once and never shows a row
 * twice (a row published meanwhile can shift the pages).
 */
import { messageOf } from '../api/errors'

export interface CursorList<R> {
  items: R[]
  nextCursor: string | null
  loadingMore: boolean
  /** Why the last 加载更多 failed, '' otherwise. */
  moreError: string
}

export interface CursorPage<R> {
  items: R[]
  nextCursor: string | null
}

/** The paging input of a list call: the first page without a cursor. */
export function pageInput(cursor: string | null, limit: number): { cursor?: string; limit: number } {
  return cursor ? { cursor, limit } : { limit }
}

export function emptyList<R>(): CursorList<R> {
  return { items: [], nextCursor: null, loadingMore: false, moreError: '' }
}

export function firstPage<R>(page: CursorPage<R>): CursorList<R> {
  return { items: page.items, nextCursor: page.nextCursor, loadingMore: false, moreError: '' }
}

/** `existing` followed by the rows of `incoming` not already shown. */
export function appendUnique<R>(existing: readonly R[], incoming: readonly R[], keyOf: (row: R) => string): R[] {
  const known = new Set(existing.map(keyOf))
  const added: R[] = []
  for (const row of incoming) {
    const key = keyOf(row)
    if (known.has(key)) continue
    known.add(key)
    added.push(row)
  }
  return [...existing, ...added]
}

/** Pages read at most to find one row: a page thinned out by hidden authors can come back empty with a cursor. */
export const FILL_ROUNDS = 5

/**
 * One page from `cursor` (null: the first), reading on while a page comes back
 * empty but not at the end, up to FILL_ROUNDS pages.
 */
export async function fetchFilled<P extends CursorPage<unknown>>(fetch: (cursor: string | null) => Promise<P>, cursor: string | null = null): Promise<P> {
  let page = await fetch(cursor)
  for (let round = 1; round < FILL_ROUNDS && page.items.length === 0 && page.nextCursor !== null; round++) {
    page = await fetch(page.nextCursor)
  }
  return page
}

export interface NextPageOptions<R> {
  /** The list as the page holds it now. */
  read: () => CursorList<R>
  /** Puts the list back on the page (usually `(list) => this.setData({ list })`). */
  write: (list: CursorList<R>) => void
  fetch: (cursor: string) => Promise<CursorPage<R>>
  keyOf: (row: R) => string
  /** False once the page has moved on (another tab, a reload): the answer is dropped. */
  stillWanted?: () => boolean
}

/**
 * Fetches and appends the next page. Does nothing at the end of the list or
 * while a page is on its way. Resolves true when rows were appended; a failure
 * is kept in `moreError` (the rows shown stay) and resolves false.
 */
export async function loadNextPage<R>(options: NextPageOptions<R>): Promise<boolean> {
  const start = options.read()
  const cursor = start.nextCursor
  if (!cursor || start.loadingMore) return false
  const wanted = options.stillWanted ?? (() => true)
  options.write({ ...start, loadingMore: true, moreError: '' })
  let page: CursorPage<R>
  try {
    page = await fetchFilled((next) => options.fetch(next ?? cursor), cursor)
  } catch (error) {
    if (wanted()) options.write({ ...options.read(), loadingMore: false, moreError: messageOf(error) })
    return false
  }
  if (!wanted()) return false
  const now = options.read()
  options.write({
    items: appendUnique(now.items, page.items, options.keyOf),
    nextCursor: page.nextCursor,
    loadingMore: false,
    moreError: '',
  })
  return true
}

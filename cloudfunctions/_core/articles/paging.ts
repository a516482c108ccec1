/**
 * Keyset pages over one of the article order keys (see records.ts): `key <
 * cursor`, key descending, after equality conditions that prefix an index.
 * The cursor is the last key looked at, so a page never repeats or skips what
 * was there when the walk began, whatever is published meanwhile.
 */
import type { AccountDoc } from '../accounts'
import type { Context } from '../context'
import { articles, LIST_FIELDS, ORDER_KEY_PATTERN, type ArticleListDoc } from './records'
import { visibleAuthorAccounts } from '../publishing'
import { decodeKeyCursor } from '../cursor'

export const DEFAULT_PAGE = 20
/** Rounds a feed page may take to fill up when hidden authors' articles are skipped. */
const FILL_ROUNDS = 3

type OrderKey = 'feedKey' | 'createdKey'

function cursorOf(cursor: string | null | undefined): string | null {
  return decodeKeyCursor(cursor, ORDER_KEY_PATTERN)
}

function keyOf(doc: ArticleListDoc, key: OrderKey): string {
  const value = doc[key]
  if (value === null) throw new Error(`article ${doc._id} has no ${key}`)
  return value
}

/** One page of the caller's own articles: no visibility filter. */
export async function ownPage(
  ctx: Context,
  where: Record<string, unknown>,
  key: OrderKey,
  cursor: string | null | undefined,
  limit: number | undefined,
): Promise<{ docs: ArticleListDoc[]; nextCursor: string | null }> {
  const after = cursorOf(cursor)
  const size = limit ?? DEFAULT_PAGE
  const docs = await articles(ctx.db).find(after ? { ...where, [key]: ctx.db.cmd.lt(after) } : where, {
    orderBy: [[key, 'desc']],
    limit: size + 1,
    fields: LIST_FIELDS,
  })
  const page = docs.slice(0, size)
  const last = page.at(-1)
  return { docs: page, nextCursor: docs.length > size && last ? keyOf(last, key) : null }
}

/**
 * One page of published articles whose authors' content is visible. Articles
 * of hidden authors are skipped; the page fills from further rows (a few
 * rounds at most), so it may come back short — even empty — with a cursor.
 */
export async function publicPage(
  ctx: Context,
  where: Record<string, unknown>,
  cursor: string | null | undefined,
  limit: number | undefined,
): Promise<{ items: Array<{ doc: ArticleListDoc; author: AccountDoc }>; nextCursor: string | null }> {
  let after = cursorOf(cursor)
  const size = limit ?? DEFAULT_PAGE
  const items: Array<{ doc: ArticleListDoc; author: AccountDoc }> = []
  for (let round = 0; round < FILL_ROUNDS && items.length < size; round++) {
    const need = size - items.length
    const docs = await articles(ctx.db).find(after ? { ...where, feedKey: ctx.db.cmd.lt(after) } : where, {
      orderBy: [['feedKey', 'desc']],
      limit: need + 1,
      fields: LIST_FIELDS,
    })
    const taken = docs.slice(0, need)
    const authors = await visibleAuthorAccounts(
      ctx,
      taken.map((doc) => doc.ownerOpenid),
    )
    for (const doc of taken) {
      const author = authors.get(doc.ownerOpenid)
      if (author) items.push({ doc, author })
    }
    const last = taken.at(-1)
    if (docs.length <= need || !last) return { items, nextCursor: null }
    after = keyOf(last, 'feedKey')
  }
  return { items, nextCursor: after }
}

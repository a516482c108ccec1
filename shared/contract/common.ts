import * as z from 'zod/mini'
import { parseCalendarDate } from '../rules/age'

export const isoDateTime = z.iso.datetime()

/** A real calendar date, YYYY-MM-DD. */
export const calendarDate = z.string().check(z.refine((s) => parseCalendarDate(s) !== null, '请填写真实存在的日期（年-月-日）'))

export const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[\w-]+$/, '编号格式不正确'))

/** Cursor paging: the server returns `nextCursor` (null at the end); pages hold at most 50 items. */
export const pageInput = {
  cursor: z.optional(z.nullable(z.string().check(z.maxLength(200)))),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(50))),
}

export const nextCursor = z.nullable(z.string())

import * as z from 'zod/mini'
import { DOCUMENT_IDS } from '../consent'
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

/** A file uploaded to cloud storage, or a WeChat profile picture on WeChat's own hosts. */
const PROFILE_IMAGE_PATTERN = /^(?:cloud:\/\/\S+|https:\/\/(?:thirdwx|wx)\.qlogo\.cn\/\S*)$/

/**
 * A picture of a person shown to others (account and card avatars). Any other
 * https address would show others an image from a server that can change it
 * after the check, and learn who looked at it.
 */
export function profileImageUrl(what: string) {
  return z.string().check(
    z.maxLength(512, `${what}地址过长`),
    z.refine((s) => PROFILE_IMAGE_PATTERN.test(s), `${what}须为上传到云存储的图片，或微信头像（wx.qlogo.cn、thirdwx.qlogo.cn）`),
  )
}

// Shared by several functions' slices, so that no slice imports another function's.

/** A legal document's id. */
export const documentId = z.enum(DOCUMENT_IDS)
/** Versions are dotted numbers ("1", "1.1", "2.0.3"), compared numerically. */
export const version = z.string().check(z.regex(/^\d{1,4}(\.\d{1,4}){0,2}$/, '版本号格式应为 1、1.1 或 1.1.1'))
export const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, '摘要应为 64 位十六进制'))

/** A real-name verification or face re-check, as the identity function issued it. */
export const verificationId = z.string().check(z.minLength(1), z.maxLength(300), z.regex(/^[\x21-\x7e]+$/, '核验编号格式不正确'))

/** A staff member's statement of reasons, shown to the person concerned. */
export const staffReason = z.string().check(z.trim(), z.minLength(4, '请写明理由（至少4个字），用户会看到这段说明'), z.maxLength(500, '理由最多500个字'))

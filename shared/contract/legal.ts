import * as z from 'zod/mini'
import { documentId, isoDateTime, sha256Hex, version } from './common'

export { documentId, sha256Hex, version }
import { action } from './define'


export const versionMeta = z.object({
  docId: documentId,
  version,
  title: z.string(),
  summary: z.string(),
  hash: sha256Hex,
  announcedAt: isoDateTime,
  effectiveAt: isoDateTime,
})
export type VersionMeta = z.infer<typeof versionMeta>

export const documentVersion = z.extend(versionMeta, { body: z.string() })
export type DocumentVersion = z.infer<typeof documentVersion>

export const legal = {
  list: action({
    summary: '列出全部协议与告知：当前生效版本和已公告待生效的版本',
    access: 'anonymous',
    input: z.strictObject({}),
    output: z.object({
      documents: z.array(z.object({ docId: documentId, title: z.string(), current: z.nullable(versionMeta), upcoming: z.nullable(versionMeta) })),
    }),
    errors: [],
  }),
  get: action({
    summary: '阅读一份文档（默认当前生效版本，可指定历史版本）',
    access: 'anonymous',
    input: z.strictObject({ docId: documentId, version: z.optional(version) }),
    output: z.object({ document: documentVersion }),
    errors: ['NOT_FOUND'],
  }),
  history: action({
    summary: '一份文档的全部版本（不含正文）',
    access: 'anonymous',
    input: z.strictObject({ docId: documentId }),
    output: z.object({ versions: z.array(versionMeta) }),
    errors: [],
  }),
  publish: action({
    summary: '发布文档新版本（不可修改，公告日须早于生效日）',
    access: 'admin',
    // The very first agreement has to be published before anyone, staff included, can accept one.
    terms: 'exempt',
    input: z.strictObject({
      docId: documentId,
      version,
      title: z.string().check(z.trim(), z.minLength(2), z.maxLength(60)),
      summary: z.string().check(z.trim(), z.minLength(2, '请写明本次变更的摘要'), z.maxLength(500)),
      body: z.string().check(z.minLength(20), z.maxLength(100_000)),
      announcedAt: isoDateTime,
      effectiveAt: isoDateTime,
      reason: z.string().check(z.trim(), z.minLength(2), z.maxLength(200)),
    }),
    output: z.object({ document: versionMeta }),
    errors: ['VERSION_EXISTS', 'INVALID_INPUT'],
  }),
}

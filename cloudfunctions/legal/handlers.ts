import { DOCUMENT_IDS, DOCUMENT_TITLES } from '../../shared/consent'
import { compareVersions } from '../../shared/rules/version'
import { defineFunction } from '../_core/define'
import { fail } from '../_core/errors'
import { documentCatalogue, publishDocument, readDocument, toVersionMeta } from '../_core/legal'
import { legal as legalContract } from '../../shared/contract/legal'

export const legalFunction = defineFunction('legal', legalContract, {
  async list(_input, ctx) {
    const catalogue = await documentCatalogue(ctx.db)
    return {
      documents: DOCUMENT_IDS.map((docId) => {
        const current = catalogue.current(docId, ctx.now)
        const upcoming = catalogue.upcoming(docId, ctx.now)
        return {
          docId,
          title: current?.title ?? upcoming?.title ?? DOCUMENT_TITLES[docId],
          current: current ? toVersionMeta(current) : null,
          upcoming: upcoming ? toVersionMeta(upcoming) : null,
        }
      }),
    }
  },

  async get({ docId, version }, ctx) {
    const catalogue = await documentCatalogue(ctx.db)
    // Past, current and announced versions are public; a scheduled announcement is not yet.
    const meta = version === undefined ? catalogue.current(docId, ctx.now) : catalogue.announced(docId, ctx.now).find((v) => v.version === version)
    const doc = meta ? await readDocument(ctx.db, docId, meta.version) : null
    if (!doc) fail('NOT_FOUND', version === undefined ? '这份文档还没有生效的版本' : `没有找到这份文档的 ${version} 版`)
    return { document: { ...toVersionMeta(doc), body: doc.body } }
  },

  async history({ docId }, ctx) {
    const catalogue = await documentCatalogue(ctx.db)
    const versions = catalogue.announced(docId, ctx.now).sort((a, b) => compareVersions(b.version, a.version))
    return { versions: versions.map(toVersionMeta) }
  },

  async publish(input, ctx) {
    const published = await publishDocument(ctx.db, ctx.config, ctx.now, {
      docId: input.docId,
      version: input.version,
      title: input.title,
      summary: input.summary,
      template: input.body,
      announcedAt: new Date(input.announcedAt),
      effectiveAt: new Date(input.effectiveAt),
      publishedBy: ctx.openid,
    })
    return { document: toVersionMeta(published) }
  },
})

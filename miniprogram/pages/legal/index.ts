/** 协议与规则: every document with the version in effect and any announced next version (legal.list). */
import type { DocumentId } from '../../../shared/consent'
import type { VersionMeta } from '../../../shared/contract/legal'
import { call } from '../../api'
import { formatDate } from '../../utils/format'
import { docUrl } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'

interface VersionLine {
  version: string
  effective: string
  summary: string
}

interface DocumentRow {
  docId: DocumentId
  title: string
  current: VersionLine | null
  upcoming: VersionLine | null
}

function lineOf(meta: VersionMeta | null): VersionLine | null {
  return meta ? { version: meta.version, effective: formatDate(meta.effectiveAt), summary: meta.summary } : null
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    documents: [] as DocumentRow[],
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        () => call('legal', 'list', {}),
        {
          toData: ({ documents }) => ({
            documents: documents.map((d) => ({
              docId: d.docId,
              title: d.current?.title ?? d.upcoming?.title ?? d.title,
              current: lineOf(d.current),
              upcoming: lineOf(d.upcoming),
            })),
          }),
          isEmpty: ({ documents }) => documents.every((d) => !d.current && !d.upcoming),
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { docId: string; version: string }>) {
      const { docId, version } = e.currentTarget.dataset
      wx.navigateTo({ url: docUrl(docId, version || undefined) })
    },
  },
})

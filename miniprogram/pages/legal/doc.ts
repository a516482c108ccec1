/**
 * 阅读文件 (/pages/legal/doc?docId=…&version=…): one version of one document
 * (legal.get; without a version, the one in effect) with its title, version,
 * effective date, SHA-256 hash (first 12 characters, full on tap, copyable),
 * change summary and body, and the list of all versions (legal.history).
 */
import { DOCUMENT_IDS, type DocumentId } from '../../../shared/consent'
import type { VersionMeta } from '../../../shared/contract/legal'
import { ApiCallError, call } from '../../api'
import { formatDate, shortHash } from '../../utils/format'
import { docUrl } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'
import { decodedParam } from '../../utils/query'

/** Where a version stands: in effect, announced, or replaced by a later one. */
type Standing = 'current' | 'upcoming' | 'past'

const STANDING_LABELS: Record<Standing, string> = {
  current: '现行版本',
  upcoming: '即将生效',
  past: '历史版本，已不再适用',
}

interface DocView {
  docId: string
  title: string
  version: string
  effective: string
  standing: Standing
  standingLabel: string
  hash: string
  shortHash: string
  summary: string
  body: string
}

interface HistoryRow {
  version: string
  effective: string
  announced: string
  summary: string
  standingLabel: string
  shown: boolean
}

const EMPTY_DOC: DocView = {
  docId: '',
  title: '',
  version: '',
  effective: '',
  standing: 'current',
  standingLabel: '',
  hash: '',
  shortHash: '',
  summary: '',
  body: '',
}

interface Positions {
  current: string | null
  upcoming: string | null
}

function standingOf(version: string, positions: Positions): Standing {
  if (version === positions.current) return 'current'
  if (version === positions.upcoming) return 'upcoming'
  return 'past'
}

function isDocumentId(value: string): value is DocumentId {
  return (DOCUMENT_IDS as readonly string[]).includes(value)
}

Component({
  properties: {
    /** Page query parameters. */
    docId: { type: String, value: '' },
    version: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    doc: EMPTY_DOC,
    positions: { current: null, upcoming: null } as Positions,
    fullHash: false,
    historyOpen: false,
    historyStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    historyError: '',
    history: [] as HistoryRow[],
    started: false,
  },
  lifetimes: {
    attached() {
      // Properties carry the query when the page is created; onLoad covers base libraries that set them later.
      if (this.data.docId) void this.start()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      // A broken link decodes to nothing: the page then says the document was not found.
      if (query.docId && !this.data.docId) this.setData({ docId: decodedParam(query.docId) ?? '', version: decodedParam(query.version) ?? '' })
      void this.start()
    },

    async start() {
      if (this.data.started) return
      this.setData({ started: true })
      await this.load()
    },

    async load() {
      const docId = this.data.docId
      if (!isDocumentId(docId)) {
        this.setData({ status: 'error', error: '没有找到这份文件，请返回后重新打开' })
        return
      }
      const version = this.data.version || undefined
      await runLoad(
        (patch) => this.setData(patch),
        async () => {
          try {
            return await Promise.all([call('legal', 'get', version ? { docId, version } : { docId }), call('legal', 'list', {})])
          } catch (error) {
            // A link to a version that does not exist: say which one.
            if (error instanceof ApiCallError && error.code === 'NOT_FOUND' && version) {
              throw new ApiCallError('NOT_FOUND', `没有找到第 ${version} 版，可能链接有误`)
            }
            throw error
          }
        },
        {
          toData: ([{ document }, { documents }]) => {
            const entry = documents.find((d) => d.docId === docId)
            const positions: Positions = { current: entry?.current?.version ?? null, upcoming: entry?.upcoming?.version ?? null }
            const standing = standingOf(document.version, positions)
            wx.setNavigationBarTitle({ title: document.title, fail: () => undefined })
            return {
              positions,
              doc: {
                docId: document.docId,
                title: document.title,
                version: document.version,
                effective: formatDate(document.effectiveAt),
                standing,
                standingLabel: STANDING_LABELS[standing],
                hash: document.hash,
                shortHash: shortHash(document.hash),
                summary: document.summary,
                body: document.body,
              },
            }
          },
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onToggleHash() {
      this.setData({ fullHash: !this.data.fullHash })
    },

    onCopyHash() {
      wx.setClipboardData({ data: this.data.doc.hash })
    },

    async onToggleHistory() {
      const open = !this.data.historyOpen
      this.setData({ historyOpen: open })
      if (open && this.data.historyStatus !== 'ready') await this.loadHistory()
    },

    async loadHistory() {
      const docId = this.data.docId
      if (!isDocumentId(docId)) return
      this.setData({ historyStatus: 'loading', historyError: '' })
      let versions: VersionMeta[]
      try {
        ;({ versions } = await call('legal', 'history', { docId }))
      } catch (error) {
        this.setData({ historyStatus: 'error', historyError: error instanceof ApiCallError ? error.message : '历史版本没能读取成功' })
        return
      }
      const positions = this.data.positions
      this.setData({
        historyStatus: 'ready',
        history: versions.map((v) => ({
          version: v.version,
          effective: formatDate(v.effectiveAt),
          announced: formatDate(v.announcedAt),
          summary: v.summary,
          standingLabel: STANDING_LABELS[standingOf(v.version, positions)],
          shown: v.version === this.data.doc.version,
        })),
      })
    },

    onRetryHistory() {
      void this.loadHistory()
    },

    onOpenVersion(e: WechatMiniprogram.BaseEvent<Record<string, never>, { version: string }>) {
      const version = e.currentTarget.dataset.version
      if (version === this.data.doc.version) return
      wx.redirectTo({ url: docUrl(this.data.docId, version) })
    },
  },
})

/**
 * 隐私设置: every processing purpose with its legal basis, the information it
 * covers and my current decision (consent.status), with one-tap grant and
 * withdraw (withdrawal asks for confirmation and says what it does), the
 * records behind each decision (consent.history, paged), receipts and a check
 * of the whole record chain (consent.verifyChain).
 */
import {
  GUARDIAN_RELATION_LABELS,
  PURPOSES,
  PURPOSE_STATE_LABELS,
  type LegalBasis,
  type PurposeId,
  type PurposeState,
} from '../../../shared/consent'
import type { ConsentRecordView, ConsentStatus } from '../../../shared/contract/consent'
import type { VersionMeta } from '../../../shared/contract/legal'
import { ApiCallError, call, fieldErrors, messageOf } from '../../api'
import { confirmed } from '../../utils/confirm'
import { ACTION_LABELS, BASIS_LABELS, METHOD_LABELS } from '../../utils/consent-labels'
import { GUARDIAN_FIELD_OF_PATH, guardianErrors, guardianInput, NO_GUARDIAN_ERRORS, RELATION_LABELS, type GuardianErrors } from '../../utils/guardian'
import { formatDateTime } from '../../utils/format'
import { docUrl, receiptUrl } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'

const HISTORY_PAGE = 10

interface PurposeRow {
  purpose: PurposeId
  title: string
  basis: LegalBasis
  basisLabel: string
  categories: string
  sensitive: boolean
  state: PurposeState
  stateLabel: string
  /** "第 1 版 · 2024-06-01 09:30", or '' when never decided. */
  decided: string
  outdated: boolean
  docTitle: string
  /** The notice's version in effect: what a grant records. */
  docVersion: string
  docHash: string
  canGrant: boolean
  canRefuse: boolean
  canWithdraw: boolean
}

interface Section {
  basis: LegalBasis
  title: string
  note: string
  rows: PurposeRow[]
}

interface RecordRow {
  id: string
  action: string
  method: string
  version: string
  at: string
  guardian: string
}

const SECTION_TEXT: Record<LegalBasis, { title: string; note: string }> = {
  contract: {
    title: '基本服务所需',
    note: '注册时已同意，是提供服务的前提，无法单独撤回。不再同意可以注销账号：在「我的 → 账号与安全」中申请。',
  },
  separate: {
    title: '需要单独同意',
    note: '涉及敏感个人信息、公开展示或向第三方提供，每一项都需要你单独同意；不同意只影响对应的功能。',
  },
  optional: {
    title: '可选',
    note: '不同意或随时撤回，都不影响你使用基本服务。',
  },
}

type Notices = Partial<Record<DocId, VersionMeta>>
type DocId = VersionMeta['docId']

function sectionsOf(status: ConsentStatus, notices: Notices): Section[] {
  const rows: PurposeRow[] = []
  for (const decision of status.purposes) {
    const purpose = PURPOSES[decision.purpose]
    // The children's rules concern only accounts of children under 14.
    if (purpose.onlyUnder14 && status.ageClass !== 'under14' && decision.state === 'none') continue
    const notice = notices[purpose.document]
    const open = purpose.basis !== 'contract'
    rows.push({
      purpose: decision.purpose,
      title: purpose.title,
      basis: purpose.basis,
      basisLabel: BASIS_LABELS[purpose.basis],
      categories: purpose.categories.join('、'),
      sensitive: purpose.sensitive,
      state: decision.state,
      stateLabel: PURPOSE_STATE_LABELS[decision.state],
      decided: decision.at ? `${decision.version ? `第 ${decision.version} 版 · ` : ''}${formatDateTime(decision.at)}` : '',
      outdated: decision.outdated,
      docTitle: notice?.title ?? '',
      docVersion: notice?.version ?? '',
      docHash: notice?.hash ?? '',
      canGrant: open && notice !== undefined && (decision.state !== 'granted' || decision.outdated),
      canRefuse: open && notice !== undefined && decision.state === 'none',
      canWithdraw: open && decision.state === 'granted',
    })
  }
  return (['contract', 'separate', 'optional'] as const)
    .map((basis) => ({ basis, ...SECTION_TEXT[basis], rows: rows.filter((r) => r.basis === basis) }))
    .filter((section) => section.rows.length > 0)
}

function recordRowOf(record: ConsentRecordView): RecordRow {
  return {
    id: record.id,
    action: ACTION_LABELS[record.action],
    method: METHOD_LABELS[record.method],
    version: record.version,
    at: formatDateTime(record.at),
    guardian: record.guardian ? `${GUARDIAN_RELATION_LABELS[record.guardian.relation]} ${record.guardian.maskedName}` : '',
  }
}

function noticesOf(documents: ReadonlyArray<{ docId: DocId; current: VersionMeta | null }>): Notices {
  const notices: Notices = {}
  for (const d of documents) if (d.current) notices[d.docId] = d.current
  return notices
}

type PurposeEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { purpose: PurposeId }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    sections: [] as Section[],
    notices: {} as Notices,
    /** The purpose whose button is working, '' when none. */
    busy: '' as PurposeId | '',
    /** Result or refusal under each purpose. */
    messages: {} as Partial<Record<PurposeId, string>>,
    historyPurpose: '' as PurposeId | '',
    historyStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    historyError: '',
    historyRecords: [] as RecordRow[],
    historyCursor: null as string | null,
    loadingMore: false,
    chainStatus: 'idle' as 'idle' | 'loading' | 'ok' | 'broken' | 'error',
    chainText: '',
    /** Under 14 every consent is the guardian's: granting opens the guardian's form for this purpose. */
    under14: false,
    guardianFor: '' as PurposeId | '',
    guardianTitle: '',
    relationLabels: RELATION_LABELS,
    relationIndex: -1,
    relationLabel: '',
    guardianName: '',
    guardianIdNumber: '',
    guardianErrors: NO_GUARDIAN_ERRORS,
    guardianMessage: '',
    guardianBusy: false,
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
        () => Promise.all([call('consent', 'status', {}), call('legal', 'list', {})]),
        {
          toData: ([{ status }, { documents }]) => {
            const notices = noticesOf(documents)
            return { notices, sections: sectionsOf(status, notices), under14: status.ageClass === 'under14' }
          },
        },
      )
    },

    onRetry() {
      void this.load()
    },

    rowOf(purpose: PurposeId): PurposeRow | undefined {
      for (const section of this.data.sections) {
        const row = section.rows.find((r) => r.purpose === purpose)
        if (row) return row
      }
      return undefined
    },

    /** Applies the status a decision returned, and refreshes that purpose's open history. */
    applyStatus(status: ConsentStatus, purpose: PurposeId, message: string) {
      this.setData({ busy: '', sections: sectionsOf(status, this.data.notices), [`messages.${purpose}`]: message })
      if (this.data.historyPurpose === purpose) void this.loadHistory(purpose)
    },

    onRead(e: PurposeEvent) {
      const row = this.rowOf(e.currentTarget.dataset.purpose)
      if (row) wx.navigateTo({ url: docUrl(PURPOSES[row.purpose].document, row.docVersion || undefined) })
    },

    async onGrant(e: PurposeEvent) {
      const row = this.rowOf(e.currentTarget.dataset.purpose)
      if (!row || this.data.busy || !row.canGrant) return
      if (this.data.under14) {
        this.openGuardianForm(row)
        return
      }
      this.setData({ busy: row.purpose, [`messages.${row.purpose}`]: '' })
      try {
        const { status } = await call('consent', 'grant', {
          method: 'settings',
          items: [{ purpose: row.purpose, version: row.docVersion, hash: row.docHash }],
        })
        this.applyStatus(status, row.purpose, `已同意（依据《${row.docTitle}》第 ${row.docVersion} 版）`)
      } catch (error) {
        this.setData({ busy: '', [`messages.${row.purpose}`]: messageOf(error) })
      }
    },

    openGuardianForm(row: PurposeRow) {
      this.setData({
        guardianFor: row.purpose,
        guardianTitle: row.title,
        relationIndex: -1,
        relationLabel: '',
        guardianName: '',
        guardianIdNumber: '',
        guardianErrors: NO_GUARDIAN_ERRORS,
        guardianMessage: '',
      })
    },

    /** Keeps the page under the sheet from scrolling. */
    noop() {},

    onGuardianCancel() {
      // Nothing typed stays on the page.
      this.setData({ guardianFor: '', guardianIdNumber: '', guardianName: '' })
    },

    onRelationChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const index = Number(e.detail.value)
      this.setData({ relationIndex: index, relationLabel: RELATION_LABELS[index] ?? '', 'guardianErrors.relation': '' })
    },

    onGuardianNameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ guardianName: e.detail.value, 'guardianErrors.guardianName': '' })
    },

    onGuardianIdInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ guardianIdNumber: e.detail.value, 'guardianErrors.guardianIdNumber': '' })
    },

    async onGuardianSubmit() {
      const row = this.data.guardianFor ? this.rowOf(this.data.guardianFor) : undefined
      if (!row || this.data.guardianBusy) return
      const draft = { relationIndex: this.data.relationIndex, name: this.data.guardianName, idNumber: this.data.guardianIdNumber }
      const errors = guardianErrors(draft)
      if (errors.relation || errors.guardianName || errors.guardianIdNumber) {
        this.setData({ guardianErrors: errors, guardianMessage: '' })
        return
      }
      this.setData({ guardianBusy: true, guardianErrors: NO_GUARDIAN_ERRORS, guardianMessage: '' })
      try {
        const { status } = await call('consent', 'grant', {
          method: 'guardian',
          guardian: guardianInput(draft),
          items: [{ purpose: row.purpose, version: row.docVersion, hash: row.docHash }],
        })
        this.setData({ guardianBusy: false, guardianFor: '', guardianIdNumber: '', guardianName: '' })
        this.applyStatus(status, row.purpose, `监护人已同意（依据《${row.docTitle}》第 ${row.docVersion} 版）`)
      } catch (error) {
        const placed: GuardianErrors = { ...NO_GUARDIAN_ERRORS }
        let onField = false
        for (const [path, message] of Object.entries(fieldErrors(error))) {
          const field = GUARDIAN_FIELD_OF_PATH[path]
          if (field) {
            placed[field] = message
            onField = true
          }
        }
        const message = onField ? '' : error instanceof ApiCallError ? error.message : messageOf(error)
        this.setData({ guardianBusy: false, guardianErrors: placed, guardianMessage: message })
      }
    },

    async onRefuse(e: PurposeEvent) {
      const row = this.rowOf(e.currentTarget.dataset.purpose)
      if (!row || this.data.busy || !row.canRefuse) return
      this.setData({ busy: row.purpose, [`messages.${row.purpose}`]: '' })
      try {
        const { status } = await call('consent', 'refuse', {
          purpose: row.purpose,
          version: row.docVersion,
          hash: row.docHash,
          method: 'settings',
        })
        this.applyStatus(status, row.purpose, '已记录你的选择，你可以随时改为同意')
      } catch (error) {
        this.setData({ busy: '', [`messages.${row.purpose}`]: messageOf(error) })
      }
    },

    async onWithdraw(e: PurposeEvent) {
      const row = this.rowOf(e.currentTarget.dataset.purpose)
      if (!row || this.data.busy || !row.canWithdraw) return
      const ok = await confirmed({
        title: `撤回「${row.title}」？`,
        content: PURPOSES[row.purpose].withdrawalEffect,
        confirmText: '确认撤回',
        cancelText: '再想想',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: row.purpose, [`messages.${row.purpose}`]: '' })
      try {
        const { status, effect } = await call('consent', 'withdraw', { purpose: row.purpose })
        this.applyStatus(status, row.purpose, `已撤回。${effect}`)
      } catch (error) {
        this.setData({ busy: '', [`messages.${row.purpose}`]: messageOf(error) })
      }
    },

    async onToggleHistory(e: PurposeEvent) {
      const purpose = e.currentTarget.dataset.purpose
      if (this.data.historyPurpose === purpose) {
        this.setData({ historyPurpose: '', historyRecords: [], historyStatus: 'idle', historyCursor: null })
        return
      }
      this.setData({ historyPurpose: purpose, historyRecords: [], historyCursor: null })
      await this.loadHistory(purpose)
    },

    async loadHistory(purpose: PurposeId) {
      this.setData({ historyStatus: 'loading', historyError: '' })
      try {
        const { records, nextCursor } = await call('consent', 'history', { purpose, limit: HISTORY_PAGE })
        if (this.data.historyPurpose !== purpose) return
        this.setData({ historyStatus: 'ready', historyRecords: records.map(recordRowOf), historyCursor: nextCursor })
      } catch (error) {
        if (this.data.historyPurpose !== purpose) return
        this.setData({ historyStatus: 'error', historyError: messageOf(error) })
      }
    },

    onRetryHistory() {
      const purpose = this.data.historyPurpose
      if (purpose) void this.loadHistory(purpose)
    },

    async onMoreHistory() {
      const purpose = this.data.historyPurpose
      const cursor = this.data.historyCursor
      if (!purpose || !cursor || this.data.loadingMore) return
      this.setData({ loadingMore: true, historyError: '' })
      try {
        const { records, nextCursor } = await call('consent', 'history', { purpose, cursor, limit: HISTORY_PAGE })
        if (this.data.historyPurpose !== purpose) return
        this.setData({
          loadingMore: false,
          historyRecords: [...this.data.historyRecords, ...records.map(recordRowOf)],
          historyCursor: nextCursor,
        })
      } catch (error) {
        this.setData({ loadingMore: false, historyError: messageOf(error) })
      }
    },

    onOpenReceipt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { recordId: string }>) {
      wx.navigateTo({ url: receiptUrl(e.currentTarget.dataset.recordId) })
    },

    onOpenAllReceipts() {
      wx.navigateTo({ url: receiptUrl(null) })
    },

    async onVerify() {
      if (this.data.chainStatus === 'loading') return
      this.setData({ chainStatus: 'loading', chainText: '' })
      try {
        const report = await call('consent', 'verifyChain', {})
        if (report.ok) {
          this.setData({
            chainStatus: 'ok',
            chainText:
              report.records === 0
                ? '还没有同意记录。'
                : `校验通过：共 ${report.records} 条记录，前后相连，没有被改动或删除的痕迹。`,
          })
        } else {
          this.setData({
            chainStatus: 'broken',
            chainText: `校验未通过：第 ${report.firstBrokenSeq ?? '?'} 条记录与前面的记录对不上。请下载全部回执并联系我们核查。`,
          })
        }
      } catch (error) {
        this.setData({ chainStatus: 'error', chainText: messageOf(error) })
      }
    },
  },
})

/**
 * 我的数据 (/packageAccount/pages/data/index), the user's rights over their own
 * information (PIPL Art. 44–46):
 * - 数据副本: account.exportData, summarised per section, each section's
 *   records readable on request, the whole JSON saved as a file and sent to a
 *   chat, or copied;
 * - 更正: nickname and avatar are changed on 我的; fields locked by real-name
 *   verification (CORRECTION_FIELDS) through account.requestCorrection, with my
 *   requests and the staff's answers (account.corrections), masked current
 *   values from identity.status;
 * - 访问记录: account.accessLog, which staff role looked at or acted on my
 *   information, what, when (Beijing time) and why, paged by cursor;
 * - links to 账号与安全 (deletion) and 隐私设置.
 *
 * The first load (corrections and the access log) is the page's state; the
 * profile and identity cards load on their own, since a suspended account may
 * still export and read its log but not its profile.
 */
import { CORRECTION_FIELD_LABELS, type CorrectionField } from '../../../../shared/account'
import type { AccessLogEntry, CorrectionView, ExportDocument } from '../../../../shared/contract/account'
import type { IdentityStatus } from '../../../../shared/contract/identity'
import { ApiCallError, call, fieldErrors, messageOf } from '../../../api'
import { copyText, shareFile, writeTextFile } from '../../../utils/file-share'
import { formatDateTime } from '../../../utils/format'
import { PRIVACY_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import {
  CORRECTION_FIELD_OPTIONS,
  CORRECTION_NOTE_MAX,
  CORRECTION_STATUS_BADGES,
  CORRECTION_STATUS_LABELS,
  correctionFieldAt,
  correctionNoteProblem,
  exportFileName,
  noteLength,
  recordLines,
  type RecordLine,
} from '../../../utils/personal-data'

/** Access-log entries per page (the contract allows up to 50). */
const LOG_PAGE = 20
/** Records of one section shown at a time. */
const RECORDS_PAGE = 20

const ME_URL = '/pages/me/index'
const SECURITY_URL = '/packageAccount/pages/security/index'
const VERIFY_URL = '/packageAccount/pages/verify/index'

type PartStatus = 'idle' | 'loading' | 'ready' | 'error'

interface SectionSummary {
  domain: string
  title: string
  count: number
  note: string
}

interface LineView extends RecordLine {
  key: string
}

interface RecordView {
  key: string
  title: string
  lines: LineView[]
}

interface LockedRow {
  field: CorrectionField
  label: string
  value: string
}

interface CorrectionRow {
  id: string
  field: CorrectionField
  fieldLabel: string
  open: boolean
  statusLabel: string
  badge: string
  createdAt: string
  note: string
  resolvedAt: string
  resolution: string
}

interface LogRow {
  id: string
  roleLabel: string
  actionLabel: string
  at: string
  reason: string
}

interface CorrectionErrors {
  field: string
  note: string
}

const NO_CORRECTION_ERRORS: CorrectionErrors = { field: '', note: '' }

/** The export itself stays off the page data (it can be large); only its summary is rendered. */
const documents = new WeakMap<object, ExportDocument>()

function summaryOf(document: ExportDocument): SectionSummary[] {
  return document.sections.map((s) => ({ domain: s.domain, title: s.title, count: s.records.length, note: s.note ?? '' }))
}

function recordViews(document: ExportDocument, domain: string, count: number): RecordView[] {
  const section = document.sections.find((s) => s.domain === domain)
  if (!section) return []
  return section.records.slice(0, count).map((record, index) => ({
    key: `${domain}-${index}`,
    title: `第 ${index + 1} 条`,
    lines: recordLines(record).map((line, n) => ({ key: String(n), ...line })),
  }))
}

function correctionRowOf(view: CorrectionView): CorrectionRow {
  return {
    id: view.id,
    field: view.field,
    fieldLabel: CORRECTION_FIELD_LABELS[view.field],
    open: view.status === 'open',
    statusLabel: CORRECTION_STATUS_LABELS[view.status],
    badge: CORRECTION_STATUS_BADGES[view.status],
    createdAt: formatDateTime(view.createdAt),
    note: view.note,
    resolvedAt: view.resolvedAt ? formatDateTime(view.resolvedAt) : '',
    resolution: view.resolution ?? '',
  }
}

function logRowOf(entry: AccessLogEntry): LogRow {
  return {
    id: entry.id,
    roleLabel: entry.roleLabel,
    actionLabel: entry.actionLabel,
    at: formatDateTime(entry.at),
    reason: entry.reason ?? '未记录理由',
  }
}

function lockedRowsOf(status: IdentityStatus): LockedRow[] {
  const identity = status.identity
  if (!identity) return []
  const values: Record<CorrectionField, string> = {
    realName: identity.maskedName,
    idNumber: identity.maskedIdNumber,
    birthDate: identity.birthDate,
  }
  return (Object.keys(values) as CorrectionField[]).map((field) => ({ field, label: CORRECTION_FIELD_LABELS[field], value: values[field] }))
}

/** The sentence shown when the picked field already has a request waiting for staff, or ''. */
function pendingHintOf(field: CorrectionField | null, rows: readonly CorrectionRow[]): string {
  if (!field) return ''
  const open = rows.find((r) => r.field === field && r.open)
  return open ? `「${open.fieldLabel}」已有一条处理中的更正申请（${open.createdAt} 提交），请等待工作人员处理后再提交新的申请。` : ''
}

type DomainEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { domain: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',

    exportStatus: 'idle' as PartStatus,
    exportError: '',
    exportedAt: '',
    fileName: '',
    sections: [] as SectionSummary[],
    expanded: '',
    expandedTitle: '',
    expandedRecords: [] as RecordView[],
    expandedTotal: 0,
    fileBusy: false,
    exportNotice: '',

    profileStatus: 'loading' as PartStatus,
    profileError: '',
    nickname: '',
    hasAvatar: false,

    identityStatus: 'loading' as PartStatus,
    identityError: '',
    verified: false,
    lockedRows: [] as LockedRow[],

    fieldOptions: CORRECTION_FIELD_OPTIONS,
    fieldIndex: -1,
    fieldLabel: '',
    note: '',
    noteLength: 0,
    noteMax: CORRECTION_NOTE_MAX,
    correctionErrors: NO_CORRECTION_ERRORS,
    pendingHint: '',
    /** A refusal of the submit (CORRECTION_PENDING, network …), shown under the form. */
    correctionMessage: '',
    submitting: false,
    correctionNotice: '',
    corrections: [] as CorrectionRow[],

    logEntries: [] as LogRow[],
    logCursor: null as string | null,
    logMoreBusy: false,
    logError: '',
  },
  lifetimes: {
    attached() {
      void this.load()
      void this.loadProfile()
      void this.loadIdentity()
    },
    detached() {
      documents.delete(this)
    },
  },
  methods: {
    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        () => Promise.all([call('account', 'corrections', {}), call('account', 'accessLog', { limit: LOG_PAGE })]),
        {
          toData: ([{ requests }, { entries, nextCursor }]) => {
            const corrections = requests.map(correctionRowOf)
            return {
              corrections,
              pendingHint: pendingHintOf(correctionFieldAt(this.data.fieldIndex), corrections),
              logEntries: entries.map(logRowOf),
              logCursor: nextCursor,
              logError: '',
            }
          },
        },
      )
    },

    onRetry() {
      void this.load()
      if (this.data.profileStatus === 'error') void this.loadProfile()
      if (this.data.identityStatus === 'error') void this.loadIdentity()
    },

    async loadProfile() {
      this.setData({ profileStatus: 'loading', profileError: '' })
      try {
        const { account } = await call('account', 'getProfile', {})
        this.setData({ profileStatus: 'ready', nickname: account.nickname, hasAvatar: account.avatarUrl !== null })
      } catch (error) {
        this.setData({ profileStatus: 'error', profileError: messageOf(error) })
      }
    },

    async loadIdentity() {
      this.setData({ identityStatus: 'loading', identityError: '' })
      try {
        const status = await call('identity', 'status', {})
        this.setData({ identityStatus: 'ready', verified: status.state === 'verified', lockedRows: lockedRowsOf(status) })
      } catch (error) {
        this.setData({ identityStatus: 'error', identityError: messageOf(error) })
      }
    },

    onRetryProfile() {
      void this.loadProfile()
    },

    onRetryIdentity() {
      void this.loadIdentity()
    },

    // —— 数据副本 ——

    async onExport() {
      if (this.data.exportStatus === 'loading' || this.data.fileBusy) return
      this.setData({ exportStatus: 'loading', exportError: '', exportNotice: '' })
      try {
        const { document } = await call('account', 'exportData', {})
        documents.set(this, document)
        this.setData({
          exportStatus: 'ready',
          exportedAt: formatDateTime(document.exportedAt),
          fileName: exportFileName(document.exportedAt),
          sections: summaryOf(document),
          expanded: '',
          expandedTitle: '',
          expandedRecords: [],
          expandedTotal: 0,
        })
      } catch (error) {
        // A failed refresh keeps nothing stale on screen.
        documents.delete(this)
        this.setData({ exportStatus: 'error', exportError: messageOf(error), sections: [], expanded: '', expandedRecords: [] })
      }
    },

    onToggleSection(e: DomainEvent) {
      const domain = e.currentTarget.dataset.domain
      const document = documents.get(this)
      if (!document || this.data.expanded === domain) {
        this.setData({ expanded: '', expandedTitle: '', expandedRecords: [], expandedTotal: 0 })
        return
      }
      const section = this.data.sections.find((s) => s.domain === domain)
      this.setData({
        expanded: domain,
        expandedTitle: section?.title ?? '',
        expandedRecords: recordViews(document, domain, RECORDS_PAGE),
        expandedTotal: section?.count ?? 0,
      })
    },

    onMoreRecords() {
      const document = documents.get(this)
      const domain = this.data.expanded
      if (!document || !domain) return
      this.setData({ expandedRecords: recordViews(document, domain, this.data.expandedRecords.length + RECORDS_PAGE) })
    },

    /** The JSON as it is saved and copied: the document exactly as the server sent it. */
    exportJson(): string {
      const document = documents.get(this)
      return document ? JSON.stringify(document, null, 2) : ''
    },

    async onSaveFile() {
      const json = this.exportJson()
      if (!json || this.data.fileBusy) return
      const fileName = this.data.fileName
      this.setData({ fileBusy: true, exportNotice: '' })
      let filePath: string
      try {
        filePath = await writeTextFile(fileName, json)
      } catch {
        this.setData({ fileBusy: false, exportNotice: '保存文件失败，请确认手机存储空间充足后重试，或先复制内容。' })
        return
      }
      const outcome = await shareFile(filePath, fileName)
      const notices = {
        sent: `已发送 ${fileName}。文件含有你的个人信息，请只发给你信任的人或自己。`,
        cancelled: `已保存为 ${fileName}，你没有发送。`,
        failed: `已保存为 ${fileName}，但发送没有成功，请稍后重试。`,
        unsupported: `已保存为 ${fileName}。当前微信版本不能直接发送文件，可以改用“复制”。`,
      }
      this.setData({ fileBusy: false, exportNotice: notices[outcome] })
    },

    async onCopy() {
      const json = this.exportJson()
      if (!json) return
      const copied = await copyText(json)
      this.setData({
        exportNotice: copied ? '已复制全部内容（JSON 格式）。粘贴到别处时请注意，其中有你的个人信息。' : '复制没有成功，内容可能太长，请改用“保存为文件并分享”。',
      })
    },

    // —— 更正 ——

    onOpenMe() {
      wx.switchTab({ url: ME_URL })
    },

    onOpenVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onFieldChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const index = Number(e.detail.value)
      const field = correctionFieldAt(index)
      this.setData({
        fieldIndex: field ? index : -1,
        fieldLabel: field ? CORRECTION_FIELD_LABELS[field] : '',
        pendingHint: pendingHintOf(field, this.data.corrections),
        'correctionErrors.field': '',
        correctionMessage: '',
        correctionNotice: '',
      })
    },

    onNoteInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const note = e.detail.value
      this.setData({ note, noteLength: noteLength(note), 'correctionErrors.note': '', correctionMessage: '' })
    },

    async onSubmitCorrection() {
      if (this.data.submitting) return
      const field = correctionFieldAt(this.data.fieldIndex)
      const errors: CorrectionErrors = {
        field: field ? '' : '请选择要更正的信息',
        note: correctionNoteProblem(this.data.note),
      }
      if (errors.field || errors.note || !field) {
        this.setData({ correctionErrors: errors, correctionMessage: '', correctionNotice: '' })
        return
      }
      if (this.data.pendingHint) return
      this.setData({ submitting: true, correctionErrors: NO_CORRECTION_ERRORS, correctionMessage: '', correctionNotice: '' })
      try {
        const { request } = await call('account', 'requestCorrection', { field, note: this.data.note.trim() })
        const corrections = [correctionRowOf(request), ...this.data.corrections.filter((r) => r.id !== request.id)]
        this.setData({
          submitting: false,
          corrections,
          note: '',
          noteLength: 0,
          pendingHint: pendingHintOf(field, corrections),
          correctionNotice: `已提交「${CORRECTION_FIELD_LABELS[field]}」的更正申请。工作人员核实后会通过站内信告诉你结果，也可以在下方查看。`,
        })
      } catch (error) {
        const placed = fieldErrors(error)
        const pending = error instanceof ApiCallError && error.code === 'CORRECTION_PENDING'
        this.setData({
          submitting: false,
          correctionErrors: { field: placed.field ?? '', note: placed.note ?? '' },
          correctionMessage: placed.field || placed.note ? '' : messageOf(error),
        })
        // Submitted elsewhere (another device): show the request that is waiting.
        if (pending) await this.refreshCorrections()
      }
    },

    async refreshCorrections() {
      try {
        const { requests } = await call('account', 'corrections', {})
        const corrections = requests.map(correctionRowOf)
        this.setData({ corrections, pendingHint: pendingHintOf(correctionFieldAt(this.data.fieldIndex), corrections) })
      } catch {
        // The refusal is already on screen; the list refreshes with the page.
      }
    },

    // —— 访问记录 ——

    async onMoreLog() {
      const cursor = this.data.logCursor
      if (!cursor || this.data.logMoreBusy) return
      this.setData({ logMoreBusy: true, logError: '' })
      try {
        const { entries, nextCursor } = await call('account', 'accessLog', { cursor, limit: LOG_PAGE })
        this.setData({ logMoreBusy: false, logEntries: [...this.data.logEntries, ...entries.map(logRowOf)], logCursor: nextCursor })
      } catch (error) {
        this.setData({ logMoreBusy: false, logError: messageOf(error) })
      }
    },

    // —— 其他 ——

    onOpenSecurity() {
      wx.navigateTo({ url: SECURITY_URL })
    },

    onOpenPrivacy() {
      wx.navigateTo({ url: PRIVACY_URL })
    },
  },
})

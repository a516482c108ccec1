/**
 * 同意回执 (/pages/privacy/receipt?recordId=… or ?all=1): one record's receipt
 * (consent.receipt) or the whole history (consent.receipts), in the spirit of
 * ISO/IEC TS 27560. Shown readably, with the raw JSON underneath; the JSON can be
 * copied or saved as a file and sent to a chat (wx.shareFileMessage) to keep.
 */
import { GUARDIAN_RELATION_LABELS, PURPOSE_STATE_LABELS } from '../../../shared/consent'
import type { ConsentReceipt } from '../../../shared/contract/consent'
import { call, messageOf } from '../../api'
import { ACTION_LABELS, BASIS_LABELS, METHOD_LABELS } from '../../utils/consent-labels'
import { copyText, shareFile, writeTextFile, type ShareOutcome } from '../../utils/file-share'
import { formatDateTime } from '../../utils/format'
import { runLoad, type LoadStatus } from '../../utils/load'

interface ReceiptRecordView {
  key: string
  seq: number
  purposeTitle: string
  action: string
  stateAfter: string
  basis: string
  method: string
  categories: string
  sensitive: boolean
  notice: string
  noticeHash: string
  at: string
  guardian: string
  recordHash: string
}

interface ReceiptView {
  receiptId: string
  issuedAt: string
  controller: string
  subject: string
  framework: string
  records: ReceiptRecordView[]
}

const EMPTY_VIEW: ReceiptView = { receiptId: '', issuedAt: '', controller: '', subject: '', framework: '', records: [] }

function viewOf(receipt: ConsentReceipt): ReceiptView {
  return {
    receiptId: receipt.receiptId,
    issuedAt: formatDateTime(receipt.issuedAt),
    controller: `${receipt.controller.name}（${receipt.controller.contact}）`,
    subject: receipt.subject.reference,
    framework: `${receipt.legalFramework} · ${receipt.jurisdiction}`,
    records: receipt.records.map((r) => ({
      key: r.recordId,
      seq: r.seq,
      purposeTitle: r.purposeTitle,
      action: ACTION_LABELS[r.action],
      stateAfter: PURPOSE_STATE_LABELS[r.stateAfter],
      basis: BASIS_LABELS[r.legalBasis],
      method: METHOD_LABELS[r.method],
      categories: r.categories.join('、'),
      sensitive: r.sensitive,
      notice: `《${r.notice.title}》第 ${r.notice.version} 版`,
      noticeHash: r.notice.hash,
      at: formatDateTime(r.at),
      guardian: r.guardian ? `${GUARDIAN_RELATION_LABELS[r.guardian.relation]} ${r.guardian.maskedName}` : '',
      recordHash: r.recordHash,
    })),
  }
}

function saveNotice(outcome: ShareOutcome, fileName: string): string {
  switch (outcome) {
    case 'sent':
      return '回执文件已发送'
    case 'cancelled':
      return `已保存为 ${fileName}，你取消了发送`
    case 'failed':
      return `已保存为 ${fileName}，发送失败，请稍后重试`
    case 'unsupported':
      return `已保存为 ${fileName}。当前微信版本不支持发送文件，可以先复制内容保存。`
  }
}

/** A file name WeChat accepts and the user recognises. */
function fileNameOf(receiptId: string, all: boolean): string {
  const safe = receiptId.replace(/[^\w-]/g, '').slice(0, 40) || 'receipt'
  return `lechat-consent-${all ? 'all' : 'record'}-${safe}.json`
}

Component({
  properties: {
    /** Page query parameters. */
    recordId: { type: String, value: '' },
    all: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    receipt: EMPTY_VIEW,
    json: '',
    showJson: false,
    saving: false,
    notice: '',
    started: false,
  },
  lifetimes: {
    attached() {
      if (this.data.recordId || this.data.all) void this.start()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      if (!this.data.recordId && !this.data.all) this.setData({ recordId: query.recordId ?? '', all: query.all ?? '' })
      void this.start()
    },

    async start() {
      if (this.data.started) return
      this.setData({ started: true })
      await this.load()
    },

    async load() {
      const recordId = this.data.recordId
      if (!recordId && !this.data.all) {
        this.setData({ status: 'error', error: '没有指定要查看的记录，请返回后重新打开' })
        return
      }
      await runLoad(
        (patch) => this.setData(patch),
        () => (recordId ? call('consent', 'receipt', { recordId }) : call('consent', 'receipts', {})),
        {
          toData: ({ receipt }) => ({ receipt: viewOf(receipt), json: JSON.stringify(receipt, null, 2) }),
          isEmpty: ({ receipt }) => receipt.records.length === 0,
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onToggleJson() {
      this.setData({ showJson: !this.data.showJson })
    },

    async onCopy() {
      const copied = await copyText(this.data.json)
      this.setData({ notice: copied ? '已复制回执内容，可以粘贴保存' : '复制失败，请稍后重试' })
    },

    /** Writes the JSON to the app's own storage and offers it to a chat; without shareFileMessage the file stays saved. */
    async onSave() {
      if (this.data.saving || !this.data.json) return
      this.setData({ saving: true, notice: '' })
      const fileName = fileNameOf(this.data.receipt.receiptId, !this.data.recordId)
      let filePath: string
      try {
        filePath = await writeTextFile(fileName, this.data.json)
      } catch (error) {
        this.setData({ saving: false, notice: `保存失败：${messageOf(error)}` })
        return
      }
      const outcome = await shareFile(filePath, fileName)
      this.setData({ saving: false, notice: saveNotice(outcome, fileName) })
    },
  },
})

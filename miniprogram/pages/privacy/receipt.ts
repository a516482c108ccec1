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

    onCopy() {
      wx.setClipboardData({
        data: this.data.json,
        success: () => this.setData({ notice: '已复制回执内容，可以粘贴保存' }),
        fail: () => this.setData({ notice: '复制失败，请稍后重试' }),
      })
    },

    /** Writes the JSON to the app's own storage and offers it to a chat; without shareFileMessage the file stays saved. */
    async onSave() {
      if (this.data.saving || !this.data.json) return
      this.setData({ saving: true, notice: '' })
      const all = !this.data.recordId
      const fileName = fileNameOf(this.data.receipt.receiptId, all)
      const filePath = `${wx.env.USER_DATA_PATH.replace(/\/+$/, '')}/${fileName}`
      try {
        await new Promise<void>((resolve, reject) => {
          wx.getFileSystemManager().writeFile({
            filePath,
            data: this.data.json,
            encoding: 'utf8',
            success: () => resolve(),
            fail: (error) => reject(new Error(error.errMsg)),
          })
        })
      } catch (error) {
        this.setData({ saving: false, notice: `保存失败：${messageOf(error)}` })
        return
      }
      if (typeof wx.shareFileMessage !== 'function') {
        this.setData({ saving: false, notice: `已保存为 ${fileName}。当前微信版本不支持发送文件，可以先复制内容保存。` })
        return
      }
      wx.shareFileMessage({
        filePath,
        fileName,
        success: () => this.setData({ saving: false, notice: '回执文件已发送' }),
        fail: (error: { errMsg: string }) =>
          this.setData({
            saving: false,
            notice: /cancel/.test(error.errMsg) ? `已保存为 ${fileName}，你取消了发送` : `已保存为 ${fileName}，发送失败，请稍后重试`,
          }),
      })
    },
  },
})

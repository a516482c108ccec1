/**
 * 申诉 (/packageAdmin/pages/appeals/index[?id=<item>]): open appeals, oldest
 * first. Opening one (an audited look, for the reason 复核用户申诉) shows the
 * person's words beside the decision and its reasons; a reviewer who did not
 * make that decision (an admin, for a termination) upholds or overturns it,
 * with reasons the person reads, after confirming.
 */
import type { ItemView } from '../../../../shared/contract/moderation'
import { call, fieldErrors, messageOf } from '../../../api'
import { markChanged } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { emptyList, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { formatDateTime } from '../../../utils/format'
import { runLatestLoad } from '../../../utils/latest-load'
import type { LoadStatus } from '../../../utils/load'
import { queueRowView, type QueueRowView } from '../../utils/review'

const PAGE_SIZE = 20
const LOOK_REASON = '复核用户申诉'

async function fetchPage(cursor: string | null): Promise<CursorPage<QueueRowView>> {
  const { items, nextCursor } = await call('moderation', 'queue', { ...pageInput(cursor, PAGE_SIZE), queue: 'appeals', state: 'open' })
  const now = Date.now()
  return { items: items.map((row) => queueRowView(row, now)), nextCursor }
}

interface OpenAppeal {
  itemId: string
  appealId: string
  text: string
  flags: string
  decision: string
  reasons: string
  decidedAt: string
  canDecide: boolean
  cannotDecide: string
}

function openAppealOf(item: ItemView): OpenAppeal | null {
  const appeal = item.appeal
  if (!appeal) return null
  const d = appeal.decision
  return {
    itemId: item.reviewable.id,
    appealId: appeal.id,
    text: appeal.text,
    flags: appeal.textFlags.join('；'),
    decision: `${d.kindLabel}：${d.outcomeLabel}${d.accountAction ? `；${d.accountAction.label}` : ''}（${d.deciderRole === 'admin' ? '管理员' : '审核员'}决定）`,
    reasons: d.statement ? `${d.statement.categoryLabel}；${d.statement.ruleText}；${d.statement.facts}` : (d.note ?? ''),
    decidedAt: formatDateTime(d.createdAt),
    canDecide: item.canDecide,
    cannotDecide: item.cannotDecideReason ?? '',
  }
}

type IdEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    errorAction: '',
    errorActionText: '',
    generation: 0,
    rows: emptyList<QueueRowView>(),
    /** The item to open once the list is there (from 详情). */
    wanted: '',
    opening: '',
    open: null as OpenAppeal | null,
    openError: '',
    outcome: 'uphold' as 'uphold' | 'overturn',
    reason: '',
    reasonError: '',
    sending: false,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.id) {
        this.setData({ wanted: query.id })
        void this.openItem(query.id)
      }
    },

    async load(options: { quiet?: boolean } = {}) {
      await runLatestLoad(this, async () => firstPage(await fetchPage(null)), {
        quiet: options.quiet,
        toData: (rows) => ({ rows }),
        isEmpty: (rows) => rows.items.length === 0 && this.data.wanted === '',
      })
    },

    onRetry() {
      void this.load()
    },

    async onPullDownRefresh() {
      await this.load({ quiet: true })
      wx.stopPullDownRefresh()
    },

    onLoadMore() {
      const generation = this.data.generation
      void loadNextPage<QueueRowView>({
        read: () => this.data.rows,
        write: (rows: CursorList<QueueRowView>) => this.setData({ rows }),
        fetch: fetchPage,
        keyOf: (row) => row.key,
        stillWanted: () => this.data.generation === generation,
      })
    },

    onOpen(e: IdEvent) {
      void this.openItem(e.currentTarget.dataset.id)
    },

    async openItem(id: string) {
      this.setData({ opening: id, open: null, openError: '', outcome: 'uphold', reason: '', reasonError: '' })
      try {
        const { item } = await call('moderation', 'item', { reviewableId: id, reason: LOOK_REASON })
        const open = openAppealOf(item)
        this.setData({ opening: '', open, openError: open ? '' : '这一项不是申诉' })
      } catch (error) {
        this.setData({ opening: '', openError: messageOf(error) })
      }
    },

    onClose() {
      this.setData({ open: null, openError: '', wanted: '' })
    },

    onOutcome(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ outcome: e.detail.value === 'overturn' ? 'overturn' : 'uphold' })
    },

    onReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reason: e.detail.value, reasonError: '' })
    },

    async onSubmit() {
      const open = this.data.open
      if (!open || this.data.sending) return
      const reason = this.data.reason.trim()
      if (reason.length < 4) {
        this.setData({ reasonError: '请写明复核理由（至少4个字），用户会看到这段说明' })
        return
      }
      const overturn = this.data.outcome === 'overturn'
      const ok = await confirmed({
        title: overturn ? '撤销原决定' : '维持原决定',
        content: overturn ? '撤销后：违规记录撤销，账号处罚解除，内容按现行审核标准复查后恢复。用户会收到通知。' : '维持后用户会收到复核结果和你写的理由。',
        confirmText: '确认',
      })
      if (!ok) return
      this.setData({ sending: true, reasonError: '' })
      try {
        const { appeal } = await call('moderation', 'decideAppeal', { appealId: open.appealId, outcome: this.data.outcome, reason })
        markChanged('review')
        const items = this.data.rows.items.filter((row) => row.id !== open.itemId)
        this.setData({ sending: false, open: null, wanted: '', rows: { ...this.data.rows, items }, status: items.length === 0 ? 'empty' : 'ready' })
        wx.showToast({ title: appeal.state === 'overturned' ? '已撤销原决定' : '已维持原决定', icon: 'success' })
      } catch (error) {
        this.setData({ sending: false, reasonError: fieldErrors(error).reason ?? messageOf(error) })
      }
    },
  },
})

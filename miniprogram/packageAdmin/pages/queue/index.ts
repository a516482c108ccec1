/**
 * 审核队列 (/packageAdmin/pages/queue/index[?queue=…]): open items in the
 * queue's order (urgent first, then the weight of reports, then the oldest),
 * or resolved ones newest first; filtered by source queue, kind and category;
 * paged (加载更多, or scrolling to the bottom) and refreshed by pulling down or
 * coming back after a decision. A row opens the item's 详情.
 */
import type { QueueRow } from '../../../../shared/contract/moderation'
import { QUEUE_LABELS, QUEUES, REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, REVIEW_KIND_LABELS, REVIEW_KINDS, type Queue, type ReportCategory, type ReviewKind } from '../../../../shared/review'
import { call } from '../../../api'
import { changeStamp } from '../../../utils/changes'
import { emptyList, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { runLatestLoad } from '../../../utils/latest-load'
import type { LoadStatus } from '../../../utils/load'
import { ADMIN_PAGES, queueRowView, type QueueRowView } from '../../utils/review'

const PAGE_SIZE = 20

interface Choice<T extends string> {
  key: T | ''
  label: string
}

const QUEUE_CHOICES: Choice<Queue>[] = [{ key: '', label: '全部来源' }, ...QUEUES.map((q) => ({ key: q, label: QUEUE_LABELS[q] }))]
const KIND_CHOICES: Choice<ReviewKind>[] = [{ key: '', label: '全部类型' }, ...REVIEW_KINDS.map((k) => ({ key: k, label: REVIEW_KIND_LABELS[k] }))]
const CATEGORY_CHOICES: Choice<ReportCategory>[] = [{ key: '', label: '全部类别' }, ...REPORT_CATEGORIES.map((c) => ({ key: c, label: REPORT_CATEGORY_LABELS[c] }))]

interface Filter {
  queue: Queue | ''
  kind: ReviewKind | ''
  category: ReportCategory | ''
  state: 'open' | 'resolved'
}

async function fetchPage(filter: Filter, cursor: string | null): Promise<CursorPage<QueueRowView>> {
  const { items, nextCursor } = await call('moderation', 'queue', {
    ...pageInput(cursor, PAGE_SIZE),
    state: filter.state,
    ...(filter.queue ? { queue: filter.queue } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.category ? { category: filter.category } : {}),
  })
  const now = Date.now()
  return { items: items.map((row: QueueRow) => queueRowView(row, now)), nextCursor }
}

function pick<T extends string>(choices: ReadonlyArray<Choice<T>>, index: number): T | '' {
  return choices[index]?.key ?? ''
}

function indexOf<T extends string>(choices: ReadonlyArray<Choice<T>>, key: string): number {
  return Math.max(0, choices.findIndex((c) => c.key === key))
}

type PickerEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { filter: 'queue' | 'kind' | 'category' }>
type IdEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>
type StateEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { state: string }>

Component({
  properties: {
    /** Page query: the source queue to open with. */
    queue: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    errorAction: '',
    errorActionText: '',
    generation: 0,
    seenChanges: 0,
    queueChoices: QUEUE_CHOICES.map((c) => c.label),
    kindChoices: KIND_CHOICES.map((c) => c.label),
    categoryChoices: CATEGORY_CHOICES.map((c) => c.label),
    queueIndex: 0,
    kindIndex: 0,
    categoryIndex: 0,
    state: 'open' as 'open' | 'resolved',
    emptyText: '没有待处理的事项',
    rows: emptyList<QueueRowView>(),
  },
  lifetimes: {
    attached() {
      this.setData({ queueIndex: indexOf(QUEUE_CHOICES, this.data.queue) })
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back from a decision: the item left the queue.
      if (this.data.status !== 'loading' && changeStamp('review') !== this.data.seenChanges) void this.load({ quiet: true })
    },
  },
  methods: {
    filter(): Filter {
      return {
        queue: pick(QUEUE_CHOICES, this.data.queueIndex),
        kind: pick(KIND_CHOICES, this.data.kindIndex),
        category: pick(CATEGORY_CHOICES, this.data.categoryIndex),
        state: this.data.state,
      }
    },

    async load(options: { quiet?: boolean } = {}) {
      const filter = this.filter()
      this.setData({ seenChanges: changeStamp('review') })
      await runLatestLoad(this, async () => firstPage(await fetchPage(filter, null)), {
        quiet: options.quiet,
        toData: (rows) => ({ rows }),
        isEmpty: (rows) => rows.items.length === 0,
      })
    },

    onRetry() {
      void this.load()
    },

    async onPullDownRefresh() {
      await this.load({ quiet: true })
      wx.stopPullDownRefresh()
    },

    onFilter(e: PickerEvent) {
      const index = Number(e.detail.value)
      const key = `${e.currentTarget.dataset.filter}Index`
      this.setData({ [key]: Number.isInteger(index) ? index : 0 })
      void this.load()
    },

    onState(e: StateEvent) {
      const state = e.currentTarget.dataset.state === 'resolved' ? 'resolved' : 'open'
      if (state === this.data.state) return
      this.setData({ state, emptyText: state === 'open' ? '没有待处理的事项' : '没有已处理的事项' })
      void this.load()
    },

    onReachBottom() {
      void this.loadMore()
    },

    onLoadMore() {
      void this.loadMore()
    },

    async loadMore() {
      const filter = this.filter()
      const generation = this.data.generation
      await loadNextPage<QueueRowView>({
        read: () => this.data.rows,
        write: (rows: CursorList<QueueRowView>) => this.setData({ rows }),
        fetch: (cursor) => fetchPage(filter, cursor),
        keyOf: (row) => row.key,
        stillWanted: () => this.data.generation === generation,
      })
    },

    onOpen(e: IdEvent) {
      wx.navigateTo({ url: `${ADMIN_PAGES.item}?id=${encodeURIComponent(e.currentTarget.dataset.id)}` })
    },
  },
})

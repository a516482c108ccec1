/**
 * 违规记录与申诉 (/packageAccount/pages/conduct/index[?tab=reports]):
 * - 处理记录 (moderation.myDecisions): every decision about me with its
 *   statement of reasons, my strikes (生效中 / 已过期 / 已撤销) and the appeal —
 *   提出申诉 while one is possible (once per decision, within 14 days), after
 *   confirming, then 复核中 and the result;
 * - 我的举报 (moderation.myReports): what I reported and what came of it.
 * Reachable in every state a penalty can leave an account in (suspended,
 * restricted, frozen by staff, terminated).
 */
import { APPEAL_TEXT_MAX } from '../../../../shared/review'
import { call, fieldErrors, messageOf } from '../../../api'
import { confirmed } from '../../../utils/confirm'
import { decisionRowOf, reportRowOf, type DecisionRow, type ReportRow } from '../../../utils/conduct'
import { emptyList, fetchFilled, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { runLatestLoad } from '../../../utils/latest-load'
import type { LoadStatus } from '../../../utils/load'

const PAGE_SIZE = 10

type Tab = 'decisions' | 'reports'

const TABS: ReadonlyArray<{ key: Tab; label: string; empty: string }> = [
  { key: 'decisions', label: '处理记录', empty: '没有违规处理记录。' },
  { key: 'reports', label: '我的举报', empty: '你还没有举报过内容。' },
]

function emptyTextOf(tab: Tab): string {
  return TABS.find((t) => t.key === tab)?.empty ?? ''
}

async function decisionPage(cursor: string | null): Promise<CursorPage<DecisionRow> & { activeStrikes: number }> {
  const { decisions, nextCursor, activeStrikes } = await call('moderation', 'myDecisions', pageInput(cursor, PAGE_SIZE))
  return { items: decisions.map(decisionRowOf), nextCursor, activeStrikes }
}

async function reportPage(cursor: string | null): Promise<CursorPage<ReportRow>> {
  const { reports, nextCursor } = await call('moderation', 'myReports', pageInput(cursor, PAGE_SIZE))
  return { items: reports.map(reportRowOf), nextCursor }
}

type TabEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { tab: string }>
type IdEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>

Component({
  properties: {
    /** Page query: the tab to open with. */
    tab: { type: String, value: '' },
  },
  data: {
    tabs: TABS,
    current: 'decisions' as Tab,
    status: 'loading' as LoadStatus,
    error: '',
    emptyText: emptyTextOf('decisions'),
    errorAction: '',
    errorActionText: '',
    generation: 0,
    decisions: emptyList<DecisionRow>(),
    reports: emptyList<ReportRow>(),
    activeStrikes: 0,
    /** The decision whose appeal form is open ('' when none). */
    appealing: '',
    appealText: '',
    appealMax: APPEAL_TEXT_MAX,
    appealError: '',
    sending: false,
  },
  lifetimes: {
    attached() {
      if (this.data.tab === 'reports') this.setData({ current: 'reports', emptyText: emptyTextOf('reports') })
      void this.load()
    },
  },
  methods: {
    async load(options: { quiet?: boolean } = {}) {
      const tab = this.data.current
      await runLatestLoad(
        this,
        async () => {
          if (tab === 'reports') return { reports: firstPage(await fetchFilled(reportPage)) }
          const page = await decisionPage(null)
          return { decisions: firstPage(page), activeStrikes: page.activeStrikes }
        },
        {
          quiet: options.quiet,
          toData: (lists) => ({ ...lists }),
          isEmpty: (lists) => (lists.reports ? lists.reports.items.length === 0 : (lists.decisions?.items.length ?? 0) === 0),
        },
      )
    },

    onRetry() {
      void this.load()
    },

    async onPullDownRefresh() {
      await this.load({ quiet: true })
      wx.stopPullDownRefresh()
    },

    onSwitchTab(e: TabEvent) {
      const tab = e.currentTarget.dataset.tab === 'reports' ? 'reports' : 'decisions'
      if (tab === this.data.current) return
      this.setData({ current: tab, emptyText: emptyTextOf(tab), appealing: '' })
      void this.load()
    },

    onReachBottom() {
      void this.loadMore()
    },

    onLoadMore() {
      void this.loadMore()
    },

    async loadMore() {
      const generation = this.data.generation
      const stillWanted = () => this.data.generation === generation
      if (this.data.current === 'reports') {
        await loadNextPage<ReportRow>({ read: () => this.data.reports, write: (reports: CursorList<ReportRow>) => this.setData({ reports }), fetch: reportPage, keyOf: (r) => r.key, stillWanted })
        return
      }
      await loadNextPage<DecisionRow>({ read: () => this.data.decisions, write: (decisions: CursorList<DecisionRow>) => this.setData({ decisions }), fetch: decisionPage, keyOf: (r) => r.key, stillWanted })
    },

    onOpenAppeal(e: IdEvent) {
      this.setData({ appealing: e.currentTarget.dataset.id, appealText: '', appealError: '' })
    },

    onCancelAppeal() {
      if (!this.data.sending) this.setData({ appealing: '', appealError: '' })
    },

    onAppealInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ appealText: e.detail.value, appealError: '' })
    },

    async onSubmitAppeal() {
      if (this.data.sending) return
      const text = this.data.appealText.trim()
      if (text.length < 5) {
        this.setData({ appealError: '请说明申诉理由（至少5个字）' })
        return
      }
      const ok = await confirmed({
        title: '提交申诉',
        content: '每项处理决定只能申诉一次，提交后不能修改。将由未参与原决定的工作人员复核，结果会通过消息告诉你。',
        confirmText: '提交',
      })
      if (!ok) return
      this.setData({ sending: true, appealError: '' })
      try {
        await call('moderation', 'appeal', { decisionId: this.data.appealing, text })
        this.setData({ sending: false, appealing: '', appealText: '' })
        wx.showToast({ title: '申诉已提交', icon: 'success' })
        await this.load({ quiet: true })
      } catch (error) {
        this.setData({ sending: false, appealError: fieldErrors(error).text ?? messageOf(error) })
      }
    },
  },
})

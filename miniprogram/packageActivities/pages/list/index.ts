/**
 * 活动 (/packageActivities/pages/list/index[?tab=mine|signups]): three lists,
 * each paged by cursor (加载更多, or scrolling to the bottom):
 * - 即将开始 (activities.list): published activities, earliest first; visitors too;
 * - 我发布的 (activities.mine): mine, with where each stands in moderation;
 * - 我报名的 (activities.mySignUps): where I hold a seat.
 * 发布活动 opens the editor. Coming back to the page keeps the list and where
 * the user scrolled to, unless an activity was published, edited, signed up
 * for or cancelled meanwhile (utils/changes.ts): then the first page is read
 * again, quietly.
 */
import { call } from '../../../api'
import { changeStamp } from '../../../utils/changes'
import {
  activityDetailUrl,
  activityEditorUrl,
  activityRowOf,
  signUpRowOf,
  type ActivityRow,
  type SignUpRow,
} from '../../../utils/activities'
import { emptyList, fetchFilled, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { runLatestLoad } from '../../../utils/latest-load'
import type { LoadStatus } from '../../../utils/load'
import { followRefusal, type RefusalAction } from '../../../utils/refusal'

/** Rows per page (the contract allows up to 50). */
const ACTIVITY_PAGE_SIZE = 10

type Tab = 'upcoming' | 'mine' | 'signups'

const TABS: ReadonlyArray<{ key: Tab; label: string; empty: string }> = [
  { key: 'upcoming', label: '即将开始', empty: '暂时没有即将开始的活动' },
  { key: 'mine', label: '我发布的', empty: '你还没有发布过活动，点「发布活动」创建第一个吧' },
  { key: 'signups', label: '我报名的', empty: '你还没有报名任何活动' },
]

function isTab(value: string): value is Tab {
  return TABS.some((t) => t.key === value)
}

function emptyTextOf(tab: Tab): string {
  return TABS.find((t) => t.key === tab)?.empty ?? ''
}

async function activityPage(tab: 'upcoming' | 'mine', cursor: string | null): Promise<CursorPage<ActivityRow>> {
  const input = pageInput(cursor, ACTIVITY_PAGE_SIZE)
  const { activities, nextCursor } = tab === 'upcoming' ? await call('activities', 'list', input) : await call('activities', 'mine', input)
  return { items: activities.map((a) => activityRowOf(a)), nextCursor }
}

async function signUpPage(cursor: string | null): Promise<CursorPage<SignUpRow>> {
  const { signUps, nextCursor } = await call('activities', 'mySignUps', pageInput(cursor, ACTIVITY_PAGE_SIZE))
  return { items: signUps.map(signUpRowOf), nextCursor }
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
    current: 'upcoming' as Tab,
    status: 'loading' as LoadStatus,
    error: '',
    emptyText: emptyTextOf('upcoming'),
    /** A way forward under the error (e.g. 去登录 for visitors on 我发布的). */
    errorAction: '' as RefusalAction,
    errorActionText: '',
    activities: emptyList<ActivityRow>(),
    signUps: emptyList<SignUpRow>(),
    /** Incremented by every first-page load: late answers for an earlier one are dropped. */
    generation: 0,
    started: false,
    /** The activities' change count (utils/changes.ts) the list was loaded at. */
    seenChanges: 0,
  },
  lifetimes: {
    attached() {
      if (isTab(this.data.tab)) this.setData({ current: this.data.tab, emptyText: emptyTextOf(this.data.tab) })
      void this.start()
    },
  },
  pageLifetimes: {
    show() {
      // Back from a detail or the editor: read again only when something was changed there.
      if ((this.data.status === 'ready' || this.data.status === 'empty') && changeStamp('activities') !== this.data.seenChanges) void this.load({ quiet: true })
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // Properties carry the query on current base libraries; this covers those that set them later.
      const tab = query.tab ?? ''
      if (isTab(tab)) this.switchTo(tab)
    },

    async start() {
      if (this.data.started) return
      this.setData({ started: true })
      await this.load()
    },

    /** The first page of the current tab; `quiet` keeps what is shown until the answer arrives. */
    async load(options: { quiet?: boolean } = {}) {
      const tab = this.data.current
      this.setData({ seenChanges: changeStamp('activities') })
      await runLatestLoad(
        this,
        async () => {
          if (tab === 'signups') return { signUps: firstPage(await fetchFilled(signUpPage)) }
          return { activities: firstPage(await fetchFilled((cursor) => activityPage(tab, cursor))) }
        },
        {
          quiet: options.quiet,
          toData: (lists) => ({ ...lists }),
          isEmpty: (lists) => (lists.signUps ? lists.signUps.items.length === 0 : (lists.activities?.items.length ?? 0) === 0),
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onSwitchTab(e: TabEvent) {
      const tab = e.currentTarget.dataset.tab
      if (isTab(tab)) this.switchTo(tab)
    },

    switchTo(tab: Tab) {
      if (tab === this.data.current) return
      this.setData({ current: tab, emptyText: emptyTextOf(tab), activities: emptyList<ActivityRow>(), signUps: emptyList<SignUpRow>() })
      void this.load()
    },

    onErrorAction() {
      followRefusal(this.data.errorAction)
    },

    onReachBottom() {
      void this.loadMore()
    },

    onLoadMore() {
      void this.loadMore()
    },

    async loadMore() {
      const tab = this.data.current
      const generation = this.data.generation
      const stillWanted = () => this.data.generation === generation && this.data.current === tab
      if (tab === 'signups') {
        await loadNextPage<SignUpRow>({
          read: () => this.data.signUps,
          write: (signUps: CursorList<SignUpRow>) => this.setData({ signUps }),
          fetch: (cursor) => signUpPage(cursor),
          keyOf: (row) => row.key,
          stillWanted,
        })
        return
      }
      await loadNextPage<ActivityRow>({
        read: () => this.data.activities,
        write: (activities: CursorList<ActivityRow>) => this.setData({ activities }),
        fetch: (cursor) => activityPage(tab, cursor),
        keyOf: (row) => row.key,
        stillWanted,
      })
    },

    onOpen(e: IdEvent) {
      const id = e.currentTarget.dataset.id
      if (id) wx.navigateTo({ url: activityDetailUrl(id) })
    },

    onCreate() {
      wx.navigateTo({ url: activityEditorUrl() })
    },
  },
})

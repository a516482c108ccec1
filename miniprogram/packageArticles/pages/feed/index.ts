/**
 * 文章 (/packageArticles/pages/feed/index[?author=<account id>]), paged by
 * cursor (加载更多, or scrolling to the bottom):
 * - 最新 (articles.feed): published articles, newest first; visitors too;
 * - 我的文章 (articles.mine): my drafts and published articles, with where
 *   each stands in moderation;
 * - with ?author=: one author's published articles (articles.byAuthor).
 * 写文章 opens the editor. Coming back to the page keeps the list and where
 * the user scrolled to, unless an article was saved, published, taken back or
 * deleted meanwhile (utils/changes.ts): then the first page is read again, quietly.
 */
import { call } from '../../../api'
import { changeStamp } from '../../../utils/changes'
import {
  articleDetailUrl,
  articleEditorUrl,
  authorFeedUrl,
  feedRowOf,
  myRowOf,
  type FeedRow,
  type MyArticleRow,
} from '../../../utils/articles'
import { emptyList, fetchFilled, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { runLatestLoad } from '../../../utils/latest-load'
import { decodedParam } from '../../../utils/query'
import type { LoadStatus } from '../../../utils/load'
import { followRefusal, type RefusalAction } from '../../../utils/refusal'
import { reporting } from '../../../utils/reporting'

/** Articles per page (the contract allows up to 50). */
const ARTICLE_PAGE_SIZE = 10

type Tab = 'newest' | 'mine'

const TABS: ReadonlyArray<{ key: Tab; label: string; empty: string }> = [
  { key: 'newest', label: '最新', empty: '还没有人发布文章' },
  { key: 'mine', label: '我的文章', empty: '你还没有写过文章，点「写文章」开始吧' },
]

function isTab(value: string): value is Tab {
  return TABS.some((t) => t.key === value)
}

const AUTHOR_EMPTY = '这位作者还没有发布文章'

async function newestPage(cursor: string | null): Promise<CursorPage<FeedRow>> {
  const { articles, nextCursor } = await call('articles', 'feed', pageInput(cursor, ARTICLE_PAGE_SIZE))
  return { items: articles.map(feedRowOf), nextCursor }
}

async function minePage(cursor: string | null): Promise<CursorPage<MyArticleRow>> {
  const { articles, nextCursor } = await call('articles', 'mine', pageInput(cursor, ARTICLE_PAGE_SIZE))
  return { items: articles.map(myRowOf), nextCursor }
}

interface AuthorHead {
  name: string
  verified: boolean
}

async function authorPage(authorId: string, cursor: string | null): Promise<CursorPage<FeedRow> & { author: AuthorHead }> {
  const { author, articles, nextCursor } = await call('articles', 'byAuthor', { authorId, ...pageInput(cursor, ARTICLE_PAGE_SIZE) })
  return { author: { name: author.nickname, verified: author.verified }, items: articles.map(feedRowOf), nextCursor }
}

type TabEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { tab: string }>
type IdEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>

Component({
  behaviors: [reporting],
  properties: {
    /** Page query: an author's account id, for their articles only. */
    author: { type: String, value: '' },
  },
  data: {
    tabs: TABS,
    current: 'newest' as Tab,
    status: 'loading' as LoadStatus,
    error: '',
    emptyText: TABS[0]?.empty ?? '',
    errorAction: '' as RefusalAction,
    errorActionText: '',
    /** The author's name and badge in ?author= mode. */
    authorName: '',
    authorVerified: false,
    articles: emptyList<FeedRow>(),
    mine: emptyList<MyArticleRow>(),
    generation: 0,
    started: false,
    /** The articles' change count (utils/changes.ts) the list was loaded at. */
    seenChanges: 0,
  },
  lifetimes: {
    attached() {
      // Properties carry the query; without ?author= nothing waits for onLoad.
      void this.start()
    },
  },
  pageLifetimes: {
    show() {
      // Back from an article or the editor: read again only when something was changed there.
      if ((this.data.status === 'ready' || this.data.status === 'empty') && changeStamp('articles') !== this.data.seenChanges) void this.load({ quiet: true })
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // Base libraries that set properties after attached: reload for the author.
      // A broken link (a cut %-sequence) shows the feed of everyone instead.
      const author = decodedParam(query.author) ?? ''
      if (author && author !== this.data.author) {
        this.setData({ author, emptyText: AUTHOR_EMPTY })
        void this.load()
      }
    },

    async start() {
      if (this.data.started) return
      this.setData({ started: true, ...(this.data.author ? { emptyText: AUTHOR_EMPTY } : {}) })
      await this.load()
    },

    async load(options: { quiet?: boolean } = {}) {
      const tab = this.data.current
      const author = this.data.author
      this.setData({ seenChanges: changeStamp('articles') })
      await runLatestLoad(
        this,
        async (): Promise<Record<string, unknown> & { count: number }> => {
          if (author) {
            const page = await fetchFilled((cursor) => authorPage(author, cursor))
            wx.setNavigationBarTitle({ title: `${page.author.name}的文章`, fail: () => undefined })
            return { authorName: page.author.name, authorVerified: page.author.verified, articles: firstPage(page), count: page.items.length }
          }
          if (tab === 'mine') {
            const page = await fetchFilled(minePage)
            return { mine: firstPage(page), count: page.items.length }
          }
          const page = await fetchFilled(newestPage)
          return { articles: firstPage(page), count: page.items.length }
        },
        {
          quiet: options.quiet,
          toData: ({ count: _count, ...data }) => data,
          isEmpty: ({ count }) => count === 0,
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onSwitchTab(e: TabEvent) {
      const tab = e.currentTarget.dataset.tab
      if (!isTab(tab) || tab === this.data.current || this.data.author) return
      this.setData({
        current: tab,
        emptyText: TABS.find((t) => t.key === tab)?.empty ?? '',
        articles: emptyList<FeedRow>(),
        mine: emptyList<MyArticleRow>(),
      })
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
      const author = this.data.author
      const generation = this.data.generation
      const stillWanted = () => this.data.generation === generation
      if (!author && tab === 'mine') {
        await loadNextPage<MyArticleRow>({
          read: () => this.data.mine,
          write: (mine: CursorList<MyArticleRow>) => this.setData({ mine }),
          fetch: (cursor) => minePage(cursor),
          keyOf: (row) => row.id,
          stillWanted,
        })
        return
      }
      await loadNextPage<FeedRow>({
        read: () => this.data.articles,
        write: (articles: CursorList<FeedRow>) => this.setData({ articles }),
        fetch: (cursor) => (author ? authorPage(author, cursor) : newestPage(cursor)),
        keyOf: (row) => row.id,
        stillWanted,
      })
    },

    onOpen(e: IdEvent) {
      const id = e.currentTarget.dataset.id
      if (id) wx.navigateTo({ url: articleDetailUrl(id) })
    },

    onOpenAuthor(e: IdEvent) {
      const id = e.currentTarget.dataset.id
      if (id && id !== this.data.author) wx.navigateTo({ url: authorFeedUrl(id) })
    },

    onWrite() {
      wx.navigateTo({ url: articleEditorUrl() })
    },
  },
})

/**
 * 文章 (/packageArticles/pages/detail/index?id=…), articles.detail (which
 * counts the read: once per reader per day, never the author's own): title,
 * author (to their other articles), publication time, view count, cover and
 * paragraphs.
 *
 * The author also sees the status (草稿, or where it stands in moderation with
 * the reasons) and may edit it (the editor), publish a draft
 * (articles.publish; refusals explained with what to do), take a published
 * one back to drafts (articles.unpublish) or delete it (articles.remove);
 * both after confirming. A declined confirmation sends nothing.
 * An article that is gone (deleted, a draft of someone else, or a broken
 * link) is an empty state that says so, with 返回.
 */
import type { ArticleDetailView } from '../../../../shared/contract/articles'
import { ApiCallError, call } from '../../../api'
import { ARTICLE_FEED_URL, articleDetailUrl, articleEditorUrl, articleViewOf, authorFeedUrl, type ArticleView } from '../../../utils/articles'
import { markChanged } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { decodedParam, goBack } from '../../../utils/query'
import { followRefusal, NO_REFUSAL, refusalOf, type Refusal } from '../../../utils/refusal'
import { reporting } from '../../../utils/reporting'

const EMPTY_ARTICLE: ArticleView = {
  id: '',
  title: '',
  paragraphs: [],
  cover: '',
  authorId: '',
  author: '',
  authorVerified: false,
  status: 'draft',
  statusLabel: '',
  statusBadge: '',
  publishedAt: '',
  updatedAt: '',
  views: '',
  mine: false,
  moderationState: '',
  moderationLabel: '',
  moderationReasons: [],
}

type Busy = '' | 'publish' | 'unpublish' | 'remove'

const GONE_MESSAGE = '这篇文章不存在或已被删除，也可能暂时不公开'
const BAD_LINK_MESSAGE = '没有找到这篇文章：链接可能不完整，请返回后重新打开'

Component({
  behaviors: [reporting],
  data: {
    /** From the page query (?id=; `id` cannot be a property: it is the component's own id). */
    articleId: '',
    status: 'loading' as LoadStatus,
    error: '',
    started: false,
    article: EMPTY_ARTICLE,
    busy: '' as Busy,
    refusal: NO_REFUSAL as Refusal,
    notice: '',
    /** Deleted from this page: nothing of it is left to show. */
    deleted: false,
  },
  pageLifetimes: {
    show() {
      // Back from the editor: show what the author saved. (Readers are not counted twice either way.)
      if (this.data.status === 'ready' && this.data.article.mine && !this.data.deleted) void this.refresh()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      this.setData({ started: true, articleId: decodedParam(query.id) ?? '' })
      void this.load()
    },

    async load() {
      const id = this.data.articleId
      if (!id) {
        this.setData({ status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      let gone = GONE_MESSAGE
      await runLoad(
        (patch) => this.setData(patch.status === 'empty' ? { ...patch, error: gone } : patch),
        async () => {
          try {
            return await call('articles', 'detail', { id })
          } catch (error) {
            if (!(error instanceof ApiCallError) || error.code !== 'NOT_FOUND') throw error
            gone = error.message || GONE_MESSAGE
            return null
          }
        },
        { toData: (found) => (found ? this.viewData(found.article) : {}), isEmpty: (found) => found === null },
      )
    },

    async refresh() {
      try {
        const { article } = await call('articles', 'detail', { id: this.data.articleId })
        this.setData(this.viewData(article))
      } catch (error) {
        // Gone meanwhile: say so; otherwise what is shown stays.
        if (error instanceof ApiCallError && error.code === 'NOT_FOUND') this.setData({ status: 'empty', error: error.message || GONE_MESSAGE })
      }
    },

    viewData(article: ArticleDetailView): Record<string, unknown> {
      wx.setNavigationBarTitle({ title: article.title, fail: () => undefined })
      return { article: articleViewOf(article) }
    },

    onRetry() {
      void this.load()
    },

    onBack() {
      goBack(ARTICLE_FEED_URL)
    },

    onOpenAuthor() {
      const authorId = this.data.article.authorId
      if (authorId) wx.navigateTo({ url: authorFeedUrl(authorId) })
    },

    onEdit() {
      wx.navigateTo({ url: articleEditorUrl(this.data.articleId) })
    },

    async onPublish() {
      if (this.data.busy || !this.data.article.mine || this.data.article.status !== 'draft') return
      this.setData({ busy: 'publish', refusal: NO_REFUSAL, notice: '' })
      try {
        await call('articles', 'publish', { id: this.data.articleId })
        markChanged('articles')
        const { article } = await call('articles', 'detail', { id: this.data.articleId })
        const published = article.moderation?.state === 'published'
        this.setData({ ...this.viewData(article), busy: '', notice: published ? '已发布，所有人都能看到这篇文章了。' : '已提交发布，通过审核后其他人才能看到。' })
      } catch (error) {
        const refusal = refusalOf(error)
        // No fields on this page to mark: the editor shows each problem beside its field.
        const hint = refusal.code === 'CONTENT_REFUSED' || refusal.code === 'INVALID_INPUT' ? '请点「修改」，按提示修改后再发布。' : refusal.hint
        this.setData({ busy: '', refusal: { ...refusal, hint } })
      }
    },

    async onUnpublish() {
      if (this.data.busy || !this.data.article.mine || this.data.article.status !== 'published') return
      const ok = await confirmed({
        title: '撤回这篇文章？',
        content: '撤回后文章改回草稿，其他人将看不到它；以后可以再次发布（需要重新审核）。',
        confirmText: '撤回',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: 'unpublish', refusal: NO_REFUSAL, notice: '' })
      try {
        await call('articles', 'unpublish', { id: this.data.articleId })
        markChanged('articles')
        const { article } = await call('articles', 'detail', { id: this.data.articleId })
        this.setData({ ...this.viewData(article), busy: '', notice: '已撤回为草稿，只有你能看到。' })
      } catch (error) {
        this.setData({ busy: '', refusal: refusalOf(error) })
      }
    },

    async onRemove() {
      if (this.data.busy || !this.data.article.mine) return
      const ok = await confirmed({
        title: '删除这篇文章？',
        content: '文章和它的阅读记录会被彻底删除，不能恢复。',
        confirmText: '删除',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: 'remove', refusal: NO_REFUSAL, notice: '' })
      try {
        await call('articles', 'remove', { id: this.data.articleId })
        markChanged('articles')
        this.setData({ busy: '', deleted: true, article: EMPTY_ARTICLE })
        wx.setNavigationBarTitle({ title: '文章已删除', fail: () => undefined })
      } catch (error) {
        this.setData({ busy: '', refusal: refusalOf(error) })
      }
    },

    onRefusalAction() {
      followRefusal(this.data.refusal.action)
    },

    onBackToFeed() {
      wx.redirectTo({ url: ARTICLE_FEED_URL })
    },

    onShareAppMessage() {
      return { title: this.data.article.title || '乐聊名片文章', path: articleDetailUrl(this.data.articleId) }
    },
  },
})

/**
 * 写文章 / 修改文章 (/packageArticles/pages/editor/index[?id=…]): title and
 * body with live character counts (counted as the server counts), and an
 * optional cover (wx.chooseMedia, then account.uploadImage).
 *
 * - 保存草稿: articles.create the first time, then articles.update. Drafts are
 *   private and need no verification.
 * - 发布: saves, then articles.publish (verified publishers; moderated). The
 *   draft stays saved when publishing is refused.
 * - A published article: 保存修改 (articles.update), which passes moderation
 *   again.
 * After each save the page shows the status: 草稿, or where the article
 * stands in moderation with the reasons. Refusals: the server's field issues
 * beside the title and body; VERIFICATION_REQUIRED with the way to verify;
 * FEATURE_RESTRICTED with until when and why.
 * While there are unsaved changes, leaving the page asks first
 * (utils/unsaved.ts). A broken link or an article that is gone is an empty
 * state with 返回.
 */
import { ARTICLE_LIMITS, type ArticleStatus } from '../../../../shared/articles'
import type { ArticleDetailView, MyArticleView } from '../../../../shared/contract/articles'
import { ApiCallError, call } from '../../../api'
import { config } from '../../../config'
import {
  ARTICLE_FEED_URL,
  ARTICLE_FIELDS,
  articleDetailUrl,
  articleProblems,
  bodyCount,
  hasArticleProblems,
  myStatusOf,
  NO_ARTICLE_ERRORS,
  titleCount,
} from '../../../utils/articles'
import { markChanged } from '../../../utils/changes'
import { chooseCover } from '../../../utils/cover-image'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { decodedParam, goBack } from '../../../utils/query'
import { followRefusal, formRefusalOf, NO_REFUSAL, VERIFY_URL, type Refusal } from '../../../utils/refusal'
import { guardUnsaved } from '../../../utils/unsaved'
import { verificationNeeded } from '../../../utils/verification'

interface SavedView {
  statusLabel: string
  badge: string
  moderationLabel: string
  reasons: string[]
  summary: string
}

const NO_SAVED: SavedView = { statusLabel: '', badge: '', moderationLabel: '', reasons: [], summary: '' }

/** 草稿, or where a published article stands (已发布 / 审核中 …) with the full label and the reasons. */
function savedViewOf(article: Pick<MyArticleView, 'status' | 'moderation'>, summary: string): SavedView {
  const moderation = article.status === 'published' ? article.moderation : null
  const status = myStatusOf(article)
  return {
    statusLabel: status.label,
    badge: status.badge,
    moderationLabel: moderation?.label ?? '草稿只有你能看到。',
    reasons: moderation?.reasons ?? [],
    summary,
  }
}

type Busy = '' | 'draft' | 'publish' | 'cover'

const BAD_LINK_MESSAGE = '没有找到这篇文章：链接可能不完整，请返回后重新打开'
const GONE_MESSAGE = '这篇文章不存在或已被删除'

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    started: false,
    /** The saved article's id ('' until the first save) and status. */
    articleId: '',
    articleStatus: 'draft' as ArticleStatus,
    title: '',
    body: '',
    cover: '',
    titleCount: 0,
    bodyCount: 0,
    limits: ARTICLE_LIMITS,
    errors: NO_ARTICLE_ERRORS,
    busy: '' as Busy,
    refusal: NO_REFUSAL as Refusal,
    otherIssues: [] as string[],
    saved: NO_SAVED,
    /** Changed since the last save. */
    dirty: false,
    needsVerification: false,
  },
  methods: {
    /** ?id= opens a saved article (`id` cannot be a property: it is the component's own id). */
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      const id = decodedParam(query.id)
      this.setData({ started: true, articleId: id ?? '' })
      if (id === null) {
        this.setData({ status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      if (this.data.articleId) {
        void this.load()
        return
      }
      this.setData({ status: 'ready' })
      void this.checkVerified()
    },

    async load() {
      const id = this.data.articleId
      let gone = GONE_MESSAGE
      await runLoad(
        (patch) => this.setData(patch.status === 'empty' ? { ...patch, error: gone } : patch),
        async () => {
          let article: ArticleDetailView
          try {
            ;({ article } = await call('articles', 'detail', { id }))
          } catch (error) {
            if (!(error instanceof ApiCallError) || error.code !== 'NOT_FOUND') throw error
            gone = error.message || GONE_MESSAGE
            return null
          }
          if (!article.mine) throw new ApiCallError('FORBIDDEN', '只有作者可以修改这篇文章')
          return article
        },
        {
          isEmpty: (article) => article === null,
          toData: (article) => {
            if (!article) return {}
            wx.setNavigationBarTitle({ title: '修改文章', fail: () => undefined })
            return {
              articleId: article.id,
              articleStatus: article.status,
              title: article.title,
              body: article.body,
              cover: article.cover ?? '',
              titleCount: titleCount(article.title),
              bodyCount: bodyCount(article.body),
              saved: savedViewOf(article, ''),
              dirty: false,
            }
          },
        },
      )
      if (this.data.status === 'ready' && this.data.articleStatus === 'draft') void this.checkVerified()
    },

    onRetry() {
      void this.load()
    },

    onBack() {
      goBack(ARTICLE_FEED_URL)
    },

    /** Leaving asks first while there are unsaved changes (`dirty`). */
    trackUnsaved() {
      guardUnsaved(this, this.data.dirty)
    },

    async checkVerified() {
      // Unknown (not signed in yet, or offline): saving will say what is needed.
      const needed = await verificationNeeded()
      if (needed !== null) this.setData({ needsVerification: needed })
    },

    onOpenVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onTitleInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const title = e.detail.value
      this.setData({ title, titleCount: titleCount(title), 'errors.title': '', dirty: true })
      this.trackUnsaved()
    },

    onBodyInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const body = e.detail.value
      this.setData({ body, bodyCount: bodyCount(body), 'errors.body': '', dirty: true })
      this.trackUnsaved()
    },

    async onChooseCover() {
      if (this.data.busy) return
      this.setData({ 'errors.cover': '' })
      const chosen = await chooseCover('article-covers', config, () => this.setData({ busy: 'cover' }))
      if (!chosen) return
      if ('fileId' in chosen) this.setData({ busy: '', cover: chosen.fileId, dirty: true })
      else this.setData({ busy: '', 'errors.cover': chosen.error })
      this.trackUnsaved()
    },

    onRemoveCover() {
      if (this.data.busy) return
      this.setData({ cover: '', 'errors.cover': '', dirty: true })
      this.trackUnsaved()
    },

    /** Creates or updates; resolves with the saved article, or null after showing the refusal. */
    async save(): Promise<MyArticleView | null> {
      const { articleId, title, body, cover } = this.data
      try {
        const { article } = articleId
          ? await call('articles', 'update', { id: articleId, title, body, cover: cover || null })
          : await call('articles', 'create', { title, body, ...(cover ? { cover } : {}) })
        markChanged('articles')
        // Typed on while it was being saved: that part is still unsaved.
        const changedSince = this.data.title !== title || this.data.body !== body || this.data.cover !== cover
        this.setData({ articleId: article.id, articleStatus: article.status, dirty: changedSince })
        this.trackUnsaved()
        return article
      } catch (error) {
        this.refused(error)
        return null
      }
    },

    refused(error: unknown, prefix = '') {
      const { refusal, errors, otherIssues } = formRefusalOf(error, ARTICLE_FIELDS, NO_ARTICLE_ERRORS)
      this.setData({
        busy: '',
        errors,
        otherIssues,
        refusal: prefix ? { ...refusal, message: `${prefix}${refusal.message}` } : refusal,
        needsVerification: refusal.code === 'VERIFICATION_REQUIRED' ? false : this.data.needsVerification,
      })
    },

    startBusy(busy: Busy, publishing: boolean): boolean {
      if (this.data.busy) return false
      const errors = articleProblems(this.data.title, this.data.body, { publishing })
      if (hasArticleProblems(errors)) {
        this.setData({ errors, refusal: NO_REFUSAL, otherIssues: [], saved: { ...this.data.saved, summary: '' } })
        return false
      }
      this.setData({ busy, errors: NO_ARTICLE_ERRORS, refusal: NO_REFUSAL, otherIssues: [], 'saved.summary': '' })
      return true
    },

    async onSaveDraft() {
      if (!this.startBusy('draft', false)) return
      const article = await this.save()
      if (!article) return
      this.setData({ busy: '', saved: savedViewOf(article, '草稿已保存，只有你能看到。') })
    },

    async onPublish() {
      if (!this.startBusy('publish', true)) return
      let article: MyArticleView | null = null
      if (this.data.dirty || !this.data.articleId) {
        article = await this.save()
        if (!article) return
      }
      try {
        ;({ article } = await call('articles', 'publish', { id: this.data.articleId }))
        markChanged('articles')
      } catch (error) {
        // The draft is kept: say so before the refusal.
        this.refused(error, '草稿已保存，但没有发布：')
        this.setData({ saved: article ? savedViewOf(article, '') : this.data.saved })
        return
      }
      const published = article.moderation?.state === 'published'
      this.setData({
        busy: '',
        articleStatus: article.status,
        saved: savedViewOf(article, published ? '已发布，所有人都能看到这篇文章了。' : '已提交发布，通过审核后其他人才能看到。'),
      })
      wx.setNavigationBarTitle({ title: '修改文章', fail: () => undefined })
    },

    /** A published article: saving re-submits it to moderation. */
    async onSavePublished() {
      if (!this.startBusy('publish', true)) return
      if (!this.data.dirty) {
        this.setData({ busy: '', 'saved.summary': '没有需要保存的修改。' })
        return
      }
      const article = await this.save()
      if (!article) return
      const published = article.moderation?.state === 'published'
      this.setData({ busy: '', saved: savedViewOf(article, published ? '修改已保存并发布。' : '修改已保存，通过审核后其他人才能看到新的内容。') })
    },

    onRefusalAction() {
      followRefusal(this.data.refusal.action)
    },

    onOpenArticle() {
      if (this.data.articleId) wx.redirectTo({ url: articleDetailUrl(this.data.articleId) })
    },
  },
})

/**
 * 举报 sheet: what is wrong (a category) and, optionally, a few words for
 * staff; sends moderation.report. Used wherever content or a person's profile
 * is shown (card landing page, activity and article details, an author's
 * articles). `about="author"` reports the person who published the content
 * (their nickname and avatar) rather than the content itself.
 * Raises `close` when dismissed and `reported` after a report was filed.
 */
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, REPORT_COMMENT_MAX, REPORT_TARGET_KINDS, type ReportCategory } from '../../../shared/review'
import { ApiCallError, call, fieldErrors, messageOf } from '../../api'
import { REGISTER_URL } from '../../utils/links'

interface CategoryChoice {
  key: ReportCategory
  label: string
}

const CHOICES: CategoryChoice[] = REPORT_CATEGORIES.map((key) => ({ key, label: REPORT_CATEGORY_LABELS[key] }))

/** Refusals that mean "sign in first": the sheet offers registration instead of the form. */
const SIGN_IN_CODES = ['ACCOUNT_REQUIRED', 'TERMS_NOT_ACCEPTED']

Component({
  properties: {
    show: { type: Boolean, value: false },
    kind: { type: String, value: 'card' },
    targetId: { type: String, value: '' },
    /** 'content' or 'author'. */
    about: { type: String, value: 'content' },
    /** What is reported, in the title: 这张名片, 这个活动, 这位作者 … */
    subject: { type: String, value: '这条内容' },
  },
  data: {
    choices: CHOICES,
    category: '' as ReportCategory | '',
    comment: '',
    commentMax: REPORT_COMMENT_MAX,
    sending: false,
    error: '',
    commentError: '',
    needSignIn: false,
  },
  observers: {
    show(show: boolean) {
      // Each opening starts afresh.
      if (show) this.setData({ category: '', comment: '', error: '', commentError: '', needSignIn: false, sending: false })
    },
  },
  methods: {
    noop() {},

    onPick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key: ReportCategory }>) {
      this.setData({ category: e.currentTarget.dataset.key, error: '' })
    },

    onComment(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ comment: e.detail.value, commentError: '' })
    },

    onCancel() {
      if (!this.data.sending) this.triggerEvent('close', {})
    },

    onSignIn() {
      this.triggerEvent('close', {})
      wx.navigateTo({ url: REGISTER_URL })
    },

    async onSubmit() {
      if (this.data.sending) return
      const category = this.data.category
      if (!category) {
        this.setData({ error: '请选择举报原因' })
        return
      }
      const kind = REPORT_TARGET_KINDS.find((k) => k === this.data.kind)
      if (!kind || !this.data.targetId) {
        this.setData({ error: '无法举报：没有找到要举报的内容' })
        return
      }
      this.setData({ sending: true, error: '', commentError: '' })
      try {
        const comment = this.data.comment.trim()
        const about = this.data.about === 'author' ? 'author' : 'content'
        const reply = await call('moderation', 'report', { kind, targetId: this.data.targetId, category, about, ...(comment ? { comment } : {}) })
        this.setData({ sending: false })
        wx.showToast({ title: reply.updated ? '已更新你的举报' : '已收到你的举报', icon: 'success' })
        this.triggerEvent('reported', { reportId: reply.report.id, updated: reply.updated })
      } catch (error) {
        const signIn = error instanceof ApiCallError && SIGN_IN_CODES.includes(error.code)
        this.setData({ sending: false, needSignIn: signIn, commentError: fieldErrors(error).comment ?? '', error: signIn ? '登录并同意用户协议后才能举报' : messageOf(error) })
      }
    },
  },
})

/**
 * 消息 (tab): my in-app messages, newest first, a page at a time (inbox.list).
 * Tapping one marks it read and opens its page; "全部已读" asks first. The tab
 * badge follows the unread count. Users can opt in to WeChat subscribe messages
 * for the types the operator configured templates for.
 */
import { MESSAGE_TYPES, MESSAGE_TYPE_LABELS, type MessageType } from '../../../shared/inbox'
import type { MessageView } from '../../../shared/contract/inbox'
import { call, messageOf } from '../../api'
import { config } from '../../config'
import { showUnreadBadge } from '../../utils/badge'
import { confirmed } from '../../utils/confirm'
import { formatDateTime } from '../../utils/format'
import { openPath } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'

const INBOX_PAGE_SIZE = 20
/** WeChat asks for at most three templates at once. */
const MAX_TEMPLATES_PER_REQUEST = 3

interface MessageRow {
  id: string
  typeLabel: string
  title: string
  body: string
  time: string
  read: boolean
  link: string
}

function rowOf(message: MessageView): MessageRow {
  return {
    id: message.id,
    typeLabel: MESSAGE_TYPE_LABELS[message.type],
    title: message.title,
    body: message.body,
    time: formatDateTime(message.createdAt),
    read: message.read,
    link: message.link ?? '',
  }
}

/** Configured templates in catalogue order, as many as one request may ask for. */
function subscribable(): Array<{ type: MessageType; templateId: string }> {
  const list: Array<{ type: MessageType; templateId: string }> = []
  for (const type of MESSAGE_TYPES) {
    const templateId = config.subscribeTemplates[type]
    if (templateId) list.push({ type, templateId })
  }
  return list.slice(0, MAX_TEMPLATES_PER_REQUEST)
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    messages: [] as MessageRow[],
    nextCursor: null as string | null,
    unread: 0,
    loadingMore: false,
    moreError: '',
    markingAll: false,
    /** Labels of the types the user can opt in to; '' hides the option. */
    subscribeTypes: '',
    subscribing: false,
    subscribeNotice: '',
  },
  lifetimes: {
    attached() {
      this.setData({ subscribeTypes: subscribable().map((s) => MESSAGE_TYPE_LABELS[s.type]).join('、') })
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back on the tab: new messages may have arrived.
      if (this.data.status === 'ready' || this.data.status === 'empty') void this.refresh()
    },
  },
  methods: {
    apply(result: { messages: MessageView[]; nextCursor: string | null; unread: number }) {
      showUnreadBadge(result.unread)
      return { messages: result.messages.map(rowOf), nextCursor: result.nextCursor, unread: result.unread, moreError: '' }
    },

    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        () => call('inbox', 'list', { limit: INBOX_PAGE_SIZE }),
        { toData: (r) => this.apply(r), isEmpty: (r) => r.messages.length === 0 },
      )
    },

    /** Reloads the first page without the loading state. */
    async refresh() {
      try {
        const result = await call('inbox', 'list', { limit: INBOX_PAGE_SIZE })
        this.setData({ ...this.apply(result), status: result.messages.length === 0 ? 'empty' : 'ready', error: '' })
      } catch {
        // Keep what is shown; the next show or pull tries again.
      }
    },

    onRetry() {
      void this.load()
    },

    async onPullDownRefresh() {
      await this.refresh()
      wx.stopPullDownRefresh()
    },

    onReachBottom() {
      void this.loadMore()
    },

    async loadMore() {
      const cursor = this.data.nextCursor
      if (!cursor || this.data.loadingMore) return
      this.setData({ loadingMore: true, moreError: '' })
      try {
        const result = await call('inbox', 'list', { cursor, limit: INBOX_PAGE_SIZE })
        const known = new Set(this.data.messages.map((m) => m.id))
        showUnreadBadge(result.unread)
        this.setData({
          loadingMore: false,
          // A message that arrived meanwhile can shift a page: never show one twice.
          messages: [...this.data.messages, ...result.messages.filter((m) => !known.has(m.id)).map(rowOf)],
          nextCursor: result.nextCursor,
          unread: result.unread,
        })
      } catch (error) {
        this.setData({ loadingMore: false, moreError: messageOf(error) })
      }
    },

    onLoadMore() {
      void this.loadMore()
    },

    async onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const index = this.data.messages.findIndex((m) => m.id === e.currentTarget.dataset.id)
      const message = this.data.messages[index]
      if (!message) return
      if (!message.read) {
        // Shown as read at once; the count comes from the server.
        this.setData({ [`messages[${index}].read`]: true })
        try {
          const { unread } = await call('inbox', 'markRead', { ids: [message.id] })
          this.setData({ unread })
          showUnreadBadge(unread)
        } catch (error) {
          this.setData({ [`messages[${index}].read`]: false })
          wx.showToast({ title: messageOf(error), icon: 'none' })
        }
      }
      if (message.link) openPath(message.link)
    },

    async onMarkAll() {
      if (this.data.unread === 0 || this.data.markingAll) return
      const ok = await confirmed({
        title: '全部标为已读？',
        content: `${this.data.unread} 条未读消息都会标为已读。`,
        confirmText: '全部已读',
      })
      if (!ok) return
      this.setData({ markingAll: true })
      try {
        const { unread } = await call('inbox', 'markRead', { all: true })
        this.setData({ markingAll: false, unread, messages: this.data.messages.map((m) => ({ ...m, read: true })) })
        showUnreadBadge(unread)
      } catch (error) {
        this.setData({ markingAll: false })
        wx.showToast({ title: messageOf(error), icon: 'none' })
      }
    },

    /** Must run straight from the tap: WeChat shows its own consent sheet for the templates. */
    onSubscribe() {
      const wanted = subscribable()
      if (wanted.length === 0 || this.data.subscribing) return
      this.setData({ subscribing: true, subscribeNotice: '' })
      wx.requestSubscribeMessage({
        tmplIds: wanted.map((w) => w.templateId),
        success: (res) => {
          const answers = res as unknown as Record<string, string>
          const accepted = wanted.filter((w) => answers[w.templateId] === 'accept').map((w) => w.type)
          void this.recordSubscription(accepted)
        },
        fail: (error) => {
          // 20004: the user turned off subscribe messages for this mini-program in WeChat settings.
          const off = error.errCode === 20004 || /switched off|20004/.test(error.errMsg)
          this.setData({
            subscribing: false,
            subscribeNotice: off ? '你在微信设置中关闭了本小程序的通知，可在右上角「…」›「设置」中重新打开' : '暂时无法开启通知，请稍后再试',
          })
        },
      })
    },

    async recordSubscription(accepted: MessageType[]) {
      if (accepted.length === 0) {
        this.setData({ subscribing: false, subscribeNotice: '你没有选择接收通知，随时可以再次开启' })
        return
      }
      try {
        await call('inbox', 'subscribe', { accepted })
        this.setData({
          subscribing: false,
          subscribeNotice: `已开启：${accepted.map((t) => MESSAGE_TYPE_LABELS[t]).join('、')}。每次开启可收到一条微信通知。`,
        })
      } catch (error) {
        this.setData({ subscribing: false, subscribeNotice: messageOf(error) })
      }
    },
  },
})

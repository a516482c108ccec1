/**
 * 名片夹 (/packageCards/pages/holder/index): the cards I saved, newest first,
 * a page at a time, searchable (name, company, title, note, tag — only what I
 * may see) and filterable by tag; each with my note and tags (edited in a
 * sheet) and removable after a confirmation. The second and third tabs are
 * exchange requests I received (accept / decline) and sent (withdraw), and
 * accepted exchanges can be ended (after a confirmation).
 */
import { EXCHANGE_STATUS_LABELS, NOTE_MAX, SEARCH_MAX, TAG_LIMIT, TAG_MAX } from '../../../../shared/cards'
import type { ExchangeView, HolderItem } from '../../../../shared/contract/cards'
import { call, fieldErrors, messageOf } from '../../../api'
import { cardPageUrl, initialOf, MY_CARDS_URL, parseTags } from '../../../utils/cards'
import { confirmed } from '../../../utils/confirm'
import { pageInput } from '../../../utils/cursor-list'
import { formatDateTime } from '../../../utils/format'
import { REGISTER_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { isRegisterRefusal } from '../../../utils/refusal'

const PAGE_SIZE = 20
type Tab = 'holder' | 'incoming' | 'outgoing'
type PartStatus = 'idle' | 'loading' | 'ready' | 'error'

interface HolderRow {
  cardId: string
  name: string
  initial: string
  avatarUrl: string
  headline: string
  verified: boolean
  /** 名片已隐藏 / 名片已删除, or ''. */
  unavailable: string
  note: string
  tags: string[]
  exchanged: boolean
  savedAt: string
  ariaLabel: string
}

interface ExchangeRow {
  id: string
  statusLabel: string
  status: ExchangeView['status']
  outgoing: boolean
  myCardName: string
  theirCardId: string
  theirName: string
  theirHeadline: string
  verified: boolean
  message: string
  createdAt: string
  canRespond: boolean
  canWithdraw: boolean
  canEnd: boolean
}

const UNAVAILABLE_LABELS: Record<NonNullable<HolderItem['unavailable']>, string> = {
  hidden: '名片暂不公开',
  deleted: '名片已被主人删除',
}

function holderRowOf(item: HolderItem): HolderRow {
  const card = item.card
  const name = card?.name ?? '已不可见的名片'
  const headline = card ? [card.title ?? '', card.company ?? ''].filter((s) => s.trim()).join(' · ') : ''
  const unavailable = item.unavailable ? UNAVAILABLE_LABELS[item.unavailable] : ''
  return {
    cardId: item.cardId,
    name,
    initial: initialOf(name),
    avatarUrl: card?.avatarUrl ?? '',
    headline,
    verified: card?.verified ?? false,
    unavailable,
    note: item.note,
    tags: item.tags,
    exchanged: item.exchanged,
    savedAt: formatDateTime(item.savedAt),
    ariaLabel: [name, card?.verified ? '已实名' : '', headline, unavailable, item.exchanged ? '已交换' : '', item.tags.length ? `标签：${item.tags.join('、')}` : '']
      .filter(Boolean)
      .join('，'),
  }
}

function exchangeRowOf(exchange: ExchangeView): ExchangeRow {
  const their = exchange.theirCard
  const pending = exchange.status === 'pending'
  return {
    id: exchange.id,
    status: exchange.status,
    statusLabel: pending && !exchange.outgoing ? '等待你回应' : exchange.statusLabel || EXCHANGE_STATUS_LABELS[exchange.status],
    outgoing: exchange.outgoing,
    myCardName: exchange.myCardName,
    theirCardId: their?.id ?? '',
    theirName: their?.name ?? '对方名片暂不可见',
    theirHeadline: their ? [their.title ?? '', their.company ?? ''].filter((s) => s.trim()).join(' · ') : '',
    verified: their?.verified ?? false,
    message: exchange.message,
    createdAt: formatDateTime(exchange.createdAt),
    canRespond: pending && !exchange.outgoing,
    canWithdraw: pending && exchange.outgoing,
    canEnd: exchange.status === 'accepted',
  }
}

type IdEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    needRegister: false,
    tab: 'holder' as Tab,
    pendingIncoming: 0,
    // 名片夹
    q: '',
    /** The search the list shows (what was sent, not what is being typed). */
    searched: '',
    activeTag: '',
    tags: [] as string[],
    items: [] as HolderRow[],
    cursor: null as string | null,
    listStatus: 'ready' as PartStatus,
    listError: '',
    loadingMore: false,
    moreError: '',
    busy: '',
    message: '',
    messageIsError: false,
    // The note and tags sheet
    editing: '',
    editName: '',
    editNote: '',
    editTags: [] as string[],
    tagInput: '',
    editErrors: { note: '', tags: '', form: '' },
    editBusy: false,
    noteMax: NOTE_MAX,
    tagMax: TAG_MAX,
    tagLimit: TAG_LIMIT,
    searchMax: SEARCH_MAX,
    // 交换请求
    exchanges: [] as ExchangeRow[],
    exchangeCursor: null as string | null,
    exchangeStatus: 'idle' as PartStatus,
    exchangeError: '',
    exchangeMoreBusy: false,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back from a card page: it may have been saved, removed or exchanged there.
      if (this.data.status === 'ready' && !this.data.needRegister) void this.reloadTab()
    },
  },
  methods: {
    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        async () => {
          try {
            return await Promise.all([
              call('cards', 'holderList', { limit: PAGE_SIZE }),
              call('cards', 'exchangeList', { box: 'incoming', status: 'pending', limit: 1 }),
            ])
          } catch (error) {
            if (isRegisterRefusal(error)) return null
            throw error
          }
        },
        {
          toData: (value) => {
            if (!value) return { needRegister: true }
            const [list, incoming] = value
            return {
              needRegister: false,
              items: list.items.map(holderRowOf),
              cursor: list.nextCursor,
              tags: list.tags,
              listStatus: 'ready',
              pendingIncoming: incoming.pendingIncoming,
            }
          },
        },
      )
    },

    onRetry() {
      void this.load()
    },

    onRegister() {
      wx.navigateTo({ url: REGISTER_URL })
    },

    onOpenMine() {
      wx.navigateTo({ url: MY_CARDS_URL })
    },

    say(message: string, isError: boolean) {
      this.setData({ message, messageIsError: isError })
    },

    async reloadTab() {
      if (this.data.tab === 'holder') await this.loadList()
      else await this.loadExchanges(this.data.tab)
    },

    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tab: Tab }>) {
      const tab = e.currentTarget.dataset.tab
      if (tab === this.data.tab) return
      this.setData({ tab, message: '' })
      void this.reloadTab()
    },

    // ---- 名片夹 ----

    query(cursor: string | null) {
      const q = this.data.searched
      return {
        ...pageInput(cursor, PAGE_SIZE),
        ...(q ? { q } : {}),
        ...(this.data.activeTag ? { tag: this.data.activeTag } : {}),
      }
    },

    async loadList() {
      this.setData({ listStatus: 'loading', listError: '', moreError: '' })
      try {
        const list = await call('cards', 'holderList', this.query(null))
        this.setData({ listStatus: 'ready', items: list.items.map(holderRowOf), cursor: list.nextCursor, tags: list.tags })
      } catch (error) {
        this.setData({ listStatus: 'error', listError: messageOf(error) })
      }
    },

    async onMore() {
      const cursor = this.data.cursor
      if (!cursor || this.data.loadingMore) return
      this.setData({ loadingMore: true, moreError: '' })
      try {
        const list = await call('cards', 'holderList', this.query(cursor))
        this.setData({ loadingMore: false, items: [...this.data.items, ...list.items.map(holderRowOf)], cursor: list.nextCursor, tags: list.tags })
      } catch (error) {
        this.setData({ loadingMore: false, moreError: messageOf(error) })
      }
    },

    onSearchInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ q: e.detail.value })
    },

    onSearch() {
      this.setData({ searched: this.data.q.trim() })
      void this.loadList()
    },

    onClearSearch() {
      this.setData({ q: '', searched: '', activeTag: '' })
      void this.loadList()
    },

    onTagFilter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tag: string }>) {
      const tag = e.currentTarget.dataset.tag
      this.setData({ activeTag: this.data.activeTag === tag ? '' : tag })
      void this.loadList()
    },

    onOpenCard(e: IdEvent) {
      const id = e.currentTarget.dataset.id
      if (id) wx.navigateTo({ url: cardPageUrl(id) })
    },

    onEdit(e: IdEvent) {
      const row = this.data.items.find((i) => i.cardId === e.currentTarget.dataset.id)
      if (!row) return
      this.setData({
        editing: row.cardId,
        editName: row.name,
        editNote: row.note,
        editTags: row.tags.slice(),
        tagInput: '',
        editErrors: { note: '', tags: '', form: '' },
      })
    },

    onCloseEdit() {
      this.setData({ editing: '' })
    },

    noop() {},

    onNoteInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ editNote: e.detail.value, 'editErrors.note': '' })
    },

    onTagInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ tagInput: e.detail.value, 'editErrors.tags': '' })
    },

    /** Adds what is typed as tags; false (with the reason shown) when one does not fit. */
    addTypedTags(): boolean {
      const typed = parseTags(this.data.tagInput)
      if (typed.length === 0) return true
      const tags = this.data.editTags.slice()
      for (const tag of typed) {
        if (Array.from(tag).length > TAG_MAX) {
          this.setData({ 'editErrors.tags': `每个标签最多 ${TAG_MAX} 个字` })
          return false
        }
        if (!tags.includes(tag)) tags.push(tag)
      }
      if (tags.length > TAG_LIMIT) {
        this.setData({ 'editErrors.tags': `最多 ${TAG_LIMIT} 个标签` })
        return false
      }
      this.setData({ editTags: tags, tagInput: '' })
      return true
    },

    onAddTag() {
      this.addTypedTags()
    },

    onRemoveTag(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tag: string }>) {
      this.setData({ editTags: this.data.editTags.filter((t) => t !== e.currentTarget.dataset.tag) })
    },

    async onSaveEdit() {
      const cardId = this.data.editing
      if (!cardId || this.data.editBusy) return
      if (!this.addTypedTags()) return
      this.setData({ editBusy: true, editErrors: { note: '', tags: '', form: '' } })
      try {
        const { item } = await call('cards', 'holderUpdate', { cardId, note: this.data.editNote.trim(), tags: this.data.editTags })
        const index = this.data.items.findIndex((i) => i.cardId === cardId)
        this.setData({ editBusy: false, editing: '', ...(index >= 0 ? { [`items[${index}]`]: holderRowOf(item) } : {}) })
        this.say('已保存备注和标签', false)
        // The tag list may have gained a tag.
        void this.refreshTags()
      } catch (error) {
        const fields = fieldErrors(error)
        const tagsError = Object.entries(fields).find(([path]) => path.startsWith('tags'))?.[1] ?? ''
        this.setData({
          editBusy: false,
          editErrors: { note: fields.note ?? '', tags: tagsError, form: fields.note || tagsError ? '' : messageOf(error) },
        })
      }
    },

    async refreshTags() {
      try {
        const list = await call('cards', 'holderList', { limit: 1 })
        this.setData({ tags: list.tags })
      } catch {
        // The chips stay as they were.
      }
    },

    async onRemove(e: IdEvent) {
      const row = this.data.items.find((i) => i.cardId === e.currentTarget.dataset.id)
      if (!row || this.data.busy) return
      const ok = await confirmed({
        title: `从名片夹移除「${row.name}」？`,
        content: row.exchanged ? '移除后名片和你的备注、标签都不再保存；你们的交换关系不变。' : '移除后名片和你的备注、标签都不再保存。',
        confirmText: '移除',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: `remove:${row.cardId}`, message: '' })
      try {
        await call('cards', 'holderRemove', { cardId: row.cardId })
        this.setData({ busy: '', items: this.data.items.filter((i) => i.cardId !== row.cardId) })
        this.say(`已移除「${row.name}」`, false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    // ---- 交换请求 ----

    async loadExchanges(box: 'incoming' | 'outgoing') {
      this.setData({ exchangeStatus: 'loading', exchangeError: '', exchanges: [], exchangeCursor: null })
      try {
        const list = await call('cards', 'exchangeList', { box, limit: PAGE_SIZE })
        if (this.data.tab !== box) return
        this.setData({ exchangeStatus: 'ready', exchanges: list.exchanges.map(exchangeRowOf), exchangeCursor: list.nextCursor, pendingIncoming: list.pendingIncoming })
      } catch (error) {
        if (this.data.tab !== box) return
        this.setData({ exchangeStatus: 'error', exchangeError: messageOf(error) })
      }
    },

    onRetryExchanges() {
      if (this.data.tab !== 'holder') void this.loadExchanges(this.data.tab)
    },

    async onMoreExchanges() {
      const box = this.data.tab
      const cursor = this.data.exchangeCursor
      if (box === 'holder' || !cursor || this.data.exchangeMoreBusy) return
      this.setData({ exchangeMoreBusy: true, exchangeError: '' })
      try {
        const list = await call('cards', 'exchangeList', { box, cursor, limit: PAGE_SIZE })
        this.setData({ exchangeMoreBusy: false, exchanges: [...this.data.exchanges, ...list.exchanges.map(exchangeRowOf)], exchangeCursor: list.nextCursor })
      } catch (error) {
        this.setData({ exchangeMoreBusy: false, exchangeError: messageOf(error) })
      }
    },

    replaceExchange(exchange: ExchangeView) {
      const index = this.data.exchanges.findIndex((x) => x.id === exchange.id)
      if (index >= 0) this.setData({ [`exchanges[${index}]`]: exchangeRowOf(exchange) })
    },

    async onRespond(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; accept: string }>) {
      const { id } = e.currentTarget.dataset
      const accept = e.currentTarget.dataset.accept === 'true'
      if (this.data.busy) return
      this.setData({ busy: `${accept ? 'accept' : 'decline'}:${id}`, message: '' })
      try {
        const { exchange } = await call('cards', 'exchangeRespond', { exchangeId: id, accept })
        this.replaceExchange(exchange)
        this.setData({ busy: '', pendingIncoming: Math.max(0, this.data.pendingIncoming - 1) })
        this.say(accept ? '已交换名片，对方的名片已保存到你的名片夹' : '已婉拒', false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    async onEndExchange(e: IdEvent) {
      const row = this.data.exchanges.find((x) => x.id === e.currentTarget.dataset.id)
      if (!row || this.data.busy) return
      const ok = row.canWithdraw
        ? await confirmed({ title: '撤回交换请求？', content: `撤回后「${row.theirName}」不会再收到这条请求。`, confirmText: '撤回', danger: true })
        : await confirmed({
            title: `解除与「${row.theirName}」的名片交换？`,
            content: '解除后你们互相看不到对方「交换名片后可见」的信息，名片夹中保存的名片不受影响。',
            confirmText: '解除',
            danger: true,
          })
      if (!ok) return
      this.setData({ busy: `end:${row.id}`, message: '' })
      try {
        const { exchange } = await call('cards', 'exchangeEnd', { exchangeId: row.id })
        this.replaceExchange(exchange)
        this.setData({ busy: '' })
        this.say(row.canWithdraw ? '已撤回交换请求' : '已解除交换', false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },
  },
})

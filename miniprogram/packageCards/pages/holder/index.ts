/**
 * 名片夹 (/packageCards/pages/holder/index[?tab=incoming|outgoing]): the cards
 * I saved, newest first, a page at a time, searchable (name, company, title,
 * note, tag — only what I may see) and filterable by tag; each with my note
 * and tags (edited in a sheet) and removable after a confirmation. The second
 * and third tabs are exchange requests I received (accept / decline) and sent
 * (withdraw), and accepted exchanges can be ended (after a confirmation);
 * ?tab=incoming opens the received requests (the inbox message of a request).
 *
 * Lists load as the activity and article lists do: only the latest first-page
 * load reaches the page (runLatestLoad: a late answer for an earlier search,
 * tag or tab is dropped), and 加载更多 (loadNextPage) continues the list shown
 * with the search it was loaded with, or is dropped once the list changed.
 * Coming back to the page keeps the list unless a card was saved or an
 * exchange changed elsewhere (utils/changes.ts).
 */
import { EXCHANGE_STATUS_LABELS, NOTE_MAX, SEARCH_MAX, TAG_LIMIT, TAG_MAX } from '../../../../shared/cards'
import type { ExchangeView, HolderItem } from '../../../../shared/contract/cards'
import { call, fieldErrors, messageOf } from '../../../api'
import { cardPageUrl, initialOf, MY_CARDS_URL, parseTags } from '../../../utils/cards'
import { changeStamp } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { emptyList, firstPage, loadNextPage, pageInput, type CursorList, type CursorPage } from '../../../utils/cursor-list'
import { formatDateTime } from '../../../utils/format'
import { runLatestLoad, type LatestLoadHost } from '../../../utils/latest-load'
import { REGISTER_URL } from '../../../utils/links'
import { runLoad, type LoadPatch, type LoadStatus } from '../../../utils/load'
import { isRegisterRefusal } from '../../../utils/refusal'

const PAGE_SIZE = 20
type Tab = 'holder' | 'incoming' | 'outgoing'
type Box = Exclude<Tab, 'holder'>
type PartStatus = 'idle' | 'loading' | 'ready' | 'error'

function isTab(value: string | undefined): value is Tab {
  return value === 'holder' || value === 'incoming' || value === 'outgoing'
}

/** The holder's search as sent: the list shown was loaded with it, and 加载更多 continues with it. */
interface HolderQuery {
  q: string
  tag: string
}

function sameQuery(a: HolderQuery, b: HolderQuery): boolean {
  return a.q === b.q && a.tag === b.tag
}

function holderInput(query: HolderQuery, cursor: string | null): { cursor?: string; limit: number; q?: string; tag?: string } {
  return { ...pageInput(cursor, PAGE_SIZE), ...(query.q ? { q: query.q } : {}), ...(query.tag ? { tag: query.tag } : {}) }
}

/** The part of the page one list's loads write to: its own generation, status and error keys. */
interface PartKeys {
  generation: 'listGeneration' | 'exchangeGeneration'
  status: 'listStatus' | 'exchangeStatus'
  error: 'listError' | 'exchangeError'
}

interface PartPage {
  data: Record<PartKeys['generation'], number>
  setData(patch: Record<string, unknown>): void
}

/**
 * runLatestLoad for one part of the page: its generation, and its status and
 * error under their own names (the page's own status is the whole page's).
 * An empty list is 'ready': the template says what is missing.
 */
function partHost(page: PartPage, keys: PartKeys): LatestLoadHost {
  return {
    data: {
      get generation() {
        return page.data[keys.generation]
      },
    },
    setData(patch: Record<string, unknown>) {
      const { generation, status, error, errorAction: _action, errorActionText: _text, ...rest } = patch as Partial<LoadPatch> & { generation?: number }
      const mapped: Record<string, unknown> = { ...rest }
      if (generation !== undefined) mapped[keys.generation] = generation
      if (status !== undefined) mapped[keys.status] = status === 'empty' ? 'ready' : status
      if (error !== undefined) mapped[keys.error] = error
      page.setData(mapped)
    },
  }
}

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
  properties: {
    /** Page query: the tab to open with (incoming: the requests I received). */
    tab: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    needRegister: false,
    current: 'holder' as Tab,
    pendingIncoming: 0,
    /** utils/changes.ts: the holder's change count when the page last loaded what it shows. */
    seenChanges: 0,
    // 名片夹
    q: '',
    /** The search the list shows (what was sent, not what is being typed). */
    searched: '',
    activeTag: '',
    tags: [] as string[],
    list: emptyList<HolderRow>(),
    /** What the list shown was loaded with; 加载更多 continues it. */
    listQuery: { q: '', tag: '' } as HolderQuery,
    listStatus: 'ready' as PartStatus,
    listError: '',
    listGeneration: 0,
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
    exchanges: emptyList<ExchangeRow>(),
    /** The box the exchange list shown belongs to. */
    exchangeBox: '' as Box | '',
    exchangeStatus: 'idle' as PartStatus,
    exchangeError: '',
    exchangeGeneration: 0,
  },
  lifetimes: {
    attached() {
      if (isTab(this.data.tab)) this.setData({ current: this.data.tab })
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back from a card page: reload only when a card was saved or an exchange changed meanwhile (utils/changes.ts).
      if (this.data.status !== 'ready' || this.data.needRegister || changeStamp('holder') === this.data.seenChanges) return
      this.setData({ seenChanges: changeStamp('holder') })
      void this.reloadTab({ quiet: true })
      if (this.data.current === 'holder') void this.refreshPendingCount()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      // Base libraries that set properties after attached: the query's tab.
      const tab = query.tab
      if (isTab(tab) && tab !== this.data.current) {
        if (this.data.status === 'loading') this.setData({ current: tab })
        else this.switchTo(tab)
      }
    },

    async load() {
      const listGeneration = this.data.listGeneration + 1
      this.setData({ seenChanges: changeStamp('holder'), listGeneration })
      await runLoad(
        (patch) => this.setData(patch),
        async () => {
          try {
            return await Promise.all([
              call('cards', 'holderList', holderInput(this.currentQuery(), null)),
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
              list: firstPage({ items: list.items.map(holderRowOf), nextCursor: list.nextCursor }),
              listQuery: this.currentQuery(),
              tags: list.tags,
              listStatus: 'ready',
              pendingIncoming: incoming.pendingIncoming,
            }
          },
        },
      )
      if (this.data.status === 'ready' && !this.data.needRegister && this.data.current !== 'holder') void this.loadExchanges(this.data.current)
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

    async reloadTab(options: { quiet?: boolean } = {}) {
      const tab = this.data.current
      if (tab === 'holder') await this.loadList(options)
      else await this.loadExchanges(tab, options)
    },

    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tab: string }>) {
      const tab = e.currentTarget.dataset.tab
      if (isTab(tab)) this.switchTo(tab)
    },

    switchTo(tab: Tab) {
      if (tab === this.data.current) return
      this.setData({ current: tab, message: '' })
      void this.reloadTab()
    },

    /** The count on 收到的请求 (the exchange tabs keep it up to date themselves). */
    async refreshPendingCount() {
      try {
        const { pendingIncoming } = await call('cards', 'exchangeList', { box: 'incoming', status: 'pending', limit: 1 })
        this.setData({ pendingIncoming })
      } catch {
        // The count stays as it was.
      }
    },

    // ---- 名片夹 ----

    currentQuery(): HolderQuery {
      return { q: this.data.searched, tag: this.data.activeTag }
    },

    /** The first page for the current search; a later load (another search, tag or a refresh) drops this one's answer. */
    async loadList(options: { quiet?: boolean } = {}) {
      const query = this.currentQuery()
      if (!options.quiet) this.setData({ list: emptyList<HolderRow>(), listQuery: query })
      this.setData({ listError: '' })
      await runLatestLoad(
        partHost(this, { generation: 'listGeneration', status: 'listStatus', error: 'listError' }),
        () => call('cards', 'holderList', holderInput(query, null)),
        {
          quiet: options.quiet,
          toData: (page) => ({
            list: firstPage({ items: page.items.map(holderRowOf), nextCursor: page.nextCursor }),
            listQuery: query,
            tags: page.tags,
          }),
        },
      )
    },

    onRetryList() {
      void this.loadList()
    },

    /** 加载更多: the next page of the list shown, with the search it was loaded with; dropped when the list changed meanwhile. */
    async onMore() {
      if (this.data.listStatus !== 'ready') return
      const generation = this.data.listGeneration
      const query = this.data.listQuery
      await loadNextPage<HolderRow>({
        read: () => this.data.list,
        write: (list: CursorList<HolderRow>) => this.setData({ list }),
        fetch: async (cursor): Promise<CursorPage<HolderRow>> => {
          const page = await call('cards', 'holderList', holderInput(query, cursor))
          if (this.data.listGeneration === generation) this.setData({ tags: page.tags })
          return { items: page.items.map(holderRowOf), nextCursor: page.nextCursor }
        },
        keyOf: (row) => row.cardId,
        stillWanted: () => this.data.listGeneration === generation && sameQuery(this.data.listQuery, query),
      })
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
      const row = this.data.list.items.find((i) => i.cardId === e.currentTarget.dataset.id)
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
        const index = this.data.list.items.findIndex((i) => i.cardId === cardId)
        this.setData({ editBusy: false, editing: '', ...(index >= 0 ? { [`list.items[${index}]`]: holderRowOf(item) } : {}) })
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
      const row = this.data.list.items.find((i) => i.cardId === e.currentTarget.dataset.id)
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
        this.setData({ busy: '', 'list.items': this.data.list.items.filter((i) => i.cardId !== row.cardId) })
        this.say(`已移除「${row.name}」`, false)
      } catch (error) {
        this.setData({ busy: '' })
        this.say(messageOf(error), true)
      }
    },

    // ---- 交换请求 ----

    /** The first page of a box; a later load (another tab, a refresh) drops this one's answer. */
    async loadExchanges(box: Box, options: { quiet?: boolean } = {}) {
      const quiet = options.quiet === true && this.data.exchangeBox === box
      if (!quiet) this.setData({ exchanges: emptyList<ExchangeRow>(), exchangeBox: box })
      this.setData({ exchangeError: '' })
      await runLatestLoad(
        partHost(this, { generation: 'exchangeGeneration', status: 'exchangeStatus', error: 'exchangeError' }),
        () => call('cards', 'exchangeList', { box, limit: PAGE_SIZE }),
        {
          quiet,
          toData: (page) => ({
            exchanges: firstPage({ items: page.exchanges.map(exchangeRowOf), nextCursor: page.nextCursor }),
            exchangeBox: box,
            pendingIncoming: page.pendingIncoming,
          }),
        },
      )
    },

    onRetryExchanges() {
      const tab = this.data.current
      if (tab !== 'holder') void this.loadExchanges(tab)
    },

    /** 加载更多 on a request tab; a failure is said under the list (exchanges.moreError), with the rows kept. */
    async onMoreExchanges() {
      const box = this.data.exchangeBox
      if (box === '' || this.data.exchangeStatus !== 'ready') return
      const generation = this.data.exchangeGeneration
      await loadNextPage<ExchangeRow>({
        read: () => this.data.exchanges,
        write: (exchanges: CursorList<ExchangeRow>) => this.setData({ exchanges }),
        fetch: async (cursor): Promise<CursorPage<ExchangeRow>> => {
          const page = await call('cards', 'exchangeList', { box, cursor, limit: PAGE_SIZE })
          return { items: page.exchanges.map(exchangeRowOf), nextCursor: page.nextCursor }
        },
        keyOf: (row) => row.id,
        stillWanted: () => this.data.exchangeGeneration === generation && this.data.exchangeBox === box && this.data.current === box,
      })
    },

    replaceExchange(exchange: ExchangeView) {
      const index = this.data.exchanges.items.findIndex((x) => x.id === exchange.id)
      if (index >= 0) this.setData({ [`exchanges.items[${index}]`]: exchangeRowOf(exchange) })
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
      const row = this.data.exchanges.items.find((x) => x.id === e.currentTarget.dataset.id)
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

/**
 * 访客 (/packageCards/pages/visitors/index[?cardId=…]): who viewed my cards
 * (registered visitors who allow recording, newest first, paged; with their
 * default card when they chose to share it) and a chart of the last 30 days,
 * one bar per day (registered visitors and anonymous views), for all my cards
 * or one. Also my own choice as a visitor: whether my default card goes with
 * my visits.
 */
import type { OutputOf } from '../../../../shared/contract'
import type { VisitorView } from '../../../../shared/contract/cards'
import { call, messageOf } from '../../../api'
import { cardPageUrl, editorUrl, initialOf } from '../../../utils/cards'
import { formatDateTime } from '../../../utils/format'
import { PRIVACY_URL, REGISTER_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { isRegisterRefusal } from '../../../utils/refusal'
import { visitChart, type ChartBar } from '../../../utils/visit-chart'
import { reporting } from '../../../utils/reporting'

const PAGE_SIZE = 20
interface CardChoice {
  id: string
  name: string
}

interface VisitorRow {
  id: string
  nickname: string
  /** To report the visitor's profile by. */
  accountId: string
  initial: string
  avatarUrl: string
  time: string
  /** Which of my cards, when the list covers all of them. */
  cardName: string
  viewerCardId: string
  viewerCardName: string
  viewerCardLine: string
  viewerVerified: boolean
  ariaLabel: string
}

interface Settings {
  shareCardOnVisit: boolean
  recording: boolean
  notice: string
}

function visitorRowOf(visitor: VisitorView, cardNames: Map<string, string>, showCard: boolean): VisitorRow {
  const card = visitor.viewerCard
  const line = card ? [card.title ?? '', card.company ?? ''].filter((s) => s.trim()).join(' · ') : ''
  const time = formatDateTime(visitor.visitedAt)
  const cardName = showCard ? (cardNames.get(visitor.cardId) ?? '') : ''
  return {
    id: visitor.id,
    nickname: visitor.nickname,
    accountId: visitor.accountId,
    initial: initialOf(visitor.nickname),
    avatarUrl: visitor.avatarUrl ?? '',
    time,
    cardName,
    viewerCardId: card?.id ?? '',
    viewerCardName: card?.name ?? '',
    viewerCardLine: line,
    viewerVerified: card?.verified ?? false,
    ariaLabel: [`${visitor.nickname} 于 ${time} 看过${cardName ? `「${cardName}」` : '你的名片'}`, card ? `附上了名片：${card.name}${line ? `，${line}` : ''}` : '']
      .filter(Boolean)
      .join('，'),
  }
}

type Mine = OutputOf<'cards', 'mine'>

const names = new WeakMap<object, Map<string, string>>()

Component({
  behaviors: [reporting],
  properties: {
    /** Page query: one card; empty for all my cards. */
    cardId: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    needRegister: false,
    noCards: false,
    choices: [] as CardChoice[],
    /** '' = all my cards. */
    selected: '',
    bars: [] as ChartBar[],
    chartMax: 0,
    chartTotal: 0,
    chartSummary: '',
    totalVisitors: 0,
    totalAnonymous: 0,
    visitors: [] as VisitorRow[],
    cursor: null as string | null,
    partStatus: 'ready' as 'loading' | 'ready' | 'error',
    partError: '',
    loadingMore: false,
    moreError: '',
    settings: null as Settings | null,
    settingsBusy: false,
    settingsError: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    cardInput(): { cardId?: string } {
      return this.data.selected ? { cardId: this.data.selected } : {}
    },

    async load() {
      await runLoad(
        (patch) => this.setData(patch),
        async () => {
          let mine: Mine
          try {
            mine = await call('cards', 'mine', {})
          } catch (error) {
            if (isRegisterRefusal(error)) return null
            throw error
          }
          const wanted = this.data.cardId
          const selected = wanted && mine.cards.some((c) => c.id === wanted) ? wanted : ''
          this.setData({ selected })
          const input = selected ? { cardId: selected } : {}
          const [stats, list, settings] = await Promise.all([
            call('cards', 'visitStats', input),
            call('cards', 'visitors', { ...input, limit: PAGE_SIZE }),
            call('cards', 'visitSettings', {}),
          ])
          return { mine, stats, list, settings }
        },
        {
          toData: (value) => {
            if (!value) return { needRegister: true }
            const { mine, stats, list, settings } = value
            names.set(this, new Map(mine.cards.map((c) => [c.id, c.name])))
            return {
              needRegister: false,
              noCards: mine.cards.length === 0,
              choices: [{ id: '', name: '全部名片' }, ...mine.cards.map((c) => ({ id: c.id, name: c.name }))],
              ...this.statsData(stats),
              visitors: this.rowsOf(list.visitors),
              cursor: list.nextCursor,
              settings,
            }
          },
        },
      )
    },

    statsData(stats: OutputOf<'cards', 'visitStats'>): Record<string, unknown> {
      const chart = visitChart(stats.days)
      return {
        bars: chart.bars,
        chartMax: chart.max,
        chartTotal: chart.total,
        chartSummary: chart.summary,
        totalVisitors: stats.totalVisitors,
        totalAnonymous: stats.totalAnonymous,
      }
    },

    rowsOf(visitors: VisitorView[]): VisitorRow[] {
      const cardNames = names.get(this) ?? new Map<string, string>()
      return visitors.map((v) => visitorRowOf(v, cardNames, this.data.selected === '' && cardNames.size > 1))
    },

    onRetry() {
      void this.load()
    },

    onRegister() {
      wx.navigateTo({ url: REGISTER_URL })
    },

    onCreateCard() {
      wx.navigateTo({ url: editorUrl() })
    },

    async onSelect(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = e.currentTarget.dataset.id
      if (id === this.data.selected || this.data.partStatus === 'loading') return
      this.setData({ selected: id, partStatus: 'loading', partError: '', moreError: '' })
      await this.loadPart()
    },

    async loadPart() {
      const selected = this.data.selected
      const input = this.cardInput()
      try {
        const [stats, list] = await Promise.all([call('cards', 'visitStats', input), call('cards', 'visitors', { ...input, limit: PAGE_SIZE })])
        if (this.data.selected !== selected) return
        this.setData({ ...this.statsData(stats), visitors: this.rowsOf(list.visitors), cursor: list.nextCursor, partStatus: 'ready' })
      } catch (error) {
        if (this.data.selected !== selected) return
        this.setData({ partStatus: 'error', partError: messageOf(error) })
      }
    },

    onRetryPart() {
      this.setData({ partStatus: 'loading', partError: '' })
      void this.loadPart()
    },

    async onMore() {
      const cursor = this.data.cursor
      if (!cursor || this.data.loadingMore) return
      const selected = this.data.selected
      this.setData({ loadingMore: true, moreError: '' })
      try {
        const list = await call('cards', 'visitors', { ...this.cardInput(), cursor, limit: PAGE_SIZE })
        if (this.data.selected !== selected) return
        this.setData({ loadingMore: false, visitors: [...this.data.visitors, ...this.rowsOf(list.visitors)], cursor: list.nextCursor })
      } catch (error) {
        this.setData({ loadingMore: false, moreError: messageOf(error) })
      }
    },

    onOpenViewerCard(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = e.currentTarget.dataset.id
      if (id) wx.navigateTo({ url: cardPageUrl(id) })
    },

    async onToggleShare(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      if (this.data.settingsBusy || !this.data.settings) return
      const shareCardOnVisit = e.detail.value
      const stored = this.data.settings.shareCardOnVisit
      // The page data follows the switch, so that putting it back below is a change the view renders.
      this.setData({ settingsBusy: true, settingsError: '', 'settings.shareCardOnVisit': shareCardOnVisit })
      try {
        const settings = await call('cards', 'updateVisitSettings', { shareCardOnVisit })
        this.setData({ settingsBusy: false, settings })
      } catch (error) {
        // The switch goes back to what is stored.
        this.setData({ settingsBusy: false, settingsError: messageOf(error), 'settings.shareCardOnVisit': stored })
      }
    },

    onOpenPrivacy() {
      wx.navigateTo({ url: PRIVACY_URL })
    },
  },
})

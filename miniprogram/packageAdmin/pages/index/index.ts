/**
 * 工作台 (staff only; the server refuses everyone else): each queue with how
 * many items wait and how long the oldest has, and the ways to the queue,
 * appeals, account look-up and (admins) roles.
 */
import type { QueueCount } from '../../../../shared/contract/moderation'
import { call } from '../../../api'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { ADMIN_PAGES, waited } from '../../utils/review'

interface QueueTile {
  queue: string
  label: string
  open: number
  oldest: string
}

function tileOf(count: QueueCount, now: number): QueueTile {
  return { queue: count.queue, label: count.label, open: count.open, oldest: count.oldestAt ? `最早的已等待 ${waited(count.oldestAt, now)}` : '没有待处理的事项' }
}

type QueueEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { queue: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    tiles: [] as QueueTile[],
    total: 0,
    isAdmin: false,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      if (this.data.status === 'ready') void this.load({ quiet: true })
    },
  },
  methods: {
    async load(options: { quiet?: boolean } = {}) {
      await runLoad(
        (patch) => {
          if (!(options.quiet && patch.status === 'loading')) this.setData(patch)
        },
        async () => {
          const [board, profile] = await Promise.all([call('moderation', 'queue', { limit: 1 }), call('account', 'getProfile', {})])
          return { counts: board.counts, admin: profile.account.roles.includes('admin') }
        },
        {
          toData: ({ counts, admin }) => {
            const now = Date.now()
            return { tiles: counts.map((c) => tileOf(c, now)), total: counts.reduce((sum, c) => sum + c.open, 0), isAdmin: admin }
          },
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

    onOpenQueue(e: QueueEvent) {
      const queue = e.currentTarget.dataset.queue
      wx.navigateTo({ url: queue === 'appeals' ? ADMIN_PAGES.appeals : `${ADMIN_PAGES.queue}?queue=${encodeURIComponent(queue)}` })
    },

    onOpenAll() {
      wx.navigateTo({ url: ADMIN_PAGES.queue })
    },

    onOpenAccount() {
      wx.navigateTo({ url: ADMIN_PAGES.account })
    },

    onOpenRoles() {
      wx.navigateTo({ url: ADMIN_PAGES.roles })
    },

    onOpenClients() {
      wx.navigateTo({ url: ADMIN_PAGES.clients })
    },
  },
})

/**
 * 已授权的应用 (/packageOidc/pages/grants/index): each organization the person
 * signed in to with 乐聊名片, what it receives, first and last use, and 撤销授权
 * (asked first): its tokens stop working at once and the next sign-in asks again.
 */
import type { GrantView } from '../../../../shared/contract/oidc'
import { call, messageOf } from '../../../api'
import { confirmed } from '../../../utils/confirm'
import { formatDateTime } from '../../../utils/format'
import { runLoad, type LoadStatus } from '../../../utils/load'

interface GrantRow {
  clientId: string
  name: string
  organization: string
  shared: string
  firstUsed: string
  lastUsed: string
}

function rowOf(g: GrantView): GrantRow {
  return {
    clientId: g.clientId,
    name: g.name,
    organization: g.organization,
    shared: g.scopeLabels.join('、'),
    firstUsed: formatDateTime(g.firstUsedAt),
    lastUsed: formatDateTime(g.lastUsedAt),
  }
}

type RevokeEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; name: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    grants: [] as GrantRow[],
    busy: '',
    notice: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      await runLoad((patch) => this.setData(patch), () => call('oidc', 'grants', {}), {
        toData: ({ grants }) => ({ grants: grants.map(rowOf) }),
        isEmpty: ({ grants }) => grants.length === 0,
      })
    },

    onRetry() {
      void this.load()
    },

    async onRevoke(e: RevokeEvent) {
      const { id, name } = e.currentTarget.dataset
      if (this.data.busy !== '') return
      const ok = await confirmed({
        title: `撤销对「${name}」的授权？`,
        content: '撤销后该机构持有的登录令牌立即失效，它将不能再用你的乐聊名片获取信息；下次登录时需要重新同意。',
        confirmText: '撤销授权',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: id, notice: '' })
      try {
        await call('oidc', 'revokeGrant', { clientId: id })
        const grants = this.data.grants.filter((g) => g.clientId !== id)
        this.setData({ busy: '', grants, status: grants.length === 0 ? 'empty' : 'ready', notice: `已撤销对「${name}」的授权` })
      } catch (error) {
        this.setData({ busy: '', notice: messageOf(error) })
      }
    },
  },
})

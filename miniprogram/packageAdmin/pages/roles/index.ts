/**
 * 角色 (/packageAdmin/pages/roles/index, admins): who is staff, in which role
 * and whether their account can be used now; granting a role (to a verified
 * account, by its number) and revoking one, each with a reason (audited, and
 * shown to the person). The server keeps at least one usable admin.
 */
import type { StaffMemberView } from '../../../../shared/contract/admin'
import { call, fieldErrors, messageOf } from '../../../api'
import { runLoad, type LoadStatus } from '../../../utils/load'

interface MemberRow {
  key: string
  id: string
  nickname: string
  roles: Array<{ role: 'reviewer' | 'admin'; label: string }>
  state: string
  usable: boolean
}

const ROLE_LABELS = { reviewer: '审核员', admin: '管理员' } as const

function rowOf(m: StaffMemberView): MemberRow {
  const roles = (['admin', 'reviewer'] as const).filter((r) => m.roles.includes(r)).map((role) => ({ role, label: ROLE_LABELS[role] }))
  return { key: m.id, id: m.id, nickname: m.nickname, roles, state: m.usable ? m.stateLabel : `${m.stateLabel}（不能使用工作台）`, usable: m.usable }
}

type RevokeEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; role: 'reviewer' | 'admin'; name: string }>

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    members: [] as MemberRow[],
    accountId: '',
    roleIndex: 0,
    roleChoices: ['审核员', '管理员'],
    reason: '',
    errors: {} as Record<string, string>,
    busy: false,
    notice: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      await runLoad((patch) => this.setData(patch), () => call('admin', 'listStaff', {}), {
        toData: ({ staff }) => ({ members: staff.map(rowOf) }),
        isEmpty: ({ staff }) => staff.length === 0,
      })
    },

    async reload() {
      try {
        const { staff } = await call('admin', 'listStaff', {})
        this.setData({ members: staff.map(rowOf) })
      } catch {
        // What is shown stays; the next visit reads again.
      }
    },

    onRetry() {
      void this.load()
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, errors: {}, notice: '' })
    },

    onRole(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ roleIndex: Number(e.detail.value) || 0 })
    },

    async onGrant() {
      if (this.data.busy) return
      const accountId = this.data.accountId.trim()
      const reason = this.data.reason.trim()
      const errors: Record<string, string> = {}
      if (!accountId) errors.accountId = '请填写账号编号（在账号查询中可以找到）'
      if (reason.length < 4) errors.reason = '请写明理由（至少4个字）'
      if (Object.keys(errors).length > 0) {
        this.setData({ errors })
        return
      }
      const role = this.data.roleIndex === 1 ? 'admin' : 'reviewer'
      this.setData({ busy: true, errors: {}, notice: '' })
      try {
        const { account } = await call('admin', 'grantRole', { accountId, role, reason })
        await this.reload()
        this.setData({ busy: false, accountId: '', reason: '', notice: `已授予「${account.nickname}」${ROLE_LABELS[role]}角色` })
      } catch (error) {
        const fields = fieldErrors(error)
        this.setData({ busy: false, errors: { ...fields, form: Object.keys(fields).length > 0 ? '' : messageOf(error) } })
      }
    },

    async onRevoke(e: RevokeEvent) {
      if (this.data.busy) return
      const { id, role, name } = e.currentTarget.dataset
      let answer: WechatMiniprogram.ShowModalSuccessCallbackResult
      try {
        answer = await wx.showModal({ title: `撤销「${name}」的${ROLE_LABELS[role]}角色`, content: '', editable: true, placeholderText: '写明撤销理由（至少4个字）', confirmText: '撤销', confirmColor: '#b42318' })
      } catch {
        return
      }
      const reason = (answer.content ?? '').trim()
      if (!answer.confirm) return
      if (reason.length < 4) {
        this.setData({ errors: { form: '撤销角色须写明理由（至少4个字）' } })
        return
      }
      this.setData({ busy: true, errors: {}, notice: '' })
      try {
        await call('admin', 'revokeRole', { accountId: id, role, reason })
        await this.reload()
        this.setData({ busy: false, notice: `已撤销「${name}」的${ROLE_LABELS[role]}角色` })
      } catch (error) {
        this.setData({ busy: false, errors: { form: messageOf(error) } })
      }
    },
  },
})

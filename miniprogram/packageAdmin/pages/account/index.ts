/**
 * 账号 (/packageAdmin/pages/account/index[?id=<account>]): looks an account
 * up by its number or by a card's code or QR scene (c=…), for a stated reason
 * (audited, and shown to the person), and acts on it: restrict features,
 * suspend, freeze, terminate (admins) — each a decision with a statement of
 * reasons the person reads and may appeal — or lift restrictions and restore.
 * Actions are confirmed first.
 */
import type { StaffAccountView } from '../../../../shared/contract/admin'
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, RULE_IDS, ruleLabel } from '../../../../shared/review'
import { FEATURE_LABELS, FEATURES, PENALTY_TRANSITIONS, STAFF_TRANSITIONS, TRANSITIONS, type Feature, type StaffTransition } from '../../../../shared/rules/lifecycle'
import { call, fieldErrors, messageOf } from '../../../api'
import { confirmed } from '../../../utils/confirm'
import { formatDateTime } from '../../../utils/format'
import { VIEW_REASONS } from '../../utils/review'

const DURATIONS = [1, 3, 7, 15, 30, 90] as const
/** Why staff look an account up (audited, and shown to the person). */
const LOOK_REASONS: readonly string[] = [...VIEW_REASONS, '核查用户投诉']
const DAY_MS = 24 * 3600 * 1000

interface AccountPageView {
  id: string
  nickname: string
  roles: string
  verified: string
  state: string
  notice: string
  reason: string
  events: Array<{ key: string; at: string; text: string }>
}

function viewOf(a: StaffAccountView): AccountPageView {
  return {
    id: a.id,
    nickname: a.nickname,
    roles: a.roles.filter((r) => r !== 'user').map((r) => (r === 'admin' ? '管理员' : '审核员')).join('、') || '普通用户',
    verified: a.verified ? '已实名' : '未实名',
    state: a.lifecycle.label,
    notice: a.lifecycle.notice,
    reason: a.lifecycle.reason ?? '',
    events: a.events.map((e, i) => ({ key: `${i}`, at: formatDateTime(e.at), text: `${e.label}${e.reason ? `：${e.reason}` : ''}${e.until ? `（至 ${formatDateTime(e.until)}）` : ''}` })),
  }
}

type FieldEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>

Component({
  data: {
    by: 'account' as 'account' | 'card',
    lookup: '',
    reasons: [...LOOK_REASONS, '其他（自己填写）'],
    reasonIndex: 0,
    customReason: '',
    errors: {} as Record<string, string>,
    looking: false,
    account: null as AccountPageView | null,
    transitions: STAFF_TRANSITIONS.map((t) => ({ key: t, label: TRANSITIONS[t].label })),
    transitionIndex: 0,
    penalty: true,
    timed: true,
    restrict: true,
    categories: REPORT_CATEGORIES.map((c) => REPORT_CATEGORY_LABELS[c]),
    categoryIndex: 0,
    rules: RULE_IDS.map((r) => ruleLabel(r)),
    ruleIndex: 0,
    durations: DURATIONS.map((d) => `${d} 天`),
    durationIndex: 2,
    features: FEATURES.map((key) => ({ key, label: FEATURE_LABELS[key], checked: key === 'publish' })),
    statement: '',
    acting: false,
    actionError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.id) this.setData({ by: 'account', lookup: query.id })
    },

    onBy(e: WechatMiniprogram.BaseEvent<Record<string, never>, { by: string }>) {
      this.setData({ by: e.currentTarget.dataset.by === 'card' ? 'card' : 'account', errors: {} })
    },

    onText(e: FieldEvent) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, errors: {}, actionError: '' })
    },

    onPick(e: FieldEvent) {
      const field = e.currentTarget.dataset.field
      const index = Number(e.detail.value) || 0
      const patch: Record<string, unknown> = { [`${field}Index`]: index, actionError: '' }
      if (field === 'transition') Object.assign(patch, this.shape(STAFF_TRANSITIONS[index] ?? 'restrict'))
      this.setData(patch)
    },

    shape(transition: StaffTransition): Record<string, boolean> {
      return { penalty: PENALTY_TRANSITIONS.has(transition), timed: transition === 'restrict' || transition === 'suspend', restrict: transition === 'restrict' }
    },

    onFeatures(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      const chosen = new Set(e.detail.value)
      this.setData({ features: this.data.features.map((f) => ({ ...f, checked: chosen.has(f.key) })) })
    },

    reason(): string {
      return LOOK_REASONS[this.data.reasonIndex] ?? this.data.customReason.trim()
    },

    async onLookup() {
      const lookup = this.data.lookup.trim()
      const reason = this.reason()
      const errors: Record<string, string> = {}
      if (!lookup) errors.lookup = this.data.by === 'card' ? '请填写名片码或扫码得到的 c=…' : '请填写账号编号'
      if (reason.length < 4) errors.reason = '请写明查看原因（至少4个字），当事人能看到'
      if (Object.keys(errors).length > 0) {
        this.setData({ errors })
        return
      }
      this.setData({ looking: true, errors: {}, account: null })
      try {
        const input = this.data.by === 'card' ? { card: lookup, reason } : { accountId: lookup, reason }
        const { account } = await call('admin', 'getAccount', input)
        this.setData({ looking: false, account: viewOf(account), ...this.shape(STAFF_TRANSITIONS[this.data.transitionIndex] ?? 'restrict') })
      } catch (error) {
        this.setData({ looking: false, errors: { form: messageOf(error) } })
      }
    },

    async onAct() {
      const account = this.data.account
      const transition = STAFF_TRANSITIONS[this.data.transitionIndex]
      if (!account || !transition || this.data.acting) return
      const reason = this.data.statement.trim()
      if (reason.length < 4) {
        this.setData({ actionError: '请写明理由（至少4个字），用户会看到这段说明' })
        return
      }
      const days = DURATIONS[this.data.durationIndex] ?? 7
      const features: Feature[] = this.data.features.filter((f) => f.checked).map((f) => f.key)
      const label = TRANSITIONS[transition].label
      const ok = await confirmed({
        title: `确认${label}`,
        content: `将对「${account.nickname}」${label}${this.data.timed ? ` ${days} 天` : ''}。用户会收到写明理由的通知${this.data.penalty ? '，可以申诉' : ''}。`,
        confirmText: '确认',
        danger: this.data.penalty,
      })
      if (!ok) return
      this.setData({ acting: true, actionError: '' })
      try {
        const { account: after } = await call('admin', 'transition', {
          accountId: account.id,
          transition,
          reason,
          ...(this.data.timed ? { until: new Date(Date.now() + days * DAY_MS).toISOString() } : {}),
          ...(this.data.restrict ? { features } : {}),
          ...(this.data.penalty ? { category: REPORT_CATEGORIES[this.data.categoryIndex] ?? 'other', rule: RULE_IDS[this.data.ruleIndex] ?? 'law' } : {}),
        })
        this.setData({ acting: false, account: viewOf(after), statement: '' })
        wx.showToast({ title: '已处理', icon: 'success' })
      } catch (error) {
        const fields = fieldErrors(error)
        this.setData({ acting: false, actionError: Object.values(fields)[0] ?? messageOf(error) })
      }
    },
  },
})

/**
 * 处理 (/packageAdmin/pages/decide/index?id=…): the decision sheet. The
 * outcome this kind of item allows; for a finding against the person, the
 * statement of reasons they will read (category, the clause of the user
 * agreement, the facts) and the action on their account, starting from the
 * escalation ladder's suggestion — choosing otherwise asks why. Account
 * actions are confirmed before they are sent. The item comes from 详情 (the
 * look there was audited); opened on its own, the page looks it up once.
 */
import type { InputOf } from '../../../../shared/contract'
import type { ItemView } from '../../../../shared/contract/moderation'
import {
  ACCOUNT_ACTION_LABELS,
  ACCOUNT_ACTIONS,
  ADVERSE_OUTCOMES,
  DECISION_OUTCOME_LABELS,
  DEFAULT_RULE,
  REPORT_CATEGORIES,
  REPORT_CATEGORY_LABELS,
  RULE_IDS,
  ruleLabel,
  TIMED_ACTIONS,
  type AccountAction,
  type DecisionOutcome,
  type ReportCategory,
} from '../../../../shared/review'
import { FEATURE_LABELS, FEATURES, type Feature } from '../../../../shared/rules/lifecycle'
import { call, fieldErrors, messageOf } from '../../../api'
import { markChanged } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { hub } from '../../../utils/hub'
import { runLoad, type LoadStatus } from '../../../utils/load'

/** How long a restriction or suspension lasts, in days. */
const DURATIONS = [1, 3, 7, 15, 30, 90] as const
const DAY_MS = 24 * 3600 * 1000

interface Option<T extends string> {
  key: T
  label: string
}

type DecideInput = InputOf<'moderation', 'decide'>

interface Errors {
  [field: string]: string
}

function optionsOf<T extends string>(keys: readonly T[], labels: Record<T, string>): Array<Option<T>> {
  return keys.map((key) => ({ key, label: labels[key] }))
}

const CATEGORY_OPTIONS = optionsOf(REPORT_CATEGORIES, REPORT_CATEGORY_LABELS)
const RULE_OPTIONS = RULE_IDS.map((key) => ({ key, label: ruleLabel(key) }))

/** Actions the sheet offers for this item: impersonation always freezes at least. */
function actionsFor(item: ItemView): Array<Option<AccountAction>> {
  const keys = item.reviewable.kind === 'impersonation' ? (['freeze', 'terminate'] as const) : ACCOUNT_ACTIONS
  return optionsOf(keys, ACCOUNT_ACTION_LABELS)
}

function defaultsFor(item: ItemView) {
  const category: ReportCategory = item.reviewable.category ?? 'other'
  const suggested = item.suggested
  const days = suggested?.until ? Math.round((Date.parse(suggested.until) - Date.now()) / DAY_MS) : 7
  const actions = actionsFor(item)
  const action = suggested && actions.some((a) => a.key === suggested.action) ? suggested.action : (actions[0]?.key ?? 'none')
  return {
    outcomeIndex: 0,
    categoryIndex: Math.max(0, REPORT_CATEGORIES.indexOf(category)),
    ruleIndex: Math.max(0, RULE_IDS.indexOf(DEFAULT_RULE[category])),
    actionIndex: Math.max(0, actions.findIndex((a) => a.key === action)),
    durationIndex: Math.max(0, DURATIONS.findIndex((d) => d >= days)),
    features: FEATURES.map((key) => ({ key, label: FEATURE_LABELS[key], checked: (suggested?.features.length ? suggested.features : ['publish']).includes(key) })),
  }
}

type IndexEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>
type TextEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>
type FeatureEvent = WechatMiniprogram.CustomEvent<{ value: string[] }>

Component({
  data: {
    reviewableId: '',
    status: 'loading' as LoadStatus,
    error: '',
    item: null as ItemView | null,
    title: '',
    outcomes: [] as Array<Option<DecisionOutcome>>,
    outcomeIndex: 0,
    adverse: false,
    needsNote: false,
    birthDate: false,
    categories: CATEGORY_OPTIONS,
    categoryIndex: 0,
    rules: RULE_OPTIONS,
    ruleIndex: 0,
    facts: '',
    actions: [] as Array<Option<AccountAction>>,
    actionIndex: 0,
    timed: false,
    durations: DURATIONS.map((d) => `${d} 天`),
    durationIndex: 2,
    features: [] as Array<{ key: Feature; label: string; checked: boolean }>,
    restrict: false,
    suggested: '',
    suggestedAction: '' as AccountAction | '',
    deviates: false,
    deviationReason: '',
    correctedBirthDate: '',
    errors: {} as Errors,
    sending: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ reviewableId: query.id ?? '' })
      void this.load()
    },

    async load() {
      const handed = hub().reviewItem
      await runLoad(
        (patch) => this.setData(patch),
        async () => (handed && handed.reviewable.id === this.data.reviewableId ? handed : (await call('moderation', 'item', { reviewableId: this.data.reviewableId, reason: '作出处理决定' })).item),
        { toData: (item) => this.formFor(item) },
      )
    },

    formFor(item: ItemView): Record<string, unknown> {
      const outcomes = item.outcomes.map((key) => ({ key, label: DECISION_OUTCOME_LABELS[key] }))
      return {
        item,
        title: `${item.reviewable.kindLabel}${item.reviewable.categoryLabel ? ` · ${item.reviewable.categoryLabel}` : ''}`,
        outcomes,
        actions: actionsFor(item),
        suggested: item.suggested ? `建议：${item.suggested.label}（当事人有 ${item.subject?.activeStrikes ?? 0} 条生效中的违规记录）` : '',
        suggestedAction: item.suggested?.action ?? '',
        ...defaultsFor(item),
        ...this.derived(item, 0, defaultsFor(item).actionIndex),
      }
    },

    /** What shows depends on the outcome and the action chosen. */
    derived(item: ItemView, outcomeIndex: number, actionIndex: number): Record<string, unknown> {
      const outcome = item.outcomes[outcomeIndex]
      const adverse = outcome !== undefined && ADVERSE_OUTCOMES.has(outcome)
      const action = actionsFor(item)[actionIndex]?.key ?? 'none'
      const kind = item.reviewable.kind
      return {
        adverse,
        needsNote: !adverse && (kind === 'correction' || kind === 'impersonation'),
        birthDate: kind === 'correction' && item.correction?.field === 'birthDate' && outcome === 'accept' && !item.correction.birthDateFromId,
        timed: adverse && TIMED_ACTIONS.has(action),
        restrict: adverse && action === 'restrict',
        deviates: adverse && kind !== 'impersonation' && item.suggested !== null && item.suggested.action !== action,
      }
    },

    onPick(e: IndexEvent) {
      const field = e.currentTarget.dataset.field
      const index = Number(e.detail.value) || 0
      const item = this.data.item
      if (!item) return
      const patch: Record<string, unknown> = { [`${field}Index`]: index, errors: {} }
      if (field === 'category') {
        const category = REPORT_CATEGORIES[index] ?? 'other'
        patch.ruleIndex = Math.max(0, RULE_IDS.indexOf(DEFAULT_RULE[category]))
      }
      const outcomeIndex = field === 'outcome' ? index : this.data.outcomeIndex
      const actionIndex = field === 'action' ? index : this.data.actionIndex
      this.setData({ ...patch, ...this.derived(item, outcomeIndex, actionIndex) })
    },

    onText(e: TextEvent) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, errors: {} })
    },

    onFeatures(e: FeatureEvent) {
      const chosen = new Set(e.detail.value)
      this.setData({ features: this.data.features.map((f) => ({ ...f, checked: chosen.has(f.key) })) })
    },

    input(): DecideInput | null {
      const item = this.data.item
      const outcome = item?.outcomes[this.data.outcomeIndex]
      if (!item || !outcome) return null
      const facts = this.data.facts.trim()
      const base: DecideInput = { reviewableId: item.reviewable.id, outcome, ...(item.moderationDecisionId ? { moderationDecisionId: item.moderationDecisionId } : {}) }
      if (facts) base.facts = facts
      if (this.data.birthDate && this.data.correctedBirthDate) base.correctedBirthDate = this.data.correctedBirthDate
      if (!this.data.adverse) return base
      const action = this.data.actions[this.data.actionIndex]?.key ?? 'none'
      const days = DURATIONS[this.data.durationIndex] ?? 7
      return {
        ...base,
        category: REPORT_CATEGORIES[this.data.categoryIndex] ?? 'other',
        rule: RULE_IDS[this.data.ruleIndex] ?? 'law',
        accountAction: action,
        ...(this.data.timed ? { until: new Date(Date.now() + days * DAY_MS).toISOString() } : {}),
        ...(this.data.restrict ? { features: this.data.features.filter((f) => f.checked).map((f) => f.key) } : {}),
        ...(this.data.deviates && this.data.deviationReason.trim() ? { deviationReason: this.data.deviationReason.trim() } : {}),
      }
    },

    /** In words, what will happen: shown before account actions and removals are sent. */
    summary(input: DecideInput): string {
      const action = input.accountAction ?? 'none'
      const days = DURATIONS[this.data.durationIndex] ?? 7
      const parts = [DECISION_OUTCOME_LABELS[input.outcome]]
      if (action !== 'none') parts.push(`${ACCOUNT_ACTION_LABELS[action]}${this.data.timed ? ` ${days} 天` : ''}`)
      return `将作出：${parts.join('，')}。当事人会收到写明理由的通知，可以申诉。`
    },

    async onSubmit() {
      if (this.data.sending) return
      const input = this.input()
      if (!input) return
      const errors: Errors = {}
      if ((this.data.adverse || this.data.needsNote) && (input.facts ?? '').length < 4) errors.facts = '请写明事实（至少4个字），用户会看到这段说明'
      if (this.data.deviates && !input.deviationReason) errors.deviationReason = '选择了与建议不同的处理，请写明理由'
      if (this.data.restrict && (input.features ?? []).length === 0) errors.features = '请选择要限制的功能'
      if (Object.keys(errors).length > 0) {
        this.setData({ errors })
        return
      }
      if (input.outcome !== 'approve' && input.outcome !== 'dismiss') {
        const ok = await confirmed({ title: '确认处理', content: this.summary(input), confirmText: '确认', danger: (input.accountAction ?? 'none') !== 'none' })
        if (!ok) return
      }
      this.setData({ sending: true, errors: {} })
      try {
        await call('moderation', 'decide', input)
        hub().reviewItem = null
        markChanged('review')
        this.setData({ sending: false })
        wx.showToast({ title: '已处理', icon: 'success' })
        wx.navigateBack({ delta: 2 })
      } catch (error) {
        const fields = fieldErrors(error)
        this.setData({ sending: false, errors: { ...fields, form: fields[''] ?? (Object.keys(fields).length > 0 ? '' : messageOf(error)) } })
      }
    },

    onRetry() {
      void this.load()
    },
  },
})

/**
 * 详情 (/packageAdmin/pages/item/index?id=…): one queue item as a reviewer
 * needs it — the content exactly as published (every field), what the
 * automated checks found, its submissions and decisions, the reports with
 * pseudonymous reporters, and the person's state, strikes and past decisions.
 * Looking is audited: the reviewer first says why (the person concerned sees
 * it in their access log). 认领 keeps others off it for 15 minutes; 处理 opens
 * the decision sheet; an appeal goes to 申诉.
 */
import type { ItemView } from '../../../../shared/contract/moderation'
import { call, messageOf } from '../../../api'
import { formatDateTime } from '../../../utils/format'
import { hub } from '../../../utils/hub'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { ADMIN_PAGES, queueRowView, VIEW_REASONS, type QueueRowView } from '../../utils/review'

interface Line {
  key: string
  label: string
  text: string
}

interface ItemPageView {
  row: QueueRowView
  fields: Line[]
  images: string[]
  contentState: string
  contentReasons: string[]
  contentGone: boolean
  findings: Line[]
  history: Line[]
  reports: Line[]
  subject: Line[]
  pastDecisions: Line[]
  extra: Line[]
  suggested: string
  canDecide: boolean
  cannotDecide: string
  claimedByMe: boolean
  appealId: string
}

function lines(pairs: ReadonlyArray<[string, string]>): Line[] {
  return pairs.map(([label, text], index) => ({ key: `${index}`, label, text }))
}

/** A lexicon hit as the reviewer reads it: what the author wrote, and what the scanner read it as. */
function matchLine(match: { term: string; written: string; reads: string; bySound: boolean }): string {
  return `原文“${match.written}” → 读作“${match.reads}”${match.bySound ? '（读音相同）' : ''} · 词条“${match.term}”`
}

function pageViewOf(item: ItemView): ItemPageView {
  const subject = item.subject
  return {
    row: queueRowView(item.reviewable),
    fields: item.content ? item.content.fields.map((f) => ({ key: f.field, label: f.label, text: f.text })) : [],
    images: item.content?.images ?? [],
    contentState: item.content?.stateLabel ?? '',
    contentReasons: item.content?.reasons ?? [],
    contentGone: item.content === null && ['card', 'activity', 'article', 'nickname', 'avatar', 'account'].includes(item.reviewable.kind),
    findings: item.findings.map((f, i) => ({ key: `${i}`, label: f.field || '全文', text: [f.reasons.join('；'), ...(f.matches ?? []).map(matchLine)].join('\n') })),
    history: item.history.map((h, i) => ({ key: `${i}`, label: formatDateTime(h.at), text: `${h.label}${h.detail ? `：${h.detail}` : ''}` })),
    reports: item.reports.map((r, i) => ({
      key: `${i}`,
      label: `${r.reporter}${r.verified ? '（已实名）' : ''}`,
      text: `${r.categoryLabel} · 权重 ${r.weight} · ${formatDateTime(r.createdAt)}${r.comment ? `\n“${r.comment}”` : ''}${r.commentFlags.length > 0 ? `\n说明中含有：${r.commentFlags.join('；')}` : ''}`,
    })),
    subject: subject
      ? lines([
          ['昵称', subject.nickname],
          ['账号编号', subject.accountId],
          ['账号状态', subject.stateLabel],
          ['实名', subject.verified ? '已实名' : '未实名'],
          ['生效中的违规记录', `${subject.activeStrikes} 条`],
          ...(subject.staff ? ([['身份', '工作人员']] as Array<[string, string]>) : []),
        ])
      : [],
    pastDecisions: (subject?.decisions ?? []).map((d) => ({
      key: d.id,
      label: formatDateTime(d.createdAt),
      text: `${d.kindLabel}：${d.outcomeLabel}${d.accountAction ? ` · ${d.accountAction.label}` : ''}${d.strike ? ` · 违规记录${d.strike.stateLabel}` : ''}${d.appeal.state ? ` · 申诉${d.appeal.stateLabel}` : ''}`,
    })),
    extra: [
      ...(item.correction ? lines([['更正项目', item.correction.fieldLabel], ['申请说明', item.correction.note]]) : []),
      ...(item.impersonation ? lines([['申诉说明', item.impersonation.reason], ['被申诉账号', item.impersonation.holderAccountId], ['提交时间', formatDateTime(item.impersonation.reportedAt)]]) : []),
      ...(item.appeal
        ? lines([
            ['申诉理由', item.appeal.text],
            ['原决定', `${item.appeal.decision.kindLabel}：${item.appeal.decision.outcomeLabel}${item.appeal.decision.accountAction ? ` · ${item.appeal.decision.accountAction.label}` : ''}`],
            ['原决定理由', item.appeal.decision.statement ? `${item.appeal.decision.statement.categoryLabel}；${item.appeal.decision.statement.facts}` : (item.appeal.decision.note ?? '')],
          ])
        : []),
    ],
    suggested: item.suggested ? `建议处理：${item.suggested.label}` : '',
    canDecide: item.canDecide,
    cannotDecide: item.cannotDecideReason ?? '',
    claimedByMe: item.reviewable.claim?.mine ?? false,
    appealId: item.appeal?.id ?? '',
  }
}

type ReasonEvent = WechatMiniprogram.CustomEvent<{ value: string }>

Component({
  data: {
    reviewableId: '',
    reasons: [...VIEW_REASONS, '其他（自己填写）'],
    reasonIndex: 0,
    customReason: '',
    reasonError: '',
    asked: false,
    status: 'loading' as LoadStatus,
    error: '',
    view: null as ItemPageView | null,
    busy: false,
    actionError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ reviewableId: query.id ?? '' })
    },

    onReason(e: ReasonEvent) {
      this.setData({ reasonIndex: Number(e.detail.value) || 0, reasonError: '' })
    },

    onCustomReason(e: ReasonEvent) {
      this.setData({ customReason: e.detail.value, reasonError: '' })
    },

    reason(): string {
      const preset = VIEW_REASONS[this.data.reasonIndex]
      return preset ?? this.data.customReason.trim()
    },

    async onView() {
      const reason = this.reason()
      if (reason.length < 4) {
        this.setData({ reasonError: '请写明查看原因（至少4个字），当事人能看到' })
        return
      }
      this.setData({ asked: true })
      await this.load(reason)
    },

    async load(reason: string) {
      await runLoad(
        (patch) => this.setData(patch),
        () => call('moderation', 'item', { reviewableId: this.data.reviewableId, reason }),
        {
          toData: ({ item }) => {
            hub().reviewItem = item
            return { view: pageViewOf(item) }
          },
        },
      )
    },

    onRetry() {
      void this.load(this.reason())
    },

    async onClaim() {
      await this.claimOrRelease('claim')
    },

    async onRelease() {
      await this.claimOrRelease('release')
    },

    async claimOrRelease(action: 'claim' | 'release') {
      const view = this.data.view
      if (!view || this.data.busy) return
      this.setData({ busy: true, actionError: '' })
      try {
        const { item } = await call('moderation', action, { reviewableId: this.data.reviewableId })
        this.setData({ busy: false, 'view.row': queueRowView(item), 'view.claimedByMe': item.claim?.mine ?? false })
      } catch (error) {
        this.setData({ busy: false, actionError: messageOf(error) })
      }
    },

    onDecide() {
      wx.navigateTo({ url: `${ADMIN_PAGES.decide}?id=${encodeURIComponent(this.data.reviewableId)}` })
    },

    onOpenAppeal() {
      wx.navigateTo({ url: `${ADMIN_PAGES.appeals}?id=${encodeURIComponent(this.data.reviewableId)}` })
    },
  },
})

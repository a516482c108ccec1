/**
 * 账号与安全 (/packageAccount/pages/security/index): my account's state as I
 * experience it (account.getState) with its notice, the statement of reasons,
 * the end time and the feature bans, how to appeal a staff decision, and what I
 * can do about it myself (`available`):
 * - freeze (confirmed first), unfreeze (confirmed, then re-confirmed: a recent
 *   sign-in, and for a verified account a fresh face check on the verify page);
 * - delete the account: the deletion preview first (what is deleted, anonymized
 *   or kept, and why), an explicit destructive confirmation, then the request
 *   (re-confirmed like unfreezing); while the cooling-off period runs, a
 *   countdown and 撤销注销.
 * Every action here is exempt from the terms gate: a person who refused an
 * updated agreement can still freeze or delete their account.
 */
import type { AccountState, SelfServiceAction } from '../../../../shared/account'
import type { DeletionPreviewItem, LifecycleView } from '../../../../shared/contract/account'
import { ApiCallError, call, messageOf } from '../../../api'
import { confirmed } from '../../../utils/confirm'
import { formatDateTime } from '../../../utils/format'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { CONDUCT_PAGE } from '../../../../shared/review'

const VERIFY_URL = '/packageAccount/pages/verify/index'
const DATA_URL = '/packageAccount/pages/data/index'

const MINUTE_MS = 60 * 1000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** The countdowns show days and hours: a minute's tick is enough. */
const TICK_MS = MINUTE_MS

/** What the verify page reports back after a passed re-check. */
interface RecheckedResult {
  verificationId: string
  validUntil: string
}

/** The actions that need re-confirmation, and the purpose the verify page is opened for. */
type ReconfirmedAction = 'unfreeze' | 'wake' | 'requestDeletion'
const RECHECK_PURPOSE: Record<ReconfirmedAction, 'unfreeze' | 'wake' | 'deletion'> = {
  unfreeze: 'unfreeze',
  wake: 'wake',
  requestDeletion: 'deletion',
}

/** The button that is working, '' when none ('preview': reading the deletion preview). */
type Busy = SelfServiceAction | 'preview' | ''

type Tone = 'ok' | 'notice' | 'error'

const TONES: Record<AccountState, Tone> = {
  active: 'ok',
  restricted: 'notice',
  suspended: 'error',
  frozenBySelf: 'notice',
  frozenByStaff: 'error',
  pendingDeletion: 'notice',
  deleted: 'error',
  dormant: 'notice',
  terminated: 'error',
}

interface BanRow {
  feature: string
  label: string
  until: string
  remaining: string
  reason: string
}

interface StateView {
  state: AccountState | ''
  label: string
  tone: Tone
  notice: string
  reason: string
  /** Beijing time "2024-06-01 09:30", '' for states without an end. */
  until: string
  untilRemaining: string
  changedAt: string
  bans: BanRow[]
  appeal: string
  deletionDue: string
  deletionRemaining: string
  canFreeze: boolean
  canUnfreeze: boolean
  canWake: boolean
  canDelete: boolean
  canCancelDeletion: boolean
}

const EMPTY_VIEW: StateView = {
  state: '',
  label: '',
  tone: 'ok',
  notice: '',
  reason: '',
  until: '',
  untilRemaining: '',
  changedAt: '',
  bans: [],
  appeal: '',
  deletionDue: '',
  deletionRemaining: '',
  canFreeze: false,
  canUnfreeze: false,
  canWake: false,
  canDelete: false,
  canCancelDeletion: false,
}

type Treatment = DeletionPreviewItem['treatment']

const TREATMENT_TEXT: Record<Treatment, { title: string; note: string }> = {
  delete: { title: '将被删除', note: '冷静期满后彻底删除，无法恢复。' },
  anonymize: { title: '将被匿名化', note: '删除能识别你的内容，只留下不含个人信息的记录。' },
  pseudonymize: { title: '去标识化后保留', note: '依法需要留存的记录，其中你的微信标识会换成无法还原的编号。' },
  keep: { title: '部分保留', note: '只保留依法需要的处理结论，不再与你关联。' },
}

const TREATMENT_ORDER: readonly Treatment[] = ['delete', 'anonymize', 'pseudonymize', 'keep']

interface PreviewRow {
  key: string
  title: string
  count: string
  detail: string
}

interface PreviewGroup {
  treatment: Treatment
  title: string
  note: string
  rows: PreviewRow[]
}

interface PreviewView {
  coolingOffDays: number
  erasureWorkingDays: number
  groups: PreviewGroup[]
}

/** "还剩 3 天 5 小时" until `iso`, or '' when it has passed or is unknown. */
function remainingText(iso: string | null, nowMs: number): string {
  if (!iso) return ''
  const end = Date.parse(iso)
  if (Number.isNaN(end)) return ''
  const left = end - nowMs
  if (left <= 0) return ''
  if (left < HOUR_MS) return '还剩不到 1 小时'
  const days = Math.floor(left / DAY_MS)
  const hours = Math.floor((left % DAY_MS) / HOUR_MS)
  return days > 0 ? `还剩 ${days} 天 ${hours} 小时` : `还剩 ${hours} 小时`
}

function viewOf(lifecycle: LifecycleView, nowMs: number): StateView {
  const can = (action: SelfServiceAction): boolean => lifecycle.available.includes(action)
  return {
    state: lifecycle.state,
    label: lifecycle.label,
    tone: TONES[lifecycle.state],
    notice: lifecycle.notice,
    reason: lifecycle.reason ?? '',
    until: lifecycle.until ? formatDateTime(lifecycle.until) : '',
    untilRemaining: remainingText(lifecycle.until, nowMs),
    changedAt: lifecycle.changedAt ? formatDateTime(lifecycle.changedAt) : '',
    bans: lifecycle.bans.map((ban) => ({
      feature: ban.feature,
      label: ban.label,
      until: formatDateTime(ban.until),
      remaining: remainingText(ban.until, nowMs),
      reason: ban.reason,
    })),
    appeal: lifecycle.appeal ?? '',
    deletionDue: lifecycle.deletionDueAt ? formatDateTime(lifecycle.deletionDueAt) : '',
    deletionRemaining: remainingText(lifecycle.deletionDueAt, nowMs),
    canFreeze: can('freeze'),
    canUnfreeze: can('unfreeze'),
    canWake: can('wake'),
    canDelete: can('requestDeletion'),
    canCancelDeletion: can('cancelDeletion'),
  }
}

/** A countdown is on screen: the timer keeps it current. */
function hasCountdown(lifecycle: LifecycleView | null): boolean {
  return lifecycle !== null && (lifecycle.until !== null || lifecycle.deletionDueAt !== null || lifecycle.bans.length > 0)
}

function previewOf(preview: { coolingOffDays: number; erasureWorkingDays: number; items: DeletionPreviewItem[] }): PreviewView {
  const groups: PreviewGroup[] = []
  for (const treatment of TREATMENT_ORDER) {
    const rows = preview.items
      .filter((item) => item.treatment === treatment)
      .map((item) => ({ key: item.collection, title: item.title, count: `${item.count} 条`, detail: item.detail }))
    if (rows.length > 0) groups.push({ treatment, ...TREATMENT_TEXT[treatment], rows })
  }
  return { coolingOffDays: preview.coolingOffDays, erasureWorkingDays: preview.erasureWorkingDays, groups }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof ApiCallError && error.code === code
}

/** Interval timers by page instance (one bundle holds this module for every open copy of the page). */
const timers = new Map<object, number>()

const SUCCESS_TEXT: Record<SelfServiceAction, string> = {
  freeze: '账号已冻结。确认账号安全后，可以在这里本人解冻。',
  unfreeze: '账号已解冻，可以正常使用了。',
  wake: '账号已从休眠恢复，你发布的内容重新对他人显示。',
  requestDeletion: '已收到你的注销申请。冷静期内可以随时撤销。',
  cancelDeletion: '已撤销注销，账号恢复正常，你的信息不会被删除。',
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    lifecycle: null as LifecycleView | null,
    view: EMPTY_VIEW,
    busy: '' as Busy,
    /** The result of the last action (status), or why it did not happen (alert). */
    message: '',
    messageKind: 'status' as 'status' | 'alert',
    previewOpen: false,
    previewStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'empty' | 'error',
    previewError: '',
    preview: null as PreviewView | null,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
    detached() {
      this.stopTimer()
    },
  },
  pageLifetimes: {
    show() {
      // Back from the verify or data page, or from the background: the countdowns move on, the state may have changed.
      if (this.data.status !== 'ready') return
      this.tick()
      // A refresh that ends after an action started is dropped (see refresh).
      if (this.data.busy === '') void this.refresh()
    },
  },
  methods: {
    async load() {
      const result = await runLoad(
        (patch) => this.setData(patch),
        () => call('account', 'getState', {}),
        { toData: ({ lifecycle }) => ({ lifecycle, view: viewOf(lifecycle, Date.now()) }) },
      )
      if (result) this.syncTimer()
    },

    onOpenConduct() {
      wx.navigateTo({ url: CONDUCT_PAGE })
    },

    onRetry() {
      void this.load()
    },

    /** Reads the state again without the loading state; a failure keeps what the page shows. */
    async refresh() {
      try {
        const { lifecycle } = await call('account', 'getState', {})
        if (this.data.busy === '') this.applyLifecycle(lifecycle)
      } catch {
        // Not worth an error state: the page still shows the last known state.
      }
    },

    applyLifecycle(lifecycle: LifecycleView) {
      this.setData({ lifecycle, view: viewOf(lifecycle, Date.now()) })
      this.syncTimer()
    },

    tick() {
      const lifecycle = this.data.lifecycle
      if (!lifecycle) return
      const now = Date.now()
      this.setData({
        'view.untilRemaining': remainingText(lifecycle.until, now),
        'view.deletionRemaining': remainingText(lifecycle.deletionDueAt, now),
        'view.bans': lifecycle.bans.map((ban) => ({
          feature: ban.feature,
          label: ban.label,
          until: formatDateTime(ban.until),
          remaining: remainingText(ban.until, now),
          reason: ban.reason,
        })),
      })
    },

    /** Runs the timer while a countdown is on screen, and only then. */
    syncTimer() {
      const running = timers.has(this)
      const needed = hasCountdown(this.data.lifecycle)
      if (needed && !running) timers.set(this, setInterval(() => this.tick(), TICK_MS))
      if (!needed && running) this.stopTimer()
    },

    stopTimer() {
      const timer = timers.get(this)
      if (timer !== undefined) clearInterval(timer)
      timers.delete(this)
    },

    finish(action: SelfServiceAction, lifecycle: LifecycleView) {
      this.setData({ busy: '', previewOpen: false, message: SUCCESS_TEXT[action], messageKind: 'status' })
      this.applyLifecycle(lifecycle)
    },

    fail(error: unknown) {
      this.setData({ busy: '', message: messageOf(error), messageKind: 'alert' })
      // The state changed elsewhere (another device, staff): show what is true now and what can be done.
      if (isCode(error, 'TRANSITION_NOT_ALLOWED') || isCode(error, 'ACCOUNT_UNAVAILABLE')) void this.refresh()
    },

    async onFreeze() {
      if (this.data.busy !== '' || !this.data.view.canFreeze) return
      const ok = await confirmed({
        title: '冻结账号？',
        content:
          '冻结后账号立即停止使用：任何人（包括你自己）都无法用它使用乐聊名片的功能，直到你本人解冻。适合担心账号被盗时使用。冻结期间仍可在这里查看状态、解冻或申请注销。',
        confirmText: '冻结',
        cancelText: '再想想',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: 'freeze', message: '' })
      try {
        const { lifecycle } = await call('account', 'freeze', {})
        this.finish('freeze', lifecycle)
      } catch (error) {
        this.fail(error)
      }
    },

    async onUnfreeze() {
      if (this.data.busy !== '' || !this.data.view.canUnfreeze) return
      const ok = await confirmed({
        title: '解除冻结？',
        content: '解冻后账号恢复正常使用。为确认是你本人操作，可能需要重新登录，已实名的账号还需要重新完成人脸核验。',
        confirmText: '解冻',
        cancelText: '再想想',
      })
      if (!ok) return
      await this.reconfirmed('unfreeze')
    },

    async onWake() {
      if (this.data.busy !== '' || !this.data.view.canWake) return
      await this.reconfirmed('wake')
    },

    /**
     * Sends an action that needs re-confirmation. A sign-in older than the
     * backend accepts is renewed (account.login) and the action sent once more;
     * a verified account is sent to the verify page for a fresh face check, and
     * the action resumes with its verificationId when the page reports back.
     */
    async reconfirmed(action: ReconfirmedAction, verificationId?: string) {
      this.setData({ busy: action, message: '' })
      const input = verificationId ? { confirm: true as const, verificationId } : { confirm: true as const }
      const send = () => call('account', action, input)
      try {
        let result: { lifecycle: LifecycleView }
        try {
          result = await send()
        } catch (error) {
          if (!isCode(error, 'REAUTH_REQUIRED')) throw error
          // Signing in again is what "recent" asks for; then one more try.
          await call('account', 'login', {})
          result = await send()
        }
        this.finish(action, result.lifecycle)
      } catch (error) {
        if (isCode(error, 'REVERIFICATION_REQUIRED') && !verificationId) {
          this.openRecheck(action)
          return
        }
        this.fail(error)
      }
    },

    openRecheck(action: ReconfirmedAction) {
      this.setData({
        busy: '',
        message: '为确认是你本人操作，请先完成人脸核验，完成后会自动继续。',
        messageKind: 'status',
      })
      wx.navigateTo({
        url: `${VERIFY_URL}?mode=recheck&purpose=${RECHECK_PURPOSE[action]}`,
        events: {
          rechecked: (result: RecheckedResult) => {
            // One action at a time; the verify page reports once per navigation.
            if (this.data.busy !== '' || !result || typeof result.verificationId !== 'string') return
            void this.reconfirmed(action, result.verificationId)
          },
        },
        fail: () => {
          this.setData({ message: '无法打开人脸核验页面，请稍后重试', messageKind: 'alert' })
        },
      })
    },

    /** Deletion starts with what it does: the preview. */
    async onOpenDeletion() {
      if (this.data.busy !== '' || !this.data.view.canDelete) return
      this.setData({ previewOpen: true, message: '' })
      await this.loadPreview()
    },

    async loadPreview() {
      this.setData({ busy: 'preview', previewStatus: 'loading', previewError: '' })
      try {
        const result = await call('account', 'deletionPreview', {})
        const preview = previewOf(result)
        this.setData({ busy: '', preview, previewStatus: preview.groups.length === 0 ? 'empty' : 'ready' })
      } catch (error) {
        this.setData({ busy: '', previewStatus: 'error', previewError: messageOf(error) })
      }
    },

    onRetryPreview() {
      if (this.data.busy === '') void this.loadPreview()
    },

    onClosePreview() {
      if (this.data.busy !== '') return
      this.setData({ previewOpen: false })
    },

    async onRequestDeletion() {
      const preview = this.data.preview
      if (this.data.busy !== '' || !this.data.view.canDelete || !preview) return
      const ok = await confirmed({
        title: '确认注销账号？',
        content: `提交后进入 ${preview.coolingOffDays} 天冷静期，期间账号停止使用，可以随时撤销。冷静期满后，我们会在 ${preview.erasureWorkingDays} 个工作日内按上面的清单删除或匿名化你的个人信息，之后无法恢复。`,
        confirmText: '确认注销',
        cancelText: '再想想',
        danger: true,
      })
      if (!ok) return
      await this.reconfirmed('requestDeletion')
    },

    async onCancelDeletion() {
      if (this.data.busy !== '' || !this.data.view.canCancelDeletion) return
      this.setData({ busy: 'cancelDeletion', message: '' })
      try {
        const { lifecycle } = await call('account', 'cancelDeletion', {})
        this.finish('cancelDeletion', lifecycle)
      } catch (error) {
        this.fail(error)
      }
    },

    onOpenData() {
      wx.navigateTo({ url: DATA_URL })
    },
  },
})

/**
 * 活动详情 (/packageActivities/pages/detail/index?id=…), activities.detail:
 * time, place, seats left, organizer and description.
 * - Others sign up (activities.signUp), optionally leaving a phone number and
 *   choosing whether the organizer sees it in full (otherwise masked, as the
 *   form previews), and cancel their sign-up after confirming
 *   (activities.cancelSignUp). Refusals say what happened and what to do
 *   (名额已满, 报名已截止, 已报名 …); the seats are read again after them.
 * - The organizer sees where the activity stands in moderation, may edit it
 *   (the editor) or cancel it after confirming (activities.cancel; sign-ups
 *   are notified), and reads the attendee list (activities.attendees, paged):
 *   phones masked unless the attendee shared theirs.
 * An activity that is gone (deleted, hidden, or a broken link) is an empty
 * state that says so, with 返回: reloading would not bring it back.
 */
import type { ActivityDetail } from '../../../../shared/contract/activities'
import { ApiCallError, call, messageOf } from '../../../api'
import {
  ACTIVITY_LIST_URL,
  activityDetailUrl,
  activityEditorUrl,
  activityViewOf,
  attendeeRowOf,
  organizerSees,
  phoneProblem,
  type ActivityView,
  type AttendeeRow,
} from '../../../utils/activities'
import { markChanged } from '../../../utils/changes'
import { confirmed } from '../../../utils/confirm'
import { emptyList, firstPage, loadNextPage, type CursorList } from '../../../utils/cursor-list'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { decodedParam, goBack } from '../../../utils/query'
import { followRefusal, NO_REFUSAL, refusalOf, type Refusal } from '../../../utils/refusal'
import { reporting } from '../../../utils/reporting'

const ATTENDEE_PAGE_SIZE = 20

const GONE_MESSAGE = '这个活动不存在或已被删除，也可能暂时不公开'
const BAD_LINK_MESSAGE = '没有找到这个活动：链接可能不完整，请返回后重新打开'

/** Refusals after which the activity on screen is out of date (seats, phase, my sign-up). */
const STALE_AFTER: readonly string[] = ['ACTIVITY_FULL', 'SIGNUP_CLOSED', 'ALREADY_SIGNED_UP', 'NOT_PUBLISHED', 'ACTIVITY_LOCKED']

const EMPTY_ACTIVITY: ActivityView = {
  id: '',
  title: '',
  description: '',
  place: '',
  time: '',
  start: '',
  deadline: '',
  phase: 'open',
  phaseLabel: '',
  phaseBadge: '',
  seatsLeft: 0,
  capacity: 0,
  taken: 0,
  seats: '',
  cover: '',
  organizer: '',
  organizerVerified: false,
  mine: false,
  signedUp: false,
  cancelledAt: '',
  editable: false,
  moderationState: '',
  moderationLabel: '',
  moderationBadge: '',
  moderationReasons: [],
}

type Busy = '' | 'signUp' | 'cancelSignUp' | 'cancel'

Component({
  behaviors: [reporting],
  data: {
    /** From the page query (?id=; `id` cannot be a property: it is the component's own id). */
    activityId: '',
    status: 'loading' as LoadStatus,
    error: '',
    started: false,
    activity: EMPTY_ACTIVITY,
    /** Signing up is possible now (not mine, not signed up, open, published). */
    canSignUp: false,
    /** Cancelling my sign-up is possible now (before the start). */
    canCancelSignUp: false,
    phone: '',
    sharePhone: false,
    phoneError: '',
    /** What the organizer will see of the typed number; '' while it is incomplete. */
    organizerPreview: '',
    busy: '' as Busy,
    refusal: NO_REFUSAL as Refusal,
    notice: '',
    attendees: emptyList<AttendeeRow>(),
    attendeesTotal: 0,
    attendeesStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    attendeesError: '',
  },
  pageLifetimes: {
    show() {
      // Back from the editor, or after a while: seats and moderation may have changed.
      if (this.data.status === 'ready') void this.refresh()
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      this.setData({ started: true, activityId: decodedParam(query.id) ?? '' })
      void this.load()
    },

    async load() {
      const id = this.data.activityId
      if (!id) {
        this.setData({ status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      let gone = GONE_MESSAGE
      const result = await runLoad(
        (patch) => this.setData(patch.status === 'empty' ? { ...patch, error: gone } : patch),
        async () => {
          try {
            return await call('activities', 'detail', { id })
          } catch (error) {
            if (!(error instanceof ApiCallError) || error.code !== 'NOT_FOUND') throw error
            gone = error.message || GONE_MESSAGE
            return null
          }
        },
        { toData: (found) => (found ? this.viewData(found.activity) : {}), isEmpty: (found) => found === null },
      )
      if (result?.activity.mine) void this.loadAttendees()
    },

    /** Reads the activity again without the loading state (after a refusal, or back on the page). */
    async refresh() {
      try {
        const { activity } = await call('activities', 'detail', { id: this.data.activityId })
        this.setData(this.viewData(activity))
        if (activity.mine) void this.loadAttendees()
      } catch (error) {
        // Deleted or hidden meanwhile: say so. Otherwise what is shown stays; the refusal or the next visit says the rest.
        if (error instanceof ApiCallError && error.code === 'NOT_FOUND') this.setData({ status: 'empty', error: error.message || GONE_MESSAGE })
      }
    },

    viewData(activity: ActivityDetail): Record<string, unknown> {
      const view = activityViewOf(activity)
      const published = activity.moderation === null || activity.moderation.state === 'published'
      wx.setNavigationBarTitle({ title: activity.title, fail: () => undefined })
      return {
        activity: view,
        canSignUp: !activity.mine && !activity.signedUp && activity.phase === 'open' && published,
        canCancelSignUp: !activity.mine && activity.signedUp && (activity.phase === 'open' || activity.phase === 'full' || activity.phase === 'closed'),
      }
    },

    onRetry() {
      void this.load()
    },

    onBack() {
      goBack(ACTIVITY_LIST_URL)
    },

    // —— 报名 ——

    onPhoneInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const phone = e.detail.value
      this.setData({ phone, phoneError: '', organizerPreview: organizerSees(phone, this.data.sharePhone) })
    },

    onShareChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const sharePhone = e.detail.value === true
      this.setData({ sharePhone, phoneError: '', organizerPreview: organizerSees(this.data.phone, sharePhone) })
    },

    async onSignUp() {
      if (this.data.busy || !this.data.canSignUp) return
      const { phone, sharePhone } = this.data
      const problem = phoneProblem(phone, sharePhone)
      if (problem) {
        this.setData({ phoneError: problem })
        return
      }
      this.setData({ busy: 'signUp', refusal: NO_REFUSAL, notice: '', phoneError: '' })
      try {
        const trimmed = phone.trim()
        const { activity } = await call('activities', 'signUp', {
          id: this.data.activityId,
          ...(trimmed ? { phone: trimmed, sharePhone } : {}),
        })
        markChanged('activities')
        this.setData({
          ...this.viewData(activity),
          busy: '',
          phone: '',
          sharePhone: false,
          organizerPreview: '',
          notice: '报名成功！活动有变动时，组织者的通知会发到「消息」。',
        })
      } catch (error) {
        this.refused(error)
      }
    },

    async onCancelSignUp() {
      if (this.data.busy || !this.data.canCancelSignUp) return
      const ok = await confirmed({
        title: '取消报名？',
        content: '取消后你的名额会释放给其他人；之后想参加需要重新报名，名额可能已满。',
        confirmText: '取消报名',
        cancelText: '保留名额',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: 'cancelSignUp', refusal: NO_REFUSAL, notice: '' })
      try {
        const { activity } = await call('activities', 'cancelSignUp', { id: this.data.activityId })
        markChanged('activities')
        if (activity) this.setData({ ...this.viewData(activity), busy: '', notice: '已取消报名，名额已释放。' })
        else this.setData({ busy: '', canCancelSignUp: false, 'activity.signedUp': false, notice: '已取消报名。这个活动目前已不公开。' })
      } catch (error) {
        this.refused(error)
      }
    },

    refused(error: unknown) {
      const refusal = refusalOf(error)
      const phoneIssue = error instanceof ApiCallError ? error.issues.find((i) => i.path === 'phone' || i.path === 'sharePhone') : undefined
      this.setData({ busy: '', refusal: phoneIssue ? NO_REFUSAL : refusal, phoneError: phoneIssue?.message ?? '' })
      if (STALE_AFTER.includes(refusal.code)) {
        // The lists show it out of date too.
        markChanged('activities')
        void this.refresh()
      }
    },

    onRefusalAction() {
      followRefusal(this.data.refusal.action)
    },

    // —— 组织者 ——

    onEdit() {
      wx.navigateTo({ url: activityEditorUrl(this.data.activityId) })
    },

    async onCancelActivity() {
      if (this.data.busy || !this.data.activity.mine || !this.data.activity.editable) return
      const taken = this.data.activity.taken
      const ok = await confirmed({
        title: '取消这个活动？',
        content: `${taken > 0 ? `已报名的 ${taken} 人会收到站内信通知。` : '目前还没有人报名。'}取消后不能恢复，也不能再修改。`,
        confirmText: '取消活动',
        cancelText: '再想想',
        danger: true,
      })
      if (!ok) return
      this.setData({ busy: 'cancel', refusal: NO_REFUSAL, notice: '' })
      try {
        const { activity, notified } = await call('activities', 'cancel', { id: this.data.activityId })
        markChanged('activities')
        this.setData({ ...this.viewData(activity), busy: '', notice: notified > 0 ? `活动已取消，已通知 ${notified} 位报名者。` : '活动已取消。' })
      } catch (error) {
        this.refused(error)
      }
    },

    async loadAttendees() {
      this.setData({ attendeesStatus: 'loading', attendeesError: '' })
      try {
        const { attendees, total, nextCursor } = await call('activities', 'attendees', { id: this.data.activityId, limit: ATTENDEE_PAGE_SIZE })
        this.setData({
          attendeesStatus: 'ready',
          attendeesTotal: total,
          attendees: firstPage({ items: attendees.map(attendeeRowOf), nextCursor }),
        })
      } catch (error) {
        this.setData({ attendeesStatus: 'error', attendeesError: messageOf(error) })
      }
    },

    onRetryAttendees() {
      void this.loadAttendees()
    },

    async onMoreAttendees() {
      const id = this.data.activityId
      await loadNextPage<AttendeeRow>({
        read: () => this.data.attendees,
        write: (attendees: CursorList<AttendeeRow>) => this.setData({ attendees }),
        fetch: async (cursor) => {
          const { attendees, total, nextCursor } = await call('activities', 'attendees', { id, cursor, limit: ATTENDEE_PAGE_SIZE })
          this.setData({ attendeesTotal: total })
          return { items: attendees.map(attendeeRowOf), nextCursor }
        },
        keyOf: (row) => row.key,
      })
    },

    onShareAppMessage() {
      const { activity } = this.data
      return { title: activity.title || '乐聊名片活动', path: activityDetailUrl(this.data.activityId) }
    },
  },
})

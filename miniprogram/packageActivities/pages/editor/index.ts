/**
 * 发布活动 / 修改活动 (/packageActivities/pages/editor/index[?id=…]):
 * title, description, place (live character counts), start and end (date and
 * time pickers, Beijing time), an optional sign-up deadline (the start when
 * left empty), capacity, and a cover image (wx.chooseMedia, then
 * account.uploadImage; the server checks it before others see it).
 *
 * New: activities.publish (verified publishers only). With ?id=: the stored
 * activity (activities.detail, mine only) and activities.update with only the
 * fields changed; sign-ups are notified; changed texts or cover go through
 * moderation again. After saving the page shows where the activity stands
 * (已发布 / 审核中 with reasons …); further saves update the same activity.
 *
 * Refusals: checks the page can make are shown beside each field before
 * sending; the server's field issues (CONTENT_REFUSED, INVALID_INPUT) beside
 * theirs; VERIFICATION_REQUIRED with the way to verify; ACTIVITY_LOCKED (the
 * activity started or was cancelled) locks the form and says why.
 *
 * The default start (a week ahead, 19:00) and the pickers' earliest day are
 * worked out when the page opens, not when the bundle was loaded. While there
 * are unsaved changes, leaving the page asks first (utils/unsaved.ts). A broken
 * link or an activity that is gone is an empty state with 返回.
 */
import { ACTIVITY_LIMITS } from '../../../../shared/activities'
import type { ActivityDetail } from '../../../../shared/contract/activities'
import type { ModerationView } from '../../../../shared/contract/content'
import { ApiCallError, call } from '../../../api'
import { config } from '../../../config'
import {
  ACTIVITY_FIELDS,
  ACTIVITY_LIST_URL,
  activityDetailUrl,
  activityProblems,
  countOf,
  deadlineOf,
  formOf,
  hasProblems,
  moderationBadge,
  NO_ACTIVITY_ERRORS,
  publishInputOf,
  startOf,
  updateInputOf,
  type ActivityErrors,
  type ActivityForm,
} from '../../../utils/activities'
import { defaultMoment, sameMinute } from '../../../utils/beijing-time'
import { markChanged } from '../../../utils/changes'
import { chooseCover } from '../../../utils/cover-image'
import { todayInBeijing } from '../../../utils/format'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { decodedParam, goBack } from '../../../utils/query'
import { followRefusal, formRefusalOf, NO_REFUSAL, VERIFY_URL, type Refusal } from '../../../utils/refusal'
import { guardUnsaved } from '../../../utils/unsaved'
import { verificationNeeded } from '../../../utils/verification'

interface SavedView {
  state: ModerationView['state'] | ''
  label: string
  badge: string
  reasons: string[]
  /** What happened, in one sentence. */
  summary: string
}

const NO_SAVED: SavedView = { state: '', label: '', badge: '', reasons: [], summary: '' }

const LOCKED_TEXT = '活动已开始或已取消，不能再修改。已报名的人看到的仍是之前的信息；如需调整，可以重新发布一个活动。'

const BAD_LINK_MESSAGE = '没有找到这个活动：链接可能不完整，请返回后重新打开'
const GONE_MESSAGE = '这个活动不存在或已被删除'

/** Text inputs and the page-data key each one writes. */
type TextField = 'title' | 'description' | 'place' | 'capacity'
const TEXT_FIELDS: readonly TextField[] = ['title', 'description', 'place', 'capacity']
/** Pickers and the page-data key each one writes. */
type PickField = 'startDate' | 'startClock' | 'endDate' | 'endClock' | 'deadlineDate' | 'deadlineClock'
const PICK_FIELDS: readonly PickField[] = ['startDate', 'startClock', 'endDate', 'endClock', 'deadlineDate', 'deadlineClock']
/** The error key of each picker. */
const PICK_ERROR: Record<PickField, keyof ActivityErrors> = {
  startDate: 'startAt',
  startClock: 'startAt',
  endDate: 'endAt',
  endClock: 'endAt',
  deadlineDate: 'signUpDeadline',
  deadlineClock: 'signUpDeadline',
}

function newForm(now: Date): ActivityForm {
  const start = defaultMoment(now, 7, '19:00')
  return {
    title: '',
    description: '',
    place: '',
    startDate: start.date,
    startClock: start.clock,
    endDate: start.date,
    endClock: '21:00',
    deadlineDate: '',
    deadlineClock: '',
    capacity: '',
    cover: '',
  }
}

function countsOf(form: ActivityForm): { titleCount: number; descriptionCount: number; placeCount: number } {
  return { titleCount: countOf(form.title), descriptionCount: countOf(form.description), placeCount: countOf(form.place) }
}

function savedViewOf(activity: ActivityDetail, summary: string): SavedView {
  const moderation = activity.moderation
  if (!moderation) return { ...NO_SAVED, summary }
  return { state: moderation.state, label: moderation.label, badge: moderationBadge(moderation.state), reasons: moderation.reasons, summary }
}

function lockedPhase(activity: ActivityDetail): boolean {
  return activity.phase === 'ongoing' || activity.phase === 'ended' || activity.phase === 'cancelled'
}

type FieldEvent = WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>

Component({
  data: {
    /** From the page query (?id=; `id` cannot be a property: it is the component's own id); '' for a new activity. */
    activityId: '',
    status: 'loading' as LoadStatus,
    error: '',
    started: false,
    /** The activity being edited (after the first save too); null while creating. */
    stored: null as ActivityDetail | null,
    /** Set again in onLoad: the date here is when the bundle was loaded, not when the page opens. */
    form: newForm(new Date()),
    /** The form as last loaded or saved (JSON): anything else is unsaved. */
    savedForm: '',
    titleCount: 0,
    descriptionCount: 0,
    placeCount: 0,
    limits: ACTIVITY_LIMITS,
    /** The pickers' earliest day, set in onLoad. */
    today: todayInBeijing(),
    errors: NO_ACTIVITY_ERRORS,
    busy: '' as '' | 'save' | 'cover',
    refusal: NO_REFUSAL as Refusal,
    /** Issues without a field of their own. */
    otherIssues: [] as string[],
    saved: NO_SAVED,
    locked: false,
    lockedText: LOCKED_TEXT,
    /** Not verified yet (known from the profile): say so before the form is filled in. */
    needsVerification: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (this.data.started) return
      const id = decodedParam(query.id)
      const now = new Date()
      const form = newForm(now)
      this.setData({ started: true, activityId: id ?? '', today: todayInBeijing(now), form, savedForm: JSON.stringify(form) })
      if (id === null) {
        this.setData({ status: 'empty', error: BAD_LINK_MESSAGE })
        return
      }
      if (this.data.activityId) {
        void this.load()
        return
      }
      // A new activity: the form is ready at once.
      this.setData({ status: 'ready' })
      void this.checkVerified()
    },

    onBack() {
      goBack(ACTIVITY_LIST_URL)
    },

    /** Leaving asks first while the form differs from what is saved. */
    trackUnsaved() {
      guardUnsaved(this, JSON.stringify(this.data.form) !== this.data.savedForm)
    },

    async load() {
      const id = this.data.activityId
      let gone = GONE_MESSAGE
      await runLoad(
        (patch) => this.setData(patch.status === 'empty' ? { ...patch, error: gone } : patch),
        async () => {
          let activity: ActivityDetail
          try {
            ;({ activity } = await call('activities', 'detail', { id }))
          } catch (error) {
            if (!(error instanceof ApiCallError) || error.code !== 'NOT_FOUND') throw error
            gone = error.message || GONE_MESSAGE
            return null
          }
          if (!activity.mine) throw new ApiCallError('FORBIDDEN', '只有活动的组织者可以修改这个活动')
          return activity
        },
        {
          isEmpty: (activity) => activity === null,
          toData: (activity) => {
            if (!activity) return {}
            const form = formOf(activity)
            wx.setNavigationBarTitle({ title: '修改活动', fail: () => undefined })
            return {
              stored: activity,
              form,
              savedForm: JSON.stringify(form),
              ...countsOf(form),
              locked: lockedPhase(activity),
              saved: activity.moderation && activity.moderation.state !== 'published' ? savedViewOf(activity, '') : NO_SAVED,
            }
          },
        },
      )
    },

    onRetry() {
      void this.load()
    },

    async checkVerified() {
      // Unknown (not signed in yet, or offline): publishing will say what is needed.
      const needed = await verificationNeeded()
      if (needed !== null) this.setData({ needsVerification: needed })
    },

    onOpenVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onInput(e: FieldEvent) {
      const field = TEXT_FIELDS.find((f) => f === e.currentTarget.dataset.field)
      if (!field) return
      const form: ActivityForm = { ...this.data.form, [field]: e.detail.value }
      this.setData({ form, ...countsOf(form), [`errors.${field}`]: '' })
      this.trackUnsaved()
    },

    onPick(e: FieldEvent) {
      const field = PICK_FIELDS.find((f) => f === e.currentTarget.dataset.field)
      if (!field) return
      const form: ActivityForm = { ...this.data.form, [field]: e.detail.value }
      // A deadline needs both halves: picking one fills the other from the start.
      if (field === 'deadlineDate' && !form.deadlineClock) form.deadlineClock = form.startClock
      if (field === 'deadlineClock' && !form.deadlineDate) form.deadlineDate = form.startDate
      // Moving the start past the end moves the end to the same day.
      if (field === 'startDate' && form.endDate < form.startDate) form.endDate = form.startDate
      this.setData({ form, [`errors.${PICK_ERROR[field]}`]: '' })
      this.trackUnsaved()
    },

    onClearDeadline() {
      this.setData({ 'form.deadlineDate': '', 'form.deadlineClock': '', 'errors.signUpDeadline': '' })
      this.trackUnsaved()
    },

    async onChooseCover() {
      if (this.data.busy || this.data.locked) return
      this.setData({ 'errors.coverImage': '' })
      const chosen = await chooseCover('activity-covers', config, () => this.setData({ busy: 'cover' }))
      if (!chosen) return
      if ('fileId' in chosen) this.setData({ busy: '', 'form.cover': chosen.fileId })
      else this.setData({ busy: '', 'errors.coverImage': chosen.error })
      this.trackUnsaved()
    },

    onRemoveCover() {
      if (this.data.busy || this.data.locked) return
      this.setData({ 'form.cover': '', 'errors.coverImage': '' })
      this.trackUnsaved()
    },

    async onSubmit() {
      if (this.data.busy || this.data.locked) return
      const { form, stored } = this.data
      const now = new Date()
      const startChanged = !stored || !sameMinute(startOf(form), stored.startAt)
      const deadlineChanged = !stored || !sameMinute(deadlineOf(form) || startOf(form), stored.signUpDeadline)
      const errors = activityProblems(form, now, { minCapacity: stored?.taken ?? 1, startChanged, deadlineChanged })
      if (hasProblems(errors)) {
        this.setData({ errors, refusal: NO_REFUSAL, otherIssues: [], saved: NO_SAVED })
        return
      }
      let update = null
      if (stored) {
        update = updateInputOf(form, stored)
        if (!update) {
          this.setData({ errors: NO_ACTIVITY_ERRORS, refusal: NO_REFUSAL, otherIssues: [], saved: { ...NO_SAVED, summary: '没有需要保存的修改。' } })
          return
        }
      }
      this.setData({ busy: 'save', errors: NO_ACTIVITY_ERRORS, refusal: NO_REFUSAL, otherIssues: [], saved: NO_SAVED })
      try {
        const { activity } = update ? await call('activities', 'update', update) : await call('activities', 'publish', publishInputOf(form))
        markChanged('activities')
        const published = activity.moderation === null || activity.moderation.state === 'published'
        const summary = stored
          ? `修改已保存。${stored.taken > 0 ? `已报名的 ${stored.taken} 人会收到通知。` : ''}${published ? '' : '修改的内容通过审核后其他人才能看到。'}`
          : published
            ? '活动已发布，其他人现在可以看到并报名。'
            : '活动已提交，通过审核后其他人才能看到并报名。'
        const next = formOf(activity)
        this.setData({
          busy: '',
          activityId: activity.id,
          stored: activity,
          form: next,
          savedForm: JSON.stringify(next),
          ...countsOf(next),
          locked: lockedPhase(activity),
          needsVerification: false,
          saved: savedViewOf(activity, summary),
        })
        this.trackUnsaved()
        wx.setNavigationBarTitle({ title: '修改活动', fail: () => undefined })
      } catch (error) {
        const { refusal, errors, otherIssues } = formRefusalOf(error, ACTIVITY_FIELDS, NO_ACTIVITY_ERRORS)
        this.setData({
          busy: '',
          errors,
          otherIssues,
          refusal,
          locked: refusal.code === 'ACTIVITY_LOCKED',
          needsVerification: refusal.code === 'VERIFICATION_REQUIRED' ? false : this.data.needsVerification,
        })
      }
    },

    onRefusalAction() {
      followRefusal(this.data.refusal.action)
    },

    onOpenActivity() {
      const id = this.data.stored?.id
      // Replaces the editor: back from the activity goes where the editor was opened from.
      if (id) wx.redirectTo({ url: activityDetailUrl(id) })
    },
  },
})

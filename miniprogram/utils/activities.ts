/**
 * Pure helpers for the activity pages (packageActivities): rows for lists,
 * the editor's form (checks before sending, the input of activities.publish,
 * only the changes for activities.update) and the sign-up phone preview.
 * No wx, no zod: only types from the contract and pure rules from shared/.
 */
import { ACTIVITY_DETAIL_PAGE, ACTIVITY_LIMITS, type ActivityPhase } from '../../shared/activities'
import type { ActivityDetail, ActivitySummary, AttendeeView, MySignUpView, PublishInput, UpdateInput } from '../../shared/contract/activities'
import type { ModerationView } from '../../shared/contract/content'
import { isMainlandMobile, maskPhone, normalizePhone } from '../../shared/rules/phone'
import { hasInvisibleCharacters, visibleLength } from '../../shared/rules/text'
import { beijingClock, beijingDate, formatMoment, formatRange, isoFromBeijing, sameMinute, timeOf } from './beijing-time'
import { formatDateTime } from './format'

export const ACTIVITY_LIST_URL = '/packageActivities/pages/list/index'

export function activityDetailUrl(id: string): string {
  return `${ACTIVITY_DETAIL_PAGE}?id=${encodeURIComponent(id)}`
}

export function activityEditorUrl(id?: string): string {
  return id ? `/packageActivities/pages/editor/index?id=${encodeURIComponent(id)}` : '/packageActivities/pages/editor/index'
}

/** Badge classes of app.wxss per phase. */
const PHASE_BADGES: Record<ActivityPhase, string> = {
  open: 'badge--ok',
  full: 'badge--notice',
  closed: 'badge--muted',
  ongoing: 'badge--ok',
  ended: 'badge--muted',
  cancelled: 'badge--error',
}

const MODERATION_BADGES: Record<ModerationView['state'], string> = {
  published: 'badge--ok',
  pendingReview: 'badge--notice',
  pendingImages: 'badge--notice',
  reported: 'badge--notice',
  rejected: 'badge--error',
}

export function moderationBadge(state: ModerationView['state']): string {
  return MODERATION_BADGES[state]
}

/** The short words for a moderation state in lists (the full label is on the detail page). */
const MODERATION_SHORT: Record<ModerationView['state'], string> = {
  published: '已发布',
  pendingReview: '审核中',
  pendingImages: '图片审核中',
  reported: '被举报待审核',
  rejected: '未通过审核',
}

export function moderationShort(state: ModerationView['state']): string {
  return MODERATION_SHORT[state]
}

export interface ActivityRow {
  key: string
  id: string
  title: string
  place: string
  time: string
  phaseLabel: string
  phaseBadge: string
  seats: string
  cover: string
  organizer: string
  organizerVerified: boolean
  /** '' unless the viewer organizes it. */
  moderationLabel: string
  moderationBadge: string
}

export function seatsText(activity: Pick<ActivitySummary, 'seatsLeft' | 'capacity'>): string {
  return `剩余 ${activity.seatsLeft} 个名额 / 共 ${activity.capacity} 个`
}

export function activityRowOf(activity: ActivitySummary, key = activity.id): ActivityRow {
  return {
    key,
    id: activity.id,
    title: activity.title,
    place: activity.place,
    time: formatRange(activity.startAt, activity.endAt),
    phaseLabel: activity.phaseLabel,
    phaseBadge: PHASE_BADGES[activity.phase],
    seats: seatsText(activity),
    cover: activity.coverImage ?? '',
    organizer: activity.organizer.nickname,
    organizerVerified: activity.organizer.verified,
    moderationLabel: activity.moderation && activity.moderation.state !== 'published' ? MODERATION_SHORT[activity.moderation.state] : '',
    moderationBadge: activity.moderation ? MODERATION_BADGES[activity.moderation.state] : '',
  }
}

export interface SignUpRow {
  key: string
  /** '' when the activity is no longer visible. */
  activityId: string
  title: string
  time: string
  place: string
  phaseLabel: string
  phaseBadge: string
  signedUpAt: string
  phoneNote: string
}

export function signUpRowOf(view: MySignUpView): SignUpRow {
  const activity = view.activity
  return {
    key: view.signUpId,
    activityId: activity?.id ?? '',
    title: activity?.title ?? '活动已不可见',
    time: activity ? formatRange(activity.startAt, activity.endAt) : '',
    place: activity?.place ?? '',
    phaseLabel: activity?.phaseLabel ?? '',
    phaseBadge: activity ? PHASE_BADGES[activity.phase] : '',
    signedUpAt: `${formatDateTime(view.signedUpAt)} 报名`,
    phoneNote: activity ? (view.sharePhone ? '组织者可以看到你的完整手机号' : '组织者看不到你的完整手机号') : '活动已下架或组织者的内容暂不公开，名额仍为你保留。',
  }
}

export interface AttendeeRow {
  key: string
  nickname: string
  /** To report the attendee's profile by ('' when their account no longer shows). */
  accountId: string
  phone: string
  phoneNote: string
  signedUpAt: string
}

export function attendeeRowOf(view: AttendeeView): AttendeeRow {
  return {
    key: view.signUpId,
    nickname: view.nickname,
    accountId: view.accountId ?? '',
    phone: view.phone ?? '未留手机号',
    phoneNote: view.phone === null ? '' : view.phoneShared ? '报名者同意公开' : '已打码',
    signedUpAt: formatDateTime(view.signedUpAt),
  }
}

export interface ActivityView {
  id: string
  title: string
  description: string
  place: string
  time: string
  start: string
  deadline: string
  phase: ActivityPhase
  phaseLabel: string
  phaseBadge: string
  seatsLeft: number
  capacity: number
  taken: number
  seats: string
  cover: string
  organizer: string
  organizerVerified: boolean
  mine: boolean
  signedUp: boolean
  cancelledAt: string
  /** Before the start and not cancelled: the organizer may still edit or cancel. */
  editable: boolean
  moderationState: ModerationView['state'] | ''
  moderationLabel: string
  moderationBadge: string
  moderationReasons: string[]
}

export function activityViewOf(activity: ActivityDetail): ActivityView {
  const editable = activity.phase === 'open' || activity.phase === 'full' || activity.phase === 'closed'
  return {
    id: activity.id,
    title: activity.title,
    description: activity.description,
    place: activity.place,
    time: formatRange(activity.startAt, activity.endAt),
    start: formatMoment(activity.startAt),
    deadline: formatMoment(activity.signUpDeadline),
    phase: activity.phase,
    phaseLabel: activity.phaseLabel,
    phaseBadge: PHASE_BADGES[activity.phase],
    seatsLeft: activity.seatsLeft,
    capacity: activity.capacity,
    taken: activity.taken,
    seats: seatsText(activity),
    cover: activity.coverImage ?? '',
    organizer: activity.organizer.nickname,
    organizerVerified: activity.organizer.verified,
    mine: activity.mine,
    signedUp: activity.signedUp,
    cancelledAt: activity.cancelledAt ? formatDateTime(activity.cancelledAt) : '',
    editable,
    moderationState: activity.moderation?.state ?? '',
    moderationLabel: activity.moderation?.label ?? '',
    moderationBadge: activity.moderation ? MODERATION_BADGES[activity.moderation.state] : '',
    moderationReasons: activity.moderation?.reasons ?? [],
  }
}

// —— 报名 ——

/**
 * What the organizer will see of the number typed into the sign-up form:
 * '' while it is not a valid mainland mobile number yet.
 */
export function organizerSees(phone: string, share: boolean): string {
  const normalized = normalizePhone(phone)
  if (!isMainlandMobile(normalized)) return ''
  return share ? normalized : maskPhone(normalized)
}

/** The sign-up form's phone check: '' when fine (empty is fine: the number is optional). */
export function phoneProblem(phone: string, share: boolean): string {
  const normalized = normalizePhone(phone)
  if (normalized === '') return share ? '请填写要告诉组织者的手机号' : ''
  return isMainlandMobile(normalized) ? '' : '请填写正确的中国大陆手机号'
}

// —— 编辑 ——

export const ACTIVITY_FIELDS = ['title', 'description', 'place', 'startAt', 'endAt', 'signUpDeadline', 'capacity', 'coverImage'] as const
export type ActivityField = (typeof ACTIVITY_FIELDS)[number]
export type ActivityErrors = Record<ActivityField, string>

export const NO_ACTIVITY_ERRORS: ActivityErrors = {
  title: '',
  description: '',
  place: '',
  startAt: '',
  endAt: '',
  signUpDeadline: '',
  capacity: '',
  coverImage: '',
}

export interface ActivityForm {
  title: string
  description: string
  place: string
  startDate: string
  startClock: string
  endDate: string
  endClock: string
  /** Both '' : the deadline is the start. */
  deadlineDate: string
  deadlineClock: string
  /** As typed. */
  capacity: string
  /** cloud:// file id, '' for none. */
  cover: string
}

export function formOf(activity: ActivityDetail): ActivityForm {
  const deadlineIsStart = sameMinute(activity.signUpDeadline, activity.startAt)
  return {
    title: activity.title,
    description: activity.description,
    place: activity.place,
    startDate: beijingDate(activity.startAt),
    startClock: beijingClock(activity.startAt),
    endDate: beijingDate(activity.endAt),
    endClock: beijingClock(activity.endAt),
    deadlineDate: deadlineIsStart ? '' : beijingDate(activity.signUpDeadline),
    deadlineClock: deadlineIsStart ? '' : beijingClock(activity.signUpDeadline),
    capacity: String(activity.capacity),
    cover: activity.coverImage ?? '',
  }
}

/** Characters as the server counts them (after trimming). */
export function countOf(text: string): number {
  return visibleLength(text.trim())
}

function textProblem(label: string, text: string, max: number, multiline: boolean): string {
  const trimmed = text.trim()
  if (trimmed.length === 0) return `请填写${label}`
  if (visibleLength(trimmed) > max) return `${label}最多 ${max} 个字，现在有 ${visibleLength(trimmed)} 个`
  if (hasInvisibleCharacters(multiline ? trimmed.replace(/[\n\r\t]/g, '') : trimmed)) return `${label}不能包含${multiline ? '' : '换行或'}不可见字符`
  return ''
}

export function startOf(form: ActivityForm): string {
  return isoFromBeijing(form.startDate, form.startClock)
}

export function endOf(form: ActivityForm): string {
  return isoFromBeijing(form.endDate, form.endClock)
}

/** The deadline given, '' when none (it is then the start). */
export function deadlineOf(form: ActivityForm): string {
  return isoFromBeijing(form.deadlineDate, form.deadlineClock)
}

export function capacityOf(form: ActivityForm): number {
  const text = form.capacity.trim()
  return /^\d+$/.test(text) ? Number(text) : Number.NaN
}

/**
 * The problems the page can see before sending (the server checks again):
 * empty or too long texts, times missing or out of order, the start or the
 * deadline in the past (for a new activity, or when moved), the capacity (not
 * below the sign-ups when editing).
 */
export function activityProblems(
  form: ActivityForm,
  now: Date,
  options: { minCapacity?: number; startChanged?: boolean; deadlineChanged?: boolean } = {},
): ActivityErrors {
  const errors: ActivityErrors = { ...NO_ACTIVITY_ERRORS }
  errors.title = textProblem('活动标题', form.title, ACTIVITY_LIMITS.title, false)
  errors.description = textProblem('活动介绍', form.description, ACTIVITY_LIMITS.description, true)
  errors.place = textProblem('活动地点', form.place, ACTIVITY_LIMITS.place, false)

  const start = timeOf(startOf(form))
  const end = timeOf(endOf(form))
  if (Number.isNaN(start)) errors.startAt = '请选择开始日期和时间'
  else if ((options.startChanged ?? true) && start <= now.getTime()) errors.startAt = '开始时间须晚于现在'
  if (Number.isNaN(end)) errors.endAt = '请选择结束日期和时间'
  else if (!Number.isNaN(start) && end <= start) errors.endAt = '结束时间须晚于开始时间'

  const partialDeadline = (form.deadlineDate === '') !== (form.deadlineClock === '')
  const deadline = timeOf(deadlineOf(form))
  if (partialDeadline) errors.signUpDeadline = '请同时选择报名截止的日期和时间，或清除报名截止时间'
  else if (!Number.isNaN(deadline) && !Number.isNaN(start) && deadline > start) errors.signUpDeadline = '报名截止时间不能晚于活动开始时间'
  else if (!Number.isNaN(deadline) && (options.deadlineChanged ?? true) && deadline <= now.getTime()) errors.signUpDeadline = '报名截止时间须晚于现在'

  const capacity = capacityOf(form)
  const min = Math.max(1, options.minCapacity ?? 1)
  if (form.capacity.trim() === '') errors.capacity = '请填写名额'
  else if (!Number.isInteger(capacity)) errors.capacity = '名额须为整数'
  else if (capacity < 1) errors.capacity = '名额至少为 1'
  else if (capacity > ACTIVITY_LIMITS.capacity) errors.capacity = `名额最多 ${ACTIVITY_LIMITS.capacity}`
  else if (capacity < min) errors.capacity = `已有 ${min} 人报名，名额不能少于 ${min}`
  return errors
}

export function hasProblems(errors: ActivityErrors): boolean {
  return ACTIVITY_FIELDS.some((field) => errors[field] !== '')
}

export function publishInputOf(form: ActivityForm): PublishInput {
  const deadline = deadlineOf(form)
  return {
    title: form.title.trim(),
    description: form.description.trim(),
    place: form.place.trim(),
    startAt: startOf(form),
    endAt: endOf(form),
    ...(deadline ? { signUpDeadline: deadline } : {}),
    capacity: capacityOf(form),
    coverImage: form.cover || null,
  }
}

/**
 * Only what changed against the stored activity, for activities.update; null
 * when nothing did. Times compare as instants; a cleared deadline means "the
 * start" again.
 */
export function updateInputOf(form: ActivityForm, stored: ActivityDetail): UpdateInput | null {
  const input: UpdateInput = { id: stored.id }
  let changed = false
  const title = form.title.trim()
  const description = form.description.trim()
  const place = form.place.trim()
  if (title !== stored.title) {
    input.title = title
    changed = true
  }
  if (description !== stored.description) {
    input.description = description
    changed = true
  }
  if (place !== stored.place) {
    input.place = place
    changed = true
  }
  const start = startOf(form)
  if (!sameMinute(start, stored.startAt)) {
    input.startAt = start
    changed = true
  }
  const end = endOf(form)
  if (!sameMinute(end, stored.endAt)) {
    input.endAt = end
    changed = true
  }
  const deadline = deadlineOf(form) || start
  if (!sameMinute(deadline, stored.signUpDeadline)) {
    input.signUpDeadline = deadline
    changed = true
  }
  const capacity = capacityOf(form)
  if (capacity !== stored.capacity) {
    input.capacity = capacity
    changed = true
  }
  const cover = form.cover || null
  if (cover !== stored.coverImage) {
    input.coverImage = cover
    changed = true
  }
  return changed ? input : null
}

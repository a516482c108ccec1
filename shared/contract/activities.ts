/**
 * Activities (活动): verified publishers organize, signed-in people sign up.
 * Seats are exact under concurrency: a sign-up holds one seat until it is
 * cancelled; an activity never has more sign-ups than its capacity.
 *
 * Times travel as ISO 8601 strings. Others see only published activities of
 * organizers whose content is visible; the organizer also sees their own held
 * ones with the moderation status.
 */
import * as z from 'zod/mini'
import { ACTIVITY_LIMITS, ACTIVITY_PHASES } from '../activities'
import { isMainlandMobile, normalizePhone } from '../rules/phone'
import { hasInvisibleCharacters, visibleLength } from '../rules/text'
import { id, isoDateTime, nextCursor, pageInput } from './common'
import { imageFileId, moderationView } from './content'
import { action } from './define'

function text(label: string, max: number, options: { multiline: boolean }) {
  return z.string().check(
    z.trim(),
    z.refine((s) => s.length > 0, `${label}不能为空`),
    z.refine((s) => visibleLength(s) <= max, `${label}最多 ${max} 个字`),
    // Descriptions keep their line breaks; everything else is one line without invisible marks.
    z.refine((s) => !hasInvisibleCharacters(options.multiline ? s.replace(/[\n\r\t]/g, '') : s), `${label}不能包含不可见字符`),
  )
}

export const activityTitle = text('活动标题', ACTIVITY_LIMITS.title, { multiline: false })
export const activityDescription = text('活动介绍', ACTIVITY_LIMITS.description, { multiline: true })
export const activityPlace = text('活动地点', ACTIVITY_LIMITS.place, { multiline: false })
export const activityCapacity = z
  .number()
  .check(z.int('名额须为整数'), z.minimum(1, '名额至少为 1'), z.maximum(ACTIVITY_LIMITS.capacity, `名额最多 ${ACTIVITY_LIMITS.capacity}`))

/** Input times: ISO 8601 with `Z` or an offset (2030-05-01T19:00:00+08:00). */
export const activityTime = z.iso.datetime({ offset: true, error: '请填写有效的时间' })

/** A mainland mobile number; spaces, dashes and a +86 prefix are tolerated and removed. */
export const mobilePhone = z.string().check(
  z.maxLength(20, '手机号格式不正确'),
  z.overwrite(normalizePhone),
  z.refine(isMainlandMobile, '请填写正确的中国大陆手机号'),
)

const ms = (iso: string): number => new Date(iso).getTime()

export const publishInput = z
  .strictObject({
    title: activityTitle,
    description: activityDescription,
    place: activityPlace,
    startAt: activityTime,
    endAt: activityTime,
    /** Defaults to `startAt`; must not be later. */
    signUpDeadline: z.optional(activityTime),
    capacity: activityCapacity,
    coverImage: z.optional(z.nullable(imageFileId)),
  })
  .check(
    z.refine((v) => ms(v.endAt) > ms(v.startAt), { error: '结束时间须晚于开始时间', path: ['endAt'] }),
    z.refine((v) => v.signUpDeadline === undefined || ms(v.signUpDeadline) <= ms(v.startAt), {
      error: '报名截止时间不能晚于活动开始时间',
      path: ['signUpDeadline'],
    }),
  )
export type PublishInput = z.input<typeof publishInput>

/**
 * Only the fields to change. Checks that need the stored values (end after
 * start, deadline not after start, start in the future, capacity not below
 * the sign-ups) are made by the server, refusing with INVALID_INPUT and an
 * issue on the same field path. Moving `startAt` earlier than the stored
 * deadline without giving a new deadline moves the deadline to the new start.
 * Changing title, description, place or cover passes moderation again.
 */
export const updateInput = z
  .strictObject({
    id,
    title: z.optional(activityTitle),
    description: z.optional(activityDescription),
    place: z.optional(activityPlace),
    startAt: z.optional(activityTime),
    endAt: z.optional(activityTime),
    signUpDeadline: z.optional(activityTime),
    capacity: z.optional(activityCapacity),
    coverImage: z.optional(z.nullable(imageFileId)),
  })
  .check(
    z.refine((v) => Object.keys(v).some((k) => k !== 'id'), '请至少修改一项'),
  )
export type UpdateInput = z.input<typeof updateInput>

export const organizerView = z.object({
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  verified: z.boolean(),
})

/** An activity in lists. */
export const activitySummary = z.object({
  id: z.string(),
  title: z.string(),
  place: z.string(),
  startAt: isoDateTime,
  endAt: isoDateTime,
  signUpDeadline: isoDateTime,
  coverImage: z.nullable(z.string()),
  capacity: z.number(),
  /** Seats held by sign-ups. */
  taken: z.number(),
  seatsLeft: z.number(),
  phase: z.enum(ACTIVITY_PHASES),
  /** 报名中, 名额已满 … */
  phaseLabel: z.string(),
  organizer: organizerView,
  /** Only for the organizer's own activities (`mine`, `detail` of my own); null for everyone else. */
  moderation: z.nullable(moderationView),
})
export type ActivitySummary = z.infer<typeof activitySummary>

export const activityDetail = z.object({
  ...activitySummary.shape,
  description: z.string(),
  /** I organize it: show edit, cancel and the attendee list. */
  mine: z.boolean(),
  /** I hold a seat (false for visitors without an account). */
  signedUp: z.boolean(),
  cancelledAt: z.nullable(isoDateTime),
  updatedAt: isoDateTime,
})
export type ActivityDetail = z.infer<typeof activityDetail>

export const mySignUpView = z.object({
  signUpId: z.string(),
  signedUpAt: isoDateTime,
  sharePhone: z.boolean(),
  /** Null when the activity is no longer visible (taken down, or its organizer's content is hidden). */
  activity: z.nullable(activitySummary),
})
export type MySignUpView = z.infer<typeof mySignUpView>

export const attendeeView = z.object({
  signUpId: z.string(),
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  /** The attendee's account, to report their profile (举报) by; null when it no longer shows. */
  accountId: z.nullable(z.string()),
  /** The full number only when the attendee chose to share it; otherwise masked (138****8000), null when none was given. */
  phone: z.nullable(z.string()),
  phoneShared: z.boolean(),
  signedUpAt: isoDateTime,
})
export type AttendeeView = z.infer<typeof attendeeView>

export const signUpInput = z
  .strictObject({
    id,
    /** For the organizer to reach me; shown masked unless `sharePhone`. */
    phone: z.optional(mobilePhone),
    sharePhone: z.optional(z.boolean()),
  })
  .check(z.refine((v) => v.sharePhone !== true || v.phone !== undefined, { error: '请填写要告诉组织者的手机号', path: ['phone'] }))
export type SignUpInput = z.input<typeof signUpInput>

export const activities = {
  publish: action({
    summary: '发布活动（需实名认证；标题、介绍、地点和封面经过内容安全审核）',
    access: 'verified',
    input: publishInput,
    output: z.object({ activity: activityDetail }),
    errors: ['VERIFICATION_REQUIRED', 'FEATURE_RESTRICTED', 'CONTENT_REFUSED'],
  }),
  update: action({
    summary: '修改我发布的活动（开始前；已报名的人会收到通知；修改后重新审核）',
    access: 'owner',
    input: updateInput,
    output: z.object({ activity: activityDetail }),
    errors: ['VERIFICATION_REQUIRED', 'FEATURE_RESTRICTED', 'CONTENT_REFUSED', 'ACTIVITY_LOCKED'],
  }),
  cancel: action({
    summary: '取消我发布的活动（开始前；已报名的人会收到通知；重复调用只补发未送达的通知）',
    access: 'owner',
    input: z.strictObject({ id }),
    output: z.object({ activity: activityDetail, notified: z.number() }),
    errors: ['ACTIVITY_LOCKED'],
  }),
  list: action({
    summary: '即将开始的活动（按开始时间，最早的在前；游客也可浏览）',
    access: 'anonymous',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ activities: z.array(activitySummary), nextCursor }),
    errors: [],
  }),
  mine: action({
    summary: '我发布的活动（按开始时间，最新的在前；含审核状态）',
    access: 'signedIn',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ activities: z.array(activitySummary), nextCursor }),
    errors: [],
  }),
  mySignUps: action({
    summary: '我报名的活动（最近报名的在前）',
    access: 'signedIn',
    input: z.strictObject({ ...pageInput }),
    output: z.object({ signUps: z.array(mySignUpView), nextCursor }),
    errors: [],
  }),
  detail: action({
    summary: '活动详情（游客也可查看已发布的活动；组织者可查看自己审核中的活动）',
    access: 'anonymous',
    input: z.strictObject({ id }),
    output: z.object({ activity: activityDetail }),
    errors: [],
  }),
  signUp: action({
    summary: '报名活动（可留手机号，并选择是否让组织者看到完整号码）',
    access: 'signedIn',
    input: signUpInput,
    output: z.object({ activity: activityDetail }),
    errors: ['FEATURE_RESTRICTED', 'SIGNUP_CLOSED', 'ACTIVITY_FULL', 'ALREADY_SIGNED_UP', 'NOT_PUBLISHED'],
  }),
  cancelSignUp: action({
    summary: '取消报名（活动开始前；名额会释放给其他人）',
    access: 'signedIn',
    input: z.strictObject({ id }),
    /** Null when the activity is no longer visible to me (taken down, or its organizer's content is hidden). */
    output: z.object({ activity: z.nullable(activityDetail) }),
    errors: ['SIGNUP_CLOSED'],
  }),
  attendees: action({
    summary: '活动报名名单（仅组织者；手机号除报名者选择公开外均打码）',
    access: 'owner',
    input: z.strictObject({ id, ...pageInput }),
    output: z.object({ attendees: z.array(attendeeView), total: z.number(), nextCursor }),
    errors: [],
  }),
}

/**
 * Activities (活动): the limits, the phases and where an activity's page is.
 * Pure and shared: the contract checks input against them, the cloud function
 * links its notices to the page, the mini-program counts and labels with them
 * (without loading the contract, which brings zod).
 */

/** Characters as people count them (shared/rules/text visibleLength), and the most seats. */
export const ACTIVITY_LIMITS = {
  title: 40,
  description: 2000,
  place: 100,
  capacity: 10000,
} as const

/** The mini-program page of one activity (`?id=`); inbox notices about an activity link here. */
export const ACTIVITY_DETAIL_PAGE = '/packageActivities/pages/detail/index'

/**
 * Where an activity stands for someone who might sign up (derived from the
 * time, the seats and the organizer's cancellation):
 * open → signing up possible; full → no seat left; closed → the deadline passed;
 * ongoing → started, not yet ended; ended; cancelled by the organizer.
 */
export const ACTIVITY_PHASES = ['open', 'full', 'closed', 'ongoing', 'ended', 'cancelled'] as const
export type ActivityPhase = (typeof ACTIVITY_PHASES)[number]

export const ACTIVITY_PHASE_LABELS: Record<ActivityPhase, string> = {
  open: '报名中',
  full: '名额已满',
  closed: '报名已截止',
  ongoing: '进行中',
  ended: '已结束',
  cancelled: '已取消',
}

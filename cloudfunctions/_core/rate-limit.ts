/**
 * Daily allowances per person (shared/review.ts DAILY_LIMITS): publishing,
 * profile changes and reports. One counter document per person and action in
 * `counters`, counting for one Beijing day; taken by conditional increment,
 * so concurrent calls never pass the limit. Taken before the moderation gate
 * runs: a refused attempt still counts, so the gate cannot be probed for free.
 */
import { DAILY_LIMITS, LIMITED_ACTION_LABELS, type LimitedAction } from '../../shared/review'
import { COLLECTIONS } from './collections'
import type { AccountContext } from './context'
import type { Collection, Doc, Store } from './db'
import { fail, isDuplicateKey } from './errors'

export interface AllowanceDoc extends Doc {
  /** Whose allowance (erasure removes a person's counters by it). */
  openid: string
  /** The Beijing day (YYYY-MM-DD) `count` is for. */
  day: string
  count: number
}

const BEIJING_MS = 8 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10)
}

/** The next Beijing midnight: when a spent allowance is back. */
function nextBeijingMidnight(at: Date): Date {
  return new Date(Math.floor((at.getTime() + BEIJING_MS) / DAY_MS) * DAY_MS + DAY_MS - BEIJING_MS)
}

function allowances(db: Store): Collection<AllowanceDoc> {
  return db.collection<AllowanceDoc>(COLLECTIONS.counters)
}

export function allowanceId(action: LimitedAction, openid: string): string {
  return `daily:${action}:${openid}`
}

/** Takes one of today's `action` allowances, or refuses with RATE_LIMITED and the time it is back. */
export async function takeDailyAllowance(ctx: AccountContext, action: LimitedAction): Promise<void> {
  const limit = DAILY_LIMITS[action]
  const day = beijingDay(ctx.now)
  const id = allowanceId(action, ctx.openid)
  const { cmd } = ctx.db
  const counters = allowances(ctx.db)
  for (let round = 0; round < 4; round++) {
    if ((await counters.updateWhere({ _id: id, day, count: cmd.lt(limit) }, { count: cmd.inc(1) })) > 0) return
    if ((await counters.updateWhere({ _id: id, day: cmd.neq(day) }, { day, count: 1 })) > 0) return
    const counter = await counters.byId(id)
    if (counter) {
      if (counter.day === day && counter.count >= limit) {
        const retryAt = nextBeijingMidnight(ctx.now)
        fail('RATE_LIMITED', `今天${LIMITED_ACTION_LABELS[action]}的次数已达上限（${limit} 次），请明天再试`, undefined, retryAt)
      }
      continue
    }
    try {
      await counters.add({ _id: id, openid: ctx.openid, day, count: 1 })
      return
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  fail('CONFLICT')
}

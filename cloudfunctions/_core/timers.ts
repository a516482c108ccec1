/**
 * One timer trigger per function (WeChat's trigger documentation allows one):
 * the function's `tick` runs whichever of its jobs are due. Each job keeps its
 * own schedule (7-field cron, Beijing time, as a trigger would have it) and
 * its own state — when it last ran, in `counters` — and can still be run on
 * its own by name (the local cloud's POST /timers/run, tests).
 *
 * A job is due when its schedule had a moment since it last ran (a first run
 * looks back one tick). Taking a run is a conditional write of that state, so
 * two ticks overlapping run a job once; a job that fails is logged, and runs
 * again at its next moment (every job is idempotent).
 */
import { dueSince, parseCron } from '../../shared/rules/cron'
import { COLLECTIONS } from './collections'
import type { Context } from './context'
import type { Doc } from './db'
import type { TimerJob } from './define'
import { isDuplicateKey } from './errors'

export interface ScheduledJob {
  /** When it is due, as a CloudBase timer trigger's 7-field cron (Beijing time). */
  cron: string
  run: TimerJob
}

interface JobStateDoc extends Doc {
  lastRunAt: Date
}

/** The trigger every function with jobs declares in its config.json, and how often it fires. */
export const TICK = { name: 'tick', cron: '0 */10 * * * * *', everyMs: 10 * 60 * 1000 } as const

function stateId(fn: string, job: string): string {
  return `timer:${fn}:${job}`
}

/** Takes this tick's run of the job, when it is due and no other tick took it; false otherwise. */
async function takeRun(ctx: Context, job: string, cron: string): Promise<boolean> {
  const states = ctx.db.collection<JobStateDoc>(COLLECTIONS.counters)
  const id = stateId(ctx.fn, job)
  const state = await states.byId(id)
  const since = state?.lastRunAt ?? new Date(ctx.now.getTime() - TICK.everyMs)
  if (!dueSince(parseCron(cron), since, ctx.now)) return false
  if (!state) {
    try {
      await states.add({ _id: id, lastRunAt: ctx.now })
      return true
    } catch (error) {
      if (isDuplicateKey(error)) return false
      throw error
    }
  }
  return (await states.updateWhere({ _id: id, lastRunAt: state.lastRunAt }, { lastRunAt: ctx.now })) > 0
}

/** The function's timers: `tick` (the one trigger) and each job by its own name. */
export function scheduledTimers(jobs: Record<string, ScheduledJob>): Record<string, TimerJob> {
  const timers: Record<string, TimerJob> = {}
  for (const [name, job] of Object.entries(jobs)) timers[name] = job.run
  timers[TICK.name] = async (ctx) => {
    for (const [name, job] of Object.entries(jobs)) {
      if (!(await takeRun(ctx, name, job.cron))) continue
      try {
        await job.run({ ...ctx, action: `timer:${name}` })
      } catch (error) {
        ctx.log.error('scheduled job failed; it runs again at its next time', { requestId: ctx.requestId, fn: ctx.fn, job: name, error: String(error) })
      }
    }
  }
  return timers
}

/**
 * Timer jobs only: no action can be called, and a timer event carrying a user
 * is refused. One trigger (`tick`, every 10 minutes, config.json) runs
 * whichever job is due, each on its own schedule (Beijing time).
 */
import { defineFunction } from '../_core/define'
import { dormancy, runDeletions, tidyTimedStates } from '../_core/lifecycle/jobs'
import { scheduledTimers } from '../_core/timers'
import { scheduler as schedulerContract } from '../../shared/contract/scheduler'

export const SCHEDULER_JOBS = {
  /** Ended suspensions and bans, tidied and told. */
  tidyTimedStates: { cron: '0 */10 * * * * *', run: tidyTimedStates },
  /** Erasure of accounts whose cooling-off period is over. */
  runDeletions: { cron: '0 30 2 * * * *', run: runDeletions },
  /** Dormancy notices and the dormant state. */
  dormancy: { cron: '0 0 10 * * * *', run: dormancy },
}

export const schedulerFunction = defineFunction('scheduler', schedulerContract, {}, scheduledTimers(SCHEDULER_JOBS))

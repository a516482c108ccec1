/** Timer jobs only (see config.json): no action can be called, and a timer event carrying a user is refused. */
import { defineFunction } from '../_core/define'
import { dormancy, runDeletions, tidyTimedStates } from '../_core/lifecycle/jobs'

export const schedulerFunction = defineFunction('scheduler', {}, { tidyTimedStates, runDeletions, dormancy })

import { createMain } from '../_core/entry'
import { schedulerFunction } from './handlers'

export const main = createMain(schedulerFunction)

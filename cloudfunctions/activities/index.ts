import { createMain } from '../_core/entry'
import { activitiesFunction } from './handlers'

export const main = createMain(activitiesFunction)

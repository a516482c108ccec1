import { createMain } from '../_core/entry'
import { moderationFunction } from './handlers'

export const main = createMain(moderationFunction)

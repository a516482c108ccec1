import { createMain } from '../_core/entry'
import { inboxFunction } from './handlers'

export const main = createMain(inboxFunction)

import { createMain } from '../_core/entry'
import { adminFunction } from './handlers'

export const main = createMain(adminFunction)

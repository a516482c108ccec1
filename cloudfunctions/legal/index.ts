import { createMain } from '../_core/entry'
import { legalFunction } from './handlers'

export const main = createMain(legalFunction)

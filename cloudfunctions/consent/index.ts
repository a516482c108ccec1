import { createMain } from '../_core/entry'
import { consentFunction } from './handlers'

export const main = createMain(consentFunction)

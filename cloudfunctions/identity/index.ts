import { createMain } from '../_core/entry'
import { identityFunction } from './handlers'

export const main = createMain(identityFunction)

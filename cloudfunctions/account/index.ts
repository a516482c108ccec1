import { createMain } from '../_core/entry'
import { accountFunction } from './handlers'

export const main = createMain(accountFunction)

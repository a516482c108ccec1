import { createMain } from '../_core/entry'
import { oidcFunction } from './handlers'

export const main = createMain(oidcFunction)

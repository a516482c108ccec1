import { createMain } from '../_core/entry'
import { articlesFunction } from './handlers'

export const main = createMain(articlesFunction)

import { createMain } from '../_core/entry'
import { cardsFunction } from './handlers'

export const main = createMain(cardsFunction)

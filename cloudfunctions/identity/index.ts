import { createMain } from '../_core/entry'
import { loadIdentitySettings } from '../_core/identity/settings'
import { identityFunction } from './handlers'

export const main = createMain(identityFunction, { identity: loadIdentitySettings })

import { createMain } from '../_core/entry'
import { loadOidcSection } from '../_core/oidc/settings'
import { oidcFunction } from './handlers'

export const main = createMain(oidcFunction, { oidc: loadOidcSection })

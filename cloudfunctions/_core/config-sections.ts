/**
 * Every optional settings loader, for the processes that load them all: the
 * local cloud, the tests and the deploy. A deployed function passes only its own.
 */
import type { ConfigSections } from './config'
import { loadIdentitySettings } from './identity/settings'
import { loadOidcSection } from './oidc/settings'

export const ALL_SECTIONS: ConfigSections = { identity: loadIdentitySettings, oidc: loadOidcSection }

/**
 * State that app.ts, the api client and components must share.
 *
 * The build bundles app.ts and every page and component on its own, so a module
 * imported by two of them exists twice at run time and module-level variables are
 * not shared. The App instance is the one object every bundle reaches (getApp),
 * so the shared registries hang off it. Where there is no App (unit tests, or
 * before App() runs without allowDefault support) a module-level object stands in.
 */
import type { ItemView } from '../../shared/contract/moderation'
import type { ApiCallError } from '../api/errors'

/** A call refused because the account's consent state blocks signed-in features. */
export interface BlockedEvent {
  error: ApiCallError
  fn: string
  action: string
}

export type BlockedListener = (event: BlockedEvent) => void

/** An announced version that has not taken effect yet. */
export interface UpcomingNotice {
  docId: string
  title: string
  version: string
  summary: string
  effectiveAt: string
}

/** What a terms popup is asked to show. */
export type TermsPrompt =
  /** Announced changes: dismissable. */
  | { mode: 'upcoming'; notices: UpcomingNotice[] }
  /** New versions in effect and not accepted: the user must accept or refuse. */
  | { mode: 'required' }

/** A terms popup instance as the hub sees it. */
export interface TermsPopupHandle {
  showPrompt(prompt: TermsPrompt): void
  hidePrompt(): void
}

export interface Hub {
  blockedListeners: BlockedListener[]
  /** Attached popups; the last one is on the page the user sees. */
  termsPopups: TermsPopupHandle[]
  /** The prompt waiting for (or shown by) a popup; cleared when the user decides or dismisses. */
  termsPrompt: TermsPrompt | null
  /** When the app last opened the registration page by itself (to open it once for a burst of refusals). */
  registerOpenedAt: number
  /** Per topic, how many changes pages made (utils/changes.ts): a list shown again reloads only when its topic moved. */
  changes: Record<string, number>
  /** The review item the 详情 page hands to the 处理 page (staff pages), so deciding needs no second look-up. */
  reviewItem: ItemView | null
}

/** The App instance's property that holds the hub; app.ts puts one there when it calls App(). */
export const HUB_KEY = '__lechatHub'

let standIn: Record<string, unknown> = {}

export function newHub(): Hub {
  return { blockedListeners: [], termsPopups: [], termsPrompt: null, registerOpenedAt: 0, changes: {}, reviewItem: null }
}

function holder(): Record<string, unknown> {
  if (typeof getApp !== 'function') return standIn
  try {
    // allowDefault: a bundle may ask before App() has run; its properties are merged into the App later.
    const app: unknown = getApp({ allowDefault: true })
    if (typeof app === 'object' && app !== null) return app as Record<string, unknown>
  } catch {
    // Base libraries without allowDefault throw before App() runs.
  }
  return standIn
}

function isHub(value: unknown): value is Hub {
  return typeof value === 'object' && value !== null && Array.isArray((value as Partial<Hub>).blockedListeners)
}

/**
 * The shared hub. Code running inside App()'s own functions passes the app
 * (`this`): getApp() is not reliable there. Everyone else finds it through getApp().
 */
export function hub(host?: object): Hub {
  const target = (host as Record<string, unknown> | undefined) ?? holder()
  const existing = target[HUB_KEY]
  if (isHub(existing)) return existing
  const created = newHub()
  target[HUB_KEY] = created
  return created
}

/** Tests only: forget everything (a fresh app launch). */
export function resetHub(): void {
  standIn = {}
}

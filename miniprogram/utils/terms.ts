/**
 * Keeping the user's acceptance of the user agreement and privacy policy current:
 * - announced versions (not yet in effect) → a dismissable popup, once per docId@version;
 * - a new version in effect and not accepted → the popup that must be answered;
 * - never accepted (or a child without a guardian's consent) → the registration page.
 * app.ts wires `routeBlocked` to the api client's onBlocked hook and calls
 * `checkTerms` when the app comes to the foreground.
 */
import { call } from '../api'
import { hub, type BlockedEvent, type TermsPrompt, type UpcomingNotice } from './hub'
import { readStrings, writeStrings } from './storage'

export const REGISTER_PAGE = 'pages/consent/register'
const DISMISSED_KEY = 'lechat.dismissedTermsNotices'
/** Several calls refused at once open registration once. */
const REOPEN_AFTER_MS = 1500

export function noticeKey(notice: { docId: string; version: string }): string {
  return `${notice.docId}@${notice.version}`
}

export function isNoticeDismissed(notice: { docId: string; version: string }): boolean {
  return readStrings(DISMISSED_KEY).includes(noticeKey(notice))
}

export function rememberDismissed(notices: ReadonlyArray<{ docId: string; version: string }>): void {
  const keys = readStrings(DISMISSED_KEY)
  for (const notice of notices) {
    const key = noticeKey(notice)
    if (!keys.includes(key)) keys.push(key)
  }
  // Old entries are useless once their versions are in effect; keep the list short.
  writeStrings(DISMISSED_KEY, keys.slice(-50))
}

/**
 * Shows a prompt on the popup of the page the user sees. A prompt that must be
 * answered is never replaced by an announcement. Resolves true when a popup took it.
 */
export function requestTermsPrompt(prompt: TermsPrompt): boolean {
  const state = hub()
  if (state.termsPrompt?.mode === 'required' && prompt.mode === 'upcoming') return true
  state.termsPrompt = prompt
  const top = state.termsPopups[state.termsPopups.length - 1]
  if (!top) return false
  top.showPrompt(prompt)
  return true
}

/** The popup calls this when the user has decided or dismissed: every popup (on lower pages too) closes. */
export function clearTermsPrompt(): void {
  const state = hub()
  state.termsPrompt = null
  for (const popup of state.termsPopups.slice()) popup.hidePrompt()
}

function currentRoute(): string {
  if (typeof getCurrentPages !== 'function') return ''
  const pages = getCurrentPages()
  return pages[pages.length - 1]?.route ?? ''
}

/** Opens registration (reading and accepting the current documents) unless it is already open. */
export function openRegister(): void {
  if (currentRoute() === REGISTER_PAGE) return
  const state = hub()
  const now = Date.now()
  if (now - state.registerOpenedAt < REOPEN_AFTER_MS) return
  state.registerOpenedAt = now
  const url = `/${REGISTER_PAGE}`
  // Ten pages deep navigateTo fails: replace the top page instead.
  wx.navigateTo({ url, fail: () => wx.redirectTo({ url }) })
}

/** The app's onBlocked listener. */
export function routeBlocked(event: BlockedEvent): void {
  // consent.* answers are about the form being sent (e.g. a child without a guardian): the page shows them.
  if (event.fn === 'consent') return
  switch (event.error.code) {
    case 'TERMS_UPDATED':
      // Without a popup on screen, registration shows the current versions with the checkbox.
      if (!requestTermsPrompt({ mode: 'required' })) openRegister()
      return
    case 'TERMS_NOT_ACCEPTED':
    case 'GUARDIAN_CONSENT_REQUIRED':
      openRegister()
      return
    default:
      return
  }
}

/**
 * Asks the server where the user stands and prompts if needed: the must-answer
 * popup once a new version is in effect, or the announcement of upcoming ones
 * the user has not dismissed or accepted yet. Quiet when there is no account yet
 * or the network is down.
 */
export async function checkTerms(): Promise<void> {
  let status
  try {
    ;({ status } = await call('consent', 'status', {}))
  } catch {
    return
  }
  if (status.blocked === 'TERMS_UPDATED') {
    requestTermsPrompt({ mode: 'required' })
    return
  }
  const notices: UpcomingNotice[] = status.upcoming
    .filter((u) => !u.accepted && !isNoticeDismissed(u))
    .map((u) => ({ docId: u.docId, title: u.title, version: u.version, summary: u.summary, effectiveAt: u.effectiveAt }))
  if (notices.length > 0) requestTermsPrompt({ mode: 'upcoming', notices })
}

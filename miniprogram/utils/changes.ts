/**
 * Lists that stay as they are when the user comes back to them, unless
 * something they show was changed meanwhile.
 *
 * A page that changes what a list shows (the editor saved an activity, the
 * detail page signed up, the card page saved a card to the holder …) marks the
 * topic; the list remembers the count it loaded at and, shown again, reloads
 * only when the count moved. Child pages of child pages count too (the list →
 * the detail → the editor), which an event channel to the opener would miss.
 * The counts live on the hub (the App instance): each page is its own bundle,
 * so a module-level counter would not be shared.
 */
import { hub } from './hub'

export type ChangeTopic = 'activities' | 'articles' | 'holder' | 'review'

function counts(): Record<string, number> {
  const shared = hub()
  // A hub made before this field existed (an App from an older bundle) gets it now.
  if (typeof shared.changes !== 'object' || shared.changes === null) shared.changes = {}
  return shared.changes
}

/** What `topic` stands at now; a list keeps it with what it loaded. */
export function changeStamp(topic: ChangeTopic): number {
  return counts()[topic] ?? 0
}

/** Something `topic`'s lists show was changed: they reload when shown again. */
export function markChanged(topic: ChangeTopic): void {
  const all = counts()
  all[topic] = (all[topic] ?? 0) + 1
}

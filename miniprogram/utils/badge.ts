/**
 * The unread count on the 消息 tab. WeChat only lets tab pages change the tab bar,
 * so failures (another page is on top, no tab bar yet) are ignored: the next
 * refresh from a tab page or app show sets it right.
 */
import { call } from '../api'

/** Position of pages/inbox/index in app.json's tabBar list. */
export const INBOX_TAB_INDEX = 1

export function badgeText(unread: number): string {
  return unread > 99 ? '99+' : String(unread)
}

export function showUnreadBadge(unread: number): void {
  const ignore = (): void => undefined
  if (unread > 0) wx.setTabBarBadge({ index: INBOX_TAB_INDEX, text: badgeText(unread), fail: ignore })
  else wx.removeTabBarBadge({ index: INBOX_TAB_INDEX, fail: ignore })
}

/** Asks the server and updates the badge; resolves with the count, or null when it could not be read (no account yet, offline). */
export async function refreshUnreadBadge(): Promise<number | null> {
  try {
    const { unread } = await call('inbox', 'unreadCount', {})
    showUnreadBadge(unread)
    return unread
  } catch {
    return null
  }
}

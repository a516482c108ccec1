/** Small typed helpers over wx storage (values this app wrote itself; anything else reads as empty). */

export function readStrings(key: string): string[] {
  let raw: unknown
  try {
    raw = wx.getStorageSync(key)
  } catch {
    return []
  }
  return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : []
}

export function writeStrings(key: string, values: readonly string[]): void {
  try {
    wx.setStorageSync(key, values.slice())
  } catch {
    // Storage full or unavailable: forgetting a dismissal only shows a notice again.
  }
}

/**
 * Page queries and the way back. WeChat hands onLoad the query as it was in
 * the path, still percent-encoded; a link cut in the middle of a %xx sequence
 * makes decodeURIComponent throw, which must not leave a page loading forever.
 */

/** A query value decoded: '' when absent, null when it cannot be decoded (a broken link). */
export function decodedParam(value: string | undefined): string | null {
  if (value === undefined || value === '') return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}

/**
 * Back to the page this one was opened from; when there is none (opened from a
 * share, a QR code or a message), to `fallback` instead.
 */
export function goBack(fallback: string): void {
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : []
  if (pages.length > 1) wx.navigateBack({ delta: 1 })
  else wx.redirectTo({ url: fallback })
}

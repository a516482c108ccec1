/** Paths of pages other pages open. */

export function docUrl(docId: string, version?: string): string {
  const query = `docId=${encodeURIComponent(docId)}${version ? `&version=${encodeURIComponent(version)}` : ''}`
  return `/pages/legal/doc?${query}`
}

export const LEGAL_INDEX_URL = '/pages/legal/index'
export const PRIVACY_URL = '/pages/privacy/index'
export const REGISTER_URL = '/pages/consent/register'
export const INBOX_URL = '/pages/inbox/index'

export function receiptUrl(recordId: string | null): string {
  return recordId ? `/pages/privacy/receipt?recordId=${encodeURIComponent(recordId)}` : '/pages/privacy/receipt?all=1'
}

/** Tab pages cannot be opened with navigateTo. */
const TAB_PAGES = ['/pages/home/index', '/pages/inbox/index', '/pages/me/index']

/** Opens an in-app path (from a message link, for instance); anything that is not a page path is ignored. */
export function openPath(path: string): boolean {
  if (!/^\/?pages\/[\w/-]+(\?[\w=&%.@-]*)?$/.test(path) && !/^\/?package\w+\/[\w/-]+(\?[\w=&%.@-]*)?$/.test(path)) return false
  const url = path.startsWith('/') ? path : `/${path}`
  const bare = url.split('?')[0] ?? url
  if (TAB_PAGES.includes(bare)) wx.switchTab({ url: bare })
  else wx.navigateTo({ url })
  return true
}

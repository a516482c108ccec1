/**
 * Saving a text file in the mini-program's own storage (wx.env.USER_DATA_PATH)
 * and offering it to a chat with wx.shareFileMessage, the way the consent
 * receipt page does it (pages/privacy/receipt.ts keeps its own copy).
 */

/** Where a file of this name lives in the mini-program's own storage. */
export function userFilePath(fileName: string): string {
  return `${wx.env.USER_DATA_PATH.replace(/\/+$/, '')}/${fileName}`
}

/** Writes `text` as UTF-8 and resolves with the file's path; rejects with the base library's errMsg. */
export function writeTextFile(fileName: string, text: string): Promise<string> {
  const filePath = userFilePath(fileName)
  return new Promise<string>((resolve, reject) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data: text,
      encoding: 'utf8',
      success: () => resolve(filePath),
      fail: (error: { errMsg: string }) => reject(new Error(error.errMsg)),
    })
  })
}

/** sent; cancelled by the user; failed; or unsupported (this WeChat cannot send files from a mini-program). */
export type ShareOutcome = 'sent' | 'cancelled' | 'failed' | 'unsupported'

export function canShareFiles(): boolean {
  return typeof wx.shareFileMessage === 'function'
}

/** Opens WeChat's chat picker to send the file; never rejects. */
export function shareFile(filePath: string, fileName: string): Promise<ShareOutcome> {
  if (!canShareFiles()) return Promise.resolve('unsupported')
  return new Promise<ShareOutcome>((resolve) => {
    wx.shareFileMessage({
      filePath,
      fileName,
      success: () => resolve('sent'),
      fail: (error: { errMsg: string }) => resolve(/cancel/.test(error.errMsg) ? 'cancelled' : 'failed'),
    })
  })
}

/** Puts text on the clipboard; resolves true when WeChat says it did. */
export function copyText(text: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    wx.setClipboardData({ data: text, success: () => resolve(true), fail: () => resolve(false) })
  })
}

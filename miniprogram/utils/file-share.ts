/**
 * Saving a text file in the mini-program's own storage (wx.env.USER_DATA_PATH)
 * and offering it to a chat with wx.shareFileMessage (the consent receipt, the
 * personal-data export), or copying the text instead.
 */

/** Where a file of this name lives in the mini-program's own storage. */
export function userFilePath(fileName: string): string {
  return `${wx.env.USER_DATA_PATH.replace(/\/+$/, '')}/${fileName}`
}

/** Writes `data` (text, or an image as base64) and resolves with the file's path; rejects with the base library's errMsg. */
export function writeUserFile(fileName: string, data: string, encoding: 'utf8' | 'base64'): Promise<string> {
  const filePath = userFilePath(fileName)
  return new Promise<string>((resolve, reject) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data,
      encoding,
      success: () => resolve(filePath),
      fail: (error: { errMsg: string }) => reject(new Error(error.errMsg)),
    })
  })
}

export function writeTextFile(fileName: string, text: string): Promise<string> {
  return writeUserFile(fileName, text, 'utf8')
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

/**
 * Editors ask before unsaved input is lost: while a form has changes that are
 * not saved, WeChat's back gesture and back button first ask
 * (wx.enableAlertBeforeUnload); once saved, leaving is silent again
 * (wx.disableAlertBeforeUnload). Older base libraries lack both: nothing happens there.
 */

export const UNSAVED_MESSAGE = '修改还没有保存，离开后将会丢失。确定要离开吗？'

/** Whether each page's alert is on now, so each change of state calls WeChat once. */
const guarded = new WeakMap<object, boolean>()

/** Turns the page's leave-alert on while `dirty`, off when not. */
export function guardUnsaved(page: object, dirty: boolean): void {
  if ((guarded.get(page) ?? false) === dirty) return
  if (dirty) {
    if (typeof wx.enableAlertBeforeUnload !== 'function') return
    wx.enableAlertBeforeUnload({ message: UNSAVED_MESSAGE, fail: () => undefined })
  } else if (typeof wx.disableAlertBeforeUnload === 'function') {
    wx.disableAlertBeforeUnload({ fail: () => undefined })
  }
  guarded.set(page, dirty)
}

/** Asking before doing something that cannot simply be taken back. */

/** The confirm button's color for what deletes, withdraws or cancels. */
export const DANGER_COLOR = '#b42318'

export interface ConfirmOptions {
  title: string
  content: string
  confirmText: string
  /** 取消 unless given. */
  cancelText?: string
  /** The confirm button in DANGER_COLOR. */
  danger?: boolean
}

/** Asks with wx.showModal: true only when the user confirmed (a modal that could not open counts as no). */
export async function confirmed(options: ConfirmOptions): Promise<boolean> {
  try {
    const answer = await wx.showModal({
      title: options.title,
      content: options.content,
      confirmText: options.confirmText,
      cancelText: options.cancelText ?? '取消',
      ...(options.danger ? { confirmColor: DANGER_COLOR } : {}),
    })
    return answer.confirm
  } catch {
    return false
  }
}

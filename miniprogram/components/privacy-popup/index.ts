/**
 * WeChat's privacy-guide authorization (base library 2.32.3+). A privacy-relevant
 * API or component (chooseAvatar, type="nickname" …) stays pending until the
 * listener's resolve is called, so we keep it and answer from this popup.
 *
 * The state lives in this module, not in an instance: wx.onNeedPrivacyAuthorization
 * keeps only the last listener, and the popup shown is the one on the top-most page.
 */

type PrivacyAnswer = { event: 'agree'; buttonId: string } | { event: 'disagree' }
type PrivacyResolve = (answer: PrivacyAnswer) => void
interface PrivacyEventInfo {
  referrer?: string
}

/** The typings give the listener a wrong shape (one result object), so describe what the base library really calls. */
interface PrivacyApis {
  onNeedPrivacyAuthorization?: (listener: (resolve: PrivacyResolve, eventInfo?: PrivacyEventInfo) => void) => void
  openPrivacyContract?: (options: { fail?: (error: { errMsg: string }) => void }) => void
}

/** A popup instance, as far as this module needs it. */
interface Popup {
  setData(data: { visible: boolean }): void
}

const pending: PrivacyResolve[] = []
const popups: Popup[] = []
let listening = false

function privacyApis(): PrivacyApis {
  return wx as unknown as PrivacyApis
}

function listenOnce(): void {
  if (listening) return
  const apis = privacyApis()
  // Older base libraries have no privacy authorization at all: nothing will ever wait.
  if (typeof apis.onNeedPrivacyAuthorization !== 'function') return
  listening = true
  apis.onNeedPrivacyAuthorization((resolve) => {
    pending.push(resolve)
    popups[popups.length - 1]?.setData({ visible: true })
  })
}

/** Answers every waiting request (several APIs may ask at once) and closes all popups. */
function answer(reply: PrivacyAnswer): void {
  const waiting = pending.splice(0, pending.length)
  for (const resolve of waiting) resolve(reply)
  for (const popup of popups) popup.setData({ visible: false })
}

Component({
  options: {
    styleIsolation: 'apply-shared',
  },
  data: {
    visible: false,
  },
  lifetimes: {
    attached() {
      popups.push(this)
      listenOnce()
      // A request that came while no page had a popup is answered here.
      if (pending.length > 0) this.setData({ visible: true })
    },
    detached() {
      const index = popups.indexOf(this)
      if (index >= 0) popups.splice(index, 1)
      if (pending.length > 0) popups[popups.length - 1]?.setData({ visible: true })
    },
  },
  methods: {
    /** Keeps the page under the mask from scrolling. */
    noop() {},
    onAgree(e: WechatMiniprogram.CustomEvent) {
      // The base library checks that this very button was tapped before letting the API continue.
      answer({ event: 'agree', buttonId: e.currentTarget.id })
    },
    onDisagree() {
      answer({ event: 'disagree' })
    },
    onOpenContract() {
      const apis = privacyApis()
      if (typeof apis.openPrivacyContract !== 'function') {
        wx.showToast({ title: '请升级微信后查看隐私保护指引', icon: 'none' })
        return
      }
      apis.openPrivacyContract({
        fail: () => wx.showToast({ title: '暂时无法打开隐私保护指引，请稍后重试', icon: 'none' }),
      })
    },
  },
})

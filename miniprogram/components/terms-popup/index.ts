/**
 * Changes to the user agreement and privacy policy.
 * - 'upcoming': announced versions not in effect yet; dismissable, and a dismissed
 *   docId@version is not shown again (wx storage).
 * - 'required': a new version is in effect and not accepted (consent.status says
 *   TERMS_UPDATED, or a call was refused with it). No way around it: accept
 *   (consent.grant, method 'popup') or refuse (consent.refuse), after which the
 *   popup explains that continuing needs acceptance and that the account can be deleted.
 * Every page that uses signed-in features puts one <terms-popup /> at the top of its
 * template; the hub hands prompts to the one on the page the user sees.
 */
import type { DocumentId, PurposeId } from '../../../shared/consent'
import { ApiCallError, call, messageOf } from '../../api'
import { formatDate } from '../../utils/format'
import { hub, type TermsPopupHandle, type TermsPrompt } from '../../utils/hub'
import { docUrl } from '../../utils/links'
import { clearTermsPrompt, openRegister, rememberDismissed } from '../../utils/terms'

interface NoticeView {
  key: string
  docId: string
  title: string
  version: string
  summary: string
  effective: string
}

interface RequiredItem {
  key: string
  purpose: PurposeId
  docId: DocumentId
  title: string
  version: string
  hash: string
  summary: string
  effective: string
}

type Mode = 'upcoming' | 'required' | 'refused'

/** Handles by instance: one bundle holds this module for every page's popup. */
const handles = new Map<object, TermsPopupHandle>()

function toTop(owner: object): void {
  const handle = handles.get(owner)
  if (!handle) return
  const popups = hub().termsPopups
  const index = popups.indexOf(handle)
  if (index >= 0) popups.splice(index, 1)
  popups.push(handle)
}

async function loadRequired(): Promise<{ blocked: string | null; items: RequiredItem[] }> {
  const [{ status }, { documents }] = await Promise.all([call('consent', 'status', {}), call('legal', 'list', {})])
  const items: RequiredItem[] = []
  for (const need of status.required) {
    if (need.state === 'current') continue
    const meta = documents.find((d) => d.docId === need.docId)?.current
    if (!meta) continue
    items.push({
      key: need.purpose,
      purpose: need.purpose,
      docId: meta.docId,
      title: meta.title,
      version: meta.version,
      hash: meta.hash,
      summary: meta.summary,
      effective: formatDate(meta.effectiveAt),
    })
  }
  return { blocked: status.blocked, items }
}

Component({
  options: {
    styleIsolation: 'apply-shared',
  },
  data: {
    visible: false,
    mode: 'upcoming' as Mode,
    notices: [] as NoticeView[],
    items: [] as RequiredItem[],
    loading: false,
    busy: false,
    message: '',
  },
  lifetimes: {
    attached() {
      const handle: TermsPopupHandle = {
        showPrompt: (prompt) => this.showPrompt(prompt),
        hidePrompt: () => this.setData({ visible: false, busy: false, message: '' }),
      }
      handles.set(this, handle)
      hub().termsPopups.push(handle)
      // A prompt that came while no page had a popup is shown here.
      const pending = hub().termsPrompt
      if (pending) this.showPrompt(pending)
    },
    detached() {
      const handle = handles.get(this)
      handles.delete(this)
      const popups = hub().termsPopups
      const index = handle ? popups.indexOf(handle) : -1
      if (index >= 0) popups.splice(index, 1)
    },
  },
  pageLifetimes: {
    show() {
      // Tab pages stay attached when another tab is shown: the page shown last is the one on top.
      toTop(this)
      const pending = hub().termsPrompt
      if (pending && !this.data.visible) this.showPrompt(pending)
    },
  },
  methods: {
    /** Keeps the page under the mask from scrolling. */
    noop() {},

    showPrompt(prompt: TermsPrompt) {
      if (prompt.mode === 'upcoming') {
        // An answer-first prompt already on screen stays.
        if (this.data.visible && this.data.mode !== 'upcoming') return
        this.setData({
          visible: true,
          mode: 'upcoming',
          message: '',
          notices: prompt.notices.map((n) => ({
            key: `${n.docId}@${n.version}`,
            docId: n.docId,
            title: n.title,
            version: n.version,
            summary: n.summary,
            effective: formatDate(n.effectiveAt),
          })),
        })
        return
      }
      if (this.data.visible && this.data.mode !== 'upcoming') return
      this.setData({ visible: true, mode: 'required', message: '', items: [] })
      void this.loadItems()
    },

    async loadItems() {
      this.setData({ loading: true, message: '' })
      let result: Awaited<ReturnType<typeof loadRequired>>
      try {
        result = await loadRequired()
      } catch (error) {
        this.setData({ loading: false, message: messageOf(error) })
        return
      }
      if (result.blocked === 'TERMS_NOT_ACCEPTED' || result.blocked === 'GUARDIAN_CONSENT_REQUIRED') {
        // Not an update: the full registration (with a guardian for a child) is needed.
        this.setData({ loading: false })
        clearTermsPrompt()
        openRegister()
        return
      }
      if (result.blocked === null || result.items.length === 0) {
        // Accepted meanwhile (on another page or device).
        this.setData({ loading: false })
        clearTermsPrompt()
        return
      }
      this.setData({ loading: false, items: result.items })
    },

    onRetry() {
      void this.loadItems()
    },

    onRead(e: WechatMiniprogram.BaseEvent<Record<string, never>, { docId: string; version: string }>) {
      const { docId, version } = e.currentTarget.dataset
      wx.navigateTo({ url: docUrl(docId, version) })
    },

    onDismiss() {
      rememberDismissed(this.data.notices)
      clearTermsPrompt()
    },

    async onAccept() {
      if (this.data.busy || this.data.items.length === 0) return
      this.setData({ busy: true, message: '' })
      try {
        await call('consent', 'grant', {
          method: 'popup',
          items: this.data.items.map((item) => ({ purpose: item.purpose, version: item.version, hash: item.hash })),
        })
      } catch (error) {
        this.setData({ busy: false })
        if (error instanceof ApiCallError && error.code === 'GUARDIAN_CONSENT_REQUIRED') {
          // A child's acceptance is given by the guardian, on the registration page.
          clearTermsPrompt()
          openRegister()
          return
        }
        if (error instanceof ApiCallError && error.code === 'DOCUMENT_OUTDATED') {
          await this.loadItems()
          this.setData({ message: '协议刚刚又有更新，请查看最新版本后再同意' })
          return
        }
        this.setData({ message: messageOf(error) })
        return
      }
      this.setData({ busy: false })
      clearTermsPrompt()
      wx.showToast({ title: '已同意新版本，可以继续使用', icon: 'none' })
      this.triggerEvent('accepted', {})
    },

    async onRefuse() {
      if (this.data.busy || this.data.items.length === 0) return
      this.setData({ busy: true, message: '' })
      try {
        for (const item of this.data.items) {
          await call('consent', 'refuse', { purpose: item.purpose, version: item.version, hash: item.hash, method: 'popup' })
        }
      } catch (error) {
        this.setData({ busy: false, message: messageOf(error) })
        return
      }
      this.setData({ busy: false, mode: 'refused' })
    },

    /** From the explanation back to the choice. */
    onReconsider() {
      this.setData({ mode: 'required', message: '' })
    },

    /** After refusing: close; the next call that needs acceptance brings the popup back. */
    onClose() {
      clearTermsPrompt()
    },
  },
})

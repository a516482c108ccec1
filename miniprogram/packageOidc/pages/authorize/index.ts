/**
 * 授权登录 (/packageOidc/pages/authorize/index): what a scanned QR code (scene
 * `o=<sign-in>`) or another mini-program (`request_uri` + `client_id`) opens.
 * Shows the organization, each piece of information it asks for and why, a
 * separate consent for sensitive ones, and the provider at its foot; approving
 * is a fresh face check (the verify page in re-check mode), declining tells the
 * website or sends the other mini-program back with access_denied.
 */
import type { SignInOutcome, SignInView } from '../../../../shared/contract/oidc'
import { signInIdOfScene } from '../../../../shared/oidc'
import { ApiCallError, call, messageOf } from '../../../api'

const VERIFY_URL = '/packageAccount/pages/verify/index'

type Status = 'loading' | 'ready' | 'error' | 'done'

interface ScopeRow {
  scope: string
  label: string
  shows: string
}

type OpenInput = { signInId: string } | { requestUri: string; clientId: string }

function openInputOf(scene: string, requestUri: string, clientId: string): OpenInput | null {
  if (scene) {
    const id = signInIdOfScene(decodeURIComponent(scene))
    return id ? { signInId: id } : null
  }
  if (requestUri && clientId) return { requestUri: decodeURIComponent(requestUri), clientId }
  return null
}

/** What the person can do about a refusal: verify first, or just read why. */
function fixOf(error: unknown): 'verify' | '' {
  return error instanceof ApiCallError && error.code === 'VERIFICATION_REQUIRED' ? 'verify' : ''
}

Component({
  properties: {
    /** From a QR code: `o%3D<sign-in id>`. */
    scene: { type: String, value: '' },
    /** From another mini-program after it pushed its request. */
    request_uri: { type: String, value: '' },
    client_id: { type: String, value: '' },
  },
  data: {
    status: 'loading' as Status,
    error: '',
    fix: '' as 'verify' | '',
    view: null as SignInView | null,
    plain: [] as ScopeRow[],
    sensitive: [] as ScopeRow[],
    shareSensitive: false,
    busy: '' as '' | 'approve' | 'deny',
    message: '',
    doneText: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      const input = openInputOf(this.data.scene, this.data.request_uri, this.data.client_id)
      if (!input) {
        this.setData({ status: 'error', error: '这不是有效的登录二维码，请回到原网页或应用重新发起登录。', fix: '' })
        return
      }
      this.setData({ status: 'loading', error: '' })
      try {
        const { signIn } = await call('oidc', 'open', input)
        const rows = signIn.scopes.map(({ scope, label, shows, sensitive }) => ({ scope, label, shows, sensitive }))
        this.setData({
          status: 'ready',
          view: signIn,
          plain: rows.filter((r) => !r.sensitive),
          sensitive: rows.filter((r) => r.sensitive),
          shareSensitive: false,
        })
      } catch (error) {
        this.setData({ status: 'error', error: messageOf(error), fix: fixOf(error) })
      }
    },

    onRetry() {
      void this.load()
    },

    onVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onSensitive(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.setData({ shareSensitive: e.detail.value === true })
    },

    /** Agreeing is the face check: the verify page reports a passed re-check, then we approve with it. */
    onApprove() {
      if (this.data.busy !== '' || !this.data.view) return
      this.setData({ message: '请完成人脸核验，完成后会自动登录。' })
      wx.navigateTo({
        url: `${VERIFY_URL}?mode=recheck&purpose=signIn`,
        events: {
          rechecked: (result: { verificationId?: unknown }) => {
            if (this.data.busy !== '' || typeof result?.verificationId !== 'string') return
            void this.approve(result.verificationId)
          },
        },
        fail: () => this.setData({ message: '无法打开人脸核验页面，请稍后重试' }),
      })
    },

    async approve(verificationId: string) {
      const view = this.data.view
      if (!view) return
      this.setData({ busy: 'approve', message: '' })
      try {
        const outcome = await call('oidc', 'approve', { signInId: view.signInId, verificationId, shareSensitive: this.data.shareSensitive })
        this.finish(outcome, `已登录${view.client.name}。请回到电脑上的网页继续。`)
      } catch (error) {
        this.setData({ busy: '', message: messageOf(error) })
      }
    },

    async onDeny() {
      const view = this.data.view
      if (this.data.busy !== '' || !view) return
      this.setData({ busy: 'deny', message: '' })
      try {
        const outcome = await call('oidc', 'deny', { signInId: view.signInId })
        this.finish(outcome, `已拒绝${view.client.name}的登录请求，网页会收到你的拒绝。`)
      } catch (error) {
        this.setData({ busy: '', message: messageOf(error) })
      }
    },

    /** The web waits for its code on its own page; another mini-program gets it back here. */
    finish(outcome: SignInOutcome, webText: string) {
      if (outcome.channel === 'miniprogram' && outcome.extraData) {
        this.setData({ busy: '', status: 'done', doneText: '正在返回应用…' })
        wx.navigateBackMiniProgram({ extraData: outcome.extraData })
        return
      }
      this.setData({ busy: '', status: 'done', doneText: webText })
    },
  },
})

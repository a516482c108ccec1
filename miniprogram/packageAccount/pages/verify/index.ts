/**
 * 实名认证 (identity.*), in two modes:
 *
 * - `verify` (default): why real-name verification is needed and what is kept,
 *   the three separate consents it rests on (idNumber, face, partnerSharing) with
 *   one-tap grants, the name + ID number form (the ID number checked as it is
 *   typed), then start → the provider's face capture → complete, polling while
 *   the result is pending. A verification left pending resumes at its result.
 *   A verified account sees its masked identity and how to ask for a correction.
 * - `recheck` (`mode=recheck`, `purpose=unfreeze|deletion|wake`): a fresh face check of
 *   the verified owner (identity.recheck → capture → identity.completeRecheck);
 *   a pass is handed to the opener as the event `rechecked` and the page goes back.
 *
 * Plain names and ID numbers stay on the page only until `start` has them.
 */
import type { PurposeId } from '../../../../shared/consent'
import type { ClientActionView, IdentityProviderId, IdentityStatus, IdentityView } from '../../../../shared/contract/identity'
import { beijingDate } from '../../../../shared/rules/age'
import { ID_NUMBER_PROBLEMS, idNumberProblem, normalizeIdNumber } from '../../../../shared/rules/id-number'
import { ApiCallError, call, fieldErrors, messageOf } from '../../../api'
import { formatDateTime } from '../../../utils/format'
import { docUrl, PRIVACY_URL } from '../../../utils/links'
import { runLoad, type LoadStatus } from '../../../utils/load'
import { consentRowsOf, missingOf, missingPurposesOf, noticesOf, VERIFY_PURPOSES, type ConsentRow, type Decision, type Notices } from './consent-rows'
import { requestFacialVerify, startFaceIdSdk, type CaptureOutcome } from './face-capture'
import { runtimeOf, stopTimer } from './flow-runtime'


const DATA_URL = '/packageAccount/pages/data/index'
const VERIFY_URL = '/packageAccount/pages/verify/index'

/** Automatic result checks while pending, before the page waits for a tap instead. */
const MAX_AUTO_POLLS = 40

const PROVIDER_LABELS: Record<IdentityProviderId, string> = {
  sandbox: '沙箱核验（仅用于开发测试）',
  'wechat-face': '微信人脸核身',
  'tencent-faceid': '腾讯云慧眼人脸核身',
}

type Mode = 'verify' | 'recheck'
type RecheckPurpose = 'unfreeze' | 'deletion' | 'wake' | 'signIn' | ''

/**
 * Where the flow is. `idle`: the form (verify) or the start button (recheck);
 * capture*, openUrl, sdkMissing: step 2; the rest: step 3.
 */
type Phase =
  | 'idle'
  | 'capture'
  | 'captureFailed'
  | 'openUrl'
  | 'sdkMissing'
  | 'checking'
  | 'pending'
  | 'passed'
  | 'failed'
  | 'bound'
  | 'expired'
  | 'serviceError'
  | 'notVerified'

const STEP_OF: Record<Phase, number> = {
  idle: 0,
  capture: 1,
  captureFailed: 1,
  openUrl: 1,
  sdkMissing: 1,
  checking: 2,
  pending: 2,
  passed: 2,
  failed: 2,
  bound: 2,
  expired: 2,
  serviceError: 2,
  notVerified: 0,
}

const STEP_LABELS: Record<Mode, readonly string[]> = {
  verify: ['填写信息', '人脸核验', '核验结果'],
  recheck: ['确认本人', '人脸核验', '核验结果'],
}

interface StepRow {
  index: number
  label: string
  /** done | current | todo */
  state: string
  ariaLabel: string
}

function stepsOf(mode: Mode, phase: Phase): StepRow[] {
  const current = STEP_OF[phase]
  return STEP_LABELS[mode].map((label, index) => {
    const state = index < current ? 'done' : index === current ? 'current' : 'todo'
    const word = state === 'done' ? '已完成' : state === 'current' ? '进行中' : '未开始'
    return { index, label, state, ariaLabel: `第 ${index + 1} 步，${label}，${word}` }
  })
}

function isRecheckPurpose(value: string): value is Exclude<RecheckPurpose, ''> {
  return value === 'unfreeze' || value === 'deletion' || value === 'wake' || value === 'signIn'
}

const RECHECK_TEXT: Record<RecheckPurpose, { title: string; lead: string }> = {
  unfreeze: {
    title: '解冻账号前，请完成本人核验',
    lead: '为确认是你本人在解冻账号，请完成一次人脸核验。',
  },
  wake: {
    title: '恢复休眠账号前，请完成本人核验',
    lead: '账号休眠期间，为确认是你本人回来了，请完成一次人脸核验。',
  },
  deletion: {
    title: '注销账号前，请完成本人核验',
    lead: '为确认是你本人在申请注销账号，请完成一次人脸核验。',
  },
  signIn: {
    title: '刷脸登录',
    lead: '完成这次人脸核验即登录第三方应用，该机构只会得到你刚才同意提供的信息。',
  },
  '': {
    title: '本人核验',
    lead: '为确认是你本人在操作，请完成一次人脸核验。',
  },
}

interface IdentityRow {
  maskedName: string
  maskedIdNumber: string
  provider: string
  verifiedAt: string
  birthDate: string
  under14: boolean
}

function birthDateText(date: string): string {
  const [year, month, day] = date.split('-').map(Number)
  return year && month && day ? `${year}年${month}月${day}日` : date
}

function identityRowOf(view: IdentityView): IdentityRow {
  return {
    maskedName: view.maskedName,
    maskedIdNumber: view.maskedIdNumber,
    provider: PROVIDER_LABELS[view.provider],
    verifiedAt: formatDateTime(view.verifiedAt),
    birthDate: birthDateText(view.birthDate),
    under14: view.ageClass === 'under14',
  }
}

interface AttemptsRow {
  limit: number
  remaining: number
  /** "2026-03-03 10:00", or '' while starts are left. */
  retryAt: string
}

function attemptsRowOf(attempts: IdentityStatus['attempts']): AttemptsRow {
  return { limit: attempts.limit, remaining: attempts.remaining, retryAt: attempts.retryAt ? formatDateTime(attempts.retryAt) : '' }
}

function codeOf(error: unknown): string {
  return error instanceof ApiCallError ? error.code : ''
}

interface ResultRow {
  maskedName: string
  maskedIdNumber: string
  birthDate: string
  under14: boolean
}

const NO_ATTEMPTS: AttemptsRow = { limit: 0, remaining: 0, retryAt: '' }

type InputEvent = WechatMiniprogram.CustomEvent<{ value: string }>
type PurposeEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { purpose: PurposeId }>

Component({
  properties: {
    /** Page query: `recheck` for a fresh face check of the verified owner. */
    mode: { type: String, value: '' },
    /** Page query with mode=recheck: what the check is for (`unfreeze`, `deletion`). */
    purpose: { type: String, value: '' },
  },
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    /** The mode the page runs in (the `mode` property, checked). */
    flowMode: 'verify' as Mode,
    startedMode: '' as Mode | '',
    recheckTitle: RECHECK_TEXT[''].title,
    recheckLead: RECHECK_TEXT[''].lead,

    state: 'unverified' as IdentityStatus['state'],
    identity: null as IdentityRow | null,
    attempts: NO_ATTEMPTS,

    consents: [] as ConsentRow[],
    consentsLoaded: false,
    missingCount: 0,
    notices: {} as Notices,
    /** Under 14 every consent is the guardian's, given in 隐私设置. */
    guardianOnly: false,
    /** The purpose being granted ('all' for the button under the list), '' when none. */
    consentBusy: '' as PurposeId | 'all' | '',
    consentMessage: '',

    name: '',
    idNumber: '',
    nameError: '',
    idNumberError: '',
    formError: '',

    phase: 'idle' as Phase,
    steps: stepsOf('verify', 'idle'),
    /** A call of the flow is in flight: its buttons are disabled. */
    busy: false,
    verificationId: '',
    clientAction: null as ClientActionView | null,
    sandboxNotice: '',
    faceUrl: '',
    captureError: '',
    pendingReason: '',
    /** Checks left to run by themselves while pending. */
    autoPolling: false,
    result: null as ResultRow | null,
    failReason: '',
    stepError: '',
    boundMessage: '',
  },
  lifetimes: {
    attached() {
      // Properties carry the query when the page is created; onLoad covers base libraries that set them later.
      void this.begin()
    },
    detached() {
      const runtime = runtimeOf(this)
      runtime.gone = true
      stopTimer(runtime)
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.mode === 'recheck' && this.data.startedMode !== 'recheck') {
        this.setData({ mode: 'recheck', purpose: query.purpose ?? '' })
        void this.begin()
      }
    },

    async begin() {
      const mode: Mode = this.data.mode === 'recheck' ? 'recheck' : 'verify'
      if (this.data.startedMode === mode) return
      const purpose: RecheckPurpose = isRecheckPurpose(this.data.purpose) ? this.data.purpose : ''
      const runtime = runtimeOf(this)
      runtime.run += 1
      stopTimer(runtime)
      this.setData({
        startedMode: mode,
        flowMode: mode,
        recheckTitle: RECHECK_TEXT[purpose].title,
        recheckLead: RECHECK_TEXT[purpose].lead,
        phase: 'idle',
        steps: stepsOf(mode, 'idle'),
      })
      if (mode === 'recheck') {
        if (typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: '本人核验' })
        // Nothing to read first: the check uses the stored identity, and it must work for frozen accounts too.
        this.setData({ status: 'ready', error: '' })
        return
      }
      await this.load()
    },

    async load() {
      const loaded = await runLoad(
        (patch) => this.setData(patch),
        () => Promise.all([call('identity', 'status', {}), call('consent', 'status', {}), call('legal', 'list', {})]),
        {
          toData: ([identity, { status }, { documents }]) => {
            const notices = noticesOf(documents)
            const consents = consentRowsOf(status.purposes, notices)
            return {
              ...this.identityData(identity),
              notices,
              consents,
              consentsLoaded: true,
              missingCount: missingOf(consents).length,
              guardianOnly: status.ageClass === 'under14',
            }
          },
        },
      )
      // A verification that was started and not finished goes on at its result.
      if (loaded && loaded[0].state === 'pending' && loaded[0].pending) {
        this.enterFlow(loaded[0].pending.verificationId, null)
        void this.complete()
      }
    },

    identityData(identity: IdentityStatus) {
      return {
        state: identity.state,
        identity: identity.identity ? identityRowOf(identity.identity) : null,
        attempts: attemptsRowOf(identity.attempts),
      }
    },

    onRetry() {
      void this.load()
    },

    /** Re-reads the status without covering the page (after a refusal, or back at the form). */
    async refreshStatus() {
      if (this.data.flowMode !== 'verify') return
      try {
        const identity = await call('identity', 'status', {})
        this.setData(this.identityData(identity))
      } catch {
        // The page keeps what it showed; the next action reports the problem.
      }
    },

    setPhase(phase: Phase, patch: Record<string, unknown> = {}) {
      this.setData({ ...patch, phase, steps: stepsOf(this.data.flowMode, phase) })
    },

    // ---- Consents ----

    onReadNotice(e: PurposeEvent) {
      const row = this.data.consents.find((r) => r.purpose === e.currentTarget.dataset.purpose)
      if (row) wx.navigateTo({ url: docUrl(row.docId, row.docVersion || undefined) })
    },

    onOpenPrivacy() {
      wx.navigateTo({ url: PRIVACY_URL })
    },

    onGrantOne(e: PurposeEvent) {
      const row = this.data.consents.find((r) => r.purpose === e.currentTarget.dataset.purpose)
      if (row) void this.grant([row], row.purpose)
    },

    onGrantAll() {
      void this.grant(missingOf(this.data.consents), 'all')
    },

    async grant(rows: ConsentRow[], busy: PurposeId | 'all') {
      if (this.data.consentBusy || rows.length === 0) return
      const unpublished = rows.find((row) => !row.docVersion)
      if (unpublished) {
        this.setData({ consentMessage: `「${unpublished.title}」的说明暂未发布，暂时无法同意，请稍后再试` })
        return
      }
      this.setData({ consentBusy: busy, consentMessage: '' })
      try {
        const { status } = await call('consent', 'grant', {
          method: 'settings',
          items: rows.map((row) => ({ purpose: row.purpose, version: row.docVersion, hash: row.docHash })),
        })
        const consents = consentRowsOf(status.purposes, this.data.notices)
        const missing = missingOf(consents).length
        this.setData({
          consentBusy: '',
          consents,
          missingCount: missing,
          consentMessage: missing === 0 ? '三项同意已齐全，可以开始实名认证了。' : `已同意，还差 ${missing} 项。`,
          formError: '',
        })
      } catch (error) {
        this.setData({ consentBusy: '', consentMessage: messageOf(error) })
      }
    },

    /** After CONSENT_REQUIRED: the rows the refusal named become missing (loading the notices first in recheck mode). */
    async showMissingConsents(error: unknown) {
      const missing = missingPurposesOf(error)
      let notices = this.data.notices
      if (!this.data.consentsLoaded) {
        try {
          notices = noticesOf((await call('legal', 'list', {})).documents)
        } catch {
          // Rows without a notice say it cannot be granted right now.
        }
      }
      // What the page knew before, with the purposes the refusal named as missing (recheck mode knew nothing: the rest is in force).
      const decisions: Decision[] = VERIFY_PURPOSES.map((purpose) => {
        const known = this.data.consentsLoaded ? this.data.consents.find((row) => row.purpose === purpose) : undefined
        return { purpose, state: known && !known.granted ? 'none' : 'granted', outdated: false }
      })
      const consents = consentRowsOf(decisions, notices, missing)
      this.setData({ notices, consents, consentsLoaded: true, missingCount: missingOf(consents).length })
    },

    // ---- The form ----

    onNameInput(e: InputEvent) {
      this.setData({ name: e.detail.value, nameError: '', formError: '' })
    },

    onIdNumberInput(e: InputEvent) {
      const value = e.detail.value
      const normalized = normalizeIdNumber(value)
      // Judged once the number is complete; a shape problem is shown as soon as a letter is typed too early.
      let idNumberError = ''
      if (normalized.length >= 18 || /[^\dX]/.test(normalized) || /X./.test(normalized)) idNumberError = this.idNumberMessage(normalized)
      this.setData({ idNumber: value, idNumberError, formError: '' })
    },

    onIdNumberBlur() {
      const normalized = normalizeIdNumber(this.data.idNumber)
      if (normalized) this.setData({ idNumberError: this.idNumberMessage(normalized) })
    },

    idNumberMessage(normalized: string): string {
      const problem = idNumberProblem(normalized, beijingDate(new Date()))
      return problem ? ID_NUMBER_PROBLEMS[problem] : ''
    },

    async onSubmit() {
      if (this.data.busy || this.data.phase !== 'idle') return
      const name = this.data.name.replace(/\s+/g, '')
      const idNumber = normalizeIdNumber(this.data.idNumber)
      const nameError = Array.from(name).length < 2 ? '请填写身份证上的姓名' : ''
      const idNumberError = idNumber ? this.idNumberMessage(idNumber) : '请填写18位居民身份证号'
      const missing = missingOf(this.data.consents).length
      if (nameError || idNumberError) {
        this.setData({ nameError, idNumberError, formError: '' })
        return
      }
      if (missing > 0) {
        this.setData({ formError: `请先同意上面的 ${missing} 项单独同意，再开始实名认证` })
        return
      }
      if (this.data.attempts.remaining === 0) {
        this.setData({ formError: '发起次数已用完，请稍后再试' })
        return
      }
      const runtime = runtimeOf(this)
      const run = (runtime.run += 1)
      this.setData({ busy: true, nameError: '', idNumberError: '', formError: '', consentMessage: '' })
      let started
      try {
        started = await call('identity', 'start', { name: this.data.name, idNumber })
      } catch (error) {
        if (runtime.run === run && !runtime.gone) await this.refusedAtStart(error)
        return
      }
      if (runtime.run !== run || runtime.gone) return
      // The plain values are with the server now; the page does not keep them.
      this.setData({
        name: '',
        idNumber: '',
        'attempts.remaining': Math.max(0, this.data.attempts.remaining - 1),
      })
      this.enterFlow(started.verificationId, started.clientAction)
      await this.runClientAction()
    },

    async refusedAtStart(error: unknown) {
      const code = codeOf(error)
      if (code === 'INVALID_INPUT') {
        const fields = fieldErrors(error)
        const nameError = fields.name ?? ''
        const idNumberError = fields.idNumber ?? ''
        this.setData({ busy: false, nameError, idNumberError, formError: nameError || idNumberError ? '' : messageOf(error) })
        return
      }
      if (code === 'CONSENT_REQUIRED') {
        await this.showMissingConsents(error)
        this.setData({ busy: false, formError: messageOf(error) })
        return
      }
      if (code === 'ALREADY_VERIFIED') {
        this.setData({ busy: false })
        await this.load()
        return
      }
      if (code === 'VERIFICATION_REQUIRED') {
        this.setPhase('notVerified', { busy: false })
        return
      }
      this.setData({ busy: false, formError: messageOf(error) })
      if (code === 'RATE_LIMITED') await this.refreshStatus()
    },

    // ---- Re-check ----

    async onStartRecheck() {
      if (this.data.busy || (this.data.phase !== 'idle' && this.data.phase !== 'failed' && this.data.phase !== 'expired')) return
      const runtime = runtimeOf(this)
      stopTimer(runtime)
      const run = (runtime.run += 1)
      this.setPhase('idle', { busy: true, formError: '', consentMessage: '', failReason: '', stepError: '' })
      let started
      try {
        started = await call('identity', 'recheck', {})
      } catch (error) {
        if (runtime.run === run && !runtime.gone) await this.refusedAtStart(error)
        return
      }
      if (runtime.run !== run || runtime.gone) return
      this.enterFlow(started.verificationId, started.clientAction)
      await this.runClientAction()
    },

    // ---- Steps 2 and 3 ----

    enterFlow(verificationId: string, clientAction: ClientActionView | null) {
      const runtime = runtimeOf(this)
      runtime.polls = 0
      stopTimer(runtime)
      this.setPhase(clientAction ? 'capture' : 'checking', {
        busy: clientAction !== null,
        verificationId,
        clientAction,
        sandboxNotice: '',
        faceUrl: '',
        captureError: '',
        pendingReason: '',
        autoPolling: false,
        result: null,
        failReason: '',
        stepError: '',
        boundMessage: '',
      })
    },

    /** Does what the provider asked of the client, then asks for the result. */
    async runClientAction() {
      const action = this.data.clientAction
      if (!action) {
        await this.complete()
        return
      }
      const runtime = runtimeOf(this)
      const run = runtime.run
      this.setPhase('capture', { busy: true, captureError: '' })
      let capture: Promise<CaptureOutcome> | null = null
      switch (action.kind) {
        case 'sandbox':
          // Nothing to capture: the notice stays visible with the result.
          this.setData({ sandboxNotice: action.notice })
          await this.complete()
          return
        case 'openUrl':
          this.setPhase('openUrl', { busy: false, faceUrl: action.url })
          return
        case 'wx.requestFacialVerify':
          capture = requestFacialVerify(action.verifyId)
          if (!capture) {
            this.setPhase('sdkMissing', {
              busy: false,
              captureError: '当前微信版本过低，无法进行人脸核验。请将微信升级到最新版本后重新打开本页。',
            })
            return
          }
          break
        case 'faceidSdk':
          capture = startFaceIdSdk(action.bizToken)
          if (!capture) {
            this.setPhase('sdkMissing', {
              busy: false,
              captureError: '当前版本的小程序暂不支持这种人脸核验方式。请更新小程序后重试，或联系我们处理。',
            })
            return
          }
          break
      }
      const outcome = await capture
      if (runtime.run !== run || runtime.gone) return
      if (outcome.ok) await this.complete()
      else this.setPhase('captureFailed', { busy: false, captureError: outcome.message })
    },

    onRetryCapture() {
      if (this.data.busy) return
      void this.runClientAction()
    },

    onCopyUrl() {
      const url = this.data.faceUrl
      if (!url) return
      wx.setClipboardData({ data: url })
    },

    onCheckResult() {
      if (this.data.busy) return
      void this.complete()
    },

    /** identity.complete (or completeRecheck) for the current verification; polls while pending. */
    async complete() {
      const verificationId = this.data.verificationId
      if (!verificationId) return
      const runtime = runtimeOf(this)
      stopTimer(runtime)
      const run = runtime.run
      this.setPhase(this.data.phase === 'pending' ? 'pending' : 'checking', { busy: true, stepError: '' })
      try {
        if (this.data.flowMode === 'recheck') {
          const result = await call('identity', 'completeRecheck', { verificationId })
          if (runtime.run !== run || runtime.gone) return
          if (result.outcome === 'passed') {
            this.rechecked(result.verificationId, result.validUntil)
            return
          }
          if (result.outcome === 'failed') this.setPhase('failed', { busy: false, failReason: result.reason })
          else this.waitAndPoll(result.reason, result.retryAfterSeconds)
          return
        }
        const result = await call('identity', 'complete', { verificationId })
        if (runtime.run !== run || runtime.gone) return
        if (result.outcome === 'passed') {
          const row = identityRowOf(result.identity)
          this.setPhase('passed', {
            busy: false,
            state: 'verified',
            identity: row,
            result: { maskedName: row.maskedName, maskedIdNumber: row.maskedIdNumber, birthDate: row.birthDate, under14: row.under14 },
          })
          return
        }
        if (result.outcome === 'failed') this.setPhase('failed', { busy: false, failReason: result.reason })
        else this.waitAndPoll(result.reason, result.retryAfterSeconds)
      } catch (error) {
        if (runtime.run !== run || runtime.gone) return
        await this.refusedAtComplete(error)
      }
    },

    waitAndPoll(reason: string, retryAfterSeconds: number) {
      const runtime = runtimeOf(this)
      const auto = runtime.polls < MAX_AUTO_POLLS
      this.setPhase('pending', { busy: false, pendingReason: reason, autoPolling: auto })
      if (!auto) return
      runtime.polls += 1
      const run = runtime.run
      runtime.timer = setTimeout(
        () => {
          runtime.timer = null
          if (runtime.run === run && !runtime.gone && this.data.phase === 'pending' && !this.data.busy) void this.complete()
        },
        Math.max(1, retryAfterSeconds) * 1000,
      )
    },

    async refusedAtComplete(error: unknown) {
      const code = codeOf(error)
      switch (code) {
        case 'ID_ALREADY_BOUND':
          this.setPhase('bound', { busy: false, boundMessage: messageOf(error) })
          return
        case 'VERIFICATION_EXPIRED':
        case 'VERIFICATION_USED':
        case 'NOT_FOUND':
          this.setPhase('expired', { busy: false, stepError: messageOf(error) })
          return
        case 'ALREADY_VERIFIED':
          this.setPhase('idle', { busy: false })
          await this.load()
          return
        case 'CONSENT_REQUIRED':
          await this.showMissingConsents(error)
          this.setPhase('idle', { busy: false, formError: messageOf(error) })
          return
        case 'VERIFICATION_REQUIRED':
          this.setPhase('notVerified', { busy: false })
          return
        default:
          // IDENTITY_SERVICE_UNAVAILABLE, the network …: the verification is still open, ask again.
          this.setPhase('serviceError', { busy: false, stepError: messageOf(error) })
      }
    },

    /** A passed re-check goes back to the page that asked for it. */
    rechecked(verificationId: string, validUntil: string) {
      this.setPhase('passed', { busy: false })
      if (typeof this.getOpenerEventChannel === 'function') {
        const channel = this.getOpenerEventChannel()
        if (channel && typeof channel.emit === 'function') channel.emit('rechecked', { verificationId, validUntil })
      }
      wx.navigateBack({ delta: 1 })
    },

    /** Back to the start: the form (verify) or the start button (recheck). */
    onRestart() {
      if (this.data.busy) return
      const runtime = runtimeOf(this)
      runtime.run += 1
      stopTimer(runtime)
      this.setPhase('idle', {
        verificationId: '',
        clientAction: null,
        sandboxNotice: '',
        faceUrl: '',
        captureError: '',
        pendingReason: '',
        autoPolling: false,
        failReason: '',
        stepError: '',
        boundMessage: '',
        formError: '',
      })
      void this.refreshStatus()
    },

    /** Tries again at once: a new start in recheck mode, the form in verify mode. */
    onRetryFlow() {
      if (this.data.flowMode === 'recheck') {
        this.setPhase('idle')
        void this.onStartRecheck()
      } else {
        this.onRestart()
      }
    },

    onDone() {
      const depth = typeof getCurrentPages === 'function' ? getCurrentPages().length : 0
      if (depth > 1) {
        wx.navigateBack({ delta: 1 })
        return
      }
      this.setPhase('idle', { result: null, sandboxNotice: '' })
      void this.load()
    },

    onOpenCorrection() {
      wx.navigateTo({ url: DATA_URL })
    },

    onOpenVerify() {
      wx.redirectTo({ url: VERIFY_URL })
    },

    onBack() {
      wx.navigateBack({ delta: 1 })
    },
  },
})

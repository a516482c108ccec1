/**
 * 注册: the user reads the user agreement and the privacy policy and ticks a box
 * that starts unticked; nothing else works until the current versions are accepted.
 * The birth date decides who consents (the server decides finally):
 * - under 14: the guardian enters their relation, name and ID number and accepts,
 *   together with the children's rules (method 'guardian');
 * - 14–17: the minor notice is shown;
 * - adults: the checkbox alone.
 * The grant carries the exact version and hash of each document the page showed.
 */
import type { DocumentId, PurposeId } from '../../../shared/consent'
import type { InputOf } from '../../../shared/contract'
import type { VersionMeta } from '../../../shared/contract/legal'
import { ageClass, beijingDate, isFuture, parseCalendarDate, type AgeClass } from '../../../shared/rules/age'
import { ApiCallError, call, fieldErrors, messageOf } from '../../api'
import { formatDate, todayInBeijing } from '../../utils/format'
import { GUARDIAN_FIELD_OF_PATH, guardianErrors, guardianInput, RELATION_LABELS } from '../../utils/guardian'
import { docUrl } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'

/** A document as the page shows it; version and hash are what the grant sends back. */
interface DocLink {
  docId: DocumentId
  title: string
  version: string
  hash: string
  effective: string
}

type DocSlot = 'terms' | 'privacy' | 'childrenRules' | 'minorNotice'

const SLOT_DOCS: Record<DocSlot, DocumentId> = {
  terms: 'user-agreement',
  privacy: 'privacy-policy',
  childrenRules: 'children-rules',
  minorNotice: 'minor-notice',
}

type Docs = Record<DocSlot, DocLink | null>

const NO_DOCS: Docs = { terms: null, privacy: null, childrenRules: null, minorNotice: null }

const AGE_LABELS: Record<AgeClass, string> = {
  under14: '未满14周岁',
  minor14to17: '14至17周岁',
  adult: '已满18周岁',
  unknown: '',
}

interface FormErrors {
  birthDate: string
  agreed: string
  relation: string
  guardianName: string
  guardianIdNumber: string
  /** Problems not tied to one field. */
  form: string
}

const NO_ERRORS: FormErrors = { birthDate: '', agreed: '', relation: '', guardianName: '', guardianIdNumber: '', form: '' }

/** Server issue paths → the field they belong to. */
const FIELD_OF_PATH: Record<string, keyof FormErrors> = {
  declaredBirthDate: 'birthDate',
  ...GUARDIAN_FIELD_OF_PATH,
}

type GrantInput = InputOf<'consent', 'grant'>

function docsOf(documents: ReadonlyArray<{ docId: DocumentId; current: VersionMeta | null }>): Docs {
  const docs: Docs = { ...NO_DOCS }
  for (const slot of Object.keys(SLOT_DOCS) as DocSlot[]) {
    const meta = documents.find((d) => d.docId === SLOT_DOCS[slot])?.current ?? null
    docs[slot] = meta
      ? { docId: meta.docId, title: meta.title, version: meta.version, hash: meta.hash, effective: formatDate(meta.effectiveAt) }
      : null
  }
  return docs
}

function classOf(birthDate: string): AgeClass {
  return ageClass(parseCalendarDate(birthDate), beijingDate(new Date()))
}

/** Documents the user must accept for this age class, in the order the page lists them. */
function requiredSlots(age: AgeClass): Array<{ slot: DocSlot; purpose: PurposeId }> {
  const slots: Array<{ slot: DocSlot; purpose: PurposeId }> = [
    { slot: 'terms', purpose: 'terms' },
    { slot: 'privacy', purpose: 'privacy' },
  ]
  if (age === 'under14') slots.push({ slot: 'childrenRules', purpose: 'childrenRules' })
  return slots
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    docs: NO_DOCS,
    today: todayInBeijing(),
    birthDate: '',
    /** The account already has a birth date (re-acceptance): no picker, nothing declared. */
    birthDateKnown: false,
    age: 'unknown' as AgeClass,
    ageLabel: '',
    agreed: false,
    relationLabels: RELATION_LABELS,
    relationIndex: -1,
    relationLabel: '',
    guardianName: '',
    guardianIdNumber: '',
    errors: NO_ERRORS,
    /** Shown above the form after the documents changed under the user. */
    notice: '',
    submitting: false,
    done: false,
    /** Everything current is already accepted (opened again from 我的, for instance). */
    alreadyAccepted: false,
    updating: false,
    minorNoticeStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    minorNoticeBody: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      const loaded = await runLoad(
        (patch) => this.setData(patch),
        async () => {
          // Login creates the account when registration is the first thing the user opens.
          await call('account', 'login', {})
          return Promise.all([call('legal', 'list', {}), call('consent', 'status', {})])
        },
        {
          toData: ([{ documents }, { status }]) => ({
            docs: docsOf(documents),
            // A birth date is declared once: afterwards the server's age class stands (re-acceptance).
            birthDateKnown: status.ageClass !== 'unknown',
            age: status.ageClass,
            ageLabel: AGE_LABELS[status.ageClass],
            alreadyAccepted: status.blocked === null,
            // Accepted before, now a new version: the same form, worded as an update.
            updating: status.required.some((r) => r.state === 'outdated'),
          }),
        },
      )
      if (loaded && loaded[1].status.ageClass === 'minor14to17') void this.loadMinorNotice()
    },

    onRetry() {
      void this.load()
    },

    onDone() {
      this.goBack()
    },

    onBirthDateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const birthDate = e.detail.value
      const age = classOf(birthDate)
      const birth = parseCalendarDate(birthDate)
      const future = birth !== null && isFuture(birth, beijingDate(new Date()))
      // Who consents changes with the age class: a tick given for another case does not carry over.
      const agreed = age === this.data.age ? this.data.agreed : false
      this.setData({
        birthDate,
        age,
        ageLabel: AGE_LABELS[age],
        agreed,
        'errors.birthDate': future ? '出生日期不能晚于今天' : '',
        'errors.agreed': '',
        'errors.form': '',
      })
      if (age === 'minor14to17' && this.data.minorNoticeStatus === 'idle') void this.loadMinorNotice()
    },

    async loadMinorNotice() {
      const doc = this.data.docs.minorNotice
      if (!doc) {
        // Not published: the page's own short notice stands in.
        this.setData({ minorNoticeStatus: 'ready', minorNoticeBody: '' })
        return
      }
      this.setData({ minorNoticeStatus: 'loading' })
      try {
        const { document } = await call('legal', 'get', { docId: doc.docId, version: doc.version })
        // The title is already the card's heading.
        this.setData({ minorNoticeStatus: 'ready', minorNoticeBody: document.body.replace(/^\s*#\s+[^\n]*\n/, '') })
      } catch {
        this.setData({ minorNoticeStatus: 'error' })
      }
    },

    onRetryMinorNotice() {
      void this.loadMinorNotice()
    },

    onAgreeChange(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      this.setData({ agreed: e.detail.value.includes('agree'), 'errors.agreed': '', 'errors.form': '' })
    },

    /** The text next to the box toggles it too (a bigger target than the box). */
    onToggleAgree() {
      this.setData({ agreed: !this.data.agreed, 'errors.agreed': '', 'errors.form': '' })
    },

    onRead(e: WechatMiniprogram.BaseEvent<Record<string, never>, { slot: DocSlot }>) {
      const doc = this.data.docs[e.currentTarget.dataset.slot]
      if (doc) wx.navigateTo({ url: docUrl(doc.docId, doc.version) })
    },

    onRelationChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const index = Number(e.detail.value)
      this.setData({ relationIndex: index, relationLabel: this.data.relationLabels[index] ?? '', 'errors.relation': '' })
    },

    onGuardianNameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ guardianName: e.detail.value, 'errors.guardianName': '' })
    },

    onGuardianIdInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ guardianIdNumber: e.detail.value, 'errors.guardianIdNumber': '' })
    },

    guardianDraft() {
      return { relationIndex: this.data.relationIndex, name: this.data.guardianName, idNumber: this.data.guardianIdNumber }
    },

    /** Client-side checks for what the user can fix at once; the server checks everything again. */
    validate(): FormErrors {
      const errors: FormErrors = { ...NO_ERRORS }
      if (!this.data.birthDateKnown) {
        const birth = parseCalendarDate(this.data.birthDate)
        if (!birth) errors.birthDate = '请选择出生日期'
        else if (isFuture(birth, beijingDate(new Date()))) errors.birthDate = '出生日期不能晚于今天'
      }
      if (!this.data.agreed) {
        errors.agreed = this.data.age === 'under14' ? '请监护人阅读文件后勾选同意' : '请先阅读并勾选同意'
      }
      if (this.data.age === 'under14') {
        Object.assign(errors, guardianErrors(this.guardianDraft()))
      }
      for (const { slot } of requiredSlots(this.data.age)) {
        if (!this.data.docs[slot]) errors.form = '协议文件暂未发布，暂时无法注册，请稍后再试'
      }
      return errors
    },

    async onSubmit() {
      if (this.data.submitting) return
      const errors = this.validate()
      if (Object.values(errors).some(Boolean)) {
        this.setData({ errors, notice: '' })
        return
      }
      const age = this.data.age
      const items: GrantInput['items'] = []
      for (const { slot, purpose } of requiredSlots(age)) {
        const doc = this.data.docs[slot]
        if (doc) items.push({ purpose, version: doc.version, hash: doc.hash })
      }
      const input: GrantInput = { items, method: age === 'under14' ? 'guardian' : 'checkbox' }
      if (!this.data.birthDateKnown) input.declaredBirthDate = this.data.birthDate
      if (age === 'under14') input.guardian = guardianInput(this.guardianDraft())

      this.setData({ submitting: true, errors: NO_ERRORS, notice: '' })
      try {
        await call('consent', 'grant', input)
      } catch (error) {
        await this.showRefusal(error)
        return
      }
      // The guardian's ID number is not kept on the page once it has been sent.
      this.setData({ submitting: false, done: true, guardianIdNumber: '' })
      wx.showToast({ title: '注册完成', icon: 'success' })
      this.goBack()
    },

    async showRefusal(error: unknown) {
      if (error instanceof ApiCallError && error.code === 'DOCUMENT_OUTDATED') {
        // A new version took effect while the user was reading: show it and ask again.
        const list = await call('legal', 'list', {}).catch(() => null)
        this.setData({
          submitting: false,
          agreed: false,
          ...(list ? { docs: docsOf(list.documents) } : {}),
          notice: '协议刚刚更新了。请重新阅读下面的最新版本，再勾选同意。',
        })
        return
      }
      const errors: FormErrors = { ...NO_ERRORS }
      const fields = fieldErrors(error)
      let placed = false
      for (const [path, message] of Object.entries(fields)) {
        const field = FIELD_OF_PATH[path]
        if (field && !errors[field]) {
          errors[field] = message
          placed = true
        }
      }
      if (!placed) {
        errors.form =
          error instanceof ApiCallError && error.code === 'GUARDIAN_CONSENT_REQUIRED'
            ? '未满14周岁需要由监护人填写信息并同意。请确认出生日期，并由监护人完成下面的信息。'
            : (fields[''] ?? messageOf(error))
      }
      this.setData({ submitting: false, errors })
    },

    /** Back to the page that needed the acceptance; at first launch, to 我的. */
    goBack() {
      const depth = typeof getCurrentPages === 'function' ? getCurrentPages().length : 0
      if (depth > 1) wx.navigateBack({ delta: 1 })
      else wx.switchTab({ url: '/pages/me/index' })
    },
  },
})

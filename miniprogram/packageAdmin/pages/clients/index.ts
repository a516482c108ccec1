/**
 * 登录服务接入应用 (/packageAdmin/pages/clients/index, admins): the applications
 * that may use 乐聊名片登录 — registering one (a client_secret_basic client's
 * secret is shown once), suspending or resuming it and resetting its secret,
 * each with a reason (audited).
 */
import type { ClientInput, ClientView } from '../../../../shared/contract/oidc'
import { CLIENT_ORG_TYPES, CLIENT_ORG_TYPE_LABELS, OIDC_SCOPES, SCOPE_SPECS, type OidcScope } from '../../../../shared/oidc'
import { call, fieldErrors, messageOf } from '../../../api'
import { runLoad, type LoadStatus } from '../../../utils/load'

interface ClientRow {
  clientId: string
  name: string
  organization: string
  type: string
  status: 'active' | 'suspended'
  statusLabel: string
  auth: string
  /** client_secret_basic: the secret can be reset. */
  rotatable: boolean
  scopes: string
  targets: string
}

function rowOf(c: ClientView): ClientRow {
  return {
    clientId: c.clientId,
    name: c.name,
    organization: c.organization,
    type: c.orgTypeLabel,
    status: c.status,
    statusLabel: c.status === 'active' ? '使用中' : '已暂停',
    auth: c.authMethod === 'client_secret_basic' ? '密钥（client_secret_basic）' : `公钥（private_key_jwt：${c.jwksKids.join('、')}）`,
    rotatable: c.authMethod === 'client_secret_basic',
    scopes: ['用户编号', ...c.allowedScopes.map((s) => SCOPE_SPECS[s].label)].join('、'),
    targets: [...c.redirectUris, ...c.miniProgramAppIds.map((id) => `小程序 ${id}`)].join('\n'),
  }
}

const EMPTY_FORM = { clientId: '', name: '', organization: '', redirectUris: '', appIds: '', privacyNoticeUrl: '', sector: '', reason: '' }

type ClientEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; name: string }>

async function askReason(title: string, confirmText: string): Promise<string | null> {
  try {
    const answer = await wx.showModal({ title, content: '', editable: true, placeholderText: '写明理由（至少4个字）', confirmText })
    return answer.confirm ? (answer.content ?? '').trim() : null
  } catch {
    return null
  }
}

function lines(text: string): string[] {
  return text
    .split(/[\n,，\s]+/)
    .map((line) => line.trim())
    .filter(Boolean)
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    clients: [] as ClientRow[],
    form: { ...EMPTY_FORM },
    typeChoices: CLIENT_ORG_TYPES.map((t) => CLIENT_ORG_TYPE_LABELS[t]),
    typeIndex: 0,
    scopeChoices: OIDC_SCOPES.map((scope) => ({ scope, label: SCOPE_SPECS[scope].label, checked: scope === 'verified' })),
    errors: {} as Record<string, string>,
    busy: '',
    notice: '',
    /** A new secret, shown once. */
    secret: '',
    secretFor: '',
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  methods: {
    async load() {
      await runLoad((patch) => this.setData(patch), () => call('oidc', 'clients', { limit: 50 }), {
        toData: ({ clients }) => ({ clients: clients.map(rowOf) }),
      })
    },

    async reload() {
      try {
        const { clients } = await call('oidc', 'clients', { limit: 50 })
        this.setData({ clients: clients.map(rowOf) })
      } catch {
        // What is shown stays; the next visit reads again.
      }
    },

    onRetry() {
      void this.load()
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: string }>) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, errors: {}, notice: '' })
    },

    onType(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ typeIndex: Number(e.detail.value) || 0 })
    },

    onScopes(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      const chosen = new Set(e.detail.value)
      this.setData({ scopeChoices: this.data.scopeChoices.map((c) => ({ ...c, checked: chosen.has(c.scope) })) })
    },

    async onRegister() {
      if (this.data.busy !== '') return
      const f = this.data.form
      const input: ClientInput = {
        clientId: f.clientId.trim(),
        name: f.name.trim(),
        organization: f.organization.trim(),
        orgType: CLIENT_ORG_TYPES[this.data.typeIndex] ?? 'government',
        logo: null,
        redirectUris: lines(f.redirectUris),
        miniProgramAppIds: lines(f.appIds),
        allowedScopes: this.data.scopeChoices.filter((c) => c.checked).map((c) => c.scope as OidcScope),
        authMethod: 'client_secret_basic',
        jwks: null,
        sector: f.sector.trim() || null,
        privacyNoticeUrl: f.privacyNoticeUrl.trim(),
        reason: f.reason.trim(),
      }
      this.setData({ busy: 'register', errors: {}, notice: '', secret: '' })
      try {
        const { client, secret } = await call('oidc', 'saveClient', input)
        await this.reload()
        this.setData({ busy: '', form: { ...EMPTY_FORM }, notice: `已登记「${client.name}」`, secret: secret ?? '', secretFor: client.name })
      } catch (error) {
        // `redirectUris.0` is shown at its field.
        const fields: Record<string, string> = {}
        for (const [path, message] of Object.entries(fieldErrors(error))) fields[path.split('.')[0] ?? path] ??= message
        this.setData({ busy: '', errors: { ...fields, form: Object.keys(fields).length > 0 ? '请检查标红的项目' : messageOf(error) } })
      }
    },

    async onToggle(e: ClientEvent) {
      if (this.data.busy !== '') return
      const { id, name } = e.currentTarget.dataset
      const row = this.data.clients.find((c) => c.clientId === id)
      if (!row) return
      const next = row.status === 'active' ? 'suspended' : 'active'
      const reason = await askReason(next === 'suspended' ? `暂停「${name}」使用乐聊名片登录？` : `恢复「${name}」使用乐聊名片登录？`, next === 'suspended' ? '暂停' : '恢复')
      if (reason === null) return
      if (reason.length < 4) {
        this.setData({ errors: { form: '须写明理由（至少4个字）' } })
        return
      }
      this.setData({ busy: id, errors: {}, notice: '' })
      try {
        await call('oidc', 'setClientStatus', { clientId: id, status: next, reason })
        await this.reload()
        this.setData({ busy: '', notice: next === 'suspended' ? `已暂停「${name}」：不再签发令牌，刷新令牌失效` : `已恢复「${name}」` })
      } catch (error) {
        this.setData({ busy: '', errors: { form: messageOf(error) } })
      }
    },

    async onRotate(e: ClientEvent) {
      if (this.data.busy !== '') return
      const { id, name } = e.currentTarget.dataset
      const reason = await askReason(`重置「${name}」的密钥？旧密钥立即失效`, '重置')
      if (reason === null) return
      if (reason.length < 4) {
        this.setData({ errors: { form: '须写明理由（至少4个字）' } })
        return
      }
      this.setData({ busy: id, errors: {}, notice: '', secret: '' })
      try {
        const { secret } = await call('oidc', 'rotateSecret', { clientId: id, reason })
        this.setData({ busy: '', secret, secretFor: name })
      } catch (error) {
        this.setData({ busy: '', errors: { form: messageOf(error) } })
      }
    },

    onCopySecret() {
      wx.setClipboardData({ data: this.data.secret })
    },

    onHideSecret() {
      this.setData({ secret: '', secretFor: '' })
    },
  },
})

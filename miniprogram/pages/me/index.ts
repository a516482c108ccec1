/**
 * 我的: signs in (account.login), shows who I am and what is left to do (the
 * agreement step opens registration), links to messages, privacy settings and
 * the documents, real-name verification, account security (freezing, deletion),
 * my data and my conduct record (违规记录与申诉), staff to 工作台, and lets me
 * change nickname and avatar (account.updateProfile).
 * An account that is not active but can be brought back by its owner
 * (dormant, frozen by myself, deletion pending …) gets a notice at the top
 * with the way there: 账号与安全 (去恢复 / 去解冻 / 查看注销进度).
 * A new nickname or avatar that waits for moderation is shown to me as such;
 * others keep seeing the current one until it passes.
 */
import { ACCOUNT_STATE_LABELS, PENDING_STEP_LABELS, type AccountState, type PendingStep } from '../../../shared/account'
import type { InputOf, OutputOf } from '../../../shared/contract'
import type { AccountView, LifecycleView } from '../../../shared/contract/account'
import { call, fieldErrors, messageOf } from '../../api'
import { config } from '../../config'
import { persistAvatar } from '../../utils/avatar'
import { refreshUnreadBadge } from '../../utils/badge'
import { INBOX_URL, LEGAL_INDEX_URL, PRIVACY_URL, REGISTER_URL } from '../../utils/links'
import { runLoad, type LoadStatus } from '../../utils/load'

/** Pages of the account subpackage. */
const VERIFY_URL = '/packageAccount/pages/verify/index'
const SECURITY_URL = '/packageAccount/pages/security/index'
const DATA_URL = '/packageAccount/pages/data/index'
const APPS_URL = '/packageOidc/pages/grants/index'
/** 违规记录与申诉. */
const CONDUCT_URL = '/packageAccount/pages/conduct/index'
/** 工作台 (the staff subpackage; every action there is checked on the server). */
const ADMIN_URL = '/packageAdmin/pages/index/index'
/** 我的名片 (the cards subpackage). */
const MY_CARDS_URL = '/packageCards/pages/mine/index'
/** Where each pending step is done; steps without a page are shown, not linked. */
const PENDING_STEP_URLS: Partial<Record<PendingStep, string>> = { agreement: REGISTER_URL, realName: VERIFY_URL }

interface PendingItem {
  key: PendingStep
  label: string
  /** Steps the user can do now open their page. */
  actionable: boolean
}

interface ProfileView {
  id: string
  nickname: string
  avatarUrl: string
  /** Shown in place of a missing avatar. */
  initial: string
  stateLabel: string
  verified: boolean
  /** A reviewer or admin: 我的 shows the way to 工作台. */
  staff: boolean
  pending: PendingItem[]
}

interface FormErrors {
  nickname: string
  avatarUrl: string
  /** Problems not tied to one field (network, account state …). */
  form: string
}

const NO_ERRORS: FormErrors = { nickname: '', avatarUrl: '', form: '' }

const EMPTY_PROFILE: ProfileView = {
  id: '',
  nickname: '',
  avatarUrl: '',
  initial: '',
  stateLabel: '',
  verified: false,
  staff: false,
  pending: [],
}

function profileOf(account: AccountView, pending: readonly PendingStep[]): ProfileView {
  return {
    id: account.id,
    nickname: account.nickname,
    avatarUrl: account.avatarUrl ?? '',
    initial: Array.from(account.nickname)[0] ?? '',
    stateLabel: ACCOUNT_STATE_LABELS[account.state],
    verified: account.verified,
    staff: account.roles.includes('reviewer') || account.roles.includes('admin'),
    pending: pending.map((key) => ({ key, label: PENDING_STEP_LABELS[key], actionable: key in PENDING_STEP_URLS })),
  }
}

/** The account's state when it needs my attention, and the button to 账号与安全. */
interface AccountNotice {
  text: string
  actionText: string
}

/** The button's words by state; other states with something I can do get the generic one. */
const ACCOUNT_ACTION_TEXTS: Partial<Record<AccountState, string>> = {
  dormant: '去恢复',
  frozenBySelf: '去解冻',
  pendingDeletion: '查看注销进度',
}

/** A notice for a state that is not active and that I can do something about myself (login's `available`); null otherwise. */
function accountNoticeOf(lifecycle: Pick<LifecycleView, 'state' | 'notice' | 'available'>): AccountNotice | null {
  if (lifecycle.state === 'active' || lifecycle.available.length === 0) return null
  return { text: lifecycle.notice, actionText: ACCOUNT_ACTION_TEXTS[lifecycle.state] ?? '查看账号状态' }
}

type ProfilePatch = InputOf<'account', 'updateProfile'>

/** What waits for moderation, from any reply that reports it ('' when nothing does). */
function heldForModeration(reply: Pick<OutputOf<'account', 'getProfile'>, 'pendingNickname' | 'pendingAvatar'>): { pendingNickname: string; pendingAvatarUrl: string } {
  return { pendingNickname: reply.pendingNickname?.nickname ?? '', pendingAvatarUrl: reply.pendingAvatar?.avatarUrl ?? '' }
}

/** What the page says after a save: whether the change is public now or waits for moderation. */
function savedNotice(patch: ProfilePatch, reply: OutputOf<'account', 'updateProfile'>): string {
  if (patch.avatarUrl !== undefined && reply.pendingAvatar) return '已提交，新头像审核通过后生效'
  if (patch.nickname !== undefined && reply.pendingNickname) return '已提交，新昵称审核通过后生效'
  return '已保存'
}

Component({
  data: {
    status: 'loading' as LoadStatus,
    error: '',
    profile: EMPTY_PROFILE,
    draftNickname: '',
    errors: NO_ERRORS,
    saving: false,
    notice: '',
    /** A new nickname waiting for review ('' when none): others still see the old one. */
    pendingNickname: '',
    /** A new avatar waiting for its check or review ('' when none): shown to me only; others still see the old one. */
    pendingAvatarUrl: '',
    /** null until known (no account yet, or offline). */
    unread: null as number | null,
    /** The account's state when it is not active and I can act on it; null otherwise. */
    accountNotice: null as AccountNotice | null,
  },
  lifetimes: {
    attached() {
      void this.load()
    },
  },
  pageLifetimes: {
    show() {
      // Back from registration or settings: the pending steps and the unread count may have changed.
      if (this.data.status === 'ready') void this.refresh()
    },
  },
  methods: {
    async load() {
      const result = await runLoad(
        (patch) => this.setData(patch),
        () => call('account', 'login', {}),
        {
          toData: (r) => ({
            profile: profileOf(r.account, r.pending),
            draftNickname: r.account.nickname,
            accountNotice: accountNoticeOf(r.lifecycle),
            ...heldForModeration(r),
          }),
        },
      )
      if (result) void this.loadUnread()
    },

    /** Login again without the loading state; keeps what the user is typing. */
    async refresh() {
      try {
        const r = await call('account', 'login', {})
        this.setData({ profile: profileOf(r.account, r.pending), accountNotice: accountNoticeOf(r.lifecycle), ...heldForModeration(r) })
      } catch {
        // The page keeps what it shows; a failed refresh is not worth an error state.
      }
      void this.loadUnread()
    },

    async loadUnread() {
      const unread = await refreshUnreadBadge()
      this.setData({ unread })
    },

    onOpenPending(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key: PendingStep }>) {
      const url = PENDING_STEP_URLS[e.currentTarget.dataset.key]
      if (url) wx.navigateTo({ url })
    },

    onOpenInbox() {
      // 消息 is a tab page.
      wx.switchTab({ url: INBOX_URL })
    },

    onOpenCards() {
      wx.navigateTo({ url: MY_CARDS_URL })
    },

    onOpenPrivacy() {
      wx.navigateTo({ url: PRIVACY_URL })
    },

    onOpenLegal() {
      wx.navigateTo({ url: LEGAL_INDEX_URL })
    },

    onOpenVerify() {
      wx.navigateTo({ url: VERIFY_URL })
    },

    onOpenSecurity() {
      wx.navigateTo({ url: SECURITY_URL })
    },

    onOpenData() {
      wx.navigateTo({ url: DATA_URL })
    },

    onOpenApps() {
      wx.navigateTo({ url: APPS_URL })
    },

    onOpenConduct() {
      wx.navigateTo({ url: CONDUCT_URL })
    },

    onOpenAdmin() {
      wx.navigateTo({ url: ADMIN_URL })
    },

    onRetry() {
      void this.load()
    },

    onNicknameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ draftNickname: e.detail.value, 'errors.nickname': '', notice: '' })
    },

    /** WeChat screens nicknames typed into type="nickname" inputs (base library 2.29.1+). */
    onNicknameReview(e: WechatMiniprogram.CustomEvent<{ pass: boolean; timeout: boolean }>) {
      if (!e.detail.pass && !e.detail.timeout) {
        this.setData({ 'errors.nickname': '这个昵称没有通过微信的安全检测，请换一个' })
      }
    },

    async onSave() {
      if (this.data.saving) return
      if (this.data.draftNickname === this.data.profile.nickname) {
        this.setData({ notice: '昵称没有变化', errors: NO_ERRORS })
        return
      }
      await this.save({ nickname: this.data.draftNickname })
    },

    async onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      if (this.data.saving) return
      this.setData({ saving: true, errors: NO_ERRORS, notice: '' })
      let url: string
      try {
        url = await persistAvatar(e.detail.avatarUrl, config)
      } catch (error) {
        this.setData({ saving: false, 'errors.avatarUrl': fieldErrors(error).avatarUrl ?? messageOf(error) })
        return
      }
      await this.save({ avatarUrl: url })
    },

    /** Sends one change; on refusal the page keeps showing what the server has, with the reason next to the field. */
    async save(patch: ProfilePatch) {
      this.setData({ saving: true, errors: NO_ERRORS, notice: '' })
      try {
        const reply = await call('account', 'updateProfile', patch)
        const pending = this.data.profile.pending.map((item) => item.key)
        this.setData({
          saving: false,
          profile: profileOf(reply.account, pending),
          draftNickname: reply.pendingNickname?.nickname ?? reply.account.nickname,
          ...heldForModeration(reply),
          notice: savedNotice(patch, reply),
        })
      } catch (error) {
        const fields = fieldErrors(error)
        const nickname = fields.nickname ?? ''
        const avatarUrl = fields.avatarUrl ?? ''
        // Without a field to point at (network, account state …), say it under the form.
        const form = fields[''] ?? (nickname || avatarUrl ? '' : messageOf(error))
        this.setData({ saving: false, errors: { nickname, avatarUrl, form } })
      }
    },
  },
})

import * as z from 'zod/mini'
import { ROLES } from '../access'
import { ACCOUNT_STATES, CORRECTION_FIELDS, LIVING_STATES, PENDING_STEPS } from '../account'
import { ACCESS_ROLES } from '../audit'
import { hasInvisibleCharacters, looksBlank, visibleLength } from '../rules/text'
import { isoDateTime, nextCursor, pageInput, profileImageUrl, verificationId } from './common'
import { moderationView } from './content'
import { banView, correctionView, lifecycleView } from './account-views'
import { action } from './define'
import { UPLOAD_KINDS, UPLOAD_MAX_BASE64, UPLOAD_MAX_BYTES } from '../uploads'

export { banView, correctionView, lifecycleView }
export type { BanView, CorrectionView, LifecycleView } from './account-views'

export const NICKNAME_MAX = 20

export const nickname = z.string().check(
  z.trim(),
  z.refine((s) => s.length > 0, '昵称不能为空'),
  z.refine((s) => visibleLength(s) <= NICKNAME_MAX, `昵称最多 ${NICKNAME_MAX} 个字`),
  z.refine((s) => !hasInvisibleCharacters(s), '昵称不能包含不可见字符'),
  z.refine((s) => !looksBlank(s), '昵称不能是空白，也不能含有看起来像空白的字符'),
)

/**
 * Avatars are files in cloud storage (WeChat's chooseAvatar gives a temp file
 * the client uploads first) or WeChat profile pictures on WeChat's own hosts:
 * any other https host could swap the image after the check and learn who
 * looked at it.
 */
export const avatarUrl = profileImageUrl('头像')

export const accountView = z.object({
  id: z.string(),
  state: z.enum(ACCOUNT_STATES),
  roles: z.array(z.enum(ROLES)),
  nickname: z.string(),
  avatarUrl: z.nullable(z.string()),
  verified: z.boolean(),
  createdAt: isoDateTime,
})
export type AccountView = z.infer<typeof accountView>

/** A new nickname held for review: only its owner sees it until approved (null when none). */
const pendingNickname = z.nullable(z.object({ nickname: z.string(), moderation: moderationView }))

/**
 * A new avatar waiting for its image check (or a reviewer): only its owner sees
 * it until it passes; others keep seeing `account.avatarUrl` (null when none).
 */
const pendingAvatar = z.nullable(z.object({ avatarUrl: z.string(), moderation: moderationView }))

/**
 * Re-confirmation for freezing's undo and for deletion: `confirm` and a recent
 * sign-in always; for a verified account whose face-check consents are in force
 * also a passed `identity.recheck` (its `verificationId`, within its validity).
 */
const reconfirm = {
  confirm: z.literal(true),
  verificationId: z.optional(verificationId),
}

export const deletionPreviewItem = z.object({
  /** The collection, for the curious and for support. */
  collection: z.string(),
  /** What the data is, in words for the user. */
  title: z.string(),
  count: z.number(),
  treatment: z.enum(['delete', 'anonymize', 'pseudonymize', 'keep']),
  /** What exactly happens and, for what is kept, why. */
  detail: z.string(),
})
export type DeletionPreviewItem = z.infer<typeof deletionPreviewItem>

export const exportSection = z.object({
  domain: z.string(),
  title: z.string(),
  /** Plain JSON records (times as ISO 8601). */
  records: z.array(z.record(z.string(), z.unknown())),
  /** E.g. why some fields are masked. */
  note: z.nullable(z.string()),
})

export const exportDocument = z.object({
  format: z.literal('lechat-export/1'),
  exportedAt: isoDateTime,
  controller: z.object({ name: z.string(), contact: z.string() }),
  accountId: z.string(),
  sections: z.array(exportSection),
})
export type ExportDocument = z.infer<typeof exportDocument>


export const accessLogEntry = z.object({
  id: z.string(),
  /** The staff role, never the person. */
  role: z.enum(ACCESS_ROLES),
  roleLabel: z.string(),
  /** `fn.action`, e.g. admin.getAccount */
  action: z.string(),
  actionLabel: z.string(),
  at: isoDateTime,
  reason: z.nullable(z.string()),
})
export type AccessLogEntry = z.infer<typeof accessLogEntry>

export const account = {
  login: action({
    summary: '登录：为当前微信身份创建或取回账号，并告知尚未完成的步骤',
    access: 'anonymous',
    input: z.strictObject({}),
    output: z.object({
      account: accountView,
      created: z.boolean(),
      pending: z.array(z.enum(PENDING_STEPS)),
      /** Shown on login: a pending deletion (with its due date and how to cancel), a suspension … */
      lifecycle: lifecycleView,
      /** Signing in woke a dormant account. */
      woke: z.boolean(),
      pendingNickname,
      pendingAvatar,
    }),
    errors: ['ACCOUNT_UNAVAILABLE'],
    terms: 'exempt',
  }),
  getProfile: action({
    summary: '查看我的资料',
    access: 'signedIn',
    input: z.strictObject({}),
    output: z.object({ account: accountView, pending: z.array(z.enum(PENDING_STEPS)), pendingNickname, pendingAvatar }),
    errors: [],
  }),
  uploadImage: action({
    summary: `上传一张图片（头像、名片头像、活动或文章封面，JPG/PNG/WEBP/GIF，不超过 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB）到我的文件夹，得到它的文件 ID`,
    access: 'signedIn',
    input: z.strictObject({
      kind: z.enum(UPLOAD_KINDS),
      /** The image's bytes, base64-encoded. */
      data: z
        .string()
        .check(
          z.minLength(8, '图片是空的'),
          z.maxLength(UPLOAD_MAX_BASE64, `图片不能超过 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB`),
          z.regex(/^[A-Za-z0-9+/]+={0,2}$/, '图片数据格式不正确'),
        ),
    }),
    output: z.object({ fileId: z.string() }),
    errors: ['RATE_LIMITED'],
  }),
  updateProfile: action({
    summary: '修改昵称或头像（新昵称、新头像通过审核后才对他人可见）',
    access: 'signedIn',
    input: z
      .strictObject({ nickname: z.optional(nickname), avatarUrl: z.optional(z.nullable(avatarUrl)) })
      .check(z.refine((v) => v.nickname !== undefined || v.avatarUrl !== undefined, '请至少修改一项')),
    output: z.object({
      account: accountView,
      pendingNickname,
      pendingAvatar,
    }),
    errors: ['CONTENT_REFUSED'],
  }),
  getState: action({
    summary: '我的账号状态：原因、结束时间、功能限制、注销冷静期',
    access: 'signedIn',
    terms: 'exempt',
    states: LIVING_STATES,
    input: z.strictObject({}),
    output: z.object({ lifecycle: lifecycleView }),
    errors: [],
  }),
  freeze: action({
    summary: '自助冻结：担心账号被盗时立即停用，之后可本人解冻',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({}),
    output: z.object({ lifecycle: lifecycleView }),
    errors: ['TRANSITION_NOT_ALLOWED'],
  }),
  unfreeze: action({
    summary: '解除自助冻结（需确认是本人）',
    access: 'signedIn',
    terms: 'exempt',
    states: ['frozenBySelf'],
    input: z.strictObject(reconfirm),
    output: z.object({ lifecycle: lifecycleView }),
    errors: ['TRANSITION_NOT_ALLOWED', 'REAUTH_REQUIRED', 'REVERIFICATION_REQUIRED'],
  }),
  wake: action({
    summary: '从休眠恢复已实名的账号（需本人人脸核验确认是本人）',
    access: 'signedIn',
    terms: 'exempt',
    states: ['dormant'],
    input: z.strictObject(reconfirm),
    output: z.object({ lifecycle: lifecycleView }),
    errors: ['TRANSITION_NOT_ALLOWED', 'REAUTH_REQUIRED', 'REVERIFICATION_REQUIRED'],
  }),
  requestDeletion: action({
    summary: '申请注销账号：进入冷静期，期满后删除或匿名化个人信息',
    access: 'signedIn',
    terms: 'exempt',
    states: ['active', 'restricted', 'frozenBySelf', 'dormant'],
    input: z.strictObject(reconfirm),
    output: z.object({ lifecycle: lifecycleView }),
    errors: ['TRANSITION_NOT_ALLOWED', 'REAUTH_REQUIRED', 'REVERIFICATION_REQUIRED'],
  }),
  cancelDeletion: action({
    summary: '撤销注销申请（冷静期内），账号恢复正常',
    access: 'signedIn',
    terms: 'exempt',
    states: ['pendingDeletion'],
    input: z.strictObject({}),
    output: z.object({ lifecycle: lifecycleView }),
    errors: ['TRANSITION_NOT_ALLOWED'],
  }),
  deletionPreview: action({
    summary: '注销前查看：哪些信息会被删除、哪些会保留及原因（按类别列出条数）',
    access: 'signedIn',
    terms: 'exempt',
    states: LIVING_STATES,
    input: z.strictObject({}),
    output: z.object({
      coolingOffDays: z.number(),
      erasureWorkingDays: z.number(),
      deletionDueAt: z.nullable(isoDateTime),
      items: z.array(deletionPreviewItem),
    }),
    errors: [],
  }),
  exportData: action({
    summary: '导出我的个人信息副本（JSON，按业务分节）',
    access: 'signedIn',
    terms: 'exempt',
    states: LIVING_STATES,
    input: z.strictObject({}),
    output: z.object({ document: exportDocument }),
    errors: [],
  }),
  requestCorrection: action({
    summary: '申请更正已锁定的信息（真实姓名、身份证号、出生日期），由工作人员核实处理',
    access: 'signedIn',
    terms: 'exempt',
    input: z.strictObject({
      field: z.enum(CORRECTION_FIELDS),
      note: z.string().check(z.trim(), z.minLength(5, '请说明哪里有误（至少5个字）'), z.maxLength(300, '说明最多300个字')),
    }),
    output: z.object({ request: correctionView }),
    errors: ['CORRECTION_PENDING'],
  }),
  corrections: action({
    summary: '我的更正申请及处理结果',
    access: 'signedIn',
    terms: 'exempt',
    states: LIVING_STATES,
    input: z.strictObject({}),
    output: z.object({ requests: z.array(correctionView) }),
    errors: [],
  }),
  accessLog: action({
    summary: '谁看过或处理过我的信息：工作人员的角色、操作、时间和理由（最新在前）',
    access: 'signedIn',
    terms: 'exempt',
    states: LIVING_STATES,
    input: z.strictObject({ ...pageInput }),
    output: z.object({ entries: z.array(accessLogEntry), nextCursor }),
    errors: [],
  }),
}

import * as z from 'zod/mini'
import { ROLES } from '../access'
import { ACCOUNT_STATES, PENDING_STEPS } from '../account'
import { hasInvisibleCharacters, visibleLength } from '../rules/text'
import { isoDateTime } from './common'
import { action } from './define'

export const NICKNAME_MAX = 20

export const nickname = z.string().check(
  z.trim(),
  z.refine((s) => s.length > 0, '昵称不能为空'),
  z.refine((s) => visibleLength(s) <= NICKNAME_MAX, `昵称最多 ${NICKNAME_MAX} 个字`),
  z.refine((s) => !hasInvisibleCharacters(s), '昵称不能包含不可见字符'),
)

/** Avatars are files in cloud storage or https images (WeChat's chooseAvatar gives a temp file the client uploads first). */
export const avatarUrl = z.string().check(
  z.maxLength(512, '头像地址过长'),
  z.refine((s) => /^(cloud:\/\/|https:\/\/)\S+$/.test(s), '头像地址必须是云存储文件或 https 图片'),
)

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

export const account = {
  login: action({
    summary: '登录：为当前微信身份创建或取回账号，并告知尚未完成的步骤',
    access: 'anonymous',
    input: z.strictObject({}),
    output: z.object({
      account: accountView,
      created: z.boolean(),
      pending: z.array(z.enum(PENDING_STEPS)),
    }),
    errors: ['ACCOUNT_UNAVAILABLE'],
    terms: 'exempt',
  }),
  getProfile: action({
    summary: '查看我的资料',
    access: 'signedIn',
    input: z.strictObject({}),
    output: z.object({ account: accountView, pending: z.array(z.enum(PENDING_STEPS)) }),
    errors: [],
  }),
  updateProfile: action({
    summary: '修改昵称或头像',
    access: 'signedIn',
    input: z
      .strictObject({ nickname: z.optional(nickname), avatarUrl: z.optional(z.nullable(avatarUrl)) })
      .check(z.refine((v) => v.nickname !== undefined || v.avatarUrl !== undefined, '请至少修改一项')),
    output: z.object({ account: accountView }),
    errors: [],
  }),
}


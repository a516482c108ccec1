/**
 * The catalogue of processing purposes: what each covers, on what legal basis,
 * and which document governs it. Declared once; the server enforces it, the
 * mini-program shows it.
 *
 * Legal bases (PIPL Art. 13):
 * - contract: necessary to provide the service the user signs up for; accepted at registration;
 * - separate: needs its own consent (sensitive information Art. 29, public display Art. 25,
 *   providing to another processor Art. 23); refusing blocks only the feature that needs it;
 * - optional: non-essential; can be refused or withdrawn at any time without losing the service (Art. 16).
 */
export const DOCUMENT_IDS = [
  'user-agreement',
  'privacy-policy',
  'children-rules',
  'minor-notice',
  'notice-id-number',
  'notice-face',
  'notice-public-card',
  'notice-partner-sharing',
  'notice-location',
  'notice-personalization',
  'notice-login-sharing',
] as const
export type DocumentId = (typeof DOCUMENT_IDS)[number]

export const DOCUMENT_TITLES: Record<DocumentId, string> = {
  'user-agreement': '乐聊名片用户协议',
  'privacy-policy': '乐聊名片隐私政策',
  'children-rules': '儿童个人信息保护规则',
  'minor-notice': '未成年人使用提示',
  'notice-id-number': '身份证号处理单独告知',
  'notice-face': '人脸核验单独告知',
  'notice-public-card': '名片公开展示单独告知',
  'notice-partner-sharing': '向实名核验服务商提供个人信息单独告知',
  'notice-location': '位置信息使用说明',
  'notice-personalization': '个性化与访问记录说明',
  'notice-login-sharing': '乐聊名片登录服务说明',
}

export const PURPOSE_IDS = [
  'terms',
  'privacy',
  'childrenRules',
  'idNumber',
  'face',
  'publicCard',
  'partnerSharing',
  'location',
  'personalization',
] as const
export type PurposeId = (typeof PURPOSE_IDS)[number]

/**
 * Sharing with one organization through the login service: decided per
 * organization in the sign-in itself (each record names its recipient), never
 * from the privacy settings, so it is not among the general purposes above.
 */
export const LOGIN_SHARING = 'loginSharing'
export const LEDGER_PURPOSE_IDS = [...PURPOSE_IDS, LOGIN_SHARING] as const
export type LedgerPurpose = (typeof LEDGER_PURPOSE_IDS)[number]

export type LegalBasis = 'contract' | 'separate' | 'optional'

export interface Purpose {
  id: LedgerPurpose
  title: string
  basis: LegalBasis
  /** The document whose exact version is shown and recorded with each decision. */
  document: DocumentId
  /** Categories of personal information covered (shown to the user and in receipts). */
  categories: readonly string[]
  sensitive: boolean
  /** Needed only for subjects under 14 (PIPL Art. 31). */
  onlyUnder14?: boolean
  /** What withdrawing does, told to the user before they confirm. */
  withdrawalEffect: string
}

export const PURPOSES: Record<LedgerPurpose, Purpose> = {
  terms: {
    id: 'terms',
    title: '用户协议',
    basis: 'contract',
    document: 'user-agreement',
    categories: ['微信标识（OpenID）', '昵称与头像', '账号状态'],
    sensitive: false,
    withdrawalEffect: '不同意用户协议将无法继续使用服务，你可以注销账号。',
  },
  privacy: {
    id: 'privacy',
    title: '隐私政策',
    basis: 'contract',
    document: 'privacy-policy',
    categories: ['微信标识（OpenID）', '昵称与头像', '发布的内容', '操作记录'],
    sensitive: false,
    withdrawalEffect: '不同意隐私政策将无法继续使用服务，你可以注销账号。',
  },
  childrenRules: {
    id: 'childrenRules',
    title: '儿童个人信息保护规则（监护人同意）',
    basis: 'contract',
    document: 'children-rules',
    categories: ['儿童的微信标识', '昵称与头像', '出生日期'],
    sensitive: true,
    onlyUnder14: true,
    withdrawalEffect: '监护人撤回同意后，孩子将无法继续使用服务，可以申请注销账号。',
  },
  idNumber: {
    id: 'idNumber',
    title: '处理身份证号',
    basis: 'separate',
    document: 'notice-id-number',
    categories: ['真实姓名', '身份证号'],
    sensitive: true,
    withdrawalEffect: '撤回后将删除你的身份证号与姓名密文，实名认证失效，发布功能随之停止。',
  },
  face: {
    id: 'face',
    title: '人脸核验',
    basis: 'separate',
    document: 'notice-face',
    categories: ['人脸核验结果（不保存人脸图像）'],
    sensitive: true,
    withdrawalEffect: '撤回后将删除人脸核验记录，实名认证失效，发布功能随之停止。',
  },
  publicCard: {
    id: 'publicCard',
    title: '公开展示我的名片',
    basis: 'separate',
    document: 'notice-public-card',
    categories: ['名片中设为公开的字段'],
    sensitive: false,
    withdrawalEffect: '撤回后你的名片立即对他人隐藏，扫码也无法查看。',
  },
  partnerSharing: {
    id: 'partnerSharing',
    title: '向实名核验服务商提供信息',
    basis: 'separate',
    document: 'notice-partner-sharing',
    categories: ['真实姓名', '身份证号', '人脸核验结果'],
    sensitive: true,
    withdrawalEffect: '撤回后不再向核验服务商提供你的信息，也就无法再次发起实名认证。',
  },
  location: {
    id: 'location',
    title: '使用位置信息',
    basis: 'optional',
    document: 'notice-location',
    categories: ['位置信息'],
    sensitive: false,
    withdrawalEffect: '撤回后不再读取你的位置，已保存的位置会被删除；其他功能不受影响。',
  },
  personalization: {
    id: 'personalization',
    title: '个性化与访问记录',
    basis: 'optional',
    document: 'notice-personalization',
    categories: ['浏览与访问记录'],
    sensitive: false,
    withdrawalEffect: '撤回后不再记录你访问他人名片，已有的访问记录会被删除；其他功能不受影响。',
  },
  loginSharing: {
    id: 'loginSharing',
    title: '使用乐聊名片登录第三方应用（向该机构提供信息）',
    basis: 'separate',
    document: 'notice-login-sharing',
    categories: ['该机构专用的用户编号', '实名认证状态', '是否年满14/18周岁', '姓名、出生日期、性别（单独同意时）', '身份证号（单独同意时）'],
    sensitive: true,
    withdrawalEffect: '撤销后该机构持有的登录令牌立即失效，下次登录需要重新同意。',
  },
}

/** Purposes every account must have accepted, in their current versions, before using the service. */
export function requiredPurposes(under14: boolean): PurposeId[] {
  return under14 ? ['terms', 'privacy', 'childrenRules'] : ['terms', 'privacy']
}

export const CONSENT_ACTIONS = ['grant', 'refuse', 'withdraw'] as const
export type ConsentAction = (typeof CONSENT_ACTIONS)[number]

export const CONSENT_METHODS = ['checkbox', 'popup', 'settings', 'guardian', 'signIn'] as const
export type ConsentMethod = (typeof CONSENT_METHODS)[number]

export const GUARDIAN_RELATIONS = ['father', 'mother', 'otherGuardian'] as const
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number]

export const GUARDIAN_RELATION_LABELS: Record<GuardianRelation, string> = {
  father: '父亲',
  mother: '母亲',
  otherGuardian: '其他监护人',
}

export type PurposeState = 'granted' | 'refused' | 'withdrawn' | 'none'

export const PURPOSE_STATE_LABELS: Record<PurposeState, string> = {
  granted: '已同意',
  refused: '已拒绝',
  withdrawn: '已撤回',
  none: '未选择',
}

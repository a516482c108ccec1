/**
 * Runtime configuration, read once from the environment of the function.
 * Production is the default: a function deployed without settings must never
 * fall back to a sandbox provider, a development key or demo operator details.
 */
import { MESSAGE_TYPES, type MessageType } from '../../shared/inbox'
import { DEFAULT_HIDE_THRESHOLD, DEFAULT_STRIKE_DAYS } from '../../shared/review'
import { INSECURE_DEV_BLIND_INDEX_KEY, type Keyring } from './identity/crypto'
import type { IdentitySettings } from './identity/settings'
import type { OidcSettings } from './oidc/settings'
import { parseFieldMap, type SubscribeTemplate } from './subscribe-template'
import { ConfigError, positiveInt, text, type Mode } from './settings-env'

export { ConfigError, type Mode }

export { INSECURE_DEV_BLIND_INDEX_KEY }


/** The personal-information processor named in every document and receipt. */
export interface Operator {
  name: string
  /** A phone number or other contact shown beside the email (receipts: controller.contact). */
  contact: string
  email: string
  address: string
  /** Forum for disputes under the user agreement ({{disputeVenue}}). */
  disputeVenue: string | null
  /** The person responsible for children's information ({{childProtectionContact}}). */
  childProtectionContact: string | null
}

/**
 * Functions that open sealed names and ID numbers. In production only these
 * load (and require) the ID keyring, so the key is configured where it is used
 * and nowhere else.
 */
export const IDENTITY_FUNCTIONS: readonly string[] = ['identity']

/**
 * Functions that sign ID tokens: only these load (and in production require)
 * the login service's keys, and the ID keyring (to share a name or ID number
 * the person agreed to share), without the verification provider's settings.
 */
export const OIDC_FUNCTIONS: readonly string[] = ['oidc']

export interface Config {
  mode: Mode
  /** Open-API provider: WeChat's cloud calls in production, the local sandbox elsewhere. */
  openApi: 'wechat' | 'sandbox'
  /** 32-byte HMAC key for blind indexes and pseudonyms (ID numbers, ledger subjects); 64 hex characters. */
  blindIndexKey: string
  operator: Operator
  /** The real-name verification provider named in the partner-sharing notice. */
  verificationProvider: { name: string; contact: string } | null
  /** Subscribe-message template per message type, with its keyword mapping; a type without one is never pushed. */
  subscribeTemplates: Partial<Record<MessageType, SubscribeTemplate>>
  /** Account lifecycle figures the documents quote ({{coolingOffDays}}, {{dormancyPeriod}}). */
  coolingOffDays: number
  dormancyMonths: number
  /** Null in production functions outside IDENTITY_FUNCTIONS. */
  identity: IdentitySettings | null
  /** The login service (issuer, signing keys, ID keyring); null in production functions outside OIDC_FUNCTIONS. */
  oidc: (OidcSettings & { keyring: Keyring }) | null
  review: ReviewSettings
}

/** The staff side of moderation. */
export interface ReviewSettings {
  /** Reported public content is hidden from others once its reports weigh this much (LECHAT_REPORT_HIDE_THRESHOLD). */
  hideThreshold: number
  /** Strikes count for this many days (LECHAT_STRIKE_DAYS). */
  strikeDays: number
  /**
   * The one-time code with which the first admin makes themself admin while
   * there is none (LECHAT_FIRST_ADMIN_CODE, at least 16 characters); null: not offered.
   */
  firstAdminCode: string | null
}


/** Obviously fictional: local documents must not look like a real company's. */
const DEMO_OPERATOR: Operator = {
  name: '乐聊名片本地演示运营方（示例，非真实主体）',
  contact: '400-000-0000（示例）',
  email: 'privacy@example.com',
  address: '（示例地址）北京市海淀区演示路 1 号',
  disputeVenue: '运营方住所地有管辖权的人民法院（示例）',
  childProtectionContact: '儿童个人信息保护专员（示例），child-privacy@example.com',
}

const DEMO_PROVIDER = { name: '本地沙箱核验服务（示例）', contact: 'sandbox-provider@example.com' }

function upperSnake(type: MessageType): string {
  return type.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()
}

/** legalUpdate → LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE */
export function subscribeTemplateVariable(type: MessageType): string {
  return `LECHAT_SUBSCRIBE_TEMPLATE_${upperSnake(type)}`
}

/** legalUpdate → LECHAT_SUBSCRIBE_FIELDS_LEGAL_UPDATE: which keyword of that template each field fills. */
export function subscribeFieldsVariable(type: MessageType): string {
  return `LECHAT_SUBSCRIBE_FIELDS_${upperSnake(type)}`
}

/** A template without its keyword mapping would be refused by WeChat at every push: refuse it at start instead. */
function loadSubscribeTemplates(env: Record<string, string | undefined>): Partial<Record<MessageType, SubscribeTemplate>> {
  const templates: Partial<Record<MessageType, SubscribeTemplate>> = {}
  for (const type of MESSAGE_TYPES) {
    const id = text(env, subscribeTemplateVariable(type))
    const fields = text(env, subscribeFieldsVariable(type))
    if (id === null && fields === null) continue
    if (id === null) throw new ConfigError(`${subscribeFieldsVariable(type)} is set without ${subscribeTemplateVariable(type)}`)
    if (fields === null) {
      throw new ConfigError(`${subscribeTemplateVariable(type)} needs ${subscribeFieldsVariable(type)}: the template's keywords, e.g. title=thing1,body=thing2,time=time3`)
    }
    try {
      templates[type] = { id, fields: parseFieldMap(fields) }
    } catch (error) {
      throw new ConfigError(`${subscribeFieldsVariable(type)}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return templates
}



/**
 * Loaders of the settings only some functions need, passed in by those
 * functions' entries (and by the local cloud, the tests and the deploy, which
 * pass them all): a function that does not pass one does not carry its code.
 */
export interface ConfigSections {
  identity?: (env: Record<string, string | undefined>, mode: Mode) => IdentitySettings
  oidc?: (env: Record<string, string | undefined>, mode: Mode) => OidcSettings & { keyring: Keyring }
}

export interface LoadOptions {
  /** The deployed function reading the settings (decides whether identity secrets are required). */
  fn?: string
  sections?: ConfigSections
}

function section<K extends keyof ConfigSections>(options: LoadOptions, name: K): NonNullable<ConfigSections[K]> {
  const loader = options.sections?.[name]
  if (!loader) throw new Error(`${options.fn ?? 'this process'} needs the ${name} settings: pass their loader (see ConfigSections)`)
  return loader
}

function loadReviewSettings(env: Record<string, string | undefined>): ReviewSettings {
  const code = text(env, 'LECHAT_FIRST_ADMIN_CODE')
  if (code !== null && code.length < 16) throw new ConfigError('LECHAT_FIRST_ADMIN_CODE must be at least 16 characters (e.g. `openssl rand -hex 16`)')
  return {
    hideThreshold: positiveInt(env, 'LECHAT_REPORT_HIDE_THRESHOLD', DEFAULT_HIDE_THRESHOLD, 100),
    strikeDays: positiveInt(env, 'LECHAT_STRIKE_DAYS', DEFAULT_STRIKE_DAYS, 3650),
    firstAdminCode: code,
  }
}

export function loadConfig(env: Record<string, string | undefined>, options: LoadOptions = {}): Config {
  const modeText = env.LECHAT_MODE ?? 'production'
  if (modeText !== 'production' && modeText !== 'local' && modeText !== 'test') {
    throw new ConfigError(`LECHAT_MODE must be production, local or test (got "${modeText}")`)
  }
  const mode: Mode = modeText
  const production = mode === 'production'
  const openApiText = env.LECHAT_OPENAPI ?? (production ? 'wechat' : 'sandbox')
  if (openApiText !== 'wechat' && openApiText !== 'sandbox') {
    throw new ConfigError(`LECHAT_OPENAPI must be wechat or sandbox (got "${openApiText}")`)
  }

  const key = text(env, 'LECHAT_BLIND_INDEX_KEY')
  if (key !== null && !/^[0-9a-fA-F]{64}$/.test(key)) {
    throw new ConfigError('LECHAT_BLIND_INDEX_KEY must be 64 hexadecimal characters (32 random bytes, e.g. `openssl rand -hex 32`)')
  }

  const operatorName = text(env, 'LECHAT_OPERATOR_NAME')
  const operatorContact = text(env, 'LECHAT_OPERATOR_CONTACT')
  const operatorEmail = text(env, 'LECHAT_OPERATOR_EMAIL')
  const operatorAddress = text(env, 'LECHAT_OPERATOR_ADDRESS')
  const fallback = production ? null : DEMO_OPERATOR
  const operator: Operator = {
    name: operatorName ?? fallback?.name ?? '',
    contact: operatorContact ?? fallback?.contact ?? '',
    email: operatorEmail ?? fallback?.email ?? '',
    address: operatorAddress ?? fallback?.address ?? '',
    disputeVenue: text(env, 'LECHAT_DISPUTE_VENUE') ?? fallback?.disputeVenue ?? null,
    childProtectionContact: text(env, 'LECHAT_CHILD_PROTECTION_CONTACT') ?? fallback?.childProtectionContact ?? null,
  }

  const providerName = text(env, 'LECHAT_VERIFICATION_PROVIDER')
  const providerContact = text(env, 'LECHAT_VERIFICATION_PROVIDER_CONTACT')
  if ((providerName === null) !== (providerContact === null)) {
    throw new ConfigError('LECHAT_VERIFICATION_PROVIDER and LECHAT_VERIFICATION_PROVIDER_CONTACT are set together or not at all')
  }
  const verificationProvider =
    providerName !== null && providerContact !== null ? { name: providerName, contact: providerContact } : production ? null : DEMO_PROVIDER

  const config: Config = {
    mode,
    openApi: openApiText,
    blindIndexKey: (key ?? (production ? '' : INSECURE_DEV_BLIND_INDEX_KEY)).toLowerCase(),
    operator,
    verificationProvider,
    subscribeTemplates: loadSubscribeTemplates(env),
    coolingOffDays: positiveInt(env, 'LECHAT_COOLING_OFF_DAYS', 15, 60),
    dormancyMonths: positiveInt(env, 'LECHAT_DORMANCY_MONTHS', 12, 120),
    identity: null,
    oidc: null,
    review: loadReviewSettings(env),
  }
  assertProductionSafe(config)
  if (!production || (options.fn !== undefined && IDENTITY_FUNCTIONS.includes(options.fn))) {
    config.identity = section(options, 'identity')(env, mode)
  }
  if (!production || (options.fn !== undefined && OIDC_FUNCTIONS.includes(options.fn))) {
    config.oidc = section(options, 'oidc')(env, mode)
  }
  return config
}

/** Production refuses sandboxes, development keys and missing operator details loudly rather than quietly running without them. */
export function assertProductionSafe(config: Config): void {
  if (config.mode !== 'production') return
  if (config.openApi === 'sandbox') {
    throw new ConfigError('production refuses the sandbox open-API provider (LECHAT_OPENAPI=sandbox)')
  }
  if (!config.blindIndexKey) {
    throw new ConfigError('production needs LECHAT_BLIND_INDEX_KEY (64 hex characters; keep it secret and never change it: stored blind indexes depend on it)')
  }
  if (config.blindIndexKey === INSECURE_DEV_BLIND_INDEX_KEY) {
    throw new ConfigError('production refuses the insecure development key as LECHAT_BLIND_INDEX_KEY')
  }
  const missing = (
    [
      ['LECHAT_OPERATOR_NAME', config.operator.name],
      ['LECHAT_OPERATOR_CONTACT', config.operator.contact],
      ['LECHAT_OPERATOR_EMAIL', config.operator.email],
      ['LECHAT_OPERATOR_ADDRESS', config.operator.address],
    ] as const
  )
    .filter(([, value]) => !value)
    .map(([name]) => name)
  if (missing.length > 0) {
    throw new ConfigError(`production needs the operator named in documents and receipts: set ${missing.join(', ')}`)
  }
}

/**
 * Every setting a deployment takes, in one table: where it goes (which
 * functions' environment, or the build), whether production needs it, and
 * whether it is a secret (never printed). The operator fills them in one
 * file (deploy/operator.env.example is the template); a function receives only
 * the settings it reads. A test fails when the code reads a LECHAT_ variable
 * that has no row here.
 */
import { IDENTITY_FUNCTIONS, OIDC_FUNCTIONS, subscribeFieldsVariable, subscribeTemplateVariable } from '../cloudfunctions/_core/config'
import { MESSAGE_TYPES } from '../shared/inbox'

export type Scope = 'functions' | 'keyring' | 'identity' | 'oidc' | 'admin' | 'build'

export interface Setting {
  name: string
  /**
   * functions: every function; keyring: the functions that open sealed names and ID numbers (identity, oidc);
   * identity/oidc/admin: that function only; build: the mini-program build and the deploy itself.
   */
  scope: Scope
  required: boolean
  secret: boolean
}

const row = (name: string, scope: Scope, required = false, secret = false): Setting => ({ name, scope, required, secret })

export const SETTINGS: readonly Setting[] = [
  // Where it goes.
  row('LECHAT_APPID', 'build', true),
  row('LECHAT_CLOUD_ENV', 'build', true),
  // Tencent FaceID's mini-program SDK folder, when identity uses FaceID with the SDK client (README, "Tencent FaceID").
  row('LECHAT_FACEID_SDK_DIR', 'build'),
  // Every function.
  row('LECHAT_BLIND_INDEX_KEY', 'functions', true, true),
  row('LECHAT_OPERATOR_NAME', 'functions', true),
  row('LECHAT_OPERATOR_CONTACT', 'functions', true),
  row('LECHAT_OPERATOR_EMAIL', 'functions', true),
  row('LECHAT_OPERATOR_ADDRESS', 'functions', true),
  row('LECHAT_DISPUTE_VENUE', 'functions'),
  row('LECHAT_CHILD_PROTECTION_CONTACT', 'functions'),
  row('LECHAT_VERIFICATION_PROVIDER', 'functions'),
  row('LECHAT_VERIFICATION_PROVIDER_CONTACT', 'functions'),
  row('LECHAT_COOLING_OFF_DAYS', 'functions'),
  row('LECHAT_DORMANCY_MONTHS', 'functions'),
  row('LECHAT_REPORT_HIDE_THRESHOLD', 'functions'),
  row('LECHAT_STRIKE_DAYS', 'functions'),
  ...MESSAGE_TYPES.flatMap((type) => [row(subscribeTemplateVariable(type), 'functions'), row(subscribeFieldsVariable(type), 'functions')]),
  // The keys that open names and ID numbers: identity, and the login service (to share what the person agreed to).
  row('LECHAT_ID_KEYS', 'keyring', true, true),
  row('LECHAT_ID_KEY_CURRENT', 'keyring', true),
  // The identity function only: the verification provider.
  row('LECHAT_IDENTITY_PROVIDER', 'identity', true),
  row('LECHAT_IDENTITY_MAX_STARTS', 'identity'),
  row('LECHAT_IDENTITY_WINDOW_HOURS', 'identity'),
  row('LECHAT_IDENTITY_ATTEMPT_MINUTES', 'identity'),
  row('LECHAT_FACEID_SECRET_ID', 'identity', false, true),
  row('LECHAT_FACEID_SECRET_KEY', 'identity', false, true),
  row('LECHAT_FACEID_SESSION_TOKEN', 'identity', false, true),
  row('LECHAT_FACEID_RULE_ID', 'identity'),
  row('LECHAT_FACEID_CLIENT', 'identity'),
  row('LECHAT_WECHAT_APPID', 'identity'),
  row('LECHAT_WECHAT_APPSECRET', 'identity', false, true),
  // The login service only: its issuer URL and ID-token signing keys.
  row('LECHAT_OIDC_ISSUER', 'oidc', true),
  row('LECHAT_OIDC_SIGNING_KEYS', 'oidc', true, true),
  row('LECHAT_OIDC_SIGNING_KID', 'oidc'),
  // The admin function only.
  row('LECHAT_FIRST_ADMIN_CODE', 'admin', false, true),
]

/** Set by the deploy itself, never by the operator: production refuses anything else. */
export const FIXED_FUNCTION_SETTINGS: Readonly<Record<string, string>> = { LECHAT_MODE: 'production', LECHAT_OPENAPI: 'wechat' }

/** Names the code knows but nobody may set (a retired name, refused so that nobody sets a key that is never read). */
export const REFUSED_SETTINGS: readonly string[] = ['LECHAT_ID_INDEX_KEY']

const KEYRING_FUNCTIONS: readonly string[] = [...IDENTITY_FUNCTIONS, ...OIDC_FUNCTIONS]

/** The environment variables one function receives. */
export function settingsFor(fn: string, values: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const setting of SETTINGS) {
    const applies = setting.scope === 'functions' || setting.scope === fn || (setting.scope === 'keyring' && KEYRING_FUNCTIONS.includes(fn))
    const value = values[setting.name]
    if (applies && value !== undefined && value !== '') env[setting.name] = value
  }
  return { ...env, ...FIXED_FUNCTION_SETTINGS }
}

export function isSecret(name: string): boolean {
  return SETTINGS.some((setting) => setting.name === name && setting.secret)
}

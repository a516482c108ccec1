import { ConfigError, INSECURE_DEV_BLIND_INDEX_KEY, loadConfig as loadWith, subscribeFieldsVariable, subscribeTemplateVariable } from '../../cloudfunctions/_core/config'
import { ALL_SECTIONS } from '../../cloudfunctions/_core/config-sections'

/** As the local cloud loads settings: every optional section's loader at hand. */
const loadConfig = (env: Record<string, string | undefined>) => loadWith(env, { sections: ALL_SECTIONS })

const KEY = 'a1'.repeat(32)
const PRODUCTION = {
  LECHAT_MODE: 'production',
  LECHAT_BLIND_INDEX_KEY: KEY,
  LECHAT_OPERATOR_NAME: '某某网络科技有限公司',
  LECHAT_OPERATOR_CONTACT: '010-00000000',
  LECHAT_OPERATOR_EMAIL: 'privacy@example.cn',
  LECHAT_OPERATOR_ADDRESS: '北京市某区某路 1 号',
}

function refusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected the configuration to be refused')
}

describe('production configuration', () => {
  it('starts with a key and the operator named', () => {
    const config = loadConfig(PRODUCTION)
    expect(config.blindIndexKey).toBe(KEY)
    expect(config.operator).toMatchObject({ name: '某某网络科技有限公司', email: 'privacy@example.cn' })
    expect(config.verificationProvider).toBeNull()
    expect(config.subscribeTemplates).toEqual({})
  })

  it('refuses to start without the blind-index key, naming the variable', () => {
    expect(refusal({ ...PRODUCTION, LECHAT_BLIND_INDEX_KEY: undefined })).toContain('LECHAT_BLIND_INDEX_KEY')
  })

  it.each([
    ['too short', 'ab'.repeat(16)],
    ['not hexadecimal', 'zz'.repeat(32)],
  ])('refuses a key that is %s, in any mode', (_name, key) => {
    expect(refusal({ ...PRODUCTION, LECHAT_BLIND_INDEX_KEY: key })).toContain('64 hexadecimal')
    expect(refusal({ LECHAT_MODE: 'local', LECHAT_BLIND_INDEX_KEY: key })).toContain('64 hexadecimal')
  })

  it('refuses the insecure development key', () => {
    expect(refusal({ ...PRODUCTION, LECHAT_BLIND_INDEX_KEY: INSECURE_DEV_BLIND_INDEX_KEY })).toContain('insecure development key')
  })

  it.each(['LECHAT_OPERATOR_NAME', 'LECHAT_OPERATOR_CONTACT', 'LECHAT_OPERATOR_EMAIL', 'LECHAT_OPERATOR_ADDRESS'])('refuses to start without %s', (name) => {
    expect(refusal({ ...PRODUCTION, [name]: '  ' })).toContain(name)
  })

  it('never falls back to the demo operator or the demo verification provider', () => {
    const config = loadConfig(PRODUCTION)
    expect(JSON.stringify(config)).not.toContain('示例')
  })
})

describe('local and test configuration', () => {
  it('uses the clearly named insecure key and demo operator details', () => {
    const config = loadConfig({ LECHAT_MODE: 'test' })
    expect(config.blindIndexKey).toBe(INSECURE_DEV_BLIND_INDEX_KEY)
    expect(config.operator.name).toContain('示例')
    expect(config.verificationProvider?.name).toContain('示例')
  })

  it('reads a subscribe-message template per message type, with the keyword each field fills', () => {
    expect(subscribeTemplateVariable('legalUpdate')).toBe('LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE')
    expect(subscribeFieldsVariable('legalUpdate')).toBe('LECHAT_SUBSCRIBE_FIELDS_LEGAL_UPDATE')
    const config = loadConfig({
      LECHAT_MODE: 'local',
      LECHAT_SUBSCRIBE_TEMPLATE_MODERATION_DECISION: 'tmpl-123',
      LECHAT_SUBSCRIBE_FIELDS_MODERATION_DECISION: ' title=thing4, time=date2 ,body=phrase1',
    })
    expect(config.subscribeTemplates).toEqual({ moderationDecision: { id: 'tmpl-123', fields: { title: 'thing4', time: 'date2', body: 'phrase1' } } })
  })

  it.each([
    [{ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-1' }, 'LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM needs LECHAT_SUBSCRIBE_FIELDS_SYSTEM'],
    [{ LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'title=thing1' }, 'LECHAT_SUBSCRIBE_FIELDS_SYSTEM is set without LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM'],
    [{ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-1', LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'time=thing1' }, 'time cannot fill thing1'],
    [{ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-1', LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'title=time2' }, 'title cannot fill time2'],
    [{ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-1', LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'title=thing1,body=thing1' }, 'thing1 is filled twice'],
    [{ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmpl-1', LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'author=thing1' }, 'unknown field "author"'],
  ])('refuses a template without a valid keyword mapping (%o)', (env, message) => {
    expect(refusal({ LECHAT_MODE: 'local', ...env })).toContain(message)
  })

  it('wants the verification provider name and contact together', () => {
    expect(refusal({ LECHAT_MODE: 'local', LECHAT_VERIFICATION_PROVIDER: '某核验服务商' })).toContain('LECHAT_VERIFICATION_PROVIDER_CONTACT')
  })

  it('reads the staff side’s settings, and refuses a first-admin code too short to be secret', () => {
    expect(loadConfig({ LECHAT_MODE: 'test' }).review).toEqual({ hideThreshold: 3, strikeDays: 90, firstAdminCode: null })
    const set = loadConfig({ LECHAT_MODE: 'test', LECHAT_REPORT_HIDE_THRESHOLD: '5', LECHAT_STRIKE_DAYS: '180', LECHAT_FIRST_ADMIN_CODE: 'a'.repeat(16) })
    expect(set.review).toEqual({ hideThreshold: 5, strikeDays: 180, firstAdminCode: 'a'.repeat(16) })
    expect(refusal({ LECHAT_MODE: 'test', LECHAT_FIRST_ADMIN_CODE: 'short' })).toContain('LECHAT_FIRST_ADMIN_CODE')
    expect(refusal({ LECHAT_MODE: 'test', LECHAT_REPORT_HIDE_THRESHOLD: '0' })).toContain('LECHAT_REPORT_HIDE_THRESHOLD')
  })
})

describe('optional settings', () => {
  it('are loaded only through the loader a function passes: one that needs a section and lacks its loader fails at start', () => {
    expect(() => loadWith({ LECHAT_MODE: 'test' })).toThrow(/needs the identity settings/)
    expect(() => loadWith({ ...PRODUCTION }, { fn: 'identity' })).toThrow(/identity needs the identity settings/)
    expect(loadWith({ ...PRODUCTION }, { fn: 'cards' })).toMatchObject({ identity: null, oidc: null })
  })
})

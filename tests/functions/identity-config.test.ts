/** How the identity settings are read: production refuses what would be unsafe, loudly and at start-up. */
import { randomBytes } from 'node:crypto'
import { ConfigError, INSECURE_DEV_BLIND_INDEX_KEY, loadConfig } from '../../cloudfunctions/_core/config'
import { ALL_SECTIONS } from '../../cloudfunctions/_core/config-sections'
import { identityRefOf, subjectRefOf } from '../../cloudfunctions/_core/consent/ledger'
import { BlindIndexKey, blindIndex, keyedRef } from '../../cloudfunctions/_core/identity/crypto'

const hex = () => randomBytes(32).toString('hex')
const INDEX = hex()
const ID_KEY = hex()
const ID = '11010519491231002X'

const PRODUCTION = {
  LECHAT_MODE: 'production',
  LECHAT_BLIND_INDEX_KEY: INDEX,
  LECHAT_OPERATOR_NAME: '某某网络科技有限公司',
  LECHAT_OPERATOR_CONTACT: '010-00000000',
  LECHAT_OPERATOR_EMAIL: 'privacy@example.cn',
  LECHAT_OPERATOR_ADDRESS: '北京市某区某路 1 号',
}
const FACEID = {
  LECHAT_IDENTITY_PROVIDER: 'tencent-faceid',
  LECHAT_FACEID_SECRET_ID: 'AKIDexample',
  LECHAT_FACEID_SECRET_KEY: 'secret-example',
  LECHAT_FACEID_RULE_ID: '1',
}
const IDENTITY_PRODUCTION = { ...PRODUCTION, ...FACEID, LECHAT_ID_KEYS: `k2026:${ID_KEY}` }

function refusal(env: Record<string, string | undefined>, fn = 'identity'): string {
  try {
    loadConfig(env, { fn, sections: ALL_SECTIONS })
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected the configuration to be refused')
}

describe('identity settings in production', () => {
  it('start with a keyring, the blind-index key and a real provider', () => {
    const config = loadConfig(IDENTITY_PRODUCTION, { fn: 'identity', sections: ALL_SECTIONS })
    expect(config.identity).toMatchObject({ provider: { provider: 'tencent-faceid', mode: 'production' }, startLimit: 5, startWindowHours: 24, attemptMinutes: 60 })
    expect(config.identity?.keyring.currentKid).toBe('k2026')
    // The one blind-index key: the identity function's index is the product key's `id-number` reference.
    expect(blindIndex(config.identity!.blindIndex, ID)).toBe(keyedRef(INDEX, 'id-number', ID))
    expect(JSON.stringify(config)).not.toContain(ID_KEY)
  })

  it.each([
    ['no ID keyring', { LECHAT_ID_KEYS: undefined }, 'LECHAT_ID_KEYS'],
    ['no provider chosen', { LECHAT_IDENTITY_PROVIDER: undefined }, 'LECHAT_IDENTITY_PROVIDER'],
    ['the sandbox provider', { LECHAT_IDENTITY_PROVIDER: 'sandbox' }, 'sandbox'],
    ['an unknown provider', { LECHAT_IDENTITY_PROVIDER: 'faceid' }, 'must be one of'],
    ['FaceID without its secret key', { LECHAT_FACEID_SECRET_KEY: ' ' }, 'LECHAT_FACEID_SECRET_KEY'],
    ['FaceID without its RuleId', { LECHAT_FACEID_RULE_ID: undefined }, 'LECHAT_FACEID_RULE_ID'],
    ['WeChat face verification without the app credentials', { LECHAT_IDENTITY_PROVIDER: 'wechat-face' }, 'LECHAT_WECHAT_APPSECRET'],
    ['half the app credentials', { LECHAT_WECHAT_APPID: 'wx0123456789abcdef' }, 'LECHAT_WECHAT_APPSECRET'],
    ['a blind-index key equal to an ID key', { LECHAT_BLIND_INDEX_KEY: ID_KEY }, 'must differ'],
    ['the development ID key', { LECHAT_ID_KEYS: `INSECURE-DEV-ONLY:${ID_KEY}` }, 'insecure development'],
    ['the development blind-index key', { LECHAT_BLIND_INDEX_KEY: INSECURE_DEV_BLIND_INDEX_KEY }, 'insecure development'],
    ['the retired LECHAT_ID_INDEX_KEY', { LECHAT_ID_INDEX_KEY: hex() }, 'LECHAT_BLIND_INDEX_KEY'],
    ['a start limit of zero', { LECHAT_IDENTITY_MAX_STARTS: '0' }, 'LECHAT_IDENTITY_MAX_STARTS'],
    ['an attempt lifetime beyond a day', { LECHAT_IDENTITY_ATTEMPT_MINUTES: '4320' }, 'LECHAT_IDENTITY_ATTEMPT_MINUTES'],
  ])('refuse %s, naming what to fix', (_case, change, named) => {
    expect(refusal({ ...IDENTITY_PRODUCTION, ...change })).toContain(named)
  })

  it('accept WeChat face verification with the app credentials', () => {
    const env = { ...IDENTITY_PRODUCTION, LECHAT_IDENTITY_PROVIDER: 'wechat-face', LECHAT_WECHAT_APPID: 'wx0123456789abcdef', LECHAT_WECHAT_APPSECRET: 'app-secret' }
    expect(loadConfig(env, { fn: 'identity', sections: ALL_SECTIONS }).identity).toMatchObject({ provider: { provider: 'wechat-face' }, wechatApp: { appId: 'wx0123456789abcdef' } })
  })

  it('read the attempt limits', () => {
    const env = { ...IDENTITY_PRODUCTION, LECHAT_IDENTITY_MAX_STARTS: '3', LECHAT_IDENTITY_WINDOW_HOURS: '48', LECHAT_IDENTITY_ATTEMPT_MINUTES: '30' }
    expect(loadConfig(env, { fn: 'identity', sections: ALL_SECTIONS }).identity).toMatchObject({ startLimit: 3, startWindowHours: 48, attemptMinutes: 30 })
  })

  it('are neither required nor loaded by functions that never open identities', () => {
    expect(loadConfig(PRODUCTION, { fn: 'consent', sections: ALL_SECTIONS }).identity).toBeNull()
    expect(loadConfig(IDENTITY_PRODUCTION, { fn: 'account', sections: ALL_SECTIONS }).identity).toBeNull()
    expect(loadConfig(PRODUCTION, { sections: ALL_SECTIONS }).identity).toBeNull()
  })
})

describe('identity settings in local and test', () => {
  it('default to the sandbox and the clearly named development keys', () => {
    const config = loadConfig({ LECHAT_MODE: 'test' }, { sections: ALL_SECTIONS })
    expect(config.identity).toMatchObject({ provider: { provider: 'sandbox', mode: 'test' }, startLimit: 5 })
    expect(config.identity?.keyring.currentKid).toBe('INSECURE-DEV-ONLY')
  })

  it('follow a blind-index key set locally', () => {
    const config = loadConfig({ LECHAT_MODE: 'local', LECHAT_BLIND_INDEX_KEY: INDEX }, { sections: ALL_SECTIONS })
    expect(blindIndex(config.identity!.blindIndex, ID)).toBe(blindIndex(new BlindIndexKey(INDEX), ID))
  })
})

describe('one blind-index key, separate domains', () => {
  const config = loadConfig(IDENTITY_PRODUCTION, { fn: 'identity', sections: ALL_SECTIONS })

  it('a guardian reference in the ledger never equals the ID index of the same number', () => {
    expect(identityRefOf(config, ID)).toBe(keyedRef(INDEX, 'guardian-id-number', ID))
    expect(identityRefOf(config, ID)).not.toBe(blindIndex(config.identity!.blindIndex, ID))
  })

  it('ledger pseudonyms keep their established form', () => {
    expect(subjectRefOf(config, 'o-1')).toBe(keyedRef(INDEX, 'consent-subject', 'o-1'))
  })
})

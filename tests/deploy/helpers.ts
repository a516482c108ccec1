import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const root = join(__dirname, '..', '..')

/** An ID-token signing key made for the test run, as `npm run oidc:key` makes one. */
const signingJwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'test-2026' }

/** What an operator would fill in: valid values for the required settings and one subscribe template. */
export const FILLED: Readonly<Record<string, string>> = {
  LECHAT_APPID: 'wx0123456789abcdef',
  LECHAT_CLOUD_ENV: 'lechat-prod-1a2b3c',
  LECHAT_BLIND_INDEX_KEY: 'ab'.repeat(32),
  LECHAT_OPERATOR_NAME: '某某网络科技有限公司',
  LECHAT_OPERATOR_CONTACT: '010-00000000',
  LECHAT_OPERATOR_EMAIL: 'privacy@example.cn',
  LECHAT_OPERATOR_ADDRESS: '北京市某区某路 1 号',
  LECHAT_ID_KEYS: `k1:${'cd'.repeat(32)}`,
  LECHAT_ID_KEY_CURRENT: 'k1',
  LECHAT_IDENTITY_PROVIDER: 'tencent-faceid',
  LECHAT_FACEID_SECRET_ID: 'AKID-operator-secret-id',
  LECHAT_FACEID_SECRET_KEY: 'operator-secret-key-value',
  LECHAT_FACEID_RULE_ID: '1',
  LECHAT_FACEID_CLIENT: 'h5',
  LECHAT_FIRST_ADMIN_CODE: 'first-admin-code-0123456789',
  LECHAT_OIDC_ISSUER: 'https://lechat-prod-1a2b3c.service.tcloudbase.com',
  LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [signingJwk] }),
  LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'tmplSystem0001',
  LECHAT_SUBSCRIBE_FIELDS_SYSTEM: 'title=thing1,body=thing2,time=time3',
}

/** The repository's template with `values` filled in (and `extra` lines appended), written outside the repository. */
export function filledTemplate(values: Readonly<Record<string, string>> = FILLED, extra: readonly string[] = []): string {
  const template = readFileSync(join(root, 'deploy', 'operator.env.example'), 'utf8')
  const lines = template.split('\n').map((line) => {
    const name = /^([A-Z0-9_]+)=$/.exec(line)?.[1]
    return name !== undefined && values[name] !== undefined ? `${name}=${values[name]}` : line
  })
  const dir = mkdtempSync(join(tmpdir(), 'lechat-operator-'))
  const file = join(dir, 'operator.env')
  writeFileSync(file, [...lines, ...extra].join('\n'))
  return file
}

/** Deploy credentials as the environment gives them: a key file outside the repository. */
export function credentials(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-keys-'))
  const key = join(dir, 'private.wx0123456789abcdef.key')
  writeFileSync(key, '-----BEGIN RSA PRIVATE KEY-----\nnot a real key\n-----END RSA PRIVATE KEY-----\n')
  return { LECHAT_CI_PRIVATE_KEY_FILE: key, TENCENTCLOUD_SECRETID: 'AKID-deploy', TENCENTCLOUD_SECRETKEY: 'deploy-secret' }
}

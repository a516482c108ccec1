import type { AccountDoc } from '../../cloudfunctions/_core/accounts'
import { acceptCurrentTerms, startTestCloud, type TestCloud, uploadsOf } from '../../local/testing'
import type { ApiResult } from '../../shared/errors'

let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud()
})
afterAll(async () => {
  await cloud.close()
})

interface LoginData {
  account: { id: string; nickname: string; state: string; verified: boolean; roles: string[]; avatarUrl: string | null }
  created: boolean
  pending: string[]
}

function ok<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`)
  return result.data as T
}

function errorOf(result: ApiResult<unknown>): { code: string; message: string; issues?: Array<{ path: string; message: string }> } {
  if (result.ok) throw new Error('expected a refusal')
  return result.error
}

const call = (openid: string, action: string, input?: unknown): Promise<ApiResult<unknown>> =>
  cloud.call('account', { action, input }, openid)

async function storedAccount(openid: string): Promise<AccountDoc | null> {
  return cloud.store.collection<AccountDoc>('accounts').findOne({ openid })
}

describe('account.login', () => {
  it('creates an account on first login, reporting what is still pending', async () => {
    const first = ok<LoginData>(await call('u-login-1', 'login', {}))
    expect(first.created).toBe(true)
    expect(first.account.state).toBe('active')
    expect(first.account.verified).toBe(false)
    expect(first.account.roles).toEqual(['user'])
    expect(first.account.nickname).toMatch(/^乐聊用户[0-9A-F]{4}$/)
    expect(first.pending).toEqual(['agreement', 'realName'])

    const stored = await storedAccount('u-login-1')
    expect(stored?._id).toBe(first.account.id)
    expect(stored?.createdAt).toBeInstanceOf(Date)
  })

  it('returns the same account on the next login and records the activity time', async () => {
    const first = ok<LoginData>(await call('u-login-2', 'login', {}))
    cloud.clock.advance(60_000)
    const second = ok<LoginData>(await call('u-login-2', 'login', {}))
    expect(second.created).toBe(false)
    expect(second.account.id).toBe(first.account.id)
    const stored = await storedAccount('u-login-2')
    expect(stored?.lastActiveAt.getTime()).toBe(cloud.clock.now().getTime())
  })

  it('creates exactly one account when the first logins race', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => call('u-race', 'login', {})))
    const data = results.map((r) => ok<LoginData>(r))
    expect(new Set(data.map((d) => d.account.id)).size).toBe(1)
    expect(data.filter((d) => d.created)).toHaveLength(1)
    expect(await cloud.store.collection('accounts').count({ openid: 'u-race' })).toBe(1)
  })

  it('takes identity only from the WeChat context, never from the request', async () => {
    const refused = errorOf(await call('u-login-3', 'login', { openid: 'someone-else' }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(await storedAccount('someone-else')).toBeNull()
    expect(await storedAccount('u-login-3')).toBeNull()
  })

  it('refuses a call without a WeChat identity', async () => {
    expect(errorOf(await call('', 'login', {})).code).toBe('UNAUTHENTICATED')
  })
})

describe('account.getProfile', () => {
  it('needs an account', async () => {
    const refused = errorOf(await call('u-nobody', 'getProfile', {}))
    expect(refused.code).toBe('ACCOUNT_REQUIRED')
    expect(refused.message).toBe('请先登录')
  })

  it('returns my profile and pending steps', async () => {
    const login = ok<LoginData>(await call('u-profile', 'login', {}))
    await acceptCurrentTerms(cloud, 'u-profile')
    const profile = ok<Omit<LoginData, 'created'>>(await call('u-profile', 'getProfile', {}))
    expect(profile.account).toEqual(login.account)
    expect(profile.pending).toEqual(['realName'])
  })

  it('is refused while the account is not usable', async () => {
    ok(await call('u-suspended', 'login', {}))
    const stored = await storedAccount('u-suspended')
    await cloud.store.collection('accounts').update(stored?._id ?? '', { state: 'suspended' })
    expect(errorOf(await call('u-suspended', 'getProfile', {})).code).toBe('ACCOUNT_UNAVAILABLE')
  })
})

describe('account.updateProfile', () => {
  beforeAll(async () => {
    await acceptCurrentTerms(cloud, 'u-edit')
  })

  it('changes the nickname (trimmed) at once and the avatar once its image check passes', async () => {
    const avatar = (await uploadsOf(cloud, 'u-edit'))('avatars/a.png')
    const updated = ok<{ account: LoginData['account']; pendingAvatar: { avatarUrl: string } | null }>(
      await call('u-edit', 'updateProfile', { nickname: '  张三 🎉 ', avatarUrl: avatar }),
    )
    expect(updated.account.nickname).toBe('张三 🎉')
    // The avatar is a public image: others see none until the check passes, its owner sees it pending.
    expect(updated.account.avatarUrl).toBeNull()
    expect(updated.pendingAvatar?.avatarUrl).toBe(avatar)
    ok(await cloud.gateway.fireTimer('moderation', 'sweep'))
    const profile = ok<{ account: LoginData['account']; pendingAvatar: unknown }>(await call('u-edit', 'getProfile', {}))
    expect(profile.account.nickname).toBe('张三 🎉')
    expect(profile.account.avatarUrl).toBe(avatar)
    expect(profile.pendingAvatar).toBeNull()
  })

  it('clears the avatar with null', async () => {
    const updated = ok<{ account: LoginData['account'] }>(await call('u-edit', 'updateProfile', { avatarUrl: null }))
    expect(updated.account.avatarUrl).toBeNull()
  })

  const invalid: Array<[string, unknown, string]> = [
    ['an empty nickname', { nickname: '' }, 'nickname'],
    ['a nickname of spaces', { nickname: '   ' }, 'nickname'],
    ['a nickname of 21 characters', { nickname: '一'.repeat(21) }, 'nickname'],
    ['a nickname with a control character', { nickname: 'ab\u0007c' }, 'nickname'],
    ['a nickname with a zero-width space', { nickname: 'a\u200bb' }, 'nickname'],
    ['a nickname that is not text', { nickname: 42 }, 'nickname'],
    ['an http avatar', { avatarUrl: 'http://example.com/a.png' }, 'avatarUrl'],
    ['a script avatar', { avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
    ['an overlong avatar', { avatarUrl: `https://a.cn/${'x'.repeat(600)}` }, 'avatarUrl'],
    ['an unknown field', { nickname: 'ok', role: 'admin' }, ''],
    ['nothing to change', {}, ''],
  ]

  it.each(invalid)('refuses %s with INVALID_INPUT naming the field, and writes nothing', async (_name, input, path) => {
    const before = await storedAccount('u-edit')
    const refused = errorOf(await call('u-edit', 'updateProfile', input))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.map((i) => i.path)).toContain(path)
    expect(refused.issues?.every((i) => /[\u4e00-\u9fff]/.test(i.message))).toBe(true)
    expect(await storedAccount('u-edit')).toEqual(before)
  })

  it('keeps 20 characters counted as people count them (emoji are one)', async () => {
    const name = '😀'.repeat(20)
    const updated = ok<{ account: LoginData['account'] }>(await call('u-edit', 'updateProfile', { nickname: name }))
    expect(updated.account.nickname).toBe(name)
  })
})

describe('the dispatcher', () => {
  it('refuses a malformed envelope and an unknown action with stable codes', async () => {
    expect(errorOf(await cloud.call('account', 'login', 'u-x')).code).toBe('INVALID_REQUEST')
    expect(errorOf(await cloud.call('account', { action: 'dropDatabase' }, 'u-x')).code).toBe('UNKNOWN_ACTION')
    expect(errorOf(await cloud.call('account', { action: 'toString' }, 'u-x')).code).toBe('UNKNOWN_ACTION')
    expect(errorOf(await cloud.call('nope', { action: 'login' }, 'u-x')).code).toBe('UNKNOWN_ACTION')
  })

  it('does not let a user forge a timer trigger', async () => {
    const forged = errorOf(await cloud.call('account', { Type: 'Timer', TriggerName: 'anything' }, 'u-x'))
    expect(forged.code).toBe('INVALID_REQUEST')
  })
})

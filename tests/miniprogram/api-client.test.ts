/**
 * The api client over both transports: what goes on the wire, and how replies
 * and failures become values or ApiCallErrors.
 */
// Installs the global `wx` (no-op stubs) the mini-program code runs against.
import 'miniprogram-simulate'
import { ApiCallError, cloudTransport, createClient, localTransport, NETWORK_ERROR_MESSAGE, onBlocked, type BlockedEvent } from '../../miniprogram/api'
import { ERROR_MESSAGES } from '../../shared/errors'

interface RequestOptions {
  url: string
  method?: string
  header?: Record<string, string>
  data?: unknown
  success?: (res: { statusCode: number; data: unknown; header: object; errMsg: string }) => void
  fail?: (error: { errMsg: string; errno?: number }) => void
}

type Responder = (options: RequestOptions) => void

/** wx.request as the base library behaves: answers through success/fail callbacks, later. */
function stubRequest(respond: Responder): jest.Mock<void, [RequestOptions]> {
  const request = jest.fn((options: RequestOptions) => {
    setTimeout(() => respond(options), 0)
  })
  Object.assign(wx, { request })
  return request
}

function reply(statusCode: number, data: unknown): Responder {
  return (options) => options.success?.({ statusCode, data, header: {}, errMsg: 'request:ok' })
}

interface CallFunctionParam {
  name: string
  data?: object
}

function stubCloud(callFunction: (param: CallFunctionParam) => Promise<unknown>): jest.Mock<Promise<unknown>, [CallFunctionParam]> {
  const mock = jest.fn(callFunction)
  Object.assign(wx, { cloud: { init: jest.fn(), callFunction: mock } })
  return mock
}

async function failure(promise: Promise<unknown>): Promise<ApiCallError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiCallError) return error
    throw new Error(`expected an ApiCallError, got ${String(error)}`)
  }
  throw new Error('expected the call to fail')
}

const account = {
  id: 'a1',
  state: 'active',
  roles: ['user'],
  nickname: '小乐',
  avatarUrl: null,
  verified: false,
  createdAt: '2024-01-01T00:00:00.000Z',
}

const refusal = {
  ok: false,
  error: {
    code: 'INVALID_INPUT',
    message: ERROR_MESSAGES.INVALID_INPUT,
    issues: [{ path: 'nickname', message: '昵称不能为空' }],
  },
}

describe('local transport (wx.request to the local cloud)', () => {
  const client = (openid = 'dev-bob') =>
    createClient(() => localTransport({ url: 'http://127.0.0.1:9696/', openid: () => openid }))

  test('POSTs {name, data:{action, input}} to /call as the development identity and returns data', async () => {
    const request = stubRequest(reply(200, { ok: true, data: { account, created: true, pending: ['agreement'] } }))

    const result = await client()('account', 'login', {})

    expect(result.account.nickname).toBe('小乐')
    expect(result.pending).toEqual(['agreement'])
    const sent = request.mock.calls[0]?.[0]
    expect(sent?.url).toBe('http://127.0.0.1:9696/call')
    expect(sent?.method).toBe('POST')
    expect(sent?.header?.['x-lechat-openid']).toBe('dev-bob')
    expect(sent?.data).toEqual({ name: 'account', data: { action: 'login', input: {} } })
  })

  test('without a development identity the header is left out (the local cloud picks)', async () => {
    const request = stubRequest(reply(200, { ok: true, data: { account } }))
    await client('')('account', 'updateProfile', { nickname: '小乐' })
    expect(request.mock.calls[0]?.[0].header).not.toHaveProperty('x-lechat-openid')
  })

  test('{ok:false} becomes an ApiCallError with the code, message and field issues', async () => {
    stubRequest(reply(200, refusal))
    const error = await failure(client()('account', 'updateProfile', { nickname: '' }))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toBe(ERROR_MESSAGES.INVALID_INPUT)
    expect(error.issues).toEqual([{ path: 'nickname', message: '昵称不能为空' }])
  })

  test('a request that never reaches the server is a network error with a Chinese message', async () => {
    stubRequest((options) => options.fail?.({ errMsg: 'request:fail timeout', errno: 5 }))
    const error = await failure(client()('account', 'login', {}))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toBe(NETWORK_ERROR_MESSAGE)
    expect(error.detail).toContain('request:fail timeout')
  })

  test('an HTTP error from the local cloud is a server failure, not a network one', async () => {
    stubRequest(reply(500, { error: 'boom' }))
    const error = await failure(client()('account', 'login', {}))
    expect(error.code).toBe('INTERNAL')
    expect(error.message).toBe(ERROR_MESSAGES.INTERNAL)
    expect(error.detail).toContain('HTTP 500')
  })
})

describe('cloud transport (wx.cloud.callFunction)', () => {
  const client = createClient(() => cloudTransport())

  afterEach(() => {
    Reflect.deleteProperty(wx, 'cloud')
  })

  test('calls the function by name with {action, input} and returns data', async () => {
    const callFunction = stubCloud(async () => ({ errMsg: 'cloud.callFunction:ok', result: { ok: true, data: { account } } }))
    const result = await client('account', 'getProfile', {})
    expect(result.account.id).toBe('a1')
    expect(callFunction).toHaveBeenCalledWith({ name: 'account', data: { action: 'getProfile', input: {} } })
  })

  test('{ok:false} becomes an ApiCallError with the code', async () => {
    stubCloud(async () => ({ errMsg: 'cloud.callFunction:ok', result: refusal }))
    const error = await failure(client('account', 'updateProfile', { nickname: '' }))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.issues[0]?.path).toBe('nickname')
  })

  test('a refusal with a wait keeps its retry time; others have none', async () => {
    const retryAt = '2026-05-04T10:00:00.000Z'
    stubCloud(async () => ({ result: { ok: false, error: { code: 'RATE_LIMITED', message: ERROR_MESSAGES.RATE_LIMITED, retryAt } } }))
    expect((await failure(client('identity', 'status', {}))).retryAt).toBe(retryAt)
    stubCloud(async () => ({ errMsg: 'cloud.callFunction:ok', result: refusal }))
    expect((await failure(client('account', 'updateProfile', { nickname: '' }))).retryAt).toBeNull()
  })

  test('a code this build does not know becomes INTERNAL but keeps the server message', async () => {
    stubCloud(async () => ({ result: { ok: false, error: { code: 'SOMETHING_NEW', message: '新的限制' } } }))
    const error = await failure(client('account', 'login', {}))
    expect(error.code).toBe('INTERNAL')
    expect(error.message).toBe('新的限制')
  })

  test('a rejected callFunction is a network error', async () => {
    stubCloud(async () => {
      throw { errCode: -1, errMsg: 'cloud.callFunction:fail Error: network timeout' }
    })
    const error = await failure(client('account', 'login', {}))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toBe(NETWORK_ERROR_MESSAGE)
    expect(error.detail).toContain('network timeout')
  })

  test('a function that returns something other than an ApiResult is a server failure', async () => {
    stubCloud(async () => ({ errMsg: 'cloud.callFunction:ok', result: undefined }))
    const error = await failure(client('account', 'login', {}))
    expect(error.code).toBe('INTERNAL')
  })

  test('without wx.cloud (old base library) calls fail as network errors instead of crashing', async () => {
    const error = await failure(client('account', 'login', {}))
    expect(error.code).toBe('NETWORK_ERROR')
  })
})

describe('the blocked-call hook (onBlocked)', () => {
  const client = createClient(() => cloudTransport())
  const refusal = (code: string) => async () => ({ result: { ok: false, error: { code, message: ERROR_MESSAGES.TERMS_UPDATED } } })

  afterEach(() => {
    Reflect.deleteProperty(wx, 'cloud')
  })

  test('a refusal for the consent state reaches the listener with the call, and the call still rejects with it', async () => {
    const heard: BlockedEvent[] = []
    const off = onBlocked((event) => heard.push(event))
    try {
      stubCloud(refusal('TERMS_UPDATED'))
      const error = await failure(client('account', 'updateProfile', { nickname: '小乐' }))
      expect(error.code).toBe('TERMS_UPDATED')
      expect(heard).toHaveLength(1)
      expect(heard[0]).toMatchObject({ fn: 'account', action: 'updateProfile' })
      expect(heard[0]?.error).toBe(error)

      for (const code of ['TERMS_NOT_ACCEPTED', 'GUARDIAN_CONSENT_REQUIRED']) {
        stubCloud(refusal(code))
        await failure(client('account', 'getProfile', {}))
      }
      expect(heard.map((e) => e.error.code)).toEqual(['TERMS_UPDATED', 'TERMS_NOT_ACCEPTED', 'GUARDIAN_CONSENT_REQUIRED'])
    } finally {
      off()
    }
  })

  test('other refusals and successes are not reported; a removed listener hears nothing', async () => {
    const listener = jest.fn()
    const off = onBlocked(listener)
    stubCloud(refusal('INVALID_INPUT'))
    await failure(client('account', 'updateProfile', { nickname: '' }))
    stubCloud(async () => ({ result: { ok: true, data: { account } } }))
    await client('account', 'getProfile', {})
    expect(listener).not.toHaveBeenCalled()

    off()
    stubCloud(refusal('TERMS_UPDATED'))
    await failure(client('account', 'getProfile', {}))
    expect(listener).not.toHaveBeenCalled()
  })

  test('a listener that throws does not change what the page gets', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    const off = onBlocked(() => {
      throw new Error('broken listener')
    })
    try {
      stubCloud(refusal('TERMS_NOT_ACCEPTED'))
      const refused = await failure(client('account', 'getProfile', {}))
      expect(refused.code).toBe('TERMS_NOT_ACCEPTED')
      expect(error).toHaveBeenCalled()
    } finally {
      off()
      error.mockRestore()
    }
  })
})

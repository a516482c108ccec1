import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { IdentityConfigError } from '../../cloudfunctions/_core/identity/crypto'
import {
  IdentityProviderError,
  SANDBOX_IDENTITIES,
  SANDBOX_PENDING_MS,
  createIdentityProvider,
  loadIdentityProviderConfig,
  type FetchLike,
  type HttpRequestInit,
  type HttpResponseLike,
  type IdentityProvider,
  type VerificationSubject,
} from '../../cloudfunctions/_core/identity/providers'
import { createSandboxIdentityProvider } from '../../cloudfunctions/_core/identity/providers/sandbox'
import { createTencentFaceIdProvider, type TencentFaceIdConfig } from '../../cloudfunctions/_core/identity/providers/tencent-faceid'
import { tc3Sign, utcDate } from '../../cloudfunctions/_core/identity/providers/tc3'
import { certHash, createWechatFaceProvider } from '../../cloudfunctions/_core/identity/providers/wechat-face'

const SUBJECT: VerificationSubject = { openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M', name: '张三', idNumber: '11010519491231002X' }

// ---------------------------------------------------------------- helpers

interface Fixture {
  _source: string
  status: number
  body?: unknown
  bodyText?: string
}

function fixture(path: string): HttpResponseLike {
  const data = JSON.parse(readFileSync(join(__dirname, 'fixtures', `${path}.json`), 'utf8')) as Fixture
  const text = data.bodyText ?? JSON.stringify(data.body)
  return { status: data.status, text: async () => text }
}

interface Call {
  url: string
  init: HttpRequestInit
  body: Record<string, unknown>
}

/** A fetch that answers from a queue of recorded responses and remembers every request. */
function fakeHttp(...answers: Array<HttpResponseLike | Error>) {
  const calls: Call[] = []
  const fetch: FetchLike = async (url, init) => {
    let body: Record<string, unknown> = {}
    try {
      body = JSON.parse(init.body) as Record<string, unknown>
    } catch {
      // Left empty: the assertions will say so.
    }
    calls.push({ url, init, body })
    const next = answers.shift()
    if (!next) throw new Error(`unexpected request to ${url}`)
    if (next instanceof Error) throw next
    return next
  }
  return { fetch, calls }
}

async function providerError(promise: Promise<unknown>): Promise<IdentityProviderError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof IdentityProviderError) return error
    throw error
  }
  throw new Error('expected an IdentityProviderError')
}

function tokens(...values: string[]) {
  const requests: Array<{ forceRefresh?: boolean } | undefined> = []
  const getAccessToken = async (options?: { forceRefresh?: boolean }) => {
    requests.push(options)
    return values[Math.min(requests.length - 1, values.length - 1)] ?? 'none'
  }
  return { getAccessToken, requests }
}

/** Outcome of a result() call, or "error" when it throws: never a pass by accident. */
async function outcomeOf(provider: IdentityProvider, verificationId: string): Promise<string> {
  try {
    return (await provider.result(verificationId, SUBJECT)).outcome
  } catch (error) {
    if (error instanceof IdentityProviderError) return 'error'
    throw error
  }
}

// ---------------------------------------------------------------- sandbox

describe('sandbox provider', () => {
  let clock = new Date('2026-11-23T02:00:00Z')
  const now = () => clock
  const sandbox = () => createSandboxIdentityProvider({ mode: 'test', now })

  it('refuses to be built in production', () => {
    expect(() => createSandboxIdentityProvider({ mode: 'production' })).toThrow(IdentityConfigError)
    expect(() => createSandboxIdentityProvider({ mode: 'production' })).toThrow(/refuses to run in production/)
  })

  it('passes an ordinary test identity and tells the client there is nothing to capture', async () => {
    const provider = sandbox()
    const started = await provider.start(SUBJECT)
    expect(started.clientAction).toEqual({ kind: 'sandbox', notice: expect.stringContaining('沙箱') })
    expect(await provider.result(started.verificationId, SUBJECT)).toEqual({
      outcome: 'passed',
      reason: expect.stringContaining('通过'),
      providerCode: 'sandbox:pass',
    })
  })

  it.each([
    ['王沙箱不符', 'failed', '姓名与身份证号不一致'],
    ['李沙箱非本人', 'failed', '人脸与身份证照片比对未通过'],
    ['赵沙箱取消', 'failed', '取消'],
  ])('%s → %s with a reason', async (name, outcome, reason) => {
    const provider = sandbox()
    const { verificationId } = await provider.start({ ...SUBJECT, name })
    const result = await provider.result(verificationId, { ...SUBJECT, name })
    expect(result.outcome).toBe(outcome)
    expect(result.reason).toContain(reason)
  })

  it('documents a trigger for every scripted outcome', () => {
    expect(SANDBOX_IDENTITIES.map((identity) => identity.plan).sort()).toEqual(['cancel', 'face', 'mismatch', 'outage', 'pending'])
  })

  it('"沙箱等待" stays pending, then passes once the pending time is over — even in a fresh provider', async () => {
    clock = new Date('2026-11-23T02:00:00Z')
    const { verificationId } = await sandbox().start({ ...SUBJECT, name: '沙箱等待' })
    expect((await sandbox().result(verificationId, SUBJECT)).outcome).toBe('pending')
    clock = new Date(clock.getTime() + SANDBOX_PENDING_MS - 1)
    expect((await sandbox().result(verificationId, SUBJECT)).outcome).toBe('pending')
    clock = new Date(clock.getTime() + 1)
    expect((await sandbox().result(verificationId, SUBJECT)).outcome).toBe('passed')
  })

  it('"沙箱故障" makes result() fail as a retryable outage', async () => {
    const provider = sandbox()
    const { verificationId } = await provider.start({ ...SUBJECT, name: '沙箱故障' })
    const error = await providerError(provider.result(verificationId, SUBJECT))
    expect(error.retryable).toBe(true)
    expect(error.problem).toBe('unavailable')
  })

  it('gives a random, unique verification id to every attempt', async () => {
    const provider = sandbox()
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await provider.start(SUBJECT)).verificationId))
    expect(new Set(ids).size).toBe(20)
  })

  it('keeps neither the name, the ID number nor anything else about the person', async () => {
    const provider = sandbox()
    const { verificationId } = await provider.start(SUBJECT)
    const everything = `${inspect(provider, { depth: null, showHidden: true })} ${verificationId}`
    expect(everything).not.toContain(SUBJECT.name)
    expect(everything).not.toContain(SUBJECT.idNumber)
    expect(everything).not.toContain(SUBJECT.openid)
  })

  it('refuses a verification id it did not issue', async () => {
    const error = await providerError(sandbox().result('sbx.bogus.1.000000000000000000000000', SUBJECT))
    expect(error.problem).toBe('badVerificationId')
    expect(await outcomeOf(sandbox(), 'CE661F1A-0F1E-45BD-BE13-34C05CEA7681')).toBe('error')
  })
})

// ---------------------------------------------------------------- WeChat face verification 2.0

describe('WeChat face verification 2.0', () => {
  const API = 'https://api.weixin.qq.com/cityservice/face/identify'

  function wechat(http: ReturnType<typeof fakeHttp>, token = tokens('ACCESS+TOKEN/1')) {
    return createWechatFaceProvider({ fetch: http.fetch, getAccessToken: token.getAccessToken, randomSeq: () => 'lcSeq_0001' })
  }

  async function started(resultAnswer: HttpResponseLike) {
    const http = fakeHttp(fixture('wechat/getverifyid.ok'), resultAnswer)
    const provider = wechat(http)
    const { verificationId } = await provider.start(SUBJECT)
    return { http, provider, verificationId }
  }

  it('computes cert_hash exactly as the documentation’s worked example', () => {
    expect(certHash({ certName: '张三', certNo: '310101199801011234' })).toBe(
      '3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b',
    )
  })

  it('asks getVerifyId with the access token, name, ID number and openid, and hands verifyId to the client', async () => {
    const http = fakeHttp(fixture('wechat/getverifyid.ok'))
    const result = await wechat(http).start(SUBJECT)

    expect(http.calls).toHaveLength(1)
    const [call] = http.calls
    expect(call?.url).toBe(`${API}/getverifyid?access_token=ACCESS%2BTOKEN%2F1`)
    expect(call?.init.method).toBe('POST')
    expect(call?.init.headers['Content-Type']).toBe('application/json')
    expect(call?.body).toEqual({
      out_seq_no: 'lcSeq_0001',
      cert_info: { cert_type: 'IDENTITY_CARD', cert_name: '张三', cert_no: '11010519491231002X' },
      openid: SUBJECT.openid,
    })
    expect(result.clientAction).toEqual({ kind: 'wx.requestFacialVerify', verifyId: 'VfY+/abc=.demo_verify_id' })
    expect(result.expiresInSeconds).toBe(3600)
  })

  it('uses a fresh out_seq_no of the documented shape by default', async () => {
    const http = fakeHttp(fixture('wechat/getverifyid.ok'), fixture('wechat/getverifyid.ok'))
    const provider = createWechatFaceProvider({ fetch: http.fetch, getAccessToken: tokens('T').getAccessToken })
    await provider.start(SUBJECT)
    await provider.start(SUBJECT)
    const seqs = http.calls.map((call) => call.body['out_seq_no'])
    for (const seq of seqs) expect(seq).toMatch(/^[0-9A-Za-z_-]{5,32}$/)
    expect(seqs[0]).not.toBe(seqs[1])
  })

  it('queries queryVerifyInfo with the same verify_id, out_seq_no, openid and the cert_hash of the subject', async () => {
    const { http, provider, verificationId } = await started(fixture('wechat/queryverifyinfo.passed'))
    expect(verificationId).not.toContain(SUBJECT.idNumber)
    await provider.result(verificationId, SUBJECT)

    const query = http.calls[1]
    expect(query?.url).toBe(`${API}/queryverifyinfo?access_token=ACCESS%2BTOKEN%2F1`)
    const b64 = (text: string) => Buffer.from(text).toString('base64')
    const expectedHash = createHash('sha256')
      .update(`cert_type=${b64('IDENTITY_CARD')}&cert_name=${b64('张三')}&cert_no=${b64('11010519491231002X')}`)
      .digest('hex')
    expect(query?.body).toEqual({
      verify_id: 'VfY+/abc=.demo_verify_id',
      out_seq_no: 'lcSeq_0001',
      cert_hash: expectedHash,
      openid: SUBJECT.openid,
    })
  })

  it.each([
    ['queryverifyinfo.passed', 'passed', 'verify_ret:10000', '通过'],
    ['queryverifyinfo.id-mismatch', 'failed', 'verify_ret:10003', '姓名与身份证号不一致'],
    ['queryverifyinfo.face-mismatch', 'failed', 'verify_ret:10004', '人脸与身份证照片比对未通过'],
    ['queryverifyinfo.cancelled', 'failed', 'verify_ret:90003', '取消'],
    ['queryverifyinfo.camera-denied', 'failed', 'verify_ret:90008', '相机'],
    ['queryverifyinfo.not-done', 'pending', 'verify_ret:10300', '尚未完成'],
    ['queryverifyinfo.in-progress', 'pending', 'verify_ret:10005', '尚未完成'],
    ['queryverifyinfo.cert-mismatch', 'failed', 'errcode:40097', '不一致'],
    ['queryverifyinfo.unknown-ret', 'failed', 'verify_ret:10999', '未通过'],
  ])('maps %s to %s', async (name, outcome, providerCode, reason) => {
    const { provider, verificationId } = await started(fixture(`wechat/${name}`))
    const result = await provider.result(verificationId, SUBJECT)
    expect(result).toEqual({ outcome, providerCode, reason: expect.stringContaining(reason) })
  })

  it.each([
    ['queryverifyinfo.ret-as-string', 'badResponse'],
    ['queryverifyinfo.no-errcode', 'badResponse'],
    ['queryverifyinfo.no-ret', 'badResponse'],
    ['html-200', 'badResponse'],
    ['gateway-502', 'unavailable'],
  ])('never passes a garbled answer (%s → %s)', async (name, problem) => {
    const { provider, verificationId } = await started(fixture(`wechat/${name}`))
    const error = await providerError(provider.result(verificationId, SUBJECT))
    expect(error.problem).toBe(problem)
    expect(error.retryable).toBe(true)
  })

  it('passes only on errcode 0 with the number 10000, across every recorded answer', async () => {
    const names = [
      'queryverifyinfo.passed', 'queryverifyinfo.id-mismatch', 'queryverifyinfo.face-mismatch', 'queryverifyinfo.cancelled',
      'queryverifyinfo.camera-denied', 'queryverifyinfo.not-done', 'queryverifyinfo.in-progress', 'queryverifyinfo.cert-mismatch',
      'queryverifyinfo.unknown-ret', 'queryverifyinfo.ret-as-string', 'queryverifyinfo.no-errcode', 'queryverifyinfo.no-ret',
      'html-200', 'gateway-502', 'getverifyid.busy', 'getverifyid.unauthorized', 'getverifyid.invalid-openid', 'getverifyid.ok',
    ]
    const passed: string[] = []
    for (const name of names) {
      const { provider, verificationId } = await started(fixture(`wechat/${name}`))
      if ((await outcomeOf(provider, verificationId)) === 'passed') passed.push(name)
    }
    expect(passed).toEqual(['queryverifyinfo.passed'])
  })

  it('refreshes the access token once when WeChat says it expired', async () => {
    const http = fakeHttp(fixture('wechat/getverifyid.token-expired'), fixture('wechat/getverifyid.ok'))
    const token = tokens('OLD', 'NEW')
    const result = await wechat(http, token).start(SUBJECT)
    expect(result.clientAction.kind).toBe('wx.requestFacialVerify')
    expect(token.requests).toEqual([undefined, { forceRefresh: true }])
    expect(http.calls.map((call) => call.url.split('access_token=')[1])).toEqual(['OLD', 'NEW'])
  })

  it('gives up with a retryable error when the refreshed token is refused too', async () => {
    const http = fakeHttp(fixture('wechat/getverifyid.token-expired'), fixture('wechat/getverifyid.token-expired'))
    const error = await providerError(wechat(http).start(SUBJECT))
    expect(error.problem).toBe('unavailable')
    expect(http.calls).toHaveLength(2)
  })

  it.each([
    ['getverifyid.unauthorized', 'misconfigured', false, 'errcode:48001'],
    ['getverifyid.busy', 'unavailable', true, 'errcode:-1'],
    ['getverifyid.invalid-openid', 'rejected', false, 'errcode:40003'],
    ['gateway-502', 'unavailable', true, 'http:502'],
  ])('start turns %s into a %s error', async (name, problem, retryable, providerCode) => {
    const error = await providerError(wechat(fakeHttp(fixture(`wechat/${name}`))).start(SUBJECT))
    expect({ problem: error.problem, retryable: error.retryable, providerCode: error.providerCode }).toEqual({
      problem,
      retryable,
      providerCode,
    })
    expect(error.userMessage).toMatch(/[\u4e00-\u9fff]/)
  })

  it('explains a missing face-verification permission to the operator', async () => {
    const error = await providerError(wechat(fakeHttp(fixture('wechat/getverifyid.unauthorized'))).start(SUBJECT))
    expect(error.message).toContain('人脸核身')
  })

  it('keeps the name, ID number and access token out of its errors', async () => {
    const http = fakeHttp(new TypeError('fetch failed'))
    const error = await providerError(wechat(http).start(SUBJECT))
    expect(error.problem).toBe('unavailable')
    const text = `${error.message} ${error.userMessage} ${error.providerCode} ${inspect(error)}`
    for (const secret of [SUBJECT.name, SUBJECT.idNumber, 'ACCESS', 'TOKEN']) expect(text).not.toContain(secret)
  })

  it('refuses a verification id it did not issue, without calling WeChat', async () => {
    const http = fakeHttp()
    const provider = wechat(http)
    for (const id of ['wx1.lcSeq_0001', 'sbx.pass.1.abc', 'wx1.x.abc', 'wx1.lcSeq_0001.a+b']) {
      expect((await providerError(provider.result(id, SUBJECT))).problem).toBe('badVerificationId')
    }
    expect(http.calls).toHaveLength(0)
  })
})

// ---------------------------------------------------------------- Tencent Cloud FaceID

/** An implementation of TC3-HMAC-SHA256 written from the documentation, independent of tc3.ts. */
function referenceAuthorization(secretId: string, secretKey: string, timestamp: number, payload: string): string {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex')
  const mac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest()
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10)
  const canonical = `POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:faceid.tencentcloudapi.com\n\ncontent-type;host\n${sha(payload)}`
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/faceid/tc3_request\n${sha(canonical)}`
  const key = mac(mac(mac(`TC3${secretKey}`, date), 'faceid'), 'tc3_request')
  const signature = createHmac('sha256', key).update(toSign).digest('hex')
  return `TC3-HMAC-SHA256 Credential=${secretId}/${date}/faceid/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`
}

describe('TC3-HMAC-SHA256 signer', () => {
  it('reproduces the worked example of Tencent Cloud’s signature v3 documentation', () => {
    const signed = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      timestamp: 1551113065,
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' },
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    })
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    )
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    )
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168')
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    )
  })

  it('canonicalizes headers whatever their order and case', () => {
    const base = { secretId: 'AKID', secretKey: 'k', service: 'faceid', timestamp: 1700000000, method: 'POST' as const, payload: '{}' }
    const a = tc3Sign({ ...base, headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'faceid.tencentcloudapi.com' } })
    const b = tc3Sign({ ...base, headers: { HOST: 'faceid.tencentcloudapi.com', 'content-type': 'application/json; charset=utf-8' } })
    expect(b.authorization).toBe(a.authorization)
    expect(b.canonicalRequest).toContain('content-type:application/json; charset=utf-8\nhost:faceid.tencentcloudapi.com\n')
  })

  it('dates the credential in UTC, not Beijing time', () => {
    // 2019-02-26 00:44:25 in Beijing is still 2019-02-25 in UTC.
    expect(utcDate(1551113065)).toBe('2019-02-25')
  })
})

describe('Tencent Cloud FaceID', () => {
  const NOW = new Date('2026-11-23T01:02:03Z')
  const TIMESTAMP = Math.floor(NOW.getTime() / 1000)
  const CONFIG: TencentFaceIdConfig = { secretId: 'AKIDtest', secretKey: 'secret-key-for-tests', ruleId: '1', clientAction: 'faceidSdk' }
  const BIZ_TOKEN = 'CE661F1A-0F1E-45BD-BE13-34C05CEA7681'

  function faceid(http: ReturnType<typeof fakeHttp>, config: Partial<TencentFaceIdConfig> = {}) {
    return createTencentFaceIdProvider({ ...CONFIG, ...config }, { fetch: http.fetch, now: () => NOW })
  }

  it('signs DetectAuth as API 3.0 expects and sends RuleId, IdCard, Name and RedirectUrl', async () => {
    const http = fakeHttp(fixture('tencent/detectauth.ok'))
    await faceid(http).start({ ...SUBJECT, redirectUrl: 'https://lechat.example.com/verified' })

    const [call] = http.calls
    expect(call?.url).toBe('https://faceid.tencentcloudapi.com/')
    expect(call?.init.method).toBe('POST')
    expect(call?.body).toEqual({ RuleId: '1', IdCard: SUBJECT.idNumber, Name: SUBJECT.name, RedirectUrl: 'https://lechat.example.com/verified' })
    const headers = call?.init.headers ?? {}
    expect(headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      Host: 'faceid.tencentcloudapi.com',
      'X-TC-Action': 'DetectAuth',
      'X-TC-Version': '2018-03-01',
      'X-TC-Timestamp': String(TIMESTAMP),
    })
    expect(headers).not.toHaveProperty('X-TC-Region')
    expect(headers['Authorization']).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtest\/2026-11-23\/faceid\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    )
    expect(headers['Authorization']).toBe(referenceAuthorization('AKIDtest', CONFIG.secretKey, TIMESTAMP, call?.init.body ?? ''))
  })

  it('leaves RedirectUrl out when there is none and sends the session token of temporary credentials', async () => {
    const http = fakeHttp(fixture('tencent/detectauth.ok'))
    await faceid(http, { sessionToken: 'sts-token' }).start(SUBJECT)
    expect(http.calls[0]?.body).not.toHaveProperty('RedirectUrl')
    expect(http.calls[0]?.init.headers['X-TC-Token']).toBe('sts-token')
  })

  it('hands the BizToken to the mini-program SDK, or the Url to an H5 flow', async () => {
    const sdk = await faceid(fakeHttp(fixture('tencent/detectauth.ok'))).start(SUBJECT)
    expect(sdk).toEqual({ verificationId: BIZ_TOKEN, clientAction: { kind: 'faceidSdk', bizToken: BIZ_TOKEN }, expiresInSeconds: 7200 })
    const h5 = await faceid(fakeHttp(fixture('tencent/detectauth.ok')), { clientAction: 'openUrl' }).start(SUBJECT)
    expect(h5.clientAction).toEqual({ kind: 'openUrl', url: expect.stringMatching(/^https:\/\/faceid\.qq\.com\//) })
    const noUrl = await providerError(faceid(fakeHttp(fixture('tencent/detectauth.no-url')), { clientAction: 'openUrl' }).start(SUBJECT))
    expect(noUrl.problem).toBe('badResponse')
  })

  it.each([
    ['detectauth.signature-failure', 'misconfigured', false, 'AuthFailure.SignatureFailure'],
    ['detectauth.invalid-parameter', 'rejected', false, 'InvalidParameterValue'],
    ['detectauth.internal-error', 'unavailable', true, 'InternalError'],
  ])('start turns %s into a %s error', async (name, problem, retryable, providerCode) => {
    const error = await providerError(faceid(fakeHttp(fixture(`tencent/${name}`))).start(SUBJECT))
    expect({ problem: error.problem, retryable: error.retryable, providerCode: error.providerCode }).toEqual({
      problem,
      retryable,
      providerCode,
    })
  })

  it('asks GetDetectInfoEnhanced for the text only (InfoType 1: no photos, no video)', async () => {
    const http = fakeHttp(fixture('tencent/getdetectinfo.passed'))
    await faceid(http).result(BIZ_TOKEN, SUBJECT)
    const [call] = http.calls
    expect(call?.init.headers['X-TC-Action']).toBe('GetDetectInfoEnhanced')
    expect(call?.body).toEqual({ BizToken: BIZ_TOKEN, RuleId: '1', InfoType: '1' })
    expect(call?.init.headers['Authorization']).toBe(referenceAuthorization('AKIDtest', CONFIG.secretKey, TIMESTAMP, call?.init.body ?? ''))
  })

  it.each([
    ['getdetectinfo.passed', 'passed', 'ErrCode:0', '通过'],
    ['getdetectinfo.not-finished', 'pending', 'ErrCode:null', '尚未完成'],
    ['getdetectinfo.text-null', 'pending', 'Text:null', '尚未完成'],
    ['getdetectinfo.unfinished-17', 'pending', 'ErrCode:17', '尚未完成'],
    ['getdetectinfo.name-id-mismatch', 'failed', 'ErrCode:2006', '姓名与身份证号不一致'],
    ['getdetectinfo.face-mismatch', 'failed', 'ErrCode:2016', '人脸与身份证照片比对未通过'],
    ['getdetectinfo.spoof', 'failed', 'ErrCode:1002', '真人'],
    ['getdetectinfo.unknown-code', 'failed', 'ErrCode:4242', '未通过'],
    ['getdetectinfo.passed-other-person', 'failed', 'ErrCode:0/subjectMismatch', '不一致'],
    ['getdetectinfo.biztoken-expired', 'failed', 'InvalidParameterValue.BizTokenExpired', '3天'],
  ])('maps %s to %s', async (name, outcome, providerCode, reason) => {
    const result = await faceid(fakeHttp(fixture(`tencent/${name}`))).result(BIZ_TOKEN, SUBJECT)
    expect(result).toEqual({ outcome, providerCode, reason: expect.stringContaining(reason) })
  })

  it('passes only for the subject that was submitted', async () => {
    const other = { ...SUBJECT, idNumber: '110101199003077777' }
    expect((await faceid(fakeHttp(fixture('tencent/getdetectinfo.passed'))).result(BIZ_TOKEN, other)).outcome).toBe('failed')
    const renamed = { ...SUBJECT, name: '张三丰' }
    expect((await faceid(fakeHttp(fixture('tencent/getdetectinfo.passed'))).result(BIZ_TOKEN, renamed)).outcome).toBe('failed')
  })

  it.each([
    ['tencent/getdetectinfo.errcode-as-string', 'badResponse'],
    ['tencent/getdetectinfo.no-response', 'badResponse'],
    ['tencent/getdetectinfo.request-limit', 'unavailable'],
    ['wechat/html-200', 'badResponse'],
    ['wechat/gateway-502', 'unavailable'],
  ])('never passes a garbled or failed answer (%s → %s)', async (name, problem) => {
    const error = await providerError(faceid(fakeHttp(fixture(name))).result(BIZ_TOKEN, SUBJECT))
    expect(error.problem).toBe(problem)
  })

  it('passes only on Text.ErrCode 0 for the right person, across every recorded answer', async () => {
    const names = [
      'getdetectinfo.passed', 'getdetectinfo.not-finished', 'getdetectinfo.text-null', 'getdetectinfo.unfinished-17',
      'getdetectinfo.name-id-mismatch', 'getdetectinfo.face-mismatch', 'getdetectinfo.spoof', 'getdetectinfo.unknown-code',
      'getdetectinfo.passed-other-person', 'getdetectinfo.errcode-as-string', 'getdetectinfo.no-response',
      'getdetectinfo.biztoken-expired', 'getdetectinfo.request-limit', 'detectauth.ok', 'detectauth.signature-failure',
    ]
    const passed: string[] = []
    for (const name of names) {
      if ((await outcomeOf(faceid(fakeHttp(fixture(`tencent/${name}`))), BIZ_TOKEN)) === 'passed') passed.push(name)
    }
    expect(passed).toEqual(['getdetectinfo.passed'])
  })

  it('keeps the secret key, name and ID number out of its errors', async () => {
    const error = await providerError(faceid(fakeHttp(new TypeError('fetch failed'))).start(SUBJECT))
    const text = `${error.message} ${error.userMessage} ${inspect(error)}`
    for (const secret of [CONFIG.secretKey, SUBJECT.name, SUBJECT.idNumber]) expect(text).not.toContain(secret)
  })
})

// ---------------------------------------------------------------- choosing a provider

describe('createIdentityProvider', () => {
  const http = fakeHttp()
  const deps = { fetch: http.fetch, getAccessToken: async () => 'T' }

  it('refuses the sandbox in production, loudly', () => {
    expect(() => createIdentityProvider({ provider: 'sandbox', mode: 'production' }, deps)).toThrow(IdentityConfigError)
    expect(() => createIdentityProvider({ provider: 'sandbox', mode: 'production' }, deps)).toThrow(/production refuses the sandbox/)
  })

  it('builds the sandbox for local and test', () => {
    expect(createIdentityProvider({ provider: 'sandbox', mode: 'local' }, {}).name).toBe('sandbox')
    expect(createIdentityProvider({ provider: 'sandbox', mode: 'test' }, {}).name).toBe('sandbox')
  })

  it('refuses tencent-faceid without its secrets and names the missing settings', () => {
    const build = (tencent: NonNullable<Parameters<typeof createIdentityProvider>[0]['tencent']>) => () =>
      createIdentityProvider({ provider: 'tencent-faceid', mode: 'production', tencent }, deps)
    expect(build({})).toThrow(/LECHAT_FACEID_SECRET_ID, LECHAT_FACEID_SECRET_KEY, LECHAT_FACEID_RULE_ID/)
    expect(build({ secretId: 'AKID', secretKey: '  ', ruleId: '1' })).toThrow(/LECHAT_FACEID_SECRET_KEY/)
    expect(build({ secretId: 'AKID', secretKey: 'k', ruleId: '1' })()).toHaveProperty('name', 'tencent-faceid')
  })

  it('refuses wechat-face without an access-token getter or an HTTP fetch', () => {
    expect(() => createIdentityProvider({ provider: 'wechat-face', mode: 'production' }, { fetch: http.fetch })).toThrow(/access_token/)
    expect(() => createIdentityProvider({ provider: 'wechat-face', mode: 'production' }, { getAccessToken: deps.getAccessToken })).toThrow(
      /fetch/,
    )
    expect(createIdentityProvider({ provider: 'wechat-face', mode: 'production' }, deps).name).toBe('wechat-face')
  })
})

describe('loadIdentityProviderConfig', () => {
  it('has no default in production', () => {
    expect(() => loadIdentityProviderConfig({}, 'production')).toThrow(/LECHAT_IDENTITY_PROVIDER must be set in production/)
  })

  it('defaults to the sandbox in local and test', () => {
    expect(loadIdentityProviderConfig({}, 'local')).toEqual({ provider: 'sandbox', mode: 'local' })
    expect(loadIdentityProviderConfig({}, 'test').provider).toBe('sandbox')
  })

  it('reads the FaceID settings and the client kind', () => {
    const config = loadIdentityProviderConfig(
      {
        LECHAT_IDENTITY_PROVIDER: 'tencent-faceid',
        LECHAT_FACEID_SECRET_ID: 'AKID',
        LECHAT_FACEID_SECRET_KEY: 'key',
        LECHAT_FACEID_RULE_ID: '7',
        LECHAT_FACEID_CLIENT: 'h5',
      },
      'production',
    )
    expect(config).toEqual({
      provider: 'tencent-faceid',
      mode: 'production',
      tencent: { secretId: 'AKID', secretKey: 'key', ruleId: '7', clientAction: 'openUrl' },
    })
    expect(createIdentityProvider(config, { fetch: fakeHttp().fetch }).name).toBe('tencent-faceid')
  })

  it('refuses unknown provider names and client kinds', () => {
    expect(() => loadIdentityProviderConfig({ LECHAT_IDENTITY_PROVIDER: 'alipay' }, 'local')).toThrow(/must be one of/)
    expect(() =>
      loadIdentityProviderConfig({ LECHAT_IDENTITY_PROVIDER: 'tencent-faceid', LECHAT_FACEID_CLIENT: 'app' }, 'local'),
    ).toThrow(/sdk or h5/)
  })

  it('refuses the sandbox in production already when reading the settings', () => {
    expect(() => loadIdentityProviderConfig({ LECHAT_IDENTITY_PROVIDER: 'sandbox' }, 'production')).toThrow(IdentityConfigError)
    expect(() => loadIdentityProviderConfig({ LECHAT_IDENTITY_PROVIDER: 'sandbox' }, 'production')).toThrow(/refuses the sandbox/)
  })
})

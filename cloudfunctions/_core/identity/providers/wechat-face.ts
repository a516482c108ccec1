/**
 * WeChat face verification 2.0 (微信人脸核身) behind the identity port.
 *
 * Facts relied on (developers.weixin.qq.com, server API "face" pages and
 * wx.requestFacialVerify, read in 2026):
 * - getVerifyId: POST https://api.weixin.qq.com/cityservice/face/identify/getverifyid?access_token=…
 *   body {out_seq_no, cert_info: {cert_type: "IDENTITY_CARD", cert_name, cert_no}, openid};
 *   out_seq_no is 5–32 characters of [0-9A-Za-z_-], unique per appid. Reply
 *   {errcode, errmsg, verify_id (≤ 256 chars), expires_in (seconds, default 3600)}.
 *   Not a cloud call (云调用不支持): it needs the operator's access_token. The openid
 *   and appid must be those of the user who then runs the capture.
 * - The mini-program calls wx.requestFacialVerify({ verifyId }) (base library ≥ 3.8.12).
 *   Its success only means the capture finished; the result must be queried here.
 * - queryVerifyInfo: POST …/cityservice/face/identify/queryverifyinfo?access_token=…
 *   body {verify_id, out_seq_no, cert_hash, openid}, the last three identical to
 *   getVerifyId's. Reply {errcode, errmsg, verify_ret}. Passed only when
 *   errcode = 0 and verify_ret = 10000. A cert_info/openid mismatch is answered
 *   with an errcode instead of a verify_ret.
 * - cert_hash: standard base64 of each of cert_type, cert_name, cert_no (UTF-8),
 *   joined as "cert_type=…&cert_name=…&cert_no=…", SHA-256, lowercase hex.
 *   Documented example: 张三 / 310101199801011234 → 3c241f7f…6d8671108b.
 * - verify_ret: 10000 success; 10001 parameter error; 10002 face features not
 *   detected; 10003 ID number mismatch; 10004 face does not match; 9000x user
 *   cancelled / device / permission / network codes (official list). 10005
 *   "正在检测中" and 10300 "未完成核身" come from SDK enums (WxJava), not from the
 *   official page excerpt we could read: treated as pending.
 * We never store cert_hash (a plain hash of name + ID number): it is recomputed
 * from the subject passed to result().
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  DEFAULT_TIMEOUT_MS,
  IdentityProviderError,
  SERVICE_BUSY_MESSAGE,
  badResponse,
  integerField,
  isRecord,
  postJson,
  stringField,
  type FetchLike,
  type IdentityProvider,
  type VerificationResult,
  type VerificationSubject,
} from './types'

const API = 'https://api.weixin.qq.com/cityservice/face/identify'

export interface WechatFaceDeps {
  fetch: FetchLike
  /** The operator's access_token (stable_token or a token service); forceRefresh after WeChat rejects one. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>
  /** out_seq_no source, replaceable in tests. */
  randomSeq?: () => string
  timeoutMs?: number
}

export function certHash(cert: { certName: string; certNo: string }): string {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
  const joined = `cert_type=${b64('IDENTITY_CARD')}&cert_name=${b64(cert.certName)}&cert_no=${b64(cert.certNo)}`
  return createHash('sha256').update(joined, 'utf8').digest('hex')
}

/** Errcodes that say the access_token is invalid or expired: refresh once and retry. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001])
/** Errcodes that mean "later": system busy, frequency limits. */
const BUSY_ERRCODES = new Set([-1, 45009, 45011])
/** 48001: the API is not authorized for this mini-program, i.e. face verification was never granted. */
const UNAUTHORIZED_ERRCODE = 48001

const USER_CANCELLED = new Set([90002, 90003, 90004, 90005, 90006, 90024])
const REASONS: ReadonlyMap<number, string> = new Map([
  [10001, '核验请求参数有误，请重新发起实名核验'],
  [10002, '未能检测到清晰的人脸，请在光线充足处正对屏幕重试'],
  [10003, '姓名与身份证号不一致，请核对后重试'],
  [10004, '人脸与身份证照片比对未通过，请本人重新核验'],
  [10006, SERVICE_BUSY_MESSAGE],
  [10020, '人脸核验超时，请重新发起'],
  [10042, '操作太频繁，请稍后再试'],
  [90001, '当前设备不支持人脸核验，请更换手机后重试'],
  [90109, '当前设备不支持人脸核验，请更换手机后重试'],
  [90007, '网络不稳定，请切换网络后重试'],
  [90012, '网络不稳定，请切换网络后重试'],
  [90008, '请允许微信使用相机后重试'],
  [90009, '请允许微信使用麦克风后重试'],
  [90010, '请允许微信使用相机和麦克风后重试'],
  [90017, '人脸核验超时，请重新发起'],
  [90107, '人脸核验超时，请重新发起'],
])
const PENDING_RETS = new Set([10005, 10300])

export function describeVerifyRet(verifyRet: number): VerificationResult {
  const providerCode = `verify_ret:${verifyRet}`
  if (verifyRet === 10000) return { outcome: 'passed', reason: '实名核验通过', providerCode }
  if (PENDING_RETS.has(verifyRet)) return { outcome: 'pending', reason: '人脸核验尚未完成，请完成后再查看结果', providerCode }
  if (USER_CANCELLED.has(verifyRet)) return { outcome: 'failed', reason: '你已取消人脸核验，可重新发起', providerCode }
  const known = REASONS.get(verifyRet)
  if (known) return { outcome: 'failed', reason: known, providerCode }
  if (verifyRet >= 90000 && verifyRet < 100000) return { outcome: 'failed', reason: '人脸核验未完成，请重新发起', providerCode }
  return { outcome: 'failed', reason: '实名核验未通过，请核对信息后重试', providerCode }
}

const ID_PREFIX = 'wx1'
const SEQ_SHAPE = /^[0-9A-Za-z_-]{5,32}$/

/** The verification id carries what queryVerifyInfo needs besides the subject. */
function encodeId(outSeqNo: string, verifyId: string): string {
  return `${ID_PREFIX}.${outSeqNo}.${Buffer.from(verifyId, 'utf8').toString('base64url')}`
}

function decodeId(verificationId: string): { outSeqNo: string; verifyId: string } | null {
  const [prefix, outSeqNo, encoded, ...rest] = verificationId.split('.')
  if (prefix !== ID_PREFIX || !outSeqNo || !SEQ_SHAPE.test(outSeqNo) || !encoded || rest.length > 0) return null
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null
  const verifyId = Buffer.from(encoded, 'base64url').toString('utf8')
  return verifyId ? { outSeqNo, verifyId } : null
}

export function createWechatFaceProvider(deps: WechatFaceDeps): IdentityProvider {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const randomSeq = deps.randomSeq ?? (() => `lc${randomBytes(12).toString('hex')}`)

  function providerError(problem: 'unavailable' | 'misconfigured' | 'rejected', errcode: number, api: string): IdentityProviderError {
    const detail =
      errcode === UNAUTHORIZED_ERRCODE
        ? 'this mini-program has no permission for face verification (apply under 行业能力 → 人脸核身)'
        : `WeChat answered errcode ${errcode}`
    return new IdentityProviderError({
      provider: 'wechat-face',
      problem,
      retryable: problem === 'unavailable',
      providerCode: `errcode:${errcode}`,
      userMessage: problem === 'rejected' ? '暂时无法发起人脸核验，请核对姓名和身份证号后重试' : SERVICE_BUSY_MESSAGE,
      message: `wechat-face: ${api}: ${detail}`,
    })
  }

  /** Calls an API with the access token, refreshing it once when WeChat rejects it. */
  async function call(api: 'getverifyid' | 'queryverifyinfo', body: Record<string, unknown>): Promise<Record<string, unknown>> {
    let forceRefresh = false
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await deps.getAccessToken(forceRefresh ? { forceRefresh: true } : undefined)
      const url = `${API}/${api}?access_token=${encodeURIComponent(token)}`
      const reply = await postJson('wechat-face', deps.fetch, url, { 'Content-Type': 'application/json' }, JSON.stringify(body), timeoutMs)
      if (!isRecord(reply)) throw badResponse('wechat-face', 'reply:notObject', `${api} answered something other than an object`)
      const errcode = integerField(reply, 'errcode')
      if (errcode === undefined || !TOKEN_ERRCODES.has(errcode)) return reply
      forceRefresh = true
    }
    throw new IdentityProviderError({
      provider: 'wechat-face',
      problem: 'unavailable',
      retryable: true,
      providerCode: 'errcode:accessToken',
      userMessage: SERVICE_BUSY_MESSAGE,
      message: `wechat-face: ${api}: the access_token was refused twice, even after a refresh`,
    })
  }

  return {
    name: 'wechat-face',

    async start({ openid, name, idNumber }) {
      const outSeqNo = randomSeq()
      if (!SEQ_SHAPE.test(outSeqNo)) throw new Error('out_seq_no must be 5–32 characters of [0-9A-Za-z_-]')
      const reply = await call('getverifyid', {
        out_seq_no: outSeqNo,
        cert_info: { cert_type: 'IDENTITY_CARD', cert_name: name, cert_no: idNumber },
        openid,
      })
      const errcode = integerField(reply, 'errcode')
      if (errcode === undefined) throw badResponse('wechat-face', 'errcode:missing', 'getverifyid answered without an errcode')
      if (errcode !== 0) {
        if (BUSY_ERRCODES.has(errcode)) throw providerError('unavailable', errcode, 'getverifyid')
        if (errcode === UNAUTHORIZED_ERRCODE) throw providerError('misconfigured', errcode, 'getverifyid')
        throw providerError('rejected', errcode, 'getverifyid')
      }
      const verifyId = stringField(reply, 'verify_id')
      if (!verifyId || verifyId.length > 256) throw badResponse('wechat-face', 'verify_id:missing', 'getverifyid answered errcode 0 without a usable verify_id')
      const expiresIn = integerField(reply, 'expires_in')
      return {
        verificationId: encodeId(outSeqNo, verifyId),
        clientAction: { kind: 'wx.requestFacialVerify', verifyId },
        expiresInSeconds: expiresIn !== undefined && expiresIn > 0 ? expiresIn : 3600,
      }
    },

    async result(verificationId: string, subject: VerificationSubject): Promise<VerificationResult> {
      const decoded = decodeId(verificationId)
      if (!decoded) {
        throw new IdentityProviderError({
          provider: 'wechat-face',
          problem: 'badVerificationId',
          retryable: false,
          providerCode: 'verificationId:malformed',
          userMessage: '核验记录无效，请重新发起实名核验',
          message: 'wechat-face: not a wechat-face verification id',
        })
      }
      const reply = await call('queryverifyinfo', {
        verify_id: decoded.verifyId,
        out_seq_no: decoded.outSeqNo,
        cert_hash: certHash({ certName: subject.name, certNo: subject.idNumber }),
        openid: subject.openid,
      })
      const errcode = integerField(reply, 'errcode')
      if (errcode === undefined) throw badResponse('wechat-face', 'errcode:missing', 'queryverifyinfo answered without an errcode')
      if (errcode !== 0) {
        if (BUSY_ERRCODES.has(errcode)) throw providerError('unavailable', errcode, 'queryverifyinfo')
        if (errcode === UNAUTHORIZED_ERRCODE) throw providerError('misconfigured', errcode, 'queryverifyinfo')
        // WeChat answers a changed name, ID number or openid with an errcode: a definite no.
        return { outcome: 'failed', reason: '核验信息与发起时不一致或已失效，请重新发起实名核验', providerCode: `errcode:${errcode}` }
      }
      const verifyRet = integerField(reply, 'verify_ret')
      if (verifyRet === undefined) throw badResponse('wechat-face', 'verify_ret:missing', 'queryverifyinfo answered errcode 0 without a numeric verify_ret')
      return describeVerifyRet(verifyRet)
    },
  }
}

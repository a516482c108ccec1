/**
 * Tencent Cloud FaceID (腾讯云慧眼人脸核身, 增强版) behind the identity port.
 *
 * Facts relied on (cloud.tencent.com API docs 1007/31816, 1007/41957, error
 * codes 1007/31082, mini-program guide 1007/31071, and the models of the
 * official Node SDK, read in 2026):
 * - Endpoint faceid.tencentcloudapi.com, service "faceid", version 2018-03-01,
 *   Region not needed; API 3.0 POST JSON signed with TC3-HMAC-SHA256 (./tc3.ts).
 *   Replies are {Response: {..., RequestId}} or {Response: {Error: {Code, Message}, RequestId}}.
 * - DetectAuth {RuleId, IdCard, Name, RedirectUrl (H5 only)} → {Url (H5 only), BizToken}.
 *   The BizToken lives 7200 s. The mini-program SDK (verify_mpsdk) starts the
 *   capture with the BizToken; an H5 flow opens the Url.
 * - GetDetectInfoEnhanced {BizToken, RuleId, InfoType} → {Text: DetectInfoText, ...}.
 *   InfoType "1" asks for the text only, so no ID-card photo, best frame or video
 *   ever reaches us. Text.ErrCode is the final result, 0 = success, null while
 *   the user has not finished; 17 = "本次流程未完成". Text.IdCard / Text.Name are
 *   those actually verified and are compared with the subject.
 * - Results can be pulled for three days only (BizToken + 3×24 h); afterwards
 *   InvalidParameterValue.BizTokenExpired / BizTokenIllegal. Record the outcome
 *   as soon as it is final.
 */
import { normalizeIdNumber } from '../../../../shared/rules/id-number'
import { tc3Sign } from './tc3'
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

export const FACEID_HOST = 'faceid.tencentcloudapi.com'
export const FACEID_VERSION = '2018-03-01'

export interface TencentFaceIdConfig {
  secretId: string
  secretKey: string
  /** Temporary credentials (STS / a role) come with a token. */
  sessionToken?: string
  /** The business flow (业务流程) created in the FaceID console. */
  ruleId: string
  /** 'faceidSdk' for the mini-program SDK, 'openUrl' for the H5 flow in a web-view. */
  clientAction: 'faceidSdk' | 'openUrl'
}

export interface TencentFaceIdDeps {
  fetch: FetchLike
  now: () => Date
  timeoutMs?: number
}

const BIZ_TOKEN_SECONDS = 7200

const REASONS: ReadonlyMap<number, string> = new Map([
  [14, '本次核验已完成，请勿重复提交'],
  [15, '核验已过期，请重新发起'],
  [16, '尝试次数过多，请稍后重新发起'],
  [301, '证件号码与提交的信息不一致，请核对后重试'],
  [302, '身份证已过期，请使用有效身份证核验'],
  [303, '证件识别失败，请重新拍摄'],
  [1002, '未能确认是真人操作，请本人重新核验'],
  [1008, '网络不稳定，请切换网络后重试'],
  [2002, '姓名有误，请核对后重试'],
  [2003, '身份证号有误，请核对后重试'],
  [2005, '未查询到身份信息，请核对姓名和身份证号'],
  [2006, '姓名与身份证号不一致，请核对后重试'],
  [2010, '请保持正脸完整出现在画面中后重试'],
  [2016, '人脸与身份证照片比对未通过，请本人重新核验'],
])

export function describeFaceIdErrCode(code: number): VerificationResult {
  const providerCode = `ErrCode:${code}`
  if (code === 0) return { outcome: 'passed', reason: '实名核验通过', providerCode }
  if (code === 17) return { outcome: 'pending', reason: '人脸核验尚未完成，请完成后再查看结果', providerCode }
  const known = REASONS.get(code)
  if (known) return { outcome: 'failed', reason: known, providerCode }
  if (code >= 1 && code <= 13) return { outcome: 'failed', reason: SERVICE_BUSY_MESSAGE, providerCode }
  if (code >= 200 && code < 300) return { outcome: 'failed', reason: '微信授权或视频获取失败，请重新发起', providerCode }
  if (code >= 1000 && code < 2000) return { outcome: 'failed', reason: '活体检测未通过，请在光线充足处本人重新核验', providerCode }
  if (code >= 2000 && code < 3000) return { outcome: 'failed', reason: '人脸比对未通过，请本人重新核验', providerCode }
  return { outcome: 'failed', reason: '实名核验未通过，请核对信息后重试', providerCode }
}

function sameName(a: string, b: string): boolean {
  return a.trim() === b.trim()
}

export function createTencentFaceIdProvider(config: TencentFaceIdConfig, deps: TencentFaceIdDeps): IdentityProvider {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS

  /** Signs and sends one action; returns the inner Response object, or its Error. */
  async function call(action: 'DetectAuth' | 'GetDetectInfoEnhanced', params: Record<string, unknown>) {
    const payload = JSON.stringify(params)
    const timestamp = Math.floor(deps.now().getTime() / 1000)
    const signed = { 'Content-Type': 'application/json; charset=utf-8', Host: FACEID_HOST }
    const { authorization } = tc3Sign({
      secretId: config.secretId,
      secretKey: config.secretKey,
      service: 'faceid',
      timestamp,
      method: 'POST',
      headers: signed,
      payload,
    })
    const headers: Record<string, string> = {
      ...signed,
      Authorization: authorization,
      'X-TC-Action': action,
      'X-TC-Version': FACEID_VERSION,
      'X-TC-Timestamp': String(timestamp),
    }
    if (config.sessionToken) headers['X-TC-Token'] = config.sessionToken
    const reply = await postJson('tencent-faceid', deps.fetch, `https://${FACEID_HOST}/`, headers, payload, timeoutMs)
    const response = isRecord(reply) ? reply['Response'] : undefined
    if (!isRecord(response)) throw badResponse('tencent-faceid', 'reply:noResponse', `${action} answered without a Response object`)
    const error = response['Error']
    if (error === undefined || error === null) return { response, errorCode: undefined }
    const errorCode = isRecord(error) ? stringField(error, 'Code') : undefined
    if (!errorCode) throw badResponse('tencent-faceid', 'reply:badError', `${action} answered an Error without a Code`)
    return { response, errorCode }
  }

  function apiError(action: string, code: string): IdentityProviderError {
    const busy = code === 'InternalError' || code.startsWith('RequestLimitExceeded') || code === 'ResourceUnavailable' || code.startsWith('FailedOperation.UnKnown')
    const misconfigured = code.startsWith('AuthFailure') || code.startsWith('UnauthorizedOperation') || code === 'OperationDenied'
    const problem = busy ? 'unavailable' : misconfigured ? 'misconfigured' : 'rejected'
    return new IdentityProviderError({
      provider: 'tencent-faceid',
      problem,
      retryable: busy,
      providerCode: code,
      userMessage: problem === 'rejected' ? '暂时无法发起人脸核验，请核对姓名和身份证号后重试' : SERVICE_BUSY_MESSAGE,
      message: `tencent-faceid: ${action} answered ${code}`,
    })
  }

  return {
    name: 'tencent-faceid',

    async start({ name, idNumber, redirectUrl }) {
      const params: Record<string, unknown> = { RuleId: config.ruleId, IdCard: idNumber, Name: name }
      if (redirectUrl) params['RedirectUrl'] = redirectUrl
      const { response, errorCode } = await call('DetectAuth', params)
      if (errorCode) throw apiError('DetectAuth', errorCode)
      const bizToken = stringField(response, 'BizToken')
      if (!bizToken) throw badResponse('tencent-faceid', 'BizToken:missing', 'DetectAuth answered without a BizToken')
      if (config.clientAction === 'openUrl') {
        const url = stringField(response, 'Url')
        if (!url?.startsWith('https://')) throw badResponse('tencent-faceid', 'Url:missing', 'DetectAuth answered without an https Url for the H5 flow')
        return { verificationId: bizToken, clientAction: { kind: 'openUrl', url }, expiresInSeconds: BIZ_TOKEN_SECONDS }
      }
      return { verificationId: bizToken, clientAction: { kind: 'faceidSdk', bizToken }, expiresInSeconds: BIZ_TOKEN_SECONDS }
    },

    async result(verificationId: string, subject: VerificationSubject): Promise<VerificationResult> {
      const { response, errorCode } = await call('GetDetectInfoEnhanced', {
        BizToken: verificationId,
        RuleId: config.ruleId,
        InfoType: '1',
      })
      if (errorCode === 'InvalidParameterValue.BizTokenExpired' || errorCode === 'InvalidParameterValue.BizTokenIllegal') {
        return { outcome: 'failed', reason: '核验已过期（结果仅保留3天），请重新发起实名核验', providerCode: errorCode }
      }
      if (errorCode) throw apiError('GetDetectInfoEnhanced', errorCode)

      const text = response['Text']
      // No text yet, or no final code yet: the user has not finished.
      if (text === undefined || text === null) return { outcome: 'pending', reason: '人脸核验尚未完成，请完成后再查看结果', providerCode: 'Text:null' }
      if (!isRecord(text)) throw badResponse('tencent-faceid', 'Text:notObject', 'GetDetectInfoEnhanced answered a Text that is not an object')
      if (text['ErrCode'] === null || text['ErrCode'] === undefined) {
        return { outcome: 'pending', reason: '人脸核验尚未完成，请完成后再查看结果', providerCode: 'ErrCode:null' }
      }
      const code = integerField(text, 'ErrCode')
      if (code === undefined) throw badResponse('tencent-faceid', 'ErrCode:notInteger', 'GetDetectInfoEnhanced answered a non-integer Text.ErrCode')

      const verdict = describeFaceIdErrCode(code)
      if (verdict.outcome !== 'passed') return verdict
      // A pass counts only for the person we asked about.
      const verifiedId = stringField(text, 'IdCard')
      const verifiedName = stringField(text, 'Name')
      if ((verifiedId && normalizeIdNumber(verifiedId) !== subject.idNumber) || (verifiedName && !sameName(verifiedName, subject.name))) {
        return { outcome: 'failed', reason: '核验的身份与提交的姓名、身份证号不一致', providerCode: 'ErrCode:0/subjectMismatch' }
      }
      return verdict
    },
  }
}

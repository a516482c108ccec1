/**
 * The real-person check (实人核验) behind one port. Handlers start a
 * verification, hand the client action to the mini-program, then ask for the
 * result. Providers never return or keep face images: only an outcome, a reason
 * for the user and the provider's own code for operators.
 */

export type IdentityProviderName = 'sandbox' | 'wechat-face' | 'tencent-faceid'

export type IdentityMode = 'production' | 'local' | 'test'

/** What the mini-program does next. */
export type ClientAction =
  /** WeChat face verification 2.0: `wx.requestFacialVerify({ verifyId })`. */
  | { kind: 'wx.requestFacialVerify'; verifyId: string }
  /** Tencent Cloud FaceID mini-program SDK (verify_mpsdk): `wx.startVerify({ data: { token: bizToken } })`. */
  | { kind: 'faceidSdk'; bizToken: string }
  /** Tencent Cloud FaceID H5 flow, opened in a `<web-view>`. */
  | { kind: 'openUrl'; url: string }
  /** Local and test only: nothing to capture. */
  | { kind: 'sandbox'; notice: string }

/** The person being checked, as the user entered them (ID number normalized). */
export interface VerificationSubject {
  openid: string
  name: string
  idNumber: string
}

export interface StartInput extends VerificationSubject {
  /** Where an H5 flow returns to; ignored by the others. */
  redirectUrl?: string
}

export interface StartResult {
  /** Opaque, unique per attempt; store it with the pending verification. */
  verificationId: string
  clientAction: ClientAction
  /** How long the client has to complete the capture. */
  expiresInSeconds: number
}

export type VerificationOutcome = 'passed' | 'failed' | 'pending'

export interface VerificationResult {
  outcome: VerificationOutcome
  /** Chinese, shown to the user. */
  reason: string
  /** The provider's own code (e.g. "verify_ret:10004"), for operators and audit. */
  providerCode: string
}

export interface IdentityProvider {
  readonly name: IdentityProviderName
  start(input: StartInput): Promise<StartResult>
  /**
   * The subject must be the one given to `start`: WeChat checks a digest of it
   * and FaceID's answer is compared with it. Passing it again (decrypted from the
   * pending record) means no provider needs to store a hash of the ID number.
   */
  result(verificationId: string, subject: VerificationSubject): Promise<VerificationResult>
}

/**
 * A call that produced no answer about the person: network, credentials,
 * configuration, or a reply we do not understand. Never a pass.
 */
export type ProviderProblem = 'unavailable' | 'misconfigured' | 'badResponse' | 'rejected' | 'badVerificationId'

export class IdentityProviderError extends Error {
  override name = 'IdentityProviderError'
  readonly provider: IdentityProviderName
  readonly problem: ProviderProblem
  /** Worth trying again later without changing anything. */
  readonly retryable: boolean
  readonly providerCode: string
  /** Chinese, shown to the user. */
  readonly userMessage: string

  constructor(init: {
    provider: IdentityProviderName
    problem: ProviderProblem
    retryable: boolean
    providerCode: string
    userMessage: string
    message: string
  }) {
    super(init.message)
    this.provider = init.provider
    this.problem = init.problem
    this.retryable = init.retryable
    this.providerCode = init.providerCode
    this.userMessage = init.userMessage
  }
}

export const SERVICE_BUSY_MESSAGE = '实名核验服务暂时不可用，请稍后再试'

/** The part of `fetch` the adapters use; the global `fetch` satisfies it. */
export interface HttpRequestInit {
  method: 'POST'
  headers: Record<string, string>
  body: string
  signal?: AbortSignal
}

export interface HttpResponseLike {
  status: number
  text(): Promise<string>
}

export type FetchLike = (url: string, init: HttpRequestInit) => Promise<HttpResponseLike>

export const DEFAULT_TIMEOUT_MS = 8000

/**
 * POSTs and parses a JSON answer. Transport failures, 5xx/429 and bodies that
 * are not JSON become IdentityProviderError; nothing of the request (which
 * carries names and ID numbers) goes into the error.
 */
export async function postJson(
  provider: IdentityProviderName,
  fetchLike: FetchLike,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<unknown> {
  const endpoint = url.split('?')[0] ?? url
  let response: HttpResponseLike
  try {
    response = await fetchLike(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    throw new IdentityProviderError({
      provider,
      problem: 'unavailable',
      retryable: true,
      providerCode: 'network',
      userMessage: SERVICE_BUSY_MESSAGE,
      message: `${provider}: request to ${endpoint} failed (${error instanceof Error ? error.name : 'error'})`,
    })
  }
  if (response.status >= 500 || response.status === 429) {
    throw new IdentityProviderError({
      provider,
      problem: 'unavailable',
      retryable: true,
      providerCode: `http:${response.status}`,
      userMessage: SERVICE_BUSY_MESSAGE,
      message: `${provider}: ${endpoint} answered HTTP ${response.status}`,
    })
  }
  const text = await response.text().catch(() => '')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw badResponse(provider, `http:${response.status}`, `${endpoint} answered HTTP ${response.status} with a body that is not JSON`)
  }
}

export function badResponse(provider: IdentityProviderName, providerCode: string, detail: string): IdentityProviderError {
  return new IdentityProviderError({
    provider,
    problem: 'badResponse',
    retryable: true,
    providerCode,
    userMessage: SERVICE_BUSY_MESSAGE,
    message: `${provider}: ${detail}`,
  })
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An integer, or undefined for anything else (strings such as "10000" included). */
export function integerField(record: Record<string, unknown>, field: string): number | undefined {
  const value = record[field]
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

export function stringField(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The sandbox provider: deterministic outcomes for local development and
 * tests, chosen by the name entered (see SANDBOX_IDENTITIES). It captures
 * nothing and stores nothing: the plan and the start time travel inside the
 * verification id, so it survives the local cloud building a fresh provider
 * for every call. It refuses to exist in production.
 */
import { randomBytes } from 'node:crypto'
import { IdentityConfigError } from '../crypto'
import {
  IdentityProviderError,
  SERVICE_BUSY_MESSAGE,
  type IdentityMode,
  type IdentityProvider,
  type VerificationOutcome,
  type VerificationResult,
} from './types'

type SandboxPlan = 'pass' | 'mismatch' | 'face' | 'cancel' | 'pending' | 'outage'

interface SandboxIdentity {
  /** The entered name contains this word. */
  nameContains: string
  plan: SandboxPlan
  what: string
}

export const SANDBOX_PENDING_MS = 5000

/** Documented in docs/identity-providers.md; any other name passes. */
export const SANDBOX_IDENTITIES: ReadonlyArray<SandboxIdentity> = [
  { nameContains: '沙箱不符', plan: 'mismatch', what: 'fails: name and ID number do not match' },
  { nameContains: '沙箱非本人', plan: 'face', what: 'fails: face does not match the ID photo' },
  { nameContains: '沙箱取消', plan: 'cancel', what: 'fails: the user cancelled the capture' },
  { nameContains: '沙箱等待', plan: 'pending', what: `pending for ${SANDBOX_PENDING_MS / 1000} s after start, then passes` },
  { nameContains: '沙箱故障', plan: 'outage', what: 'result() throws a retryable provider error' },
]

const OUTCOMES: Record<Exclude<SandboxPlan, 'pending' | 'outage'>, { outcome: VerificationOutcome; reason: string }> = {
  pass: { outcome: 'passed', reason: '实名核验通过（沙箱）' },
  mismatch: { outcome: 'failed', reason: '姓名与身份证号不一致，请核对后重试' },
  face: { outcome: 'failed', reason: '人脸与身份证照片比对未通过，请本人重新核验' },
  cancel: { outcome: 'failed', reason: '你已取消人脸核验，可重新发起' },
}

const PLANS: ReadonlyArray<SandboxPlan> = ['pass', 'mismatch', 'face', 'cancel', 'pending', 'outage']
const ID_SHAPE = /^sbx\.([a-z]+)\.([0-9]+)\.([0-9a-f]{24})$/

export interface SandboxDeps {
  mode: IdentityMode
  now?: () => Date
}

export function createSandboxIdentityProvider(deps: SandboxDeps): IdentityProvider {
  if (deps.mode === 'production') {
    throw new IdentityConfigError(
      'the sandbox identity provider refuses to run in production: set LECHAT_IDENTITY_PROVIDER to wechat-face or tencent-faceid',
    )
  }
  const now = deps.now ?? (() => new Date())

  function badId(): IdentityProviderError {
    return new IdentityProviderError({
      provider: 'sandbox',
      problem: 'badVerificationId',
      retryable: false,
      providerCode: 'sandbox:badId',
      userMessage: '核验记录无效，请重新发起实名核验',
      message: 'sandbox: not a sandbox verification id',
    })
  }

  return {
    name: 'sandbox',

    async start({ name }) {
      const plan = SANDBOX_IDENTITIES.find((identity) => name.includes(identity.nameContains))?.plan ?? 'pass'
      return {
        verificationId: `sbx.${plan}.${now().getTime()}.${randomBytes(12).toString('hex')}`,
        clientAction: { kind: 'sandbox', notice: '沙箱环境：不会进行真实的人脸识别' },
        expiresInSeconds: 3600,
      }
    },

    async result(verificationId): Promise<VerificationResult> {
      const match = ID_SHAPE.exec(verificationId)
      const plan = PLANS.find((candidate) => candidate === match?.[1])
      if (!match || !plan) throw badId()
      if (plan === 'outage') {
        throw new IdentityProviderError({
          provider: 'sandbox',
          problem: 'unavailable',
          retryable: true,
          providerCode: 'sandbox:outage',
          userMessage: SERVICE_BUSY_MESSAGE,
          message: 'sandbox: simulated outage',
        })
      }
      if (plan === 'pending') {
        const startedAt = Number(match[2])
        if (now().getTime() - startedAt < SANDBOX_PENDING_MS) {
          return { outcome: 'pending', reason: '人脸核验结果确认中，请稍候', providerCode: 'sandbox:pending' }
        }
        return { ...OUTCOMES.pass, providerCode: 'sandbox:pass' }
      }
      return { ...OUTCOMES[plan], providerCode: `sandbox:${plan}` }
    },
  }
}

/**
 * The one way pages talk to the backend. Types come from the shared contract
 * (type-only imports: no zod in the mini-program package); the server validates.
 */
import type { ActionName, CallData, FunctionName, InputOf, OutputOf } from '../../shared/contract'
import type { ApiError, ErrorCode } from '../../shared/errors'
import { config } from '../config'
import { hub, type BlockedEvent, type BlockedListener } from '../utils/hub'
import { ApiCallError, badReplyError, networkError, toClientCode } from './errors'
import { TransportFailure, transportFor, type Transport } from './transports'

export { ApiCallError, fieldErrors, messageOf, NETWORK_ERROR_MESSAGE, type ClientErrorCode } from './errors'
export { cloudTransport, localTransport, TransportFailure, type Transport } from './transports'
export type { BlockedEvent, BlockedListener } from '../utils/hub'

/**
 * Refusals that are about the account's consent state, not about the call:
 * until the user accepts, every signed-in feature gives the same answer.
 */
export const BLOCKING_CODES: readonly ErrorCode[] = ['TERMS_NOT_ACCEPTED', 'TERMS_UPDATED', 'GUARDIAN_CONSENT_REQUIRED']

/**
 * Listens to blocked calls from every page (app.ts registers the one that opens
 * registration or the terms popup). The call still rejects as usual, so pages show
 * their own error too. `app`: the App instance, when called from App()'s own
 * functions (see utils/hub). Returns a function that removes the listener.
 */
export function onBlocked(listener: BlockedListener, app?: object): () => void {
  const listeners = hub(app).blockedListeners
  listeners.push(listener)
  return () => {
    const index = listeners.indexOf(listener)
    if (index >= 0) listeners.splice(index, 1)
  }
}

function notifyBlocked(event: BlockedEvent): void {
  for (const listener of hub().blockedListeners.slice()) {
    try {
      listener(event)
    } catch (error) {
      // A broken listener must not turn the page's refusal into a different failure.
      console.error('[乐聊名片] onBlocked listener failed', error)
    }
  }
}

type Reply = { ok: true; data: unknown } | { ok: false; error: ApiError }

function asReply(value: unknown): Reply | null {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return null
  if (value.ok === true && 'data' in value) return { ok: true, data: value.data }
  if (value.ok === false && 'error' in value) {
    const error = value.error
    if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) return null
    const issues: unknown[] = 'issues' in error && Array.isArray(error.issues) ? error.issues : []
    return {
      ok: false,
      error: {
        code: toClientCode(error.code),
        message: String(error.message),
        issues: issues
          .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
          .map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') })),
        ...('retryAt' in error && typeof error.retryAt === 'string' ? { retryAt: error.retryAt } : {}),
      },
    }
  }
  return null
}

export type Call = <F extends FunctionName, A extends ActionName<F>>(fn: F, action: A, input: InputOf<F, A>) => Promise<OutputOf<F, A>>

/** A client whose transport is chosen at call time (wx.cloud may be initialized after this module loads). */
export function createClient(transport: () => Transport): Call {
  return async <F extends FunctionName, A extends ActionName<F>>(fn: F, action: A, input: InputOf<F, A>) => {
    const data: CallData = { action, input }
    let raw: unknown
    try {
      raw = await transport()(fn, data)
    } catch (error) {
      if (error instanceof TransportFailure && error.kind === 'badReply') throw badReplyError(error.message)
      throw networkError(error instanceof Error ? error.message : String(error))
    }
    const reply = asReply(raw)
    if (!reply) throw badReplyError(`not an ApiResult from ${fn}.${action}: ${JSON.stringify(raw)}`)
    if (!reply.ok) {
      const error = new ApiCallError(reply.error.code, reply.error.message, reply.error.issues ?? [], '', reply.error.retryAt ?? null)
      if (BLOCKING_CODES.includes(reply.error.code)) notifyBlocked({ error, fn, action })
      throw error
    }
    // The server checked its output against the same contract before replying.
    return reply.data as OutputOf<F, A>
  }
}

/** The app's client; the transport comes from config.ts (rewritten by the build). */
export const call: Call = createClient(() => transportFor(config))

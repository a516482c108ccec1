/**
 * The one way pages talk to the backend. Types come from the shared contract
 * (type-only imports: no zod in the mini-program package); the server validates.
 */
import type { ActionName, CallData, FunctionName, InputOf, OutputOf } from '../../shared/contract'
import type { ApiError } from '../../shared/errors'
import { config } from '../config'
import { ApiCallError, badReplyError, networkError, toClientCode } from './errors'
import { TransportFailure, transportFor, type Transport } from './transports'

export { ApiCallError, fieldErrors, messageOf, NETWORK_ERROR_MESSAGE, type ClientErrorCode } from './errors'
export { cloudTransport, localTransport, TransportFailure, type Transport } from './transports'

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
    if (!reply.ok) throw new ApiCallError(reply.error.code, reply.error.message, reply.error.issues ?? [])
    // The server checked its output against the same contract before replying.
    return reply.data as OutputOf<F, A>
  }
}

/** The app's client; the transport comes from config.ts (rewritten by the build). */
export const call: Call = createClient(() => transportFor(config))

/**
 * Helpers for the moderation gate tests: a handler's context on the real SDK
 * and local database (as a domain handler would have it), an OpenApi wrapper
 * that counts calls and can fail on demand, and reads of stored decisions.
 */
import { findAccount } from '../../cloudfunctions/_core/accounts'
import type { AccountContext } from '../../cloudfunctions/_core/context'
import type { Doc } from '../../cloudfunctions/_core/db'
import { decisions, type ModerationDecisionDoc } from '../../cloudfunctions/_core/moderation/decisions'
import type { MediaCheckRequest, OpenApi } from '../../cloudfunctions/_core/ports/openapi'
import type { TestCloud } from '../../local/testing'
import type { ApiError } from '../../shared/errors'
import { AppError } from '../../cloudfunctions/_core/errors'

export interface CountingOpenApi {
  api: OpenApi
  calls: { msgSecCheck: string[]; mediaCheckAsync: MediaCheckRequest[] }
  /** While set, msgSecCheck fails as WeChat does when it is unreachable or over quota. */
  failText: boolean
  /** While set, mediaCheckAsync fails likewise. */
  failMedia: boolean
}

/** Passes every call to `inner` (the sandbox) and records it: observation, not a stand-in for the logic. */
export function countingOpenApi(inner: OpenApi, provider: OpenApi['provider'] = inner.provider): CountingOpenApi {
  const counting: CountingOpenApi = {
    calls: { msgSecCheck: [], mediaCheckAsync: [] },
    failText: false,
    failMedia: false,
    api: {
      provider,
      async msgSecCheck(input) {
        counting.calls.msgSecCheck.push(input.content)
        if (counting.failText) throw new Error('errCode: -1 system error')
        return inner.msgSecCheck(input)
      },
      async mediaCheckAsync(input) {
        counting.calls.mediaCheckAsync.push(input)
        if (counting.failMedia) throw new Error('errCode: 45009 reach max api daily quota limit')
        return inner.mediaCheckAsync(input)
      },
      tempFileUrl: (fileId) => inner.tempFileUrl(fileId),
      sendSubscribeMessage: (message) => inner.sendSubscribeMessage(message),
      wxacode: inner.wxacode,
    },
  }
  return counting
}

/** The context a domain handler gets from the dispatcher for `openid`, with `openApi` in place of the cloud's. */
export async function handlerContext(cloud: TestCloud, openid: string, openApi: OpenApi = cloud.openApi): Promise<AccountContext> {
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}`)
  return { ...cloud.runtimeFor(openid), openApi, requestId: 'test-request', fn: 'cards', action: 'update', now: cloud.clock.now(), account }
}

/** The refusal a handler's promise rejected with, as the caller would receive it. */
export async function refusalOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error.toApiError()
    throw error
  }
  throw new Error('expected a refusal')
}

export async function decisionOf(cloud: TestCloud, id: string): Promise<ModerationDecisionDoc> {
  const doc = await decisions(cloud.store).byId(id)
  if (!doc) throw new Error(`no decision ${id}`)
  return doc
}

export async function latestDecision(cloud: TestCloud, openid: string): Promise<ModerationDecisionDoc> {
  const [doc] = await decisions(cloud.store).find({ authorOpenid: openid }, { orderBy: [['createdAt', 'desc'], ['_id', 'desc']], limit: 1 })
  if (!doc) throw new Error(`no decision by ${openid}`)
  return doc
}

export interface LooseDoc extends Doc {
  [field: string]: unknown
}

/**
 * The one dispatcher every cloud function runs through:
 * envelope → action → input validation (shared contract) → access rule → consent gate → handler
 * → output validation → `{ok, data}` or `{ok:false, error:{code, message}}`.
 * Nothing thrown below escapes as a crash; unknown failures become INTERNAL and are logged.
 * Timer events and WeChat message pushes take their own routes, which no caller may reach.
 */
import { randomUUID } from 'node:crypto'
import { hasRole, isStaffAccess } from '../../shared/access'
import { isUsable } from '../../shared/account'
import type { FunctionName } from '../../shared/contract'
import type { ActionSpec } from '../../shared/contract/define'
import { apiError, type ApiResult, type FieldIssue } from '../../shared/errors'
import { accounts, findAccount, stateOf, type AccountDoc } from './accounts'
import { recordAudit, type AuditNote } from './audit'
import { startTermsCheck } from './consent/gate'
import type { AccountContext, Context, Runtime } from './context'
import type { HttpHandler, PushRoute, TimerJob } from './define'
import { httpRequestOf, jsonResponse, type HttpResponse } from './http-event'
import { AppError, fail } from './errors'
import { unavailableMessage } from './lifecycle/view'
import { looksLikePush, looksLikeTimer, pushEvent, timerEvent } from './platform-events'
import { staffRoleOf } from './staff'

/** A function definition with its action types erased, as the dispatcher sees it. */
export interface AnyFunctionDef {
  name: FunctionName
  specs: Readonly<Record<string, ActionSpec>>
  actions: object
  timers: Record<string, TimerJob>
  pushes?: Record<string, PushRoute>
  http?: HttpHandler
}

type LooseHandler = (input: unknown, ctx: Context) => Promise<unknown>
interface LooseOwned {
  ownerOf(input: unknown, ctx: AccountContext): Promise<string | null>
  run: LooseHandler
}

function issuesOf(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

function specOf(def: AnyFunctionDef, action: string): ActionSpec | undefined {
  const specs: Record<string, ActionSpec> = def.specs
  return Object.hasOwn(specs, action) ? specs[action] : undefined
}

function implOf(def: AnyFunctionDef, action: string): LooseHandler | LooseOwned | undefined {
  const impls = def.actions as Record<string, LooseHandler | LooseOwned>
  return Object.hasOwn(impls, action) ? impls[action] : undefined
}

/** Activity for dormancy is counted by the day: at most one write a day per account. */
const ACTIVITY_STEP_MS = 24 * 3600 * 1000

async function authorize(spec: ActionSpec, ctx: Context): Promise<AccountDoc | null> {
  const access = spec.access
  if (access === 'anonymous') return null
  const account = await findAccount(ctx.db, ctx.openid)
  if (!account) fail('ACCOUNT_REQUIRED')
  // Timed states end by themselves at their end time, before the timer tidies the stored state.
  const state = stateOf(account, ctx.now)
  const allowed = spec.states ? spec.states.includes(state) : isUsable(state)
  if (!allowed) fail('ACCOUNT_UNAVAILABLE', unavailableMessage(account, state, ctx.config))
  if (access === 'verified' && account.verifiedAt === null) fail('VERIFICATION_REQUIRED')
  if ((access === 'reviewer' || access === 'admin') && !hasRole(account.roles, access)) fail('FORBIDDEN')
  if (isUsable(state) && ctx.now.getTime() - account.lastActiveAt.getTime() >= ACTIVITY_STEP_MS) {
    await accounts(ctx.db).update(account._id, { lastActiveAt: ctx.now })
    account.lastActiveAt = ctx.now
  }
  return account
}

function targetOf(input: unknown): string | null {
  const record = input as Record<string, unknown> | null
  for (const key of ['accountId', 'targetId', 'id', 'openid', 'docId']) {
    const value = record?.[key]
    if (typeof value === 'string') return value
  }
  return null
}

/** The person concerned: named by the handler, or by an `openid` in the input. */
function subjectOf(input: unknown, note: AuditNote): string | null {
  if (note.subject) return note.subject
  const value = (input as Record<string, unknown> | null)?.openid
  return typeof value === 'string' ? value : null
}

function reasonOf(input: unknown): string | null {
  const value = (input as Record<string, unknown> | null)?.reason
  return typeof value === 'string' ? value : null
}

export async function serve(def: AnyFunctionDef, event: unknown, runtime: Runtime): Promise<ApiResult<unknown>> {
  const requestId = randomUUID()
  const base = { ...runtime, requestId, fn: def.name, now: runtime.clock.now() }

  if (looksLikeTimer(event)) {
    // Timer triggers carry no user, and only the platform's shape: a caller, or anything else, never reaches a job.
    const timer = timerEvent(event)
    if (runtime.openid || !timer) return { ok: false, error: apiError('INVALID_REQUEST') }
    return runTimer(def, timer.TriggerName, { ...base, action: `timer:${timer.TriggerName}` })
  }

  if (looksLikePush(event)) {
    // WeChat's pushes carry no user of ours (entry.ts); a mini-program call always does, so a forged push stops here.
    const push = pushEvent(event)
    if (runtime.openid || !push) return { ok: false, error: apiError('INVALID_REQUEST') }
    return runPush(def, push.Event, event, { ...base, action: `push:${push.Event}` })
  }

  const envelope = event as { action?: unknown; input?: unknown } | null
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.action !== 'string') {
    return { ok: false, error: apiError('INVALID_REQUEST') }
  }
  const action = envelope.action
  const spec = specOf(def, action)
  const impl = implOf(def, action)
  if (!spec || !impl) return { ok: false, error: apiError('UNKNOWN_ACTION', `不支持的操作：${def.name}.${action}`) }

  const note: AuditNote = { subject: null, detail: null }
  const ctx: Context = { ...base, action, audit: note }
  const staff = isStaffAccess(spec.access)
  let caller: AccountDoc | null = null
  let input: unknown = envelope.input
  // Only staff calls that passed access are audited: a refused caller touched nothing, and must not be able to flood the log.
  let authorized = false
  try {
    if (!ctx.openid) fail('UNAUTHENTICATED')
    // An omitted input means {}; an explicit null is bad input like any other.
    const parsed = spec.input.safeParse(envelope.input === undefined ? {} : envelope.input)
    if (!parsed.success) fail('INVALID_INPUT', undefined, issuesOf(parsed.error))
    input = parsed.data

    // Signed-in features wait for the current agreement and policy; `exempt` actions are how one gets there.
    const termsCheck = spec.access !== 'anonymous' && spec.terms !== 'exempt' ? startTermsCheck(ctx) : null
    const account = await authorize(spec, ctx)
    caller = account
    if (account && termsCheck) await termsCheck(account)
    authorized = true
    const handlerCtx: Context | AccountContext = account ? { ...ctx, account } : ctx
    let run: LooseHandler
    if (typeof impl === 'function') {
      run = impl
    } else {
      const owner = await impl.ownerOf(input, handlerCtx as AccountContext)
      if (owner === null) fail('NOT_FOUND')
      if (owner !== ctx.openid) fail('FORBIDDEN')
      run = impl.run
    }

    const result = await run(input, handlerCtx)
    const output = spec.output.safeParse(result)
    if (!output.success) {
      ctx.log.error('output does not match the contract', { fn: def.name, action, requestId, issues: issuesOf(output.error) })
      fail('INTERNAL')
    }
    if (staff) {
      await recordAudit(ctx, {
        outcome: 'ok',
        code: null,
        target: targetOf(input),
        subject: subjectOf(input, note),
        detail: note.detail,
        reason: reasonOf(input),
        actorRole: caller ? staffRoleOf(caller) : null,
      }, note.others)
    }
    return { ok: true, data: output.data }
  } catch (error) {
    const known = error instanceof AppError
    if (!known) ctx.log.error('unhandled failure', { fn: def.name, action, requestId, error: String(error) })
    const apiErr = known ? error.toApiError() : apiError('INTERNAL')
    if (staff && authorized) {
      await recordAudit(ctx, {
        outcome: known ? 'refused' : 'error',
        code: apiErr.code,
        target: targetOf(input),
        subject: subjectOf(input, note),
        detail: note.detail,
        reason: reasonOf(input),
        actorRole: caller ? staffRoleOf(caller) : null,
      }, note.others).catch((auditError: unknown) => ctx.log.error('audit write failed', { requestId, error: String(auditError) }))
    }
    return { ok: false, error: apiErr }
  }
}

async function runTimer(def: AnyFunctionDef, trigger: string, ctx: Context): Promise<ApiResult<unknown>> {
  const job = Object.hasOwn(def.timers, trigger) ? def.timers[trigger] : undefined
  if (!job) return { ok: false, error: apiError('UNKNOWN_ACTION', `未知的定时任务：${trigger}`) }
  try {
    await job(ctx)
    return { ok: true, data: null }
  } catch (error) {
    ctx.log.error('timer failed', { fn: def.name, trigger, requestId: ctx.requestId, error: String(error) })
    return { ok: false, error: apiError('INTERNAL') }
  }
}

async function runPush(def: AnyFunctionDef, name: string, event: unknown, ctx: Context): Promise<ApiResult<unknown>> {
  const route = def.pushes && Object.hasOwn(def.pushes, name) ? def.pushes[name] : undefined
  if (!route) return { ok: false, error: apiError('UNKNOWN_ACTION', `未知的消息推送：${name}`) }
  const parsed = route.schema.safeParse(event)
  if (!parsed.success) {
    const issues = issuesOf(parsed.error)
    ctx.log.error('message push does not match its schema', { fn: def.name, event: name, requestId: ctx.requestId, issues })
    return { ok: false, error: apiError('INVALID_INPUT', undefined, issues) }
  }
  try {
    await route.run(parsed.data, ctx)
    return { ok: true, data: null }
  } catch (error) {
    ctx.log.error('message push failed', { fn: def.name, event: name, requestId: ctx.requestId, error: String(error) })
    return { ok: false, error: apiError('INTERNAL') }
  }
}

/**
 * A request through CloudBase's HTTP access service. It carries no WeChat
 * user: one with a caller is a mini-program call dressed up as HTTP, and
 * is refused. Failures answer a JSON error (RFC 6749 shape), never a stack.
 */
export async function serveHttp(def: AnyFunctionDef, event: unknown, runtime: Runtime): Promise<HttpResponse> {
  const request = httpRequestOf(event)
  if (!request || runtime.openid) return jsonResponse(400, { error: 'invalid_request', error_description: 'not an HTTP request' })
  if (!def.http) return jsonResponse(404, { error: 'not_found', error_description: `no HTTP service on ${def.name}` })
  const requestId = randomUUID()
  const ctx: Context = { ...runtime, requestId, fn: def.name, action: `http:${request.method} ${request.path}`, now: runtime.clock.now() }
  try {
    return await def.http(request, ctx)
  } catch (error) {
    ctx.log.error('http request failed', { fn: def.name, path: request.path, requestId, error: String(error) })
    return jsonResponse(500, { error: 'server_error', error_description: '服务暂时不可用，请稍后再试' })
  }
}

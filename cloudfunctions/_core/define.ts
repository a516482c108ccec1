import type * as z from 'zod/mini'
import type { ActionName, Contract, FunctionName, ParsedInputOf, OutputOf, SpecOf } from '../../shared/contract'
import type { AccountContext, Context } from './context'
import type { HttpRequest, HttpResponse } from './http-event'

type ContextFor<F extends FunctionName, A extends ActionName<F>> = SpecOf<F, A>['access'] extends 'anonymous'
  ? Context
  : AccountContext

export type Handler<F extends FunctionName, A extends ActionName<F>> = (
  input: ParsedInputOf<F, A>,
  ctx: ContextFor<F, A>,
) => Promise<OutputOf<F, A>>

/** Owner-only actions name how to find the owner of the resource in their input. */
export interface OwnedHandler<F extends FunctionName, A extends ActionName<F>> {
  /** The owner's openid, or null when the resource does not exist. */
  ownerOf(input: ParsedInputOf<F, A>, ctx: AccountContext): Promise<string | null>
  run: Handler<F, A>
}

export type ActionImpl<F extends FunctionName, A extends ActionName<F>> = SpecOf<F, A>['access'] extends 'owner'
  ? OwnedHandler<F, A>
  : Handler<F, A>

/** A timer trigger's job, named as in the function's config.json. */
export type TimerJob = (ctx: Context) => Promise<void>

/**
 * A WeChat message push (`MsgType: 'event'`) the function is configured to
 * receive, by its `Event` name: validated against `schema` before `run`. Like
 * timers, pushes carry no user, and one carrying a caller is refused.
 */
export interface PushRoute<T = unknown> {
  schema: z.ZodMiniType<T>
  run(event: T, ctx: Context): Promise<void>
}

/** Keeps the schema's type on `run` while the route is stored with its type erased. */
export function pushRoute<T>(schema: z.ZodMiniType<T>, run: (event: T, ctx: Context) => Promise<void>): PushRoute {
  return { schema, run: (event, ctx) => run(event as T, ctx) }
}

/**
 * Requests through CloudBase's HTTP access service (no WeChat user): the
 * handler answers every path the function's route serves.
 */
export type HttpHandler = (request: HttpRequest, ctx: Context) => Promise<HttpResponse>

export interface FunctionDef<F extends FunctionName = FunctionName> {
  name: F
  /** The function's own slice of the contract: a bundle carries these schemas, not every function's. */
  specs: Contract[F]
  actions: { [A in ActionName<F>]: ActionImpl<F, A> }
  timers: Record<string, TimerJob>
  pushes: Record<string, PushRoute>
  http?: HttpHandler
}

export function defineFunction<F extends FunctionName>(
  name: F,
  specs: Contract[F],
  actions: { [A in ActionName<F>]: ActionImpl<F, A> },
  timers: Record<string, TimerJob> = {},
  pushes: Record<string, PushRoute> = {},
  http?: HttpHandler,
): FunctionDef<F> {
  return http ? { name, specs, actions, timers, pushes, http } : { name, specs, actions, timers, pushes }
}

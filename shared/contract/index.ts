import type * as z from 'zod/mini'
import { account } from './account'
import { activities } from './activities'
import { articles } from './articles'
import { cards } from './cards'
import { moderation } from './moderation'
import { admin } from './admin'
import { consent } from './consent'
import { identity } from './identity'
import { inbox } from './inbox'
import { legal } from './legal'
import { oidc } from './oidc'
import { scheduler } from './scheduler'
import type { ActionSpec } from './define'

/**
 * The whole API: cloud function name → action name → spec.
 * Both the mini-program client and the cloud functions are typed from here,
 * and the server validates every input against it.
 */
export const contract = {
  account,
  legal,
  consent,
  inbox,
  identity,
  admin,
  scheduler,
  cards,
  activities,
  articles,
  moderation,
  oidc,
} as const

export type Contract = typeof contract
export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string
export type SpecOf<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends ActionSpec ? Contract[F][A] : never
/** What the caller passes (before defaults and trimming). */
export type InputOf<F extends FunctionName, A extends ActionName<F>> = z.input<SpecOf<F, A>['input']>
/** What the handler receives (after validation). */
export type ParsedInputOf<F extends FunctionName, A extends ActionName<F>> = z.output<SpecOf<F, A>['input']>
export type OutputOf<F extends FunctionName, A extends ActionName<F>> = z.output<SpecOf<F, A>['output']>

/** The wire format of a call: `wx.cloud.callFunction({ name, data: { action, input } })`. */
export interface CallData {
  action: string
  input?: unknown
}

export function listActions(): Array<{ fn: FunctionName; action: string; spec: ActionSpec }> {
  const rows: Array<{ fn: FunctionName; action: string; spec: ActionSpec }> = []
  for (const fn of Object.keys(contract) as FunctionName[]) {
    for (const [name, spec] of Object.entries(contract[fn])) rows.push({ fn, action: name, spec })
  }
  return rows
}

export { action } from './define'
export type { ActionSpec, FunctionSpec } from './define'

import * as z from 'zod/mini'
import { zhCN } from 'zod/locales'
import type { Access } from '../access'
import type { AccountState } from '../account'
import type { ErrorCode } from '../errors'

// Validation messages reach users: speak Chinese, in every bundle that carries a slice of the contract.
z.config(zhCN())

/** The contract of one action: what it accepts, what it returns, who may call it, how it can refuse. */
export interface ActionSpec<
  I extends z.ZodMiniType = z.ZodMiniType,
  O extends z.ZodMiniType = z.ZodMiniType,
  X extends Access = Access,
> {
  summary: string
  access: X
  input: I
  output: O
  /** Codes specific to this action, beyond the ones every action can return. */
  errors: readonly ErrorCode[]
  /**
   * Signed-in actions are refused until the current user agreement and privacy
   * policy are accepted; `exempt` marks the few that must work before that
   * (reading and deciding on documents, the inbox, export and deletion).
   */
  terms?: 'exempt'
  /**
   * Account states (as `effectiveState` gives them) in which a signed-in action
   * runs; by default only the usable ones (active, restricted). Lifecycle actions
   * name the states they rescue the account from (unfreeze, cancel deletion …).
   */
  states?: readonly AccountState[]
}

export function action<I extends z.ZodMiniType, O extends z.ZodMiniType, const X extends Access>(
  spec: ActionSpec<I, O, X>,
): ActionSpec<I, O, X> {
  return spec
}

export type FunctionSpec = Record<string, ActionSpec>

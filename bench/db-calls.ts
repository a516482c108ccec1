/**
 * How many database calls an action makes: the runtime's Store wrapped so
 * that every collection operation (a read, a count, a write) counts once. The
 * bench prints it beside the timings, so that a change that adds calls shows.
 */
import type { Runtime } from '../cloudfunctions/_core/context'
import type { Collection, Doc, Store } from '../cloudfunctions/_core/db'

export interface CountingRuntime {
  runtime: Runtime
  /** Calls since the last `take`, and a reset. */
  take(): number
}

export function countingRuntime(runtime: Runtime): CountingRuntime {
  let calls = 0
  const inner = runtime.db
  const db: Store = {
    get cmd() {
      return inner.cmd
    },
    serverDate: () => inner.serverDate(),
    createCollection: (name) => inner.createCollection(name),
    collection<T extends Doc>(name: string): Collection<T> {
      const collection = inner.collection<T>(name)
      return new Proxy(collection, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver)
          if (typeof value !== 'function') return value
          return (...args: unknown[]) => {
            calls++
            return (value as (...a: unknown[]) => unknown).apply(target, args)
          }
        },
      })
    },
  }
  return {
    runtime: { ...runtime, db },
    take() {
      const taken = calls
      calls = 0
      return taken
    },
  }
}

/** The verify flow's timers and run counter, kept off the page data: polling a pending result, and dropping replies to a flow the person left. */
export interface Runtime {
  timer: ReturnType<typeof setTimeout> | null
  polls: number
  /** Bumped by every new flow: replies to an older one are dropped. */
  run: number
  gone: boolean
}

const runtimes = new WeakMap<object, Runtime>()

export function runtimeOf(owner: object): Runtime {
  let runtime = runtimes.get(owner)
  if (!runtime) {
    runtime = { timer: null, polls: 0, run: 0, gone: false }
    runtimes.set(owner, runtime)
  }
  return runtime
}

export function stopTimer(runtime: Runtime): void {
  if (runtime.timer !== null) clearTimeout(runtime.timer)
  runtime.timer = null
}

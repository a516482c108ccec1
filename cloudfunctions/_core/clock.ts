export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests and the local cloud can move forward (timed states, cooling-off periods). */
export class ManualClock implements Clock {
  private current: number

  constructor(start: Date = new Date()) {
    this.current = start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  advance(ms: number): void {
    this.current += ms
  }

  set(to: Date): void {
    this.current = to.getTime()
  }
}

/** Beijing wall time "YYYY-MM-DD HH:mm", as users read dates. */
export function beijingDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** Beijing calendar date "YYYY-MM-DD". */
export function beijingDate(at: Date): string {
  return beijingDateTime(at).slice(0, 10)
}

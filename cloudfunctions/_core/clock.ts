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

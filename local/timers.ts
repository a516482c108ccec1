/** Timer triggers read from each function's config.json, run by the local cloud as CloudBase would. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCron, type CronSchedule } from '../shared/rules/cron'

export interface TimerTrigger {
  fn: string
  name: string
  cron: string
  schedule: CronSchedule
}

interface FunctionConfigFile {
  triggers?: Array<{ name?: unknown; type?: unknown; config?: unknown }>
}

export function readTimerTriggers(functionsDir: string, functionNames: readonly string[]): TimerTrigger[] {
  const triggers: TimerTrigger[] = []
  for (const fn of functionNames) {
    const file = JSON.parse(readFileSync(join(functionsDir, fn, 'config.json'), 'utf8')) as FunctionConfigFile
    for (const trigger of file.triggers ?? []) {
      if (trigger.type !== 'timer') continue
      if (typeof trigger.name !== 'string' || typeof trigger.config !== 'string') {
        throw new Error(`${fn}/config.json: a timer trigger needs a string name and config`)
      }
      triggers.push({ fn, name: trigger.name, cron: trigger.config, schedule: parseCron(trigger.config) })
    }
  }
  return triggers
}

/** Checks once a second; returns a stop function. */
export function startTimers(
  triggers: readonly TimerTrigger[],
  fire: (trigger: TimerTrigger) => Promise<void>,
  now: () => Date = () => new Date(),
): () => void {
  let lastSecond = Math.floor(now().getTime() / 1000)
  const handle = setInterval(() => {
    const second = Math.floor(now().getTime() / 1000)
    // Fire each second passed since the last tick once, even if a tick was late.
    for (let s = lastSecond + 1; s <= second; s++) {
      const at = new Date(s * 1000)
      for (const trigger of triggers) if (trigger.schedule.matches(at)) void fire(trigger)
    }
    lastSecond = second
  }, 1000)
  handle.unref()
  return () => clearInterval(handle)
}

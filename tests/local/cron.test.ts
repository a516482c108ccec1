import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCron } from '../../shared/rules/cron'
import { readTimerTriggers, startTimers, type TimerTrigger } from '../../local/timers'

// Beijing 2026-11-23 02:00:00 (a Monday) is 2026-11-22T18:00:00Z.
const mondayTwoAm = new Date('2026-11-22T18:00:00Z')

describe('7-field timer cron', () => {
  it('matches in Beijing time, as CloudBase does', () => {
    expect(parseCron('0 0 2 * * * *').matches(mondayTwoAm)).toBe(true)
    expect(parseCron('0 0 18 * * * *').matches(mondayTwoAm)).toBe(false)
    expect(parseCron('0 0 2 * * * *').matches(new Date(mondayTwoAm.getTime() + 1000))).toBe(false)
  })

  it('supports lists, ranges, steps and day-of-week with Sunday as 0 or 7', () => {
    expect(parseCron('0 */15 * * * * *').matches(new Date('2026-11-22T18:45:00Z'))).toBe(true)
    expect(parseCron('0 */15 * * * * *').matches(new Date('2026-11-22T18:44:00Z'))).toBe(false)
    expect(parseCron('0 0 1-3 * * 1 *').matches(mondayTwoAm)).toBe(true)
    expect(parseCron('0 0 1,5 * * * *').matches(mondayTwoAm)).toBe(false)
    const sundayNoon = new Date('2026-11-22T04:00:00Z')
    expect(parseCron('0 0 12 * * 7 *').matches(sundayNoon)).toBe(true)
    expect(parseCron('0 0 12 * * 0 *').matches(sundayNoon)).toBe(true)
    expect(parseCron('0 0 12 * * 0 2027').matches(sundayNoon)).toBe(false)
  })

  it('refuses malformed expressions with a message naming the field', () => {
    expect(() => parseCron('0 0 2 * * *')).toThrow(/7 fields/)
    expect(() => parseCron('0 61 2 * * * *')).toThrow(/field 2/)
    expect(() => parseCron('0 0 x * * * *')).toThrow(/field 3/)
  })
})

describe('timer triggers from config.json', () => {
  function functionsDir(triggers: unknown[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'lechat-fn-'))
    mkdirSync(join(dir, 'jobs'))
    writeFileSync(join(dir, 'jobs', 'config.json'), JSON.stringify({ permissions: { openapi: [] }, triggers }))
    return dir
  }

  it('reads timer triggers and ignores other kinds', () => {
    const dir = functionsDir([
      { name: 'nightly', type: 'timer', config: '0 0 2 * * * *' },
      { name: 'other', type: 'http', config: '/x' },
    ])
    const triggers = readTimerTriggers(dir, ['jobs'])
    expect(triggers.map((t) => [t.fn, t.name, t.cron])).toEqual([['jobs', 'nightly', '0 0 2 * * * *']])
  })

  it('refuses a trigger with a bad cron when the cloud starts, not when it fires', () => {
    const dir = functionsDir([{ name: 'broken', type: 'timer', config: '* * *' }])
    expect(() => readTimerTriggers(dir, ['jobs'])).toThrow(/7 fields/)
  })

  it('fires every matching second that passed, once', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-22T17:59:58Z') })
    try {
      const fired: string[] = []
      const trigger: TimerTrigger = { fn: 'jobs', name: 'nightly', cron: '0 0 2 * * * *', schedule: parseCron('0 0 2 * * * *') }
      const stop = startTimers([trigger], async (t) => {
        fired.push(`${t.fn}.${t.name}@${new Date().toISOString()}`)
      })
      jest.advanceTimersByTime(5000)
      stop()
      expect(fired).toEqual(['jobs.nightly@2026-11-22T18:00:00.000Z'])
    } finally {
      jest.useRealTimers()
    }
  })
})

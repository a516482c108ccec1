/**
 * CloudBase timer triggers use 7 fields: second minute hour day-of-month month day-of-week year.
 * Supports `*`, numbers, lists `a,b`, ranges `a-b` and steps `*\/n`, `a-b/n`; day-of-week 0–6 (Sunday 0 or 7).
 * Local time is Beijing time, as in CloudBase.
 */
const FIELD_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
  [1970, 2199],
]

export interface CronSchedule {
  matches(date: Date): boolean
}

function parseField(text: string, [min, max]: readonly [number, number], index: number): Set<number> {
  const values = new Set<number>()
  for (const part of text.split(',')) {
    const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part)
    if (!match || match[1] === undefined) throw new Error(`cron field ${index + 1} is invalid: "${text}"`)
    const [from, to] = match[1] === '*' ? [min, max] : match[1].split('-').map(Number)
    const start = from ?? min
    const end = match[1].includes('-') || match[1] === '*' ? (to ?? max) : match[2] ? max : start
    const step = match[2] ? Number(match[2]) : 1
    if (start < min || end > max || start > end || step < 1) throw new Error(`cron field ${index + 1} is out of range: "${text}"`)
    for (let v = start; v <= end; v += step) values.add(v)
  }
  return values
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 7) throw new Error(`cron needs 7 fields (second … year), got ${fields.length}: "${expression}"`)
  const sets = fields.map((f, i) => parseField(f, FIELD_RANGES[i] ?? [0, 0], i))
  const weekdays = sets[5] ?? new Set<number>()
  if (weekdays.has(7)) weekdays.add(0)
  return {
    matches(date) {
      const t = new Date(date.getTime() + BEIJING_OFFSET_MS)
      const parts = [
        t.getUTCSeconds(),
        t.getUTCMinutes(),
        t.getUTCHours(),
        t.getUTCDate(),
        t.getUTCMonth() + 1,
        t.getUTCDay(),
        t.getUTCFullYear(),
      ]
      return parts.every((value, i) => sets[i]?.has(value) ?? false)
    },
  }
}

/** How far back `dueSince` looks: a job missed for longer runs once, not once per missed moment. */
const LOOKBACK_LIMIT_MS = 2 * 24 * 3600 * 1000

/** Whether the schedule had a moment in (after, upTo]: whole seconds, at most two days back. */
export function dueSince(schedule: CronSchedule, after: Date, upTo: Date): boolean {
  const last = Math.floor(upTo.getTime() / 1000)
  const first = Math.max(Math.floor(after.getTime() / 1000) + 1, last - LOOKBACK_LIMIT_MS / 1000)
  for (let s = last; s >= first; s--) if (schedule.matches(new Date(s * 1000))) return true
  return false
}

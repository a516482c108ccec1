/**
 * Activity times as people pick and read them: the date and time pickers work
 * in Beijing time (what the organizer and attendees mean by "7 pm"), whatever
 * the phone's time zone; the server takes ISO 8601 with the +08:00 offset.
 */

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function shifted(iso: string): Date | null {
  const time = Date.parse(iso)
  return Number.isNaN(time) ? null : new Date(time + BEIJING_OFFSET_MS)
}

/** YYYY-MM-DD in Beijing, '' for an unreadable time. */
export function beijingDate(iso: string): string {
  const d = shifted(iso)
  return d ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` : ''
}

/** HH:mm in Beijing, '' for an unreadable time. */
export function beijingClock(iso: string): string {
  const d = shifted(iso)
  return d ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : ''
}

/** The picked date (YYYY-MM-DD) and time (HH:mm) as ISO 8601 with +08:00; '' when either is missing or malformed. */
export function isoFromBeijing(date: string, clock: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(clock)) return ''
  const iso = `${date}T${clock}:00+08:00`
  return Number.isNaN(Date.parse(iso)) ? '' : iso
}

/** Milliseconds since the epoch, NaN for '' or an unreadable time. */
export function timeOf(iso: string): number {
  return iso ? Date.parse(iso) : Number.NaN
}

/**
 * The same minute: the pickers have minutes, stored times may carry seconds,
 * so a time the form did not change compares equal to the stored one.
 */
export function sameMinute(a: string, b: string): boolean {
  const x = timeOf(a)
  const y = timeOf(b)
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y)
  return Math.floor(x / 60_000) === Math.floor(y / 60_000)
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/** 5月1日 周三 19:00 */
export function formatMoment(iso: string): string {
  const d = shifted(iso)
  if (!d) return ''
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 周${WEEKDAYS[d.getUTCDay()] ?? ''} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** 5月1日 周三 19:00–21:00 on one day, 5月1日 周三 19:00 至 5月2日 周四 12:00 across days. */
export function formatRange(startIso: string, endIso: string): string {
  const start = formatMoment(startIso)
  const end = formatMoment(endIso)
  if (!start || !end) return start || end
  if (beijingDate(startIso) === beijingDate(endIso)) return `${start}–${beijingClock(endIso)}`
  return `${start} 至 ${end}`
}

/** The date and time pickers' initial values: `daysAhead` days from now at `clock` (Beijing). */
export function defaultMoment(now: Date, daysAhead: number, clock: string): { date: string; clock: string } {
  return { date: beijingDate(new Date(now.getTime() + daysAhead * 24 * 3600 * 1000).toISOString()), clock }
}

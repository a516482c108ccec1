/**
 * Dates as users read them. Effective dates of legal documents and consent times
 * are shown in Beijing time whatever the phone's time zone, so that what the
 * user sees matches the documents and the receipts.
 */

function beijing(iso: string): Date | null {
  const time = Date.parse(iso)
  return Number.isNaN(time) ? null : new Date(time + 8 * 3600 * 1000)
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** 2024年6月1日 */
export function formatDate(iso: string): string {
  const d = beijing(iso)
  if (!d) return ''
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

/** 2024-06-01 09:30 */
export function formatDateTime(iso: string): string {
  const d = beijing(iso)
  if (!d) return ''
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** Today's calendar date in Beijing, YYYY-MM-DD (the latest birth date a picker offers). */
export function todayInBeijing(now: Date = new Date()): string {
  const d = new Date(now.getTime() + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** The first 12 hex characters: enough to compare by eye, the full hash is one tap away. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12)
}

/**
 * The visitors page's 30-day chart, drawn with plain views: one bar per day,
 * its height a share of the busiest day, each with an aria-label a screen
 * reader reads out (date and counts). Pure, so the numbers are testable.
 */

export interface VisitDayInput {
  /** YYYY-MM-DD (Beijing). */
  date: string
  visitors: number
  anonymous: number
}

export interface ChartBar {
  date: string
  /** 6月1日 */
  dayLabel: string
  /** Under the bar every 7th day (and the last), else ''. */
  axisLabel: string
  total: number
  visitors: number
  anonymous: number
  /** 0–100, of the chart's height; a day with views is never thinner than a sliver. */
  heightPercent: number
  /** Registered visitors' share of the bar, 0–100. */
  visitorPercent: number
  ariaLabel: string
}

export interface VisitChart {
  bars: ChartBar[]
  /** The busiest day's total (the top of the scale). */
  max: number
  total: number
  /** One sentence for the whole chart. */
  summary: string
}

/** 2024-06-01 → 6月1日 */
export function dayLabelOf(date: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return date
  return `${Number(match[1])}月${Number(match[2])}日`
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0
}

export function visitChart(days: readonly VisitDayInput[]): VisitChart {
  const totals = days.map((d) => count(d.visitors) + count(d.anonymous))
  const max = totals.reduce((a, b) => Math.max(a, b), 0)
  const total = totals.reduce((a, b) => a + b, 0)
  const bars = days.map((d, index) => {
    const visitors = count(d.visitors)
    const anonymous = count(d.anonymous)
    const dayTotal = visitors + anonymous
    const dayLabel = dayLabelOf(d.date)
    const parts = [`${visitors} 位访客`]
    if (anonymous > 0) parts.push(`${anonymous} 次匿名浏览`)
    return {
      date: d.date,
      dayLabel,
      axisLabel: index % 7 === 0 || index === days.length - 1 ? dayLabel : '',
      total: dayTotal,
      visitors,
      anonymous,
      heightPercent: max === 0 || dayTotal === 0 ? 0 : Math.max(4, Math.round((dayTotal / max) * 100)),
      visitorPercent: dayTotal === 0 ? 0 : Math.round((visitors / dayTotal) * 100),
      ariaLabel: dayTotal === 0 ? `${dayLabel}：没有访问` : `${dayLabel}：${parts.join('，')}`,
    }
  })
  const first = days[0]
  const last = days[days.length - 1]
  const range = first && last ? `${dayLabelOf(first.date)}至${dayLabelOf(last.date)}` : '近 30 天'
  return {
    bars,
    max,
    total,
    summary: total === 0 ? `${range}还没有人看过这张名片` : `${range}共 ${total} 次访问，单日最多 ${max} 次`,
  }
}

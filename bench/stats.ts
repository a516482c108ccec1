/** Small helpers shared by the benchmarks: timing samples and a printed table. */
export interface BenchRow {
  name: string
  value: string
  note?: string
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)
  return sortedMs[Math.max(0, index)] ?? Number.NaN
}

/** Runs `fn` `count` times one after another and returns the sorted durations in ms. */
export async function sample(count: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint()
    await fn(i)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times.sort((a, b) => a - b)
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`
  if (ms < 10) return `${ms.toFixed(2)} ms`
  return `${ms.toFixed(0)} ms`
}

export function p50p99(sortedMs: readonly number[]): string {
  return `p50 ${formatMs(percentile(sortedMs, 50))} · p99 ${formatMs(percentile(sortedMs, 99))}`
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 10)
  const valueWidth = Math.max(...rows.map((r) => r.value.length), 10)
  console.log(`\n${title}`)
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(nameWidth)}  ${row.value.padEnd(valueWidth)}  ${row.note ?? ''}`.trimEnd())
  }
}

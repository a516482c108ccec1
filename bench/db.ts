/**
 * Local database: indexed equality lookup inside the engine (no HTTP) at 10k
 * and 1M documents, and the same lookup without an index at 10k.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DB_FILE, LocalDatabase } from '../local/db/engine'
import type { CollectionSpec } from '../local/db/spec'
import { formatMs, percentile, type BenchRow as Row } from './stats'


const BATCH = 10_000
const SPEC: CollectionSpec[] = [
  { name: 'indexed', indexes: [{ name: 'key_1', fields: [{ field: 'key', direction: 'asc' }], unique: false }] },
  { name: 'plain', indexes: [] },
]

function makeDoc(i: number): Record<string, string | number | Date> {
  return {
    _id: `doc-${i.toString(36).padStart(6, '0')}`,
    key: `k${i}`,
    owner: `owner-${i % 997}`,
    title: `名片 ${i} · business card title`,
    n: i,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
  }
}

function load(db: LocalDatabase, coll: string, count: number): number {
  const started = process.hrtime.bigint()
  for (let from = 0; from < count; from += BATCH) {
    const docs = []
    for (let i = from; i < Math.min(count, from + BATCH); i++) docs.push(makeDoc(i))
    db.insert(coll, docs)
  }
  return Number(process.hrtime.bigint() - started) / 1e9
}

/** Deterministic pseudo-random keys so runs compare. */
function* keys(count: number, total: number): Generator<string> {
  let x = 12345
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    yield `k${x % total}`
  }
}

function lookups(db: LocalDatabase, coll: string, total: number, count: number): { p50: number; p99: number } {
  for (const k of keys(Math.min(200, count), total)) db.find(coll, { key: k }, { limit: 100 })
  const times: number[] = []
  for (const k of keys(count, total)) {
    const t0 = process.hrtime.bigint()
    const found = db.find(coll, { key: k }, { limit: 100 })
    times.push(Number(process.hrtime.bigint() - t0) / 1000)
    if (found.length !== 1) throw new Error(`lookup of ${k} found ${found.length} documents`)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

const us = (micros: number): string => formatMs(micros / 1000)

export async function benchDb(): Promise<Row[]> {
  const rows: Row[] = []
  const dir = mkdtempSync(path.join(tmpdir(), 'lechat-bench-db-'))
  try {
    const small = new LocalDatabase({ dataDir: path.join(dir, 'small'), collections: SPEC })
    load(small, 'indexed', 10_000)
    load(small, 'plain', 10_000)
    const s = lookups(small, 'indexed', 10_000, 5_000)
    const scan = lookups(small, 'plain', 10_000, 100)
    small.close()

    const big = new LocalDatabase({ dataDir: path.join(dir, 'big'), collections: SPEC.slice(0, 1) })
    const loadSeconds = load(big, 'indexed', 1_000_000)
    const b = lookups(big, 'indexed', 1_000_000, 5_000)
    big.close()
    const mb = statSync(path.join(dir, 'big', DB_FILE)).size / 1e6

    rows.push(
      { name: 'db indexed lookup, 10k docs, p50', value: us(s.p50) },
      { name: 'db indexed lookup, 10k docs, p99', value: us(s.p99) },
      { name: 'db indexed lookup, 1M docs, p50', value: us(b.p50) },
      { name: 'db indexed lookup, 1M docs, p99', value: us(b.p99) },
      { name: 'db indexed lookup p50, 1M / 10k', value: `${(b.p50 / s.p50).toFixed(2)}×` },
      { name: 'db lookup without index (scan), 10k docs, p50', value: us(scan.p50) },
      { name: 'db lookup without index (scan), 10k docs, p99', value: us(scan.p99) },
      { name: 'db scan / indexed, 10k docs, p50', value: `${(scan.p50 / s.p50).toFixed(0)}×` },
      { name: 'db load 1M docs (10k per transaction)', value: `${loadSeconds.toFixed(1)} s` },
      { name: 'db file at 1M docs', value: `${mb.toFixed(0)} MB` },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

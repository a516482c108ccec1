/**
 * The sign-up burst: 500 people sign up for a 50-seat activity at the same
 * moment, each call through the dispatcher, the real wx-server-sdk and the
 * local database (file-backed, WAL). Reports the wall time of the whole burst,
 * the calls answered per second, and whether exactly 50 got a seat.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActivityDoc, SignUpDoc } from '../cloudfunctions/_core/activities/records'
import { COLLECTIONS } from '../cloudfunctions/_core/collections'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, verifiedPublisher, type TestCloud } from '../local/testing'
import type { ApiResult } from '../shared/errors'
import { formatMs, type BenchRow } from './stats'
import { countingRuntime } from './db-calls'
import { serve } from '../cloudfunctions/_core/dispatch'
import { FUNCTIONS } from '../local/functions'

const PEOPLE = 500
const SEATS = 50
const ROUNDS = 3
const ORGANIZER = 'bench-organizer'
const DAY = 24 * 3600 * 1000

async function registerAll(cloud: TestCloud): Promise<string[]> {
  const openids = Array.from({ length: PEOPLE }, (_, i) => `bench-attendee-${i}`)
  for (let i = 0; i < openids.length; i += 50) await Promise.all(openids.slice(i, i + 50).map((o) => acceptCurrentTerms(cloud, o)))
  return openids
}

async function publish(cloud: TestCloud, round: number): Promise<string> {
  const startAt = new Date(cloud.clock.now().getTime() + 7 * DAY)
  const input = {
    title: `抢座基准活动 ${round + 1}`,
    description: '名额有限，先到先得。',
    place: '上海市徐汇区漕河泾会议中心',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * 3600 * 1000).toISOString(),
    capacity: SEATS,
  }
  const reply = await cloud.call('activities', { action: 'publish', input }, ORGANIZER)
  if (!reply.ok) throw new Error(`publish failed: ${reply.error.code}`)
  return (reply.data as { activity: { id: string } }).activity.id
}

interface Burst {
  ms: number
  ok: number
  full: number
  other: number
  taken: number
  held: number
}

async function burst(cloud: TestCloud, people: readonly string[], round: number): Promise<Burst> {
  const id = await publish(cloud, round)
  const start = process.hrtime.bigint()
  const results: Array<ApiResult<unknown>> = await Promise.all(people.map((openid) => cloud.call('activities', { action: 'signUp', input: { id } }, openid)))
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const activity = await cloud.store.collection<ActivityDoc>(COLLECTIONS.activities).byId(id)
  const held = await cloud.store.collection<SignUpDoc>(COLLECTIONS.activitySignUps).count({ activityId: id, seat: 'held' })
  const ok = results.filter((r) => r.ok).length
  const full = results.filter((r) => !r.ok && r.error.code === 'ACTIVITY_FULL').length
  return { ms, ok, full, other: results.length - ok - full, taken: activity?.taken ?? -1, held }
}

export async function benchSignUps(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-signup-'))
  const cloud = await startTestCloud({ dataDir: dir })
  try {
    await ensureTestDocuments(cloud)
    await verifiedPublisher(cloud, ORGANIZER)
    const people = await registerAll(cloud)
    // A warm-up burst, then the measured ones (each on a fresh activity, the same 500 people).
    await burst(cloud, people, -1)
    const runs: Burst[] = []
    for (let round = 0; round < ROUNDS; round++) runs.push(await burst(cloud, people, round))
    const sorted = [...runs].sort((a, b) => a.ms - b.ms)
    const median = sorted[Math.floor(sorted.length / 2)] ?? sorted[0]
    if (!median) return []
    // One sign-up on its own, counted (the burst's sign-ups each do the same, plus retries under contention).
    const single = await publish(cloud, ROUNDS)
    const counting = countingRuntime(cloud.runtimeFor(people[0] ?? ''))
    await serve(FUNCTIONS.activities, { action: 'detail', input: { id: single } }, counting.runtime)
    counting.take()
    const signed = await serve(FUNCTIONS.activities, { action: 'signUp', input: { id: single } }, counting.runtime)
    const signUpCalls = signed.ok ? counting.take() : -1
    const exact = runs.every((r) => r.ok === SEATS && r.taken === SEATS && r.held === SEATS && r.full === PEOPLE - SEATS && r.other === 0)
    return [
      {
        name: `${PEOPLE} concurrent sign-ups → ${SEATS} seats (median of ${ROUNDS})`,
        value: formatMs(median.ms),
        note: `${((PEOPLE * 1000) / median.ms).toFixed(0)} sign-ups/s; ${signUpCalls} database calls for one uncontended sign-up; runs ${runs.map((r) => formatMs(r.ms)).join(' / ')}`,
      },
      {
        name: '  outcome of every run',
        value: exact ? `exactly ${SEATS}` : 'MISMATCH',
        note: runs.map((r) => `${r.ok} seated, ${r.full} full, ${r.other} other, taken ${r.taken}, held ${r.held}`).join(' | '),
      },
    ]
  } finally {
    await cloud.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

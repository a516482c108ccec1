/**
 * A handler round trip through the real wx-server-sdk and the local cloud,
 * the same with the SDK's metadata lookup left on (what happens without
 * TENCENTCLOUD=true), and the local gateway's throughput on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '../cloudfunctions/_core/dispatch'
import { FUNCTIONS } from '../local/functions'
import { acceptCurrentTerms, startTestCloud } from '../local/testing'
import { p50p99, sample, type BenchRow } from './stats'

const USER = 'bench-user'

export async function benchFunctions(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lechat-bench-fn-'))
  const cloud = await startTestCloud({ dataDir: dir })
  try {
    // getProfile passes the consent gate: one ledger query plus the cached documents per call.
    await acceptCurrentTerms(cloud, USER)
    const runtime = cloud.runtimeFor(USER)
    const getProfile = (): Promise<unknown> => serve(FUNCTIONS.account, { action: 'getProfile' }, runtime)

    await sample(200, getProfile)
    const roundTrip = await sample(2000, getProfile)

    // The SDK reads TENCENTCLOUD on each call: unset, it first asks the cloud metadata host.
    process.env.TENCENTCLOUD = ''
    const withLookup = await sample(10, getProfile)
    process.env.TENCENTCLOUD = 'true'

    const throughput = await gatewayThroughput(cloud.url, 3000, 16)
    const p50 = roundTrip[Math.floor(roundTrip.length / 2)] ?? 1
    const lookupP50 = withLookup[Math.floor(withLookup.length / 2)] ?? 1
    return [
      { name: 'account.getProfile via dispatcher + real SDK + local DB', value: p50p99(roundTrip), note: '2000 calls, one at a time' },
      {
        name: '  same, SDK metadata lookup on (naive setup)',
        value: p50p99(withLookup),
        note: `10 calls; ${(lookupP50 / p50).toFixed(0)}× slower than with TENCENTCLOUD=true`,
      },
      { name: 'gateway POST /call getProfile on loopback', value: `${throughput.toFixed(0)} req/s`, note: '16 concurrent clients, 3 s' },
    ]
  } finally {
    await cloud.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function gatewayThroughput(url: string, durationMs: number, clients: number): Promise<number> {
  const body = JSON.stringify({ name: 'account', data: { action: 'getProfile' } })
  const headers = { 'content-type': 'application/json', 'x-lechat-openid': USER }
  const deadline = Date.now() + durationMs
  let done = 0
  const client = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const response = await fetch(`${url}/call`, { method: 'POST', body, headers })
      const reply = (await response.json()) as { ok?: boolean }
      if (!reply.ok) throw new Error('gateway call failed during the benchmark')
      done++
    }
  }
  const start = Date.now()
  await Promise.all(Array.from({ length: clients }, client))
  return (done * 1000) / (Date.now() - start)
}

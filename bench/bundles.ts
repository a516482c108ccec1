/**
 * Each deployed function's bundle: its size and the cold load of its own code,
 * as a fresh cloud instance pays it. Each function is built as for the cloud,
 * then loaded in LOAD_RUNS fresh Node processes with its production settings:
 * wx-server-sdk first (every function loads it, the reference), then the
 * bundle (its module body runs createMain: settings checked, ports built).
 */
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { settingsFor } from '../deploy/settings'
import { buildFunctions, FUNCTION_BUNDLE_BUDGET } from '../scripts/build-functions'
import type { BenchRow } from './stats'

const root = join(__dirname, '..')
const LOAD_RUNS = 20

/** A complete production operator file, made up for the run (random keys, never deployed). */
function operatorValues(): Record<string, string> {
  const signingJwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'bench' }
  return {
    LECHAT_BLIND_INDEX_KEY: randomBytes(32).toString('hex'),
    LECHAT_OPERATOR_NAME: '测试运营方',
    LECHAT_OPERATOR_CONTACT: '010-00000000',
    LECHAT_OPERATOR_EMAIL: 'privacy@example.cn',
    LECHAT_OPERATOR_ADDRESS: '北京市某区某路 1 号',
    LECHAT_ID_KEYS: `k1:${randomBytes(32).toString('hex')}`,
    LECHAT_ID_KEY_CURRENT: 'k1',
    LECHAT_IDENTITY_PROVIDER: 'tencent-faceid',
    LECHAT_FACEID_SECRET_ID: 'AKID-bench',
    LECHAT_FACEID_SECRET_KEY: 'bench-secret',
    LECHAT_FACEID_RULE_ID: '1',
    LECHAT_FACEID_CLIENT: 'h5',
    LECHAT_FIRST_ADMIN_CODE: randomBytes(16).toString('hex'),
    LECHAT_OIDC_ISSUER: 'https://bench.example.cn',
    LECHAT_OIDC_SIGNING_KEYS: JSON.stringify({ keys: [signingJwk] }),
  }
}

/** Run in each fresh process: milliseconds to load wx-server-sdk, then the bundle. */
const LOADER = `
const { performance } = require('node:perf_hooks')
const t0 = performance.now()
require('wx-server-sdk')
const t1 = performance.now()
require(process.argv[1])
const t2 = performance.now()
process.stdout.write(JSON.stringify({ sdk: t1 - t0, own: t2 - t1 }))
`

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

export async function benchBundles(): Promise<BenchRow[]> {
  // Inside the repository, so that the bundles find wx-server-sdk in node_modules as in the cloud's folder.
  const out = join(root, 'node_modules', '.cache', 'lechat-bench-functions')
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  try {
    const built = await buildFunctions(join(root, 'cloudfunctions'), out)
    const values = operatorValues()
    const rows: BenchRow[] = []
    const sdkTimes: number[] = []
    for (const bundle of built) {
      const fn = bundle.file.split('/')[1] ?? ''
      const env = { PATH: process.env.PATH ?? '', TENCENTCLOUD: 'true', ...settingsFor(fn, values) }
      const own: number[] = []
      for (let run = 0; run < LOAD_RUNS; run++) {
        const reply = JSON.parse(execFileSync(process.execPath, ['-e', LOADER, join(out, fn, 'index.js')], { env, encoding: 'utf8' })) as { sdk: number; own: number }
        own.push(reply.own)
        sdkTimes.push(reply.sdk)
      }
      const kb = bundle.bytes / 1024
      rows.push({
        name: `${fn}`,
        value: `${kb.toFixed(1)} KB · ${median(own).toFixed(1)} ms`,
        note: `${bundle.bytes > FUNCTION_BUNDLE_BUDGET ? 'over the 120 KB budget; ' : ''}largest: ${(bundle.largest ?? []).map((i) => `${i.input} ${(i.bytes / 1024).toFixed(1)} KB`).join(', ')}`,
      })
    }
    rows.push({ name: 'wx-server-sdk itself (the reference)', value: `${median(sdkTimes).toFixed(1)} ms`, note: `median of ${sdkTimes.length} fresh processes; each function's own load is the median of ${LOAD_RUNS} (goal ≤ 20 ms, bundle ≤ 120 KB)` })
    return rows
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

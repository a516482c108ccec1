/**
 * One timer trigger per function: the scheduler's `tick` runs whichever job
 * is due, each on its own schedule and with its own state, once per due
 * moment however many ticks overlap — through the real dispatcher.
 */
import { accounts } from '../../cloudfunctions/_core/accounts'
import { SCHEDULER_JOBS } from '../../cloudfunctions/scheduler/handlers'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { parseCron } from '../../shared/rules/cron'
import { ok } from './helpers'
import { signUp, stored } from './lifecycle-helpers'

let cloud: TestCloud
/** 02:35 Beijing (18:35 UTC the day before). */
const START = new Date('2026-12-06T18:35:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
})
afterAll(async () => {
  await cloud.close()
})

const tick = async () => ok(await cloud.gateway.fireTimer('scheduler', 'tick'))

async function lastRun(job: string): Promise<string | null> {
  const state = await cloud.store.collection<{ _id: string; lastRunAt: Date }>('counters').byId(`timer:scheduler:${job}`)
  return state ? state.lastRunAt.toISOString() : null
}

it('runs the jobs whose moment came since they last ran, each once', async () => {
  // A suspension that ended: tidyTimedStates (every 10 minutes) makes it active.
  const person = await signUp(cloud, 'tick-person')
  await accounts(cloud.store).update(person._id, { state: 'suspended', stateUntil: new Date(START.getTime() - 60_000), stateVersion: 1 })

  await tick()
  expect((await stored(cloud, 'tick-person')).state).toBe('active')
  // 02:30 was within the last tick: the deletions ran; 10:00 was not: dormancy did not.
  expect(await lastRun('tidyTimedStates')).toBe(START.toISOString())
  expect(await lastRun('runDeletions')).toBe(START.toISOString())
  expect(await lastRun('dormancy')).toBeNull()

  // Two ticks at once (or a tick fired again): nothing is due twice.
  await Promise.all([tick(), tick()])
  expect(await lastRun('runDeletions')).toBe(START.toISOString())

  // 10:05 Beijing: dormancy is due, the deletions are not (next at 02:30 tomorrow).
  cloud.clock.set(new Date('2026-12-07T02:05:00.000Z'))
  await tick()
  expect(await lastRun('dormancy')).toBe('2026-12-07T02:05:00.000Z')
  expect(await lastRun('runDeletions')).toBe(START.toISOString())
  expect(await lastRun('tidyTimedStates')).toBe('2026-12-07T02:05:00.000Z')
})

it('gives every job a schedule a trigger could have', () => {
  for (const job of Object.values(SCHEDULER_JOBS)) expect(() => parseCron(job.cron)).not.toThrow()
})

/**
 * Exactly-capacity sign-ups under concurrency, without transactions: every
 * request goes through the real dispatcher and SDK to the local database at
 * the same time; afterwards the counter, the held sign-ups and the capacity agree.
 */
import type { ActivityDoc, SignUpDoc } from '../../cloudfunctions/_core/activities/records'
import { ensureTestDocuments, startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { ActivityDetail } from '../../shared/contract/activities'
import type { ApiResult } from '../../shared/errors'
import { registerMany } from './activities-helpers'
import { ok } from './helpers'

let cloud: TestCloud
let people: string[]
const ORGANIZER = 'burst-organizer'
const DAY = 24 * 3600 * 1000

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-10-01T02:00:00.000Z') })
  await ensureTestDocuments(cloud)
  await verifiedPublisher(cloud, ORGANIZER)
  people = await registerMany(cloud, 'burst', 500)
}, 120_000)
afterAll(async () => {
  await cloud.close()
})

const act = (openid: string, action: string, input: unknown = {}) => cloud.call('activities', { action, input }, openid)

async function publish(capacity: number): Promise<string> {
  const startAt = new Date(cloud.clock.now().getTime() + 7 * DAY)
  const input = {
    title: '抢座测试活动',
    description: '名额有限，先到先得。',
    place: '上海市徐汇区漕河泾会议中心',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * 3600 * 1000).toISOString(),
    capacity,
  }
  return ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'publish', input)).activity.id
}

function codes(results: ReadonlyArray<ApiResult<unknown>>): Record<string, number> {
  const count: Record<string, number> = {}
  for (const r of results) {
    const key = r.ok ? 'ok' : r.error.code
    count[key] = (count[key] ?? 0) + 1
  }
  return count
}

async function seatsOf(id: string): Promise<{ taken: number; capacity: number; held: number; pending: number }> {
  const activity = await cloud.store.collection<ActivityDoc>('activities').byId(id)
  const signUps = cloud.store.collection<SignUpDoc>('activity_signups')
  return {
    taken: activity?.taken ?? -1,
    capacity: activity?.capacity ?? -1,
    held: await signUps.count({ activityId: id, seat: 'held' }),
    pending: await signUps.count({ activityId: id, seat: 'pending' }),
  }
}

describe('a burst of sign-ups', () => {
  it('gives 50 seats to exactly 50 of 500 people signing up at once', async () => {
    const id = await publish(50)
    const results = await Promise.all(people.map((openid) => act(openid, 'signUp', { id })))
    expect(codes(results)).toEqual({ ok: 50, ACTIVITY_FULL: 450 })
    expect(await seatsOf(id)).toEqual({ taken: 50, capacity: 50, held: 50, pending: 0 })
    const winners = people.filter((_, i) => results[i]?.ok)
    const held = await cloud.store.collection<SignUpDoc>('activity_signups').find({ activityId: id }, { limit: 100 })
    expect(held.map((s) => s.openid).sort()).toEqual(winners.sort())
  }, 60_000)

  it('gives one person one sign-up however many times they press at once', async () => {
    const id = await publish(5)
    const someone = people[0] ?? ''
    const results = await Promise.all(Array.from({ length: 10 }, () => act(someone, 'signUp', { id })))
    expect(codes(results)).toEqual({ ok: 1, ALREADY_SIGNED_UP: 9 })
    expect(await seatsOf(id)).toEqual({ taken: 1, capacity: 5, held: 1, pending: 0 })
  })

  it('keeps seats exact while people cancel and others sign up at the same time', async () => {
    const id = await publish(50)
    const first = people.slice(0, 50)
    for (const r of await Promise.all(first.map((openid) => act(openid, 'signUp', { id })))) expect(r.ok).toBe(true)
    const leaving = first.slice(0, 20)
    const arriving = people.slice(100, 200)
    const [cancels, signUps] = await Promise.all([
      Promise.all(leaving.map((openid) => act(openid, 'cancelSignUp', { id }))),
      Promise.all(arriving.map((openid) => act(openid, 'signUp', { id }))),
    ])
    expect(codes(cancels)).toEqual({ ok: 20 })
    const taken = codes(signUps).ok ?? 0
    expect(taken).toBeLessThanOrEqual(20)
    const seats = await seatsOf(id)
    expect(seats).toEqual({ taken: 30 + taken, capacity: 50, held: 30 + taken, pending: 0 })
    // Whatever the interleaving, the freed seats can all be taken now.
    const rest = people.slice(200, 260)
    const late = await Promise.all(rest.map((openid) => act(openid, 'signUp', { id })))
    expect(codes(late).ok ?? 0).toBe(20 - taken)
    expect(await seatsOf(id)).toEqual({ taken: 50, capacity: 50, held: 50, pending: 0 })
  }, 60_000)

  it('never lets a capacity cut and a burst of sign-ups together exceed the seats', async () => {
    const id = await publish(40)
    const crowd = people.slice(300, 400)
    const [edit, results] = await Promise.all([
      act(ORGANIZER, 'update', { id, capacity: 20 }),
      Promise.all(crowd.map((openid) => act(openid, 'signUp', { id }))),
    ])
    const seats = await seatsOf(id)
    expect(seats.pending).toBe(0)
    expect(seats.held).toBe(seats.taken)
    expect(seats.held).toBe(codes(results).ok)
    expect(seats.taken).toBeLessThanOrEqual(seats.capacity)
    // Either the cut won (≤ 20 seats given) or it came too late and was refused: never a mix.
    if (edit.ok) expect(seats).toMatchObject({ capacity: 20, taken: 20 })
    else expect(seats).toMatchObject({ capacity: 40, taken: 40 })
  }, 60_000)
})

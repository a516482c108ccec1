/**
 * The activities function's `repairSeats` timer (config.json): seats a run
 * claimed and never turned into a held sign-up (it died between the steps of
 * seats.ts) are given back by recounting `taken` from the held sign-ups — only
 * once no run touching the seats can still be under way, and never over a
 * claim or release made meanwhile — and stale pending sign-ups are removed.
 * A dying run is arranged by writing exactly what it had written when it
 * stopped; everything else goes through the real dispatcher, SDK and local DB.
 */
import type { ActivityDoc, SignUpDoc } from '../../cloudfunctions/_core/activities/records'
import { recountSeats, SEATS_QUIET_MS, STALE_PENDING_MS } from '../../cloudfunctions/_core/activities/seats'
import type { Context } from '../../cloudfunctions/_core/context'
import { ensureTestDocuments, startTestCloud, verifiedPublisher, type TestCloud } from '../../local/testing'
import type { ActivityDetail } from '../../shared/contract/activities'
import { registerMany } from './activities-helpers'
import { DAY, errorOf, ok } from './helpers'

let cloud: TestCloud
let people: string[]
const ORGANIZER = 'repair-organizer'
const MINUTE = 60_000

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-10-01T02:00:00.000Z') })
  await ensureTestDocuments(cloud)
  await verifiedPublisher(cloud, ORGANIZER)
  people = await registerMany(cloud, 'repair', 30)
}, 60_000)
afterAll(async () => {
  await cloud.close()
})

const act = (openid: string, action: string, input: unknown = {}) => cloud.call('activities', { action, input }, openid)
const activities = () => cloud.store.collection<ActivityDoc>('activities')
const signUps = () => cloud.store.collection<SignUpDoc>('activity_signups')
const repair = async () => ok(await cloud.gateway.fireTimer('activities', 'repairSeats'))
let next = 0
const person = (): string => people[next++] ?? ''

async function publish(capacity: number): Promise<string> {
  const startAt = new Date(cloud.clock.now().getTime() + 7 * DAY)
  const input = {
    title: '名额修复测试',
    description: '测试名额的自动修复。',
    place: '上海市徐汇区漕河泾会议中心',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * 3600 * 1000).toISOString(),
    capacity,
  }
  return ok<{ activity: ActivityDetail }>(await act(ORGANIZER, 'publish', input)).activity.id
}

async function seatsOf(id: string): Promise<{ taken: number; held: number; pending: number }> {
  const activity = await activities().byId(id)
  return {
    taken: activity?.taken ?? -1,
    held: await signUps().count({ activityId: id, seat: 'held' }),
    pending: await signUps().count({ activityId: id, seat: 'pending' }),
  }
}

/** What a sign-up run had written when it died after claiming its seat: its pending sign-up and the claim. */
async function diedAfterClaim(id: string, openid: string): Promise<void> {
  const now = cloud.clock.now()
  await signUps().add({ activityId: id, openid, phone: '13812345678', sharePhone: false, seat: 'pending', createdAt: now })
  await activities().update(id, { taken: cloud.store.cmd.inc(1), seatsChangedAt: now })
}

function timerCtx(): Context {
  return { ...cloud.runtimeFor(''), requestId: 'test', fn: 'activities', action: 'repairSeats', now: cloud.clock.now() }
}

describe('repairSeats', () => {
  it('gives back the seat of a sign-up that died after claiming it, once the seats are quiet, and removes its pending sign-up', async () => {
    const id = await publish(2)
    ok(await act(person(), 'signUp', { id }))
    await diedAfterClaim(id, person())
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 1, pending: 1 })
    expect(errorOf(await act(person(), 'signUp', { id })).code).toBe('ACTIVITY_FULL')

    // Not stale yet: nothing to look at.
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 1, pending: 1 })
    // Stale, but the seats changed too recently for a safe recount: the pending sign-up stays, to be found again.
    cloud.clock.advance(STALE_PENDING_MS + MINUTE)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 1, pending: 1 })

    cloud.clock.advance(SEATS_QUIET_MS)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 1, held: 1, pending: 0 })
    ok(await act(person(), 'signUp', { id }))
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 2, pending: 0 })
  })

  it('removes a stale pending sign-up that never claimed a seat, leaving the count as it is', async () => {
    const id = await publish(3)
    ok(await act(person(), 'signUp', { id }))
    await signUps().add({ activityId: id, openid: person(), phone: null, sharePhone: false, seat: 'pending', createdAt: cloud.clock.now() })
    cloud.clock.advance(SEATS_QUIET_MS + MINUTE)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 1, held: 1, pending: 0 })
  })

  it('gives back the seat of a cancellation that died between removing its sign-up and releasing the seat', async () => {
    const id = await publish(2)
    const leaving = person()
    ok(await act(person(), 'signUp', { id }))
    ok(await act(leaving, 'signUp', { id }))
    // What cancelSignUp had written when it stopped: the stamp, then the removal; no release.
    await activities().update(id, { seatsChangedAt: cloud.clock.now() })
    await signUps().removeWhere({ activityId: id, openid: leaving })
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 1, pending: 0 })

    cloud.clock.advance(10 * MINUTE)
    await repair()
    expect((await seatsOf(id)).taken).toBe(2)
    cloud.clock.advance(SEATS_QUIET_MS)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 1, held: 1, pending: 0 })
  })

  it('never recounts over a claim made after it read the activity (a live sign-up keeps its seat)', async () => {
    const id = await publish(3)
    ok(await act(person(), 'signUp', { id }))
    await diedAfterClaim(id, person())
    cloud.clock.advance(SEATS_QUIET_MS + MINUTE)
    const seen = await activities().byId(id)
    if (!seen) throw new Error('no activity')

    // A live sign-up claims its seat while the recount runs, and has not marked it held yet.
    const live = person()
    await signUps().add({ activityId: id, openid: live, phone: null, sharePhone: false, seat: 'pending', createdAt: cloud.clock.now() })
    await activities().updateWhere({ _id: id, taken: cloud.store.cmd.lt(3) }, { taken: cloud.store.cmd.inc(1), seatsChangedAt: cloud.clock.now() })

    expect(await recountSeats(timerCtx(), seen)).toBe('raced')
    expect(await seatsOf(id)).toEqual({ taken: 3, held: 1, pending: 2 })
    await signUps().updateWhere({ activityId: id, openid: live, seat: 'pending' }, { seat: 'held' })
    // Full, never over: the lost seat is still lost, and comes back once the seats are quiet again.
    expect(errorOf(await act(person(), 'signUp', { id })).code).toBe('ACTIVITY_FULL')
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 3, held: 2, pending: 1 })
    cloud.clock.advance(SEATS_QUIET_MS + MINUTE)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 2, held: 2, pending: 0 })
  })

  it('is told by every sign-up and cancellation that the seats changed', async () => {
    const id = await publish(2)
    const someone = person()
    ok(await act(someone, 'signUp', { id }))
    expect((await activities().byId(id))?.seatsChangedAt).toEqual(cloud.clock.now())
    cloud.clock.advance(MINUTE)
    ok(await act(someone, 'cancelSignUp', { id }))
    expect((await activities().byId(id))?.seatsChangedAt).toEqual(cloud.clock.now())
  })

  it('is not held off by someone cancelling a sign-up they do not have: only a held sign-up’s cancellation stamps', async () => {
    const id = await publish(2)
    await diedAfterClaim(id, person())
    cloud.clock.advance(STALE_PENDING_MS + SEATS_QUIET_MS)
    const quietStamp = (await activities().byId(id))?.seatsChangedAt
    // Anyone signed in, again and again, right before every run of the timer.
    const stranger = person()
    for (let i = 0; i < 3; i++) expect(errorOf(await act(stranger, 'cancelSignUp', { id })).code).toBe('NOT_FOUND')
    expect((await activities().byId(id))?.seatsChangedAt).toEqual(quietStamp)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 0, held: 0, pending: 0 })
  })

  it('first stamps an activity stored before seat changes were stamped, and recounts it once that stamp is quiet', async () => {
    const id = await publish(2)
    await signUps().add({ activityId: id, openid: person(), phone: null, sharePhone: false, seat: 'pending', createdAt: cloud.clock.now() })
    await activities().update(id, { taken: 1, seatsChangedAt: cloud.store.cmd.remove() })
    cloud.clock.advance(SEATS_QUIET_MS + MINUTE)
    await repair()
    expect((await activities().byId(id))?.seatsChangedAt).toEqual(cloud.clock.now())
    expect(await seatsOf(id)).toEqual({ taken: 1, held: 0, pending: 1 })
    cloud.clock.advance(SEATS_QUIET_MS + MINUTE)
    await repair()
    expect(await seatsOf(id)).toEqual({ taken: 0, held: 0, pending: 0 })
  })

  it('removes stale pending sign-ups of an activity that no longer exists', async () => {
    await signUps().add({ activityId: 'gone-activity', openid: person(), phone: '13812345678', sharePhone: true, seat: 'pending', createdAt: cloud.clock.now() })
    cloud.clock.advance(STALE_PENDING_MS + MINUTE)
    await repair()
    expect(await signUps().count({ activityId: 'gone-activity' })).toBe(0)
  })

  it('runs as a timer only: a call from the mini-program is refused', async () => {
    expect(errorOf(await cloud.call('activities', { Type: 'Timer', TriggerName: 'repairSeats' }, ORGANIZER)).code).toBe('INVALID_REQUEST')
  })
})

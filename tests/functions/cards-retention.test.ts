/**
 * Keeping visit data no longer than needed: the cards function's daily
 * `purgeVisits` timer (config.json) removes named visit records older than
 * VISIT_RETENTION_DAYS Beijing days and daily counts older than the chart's
 * STATS_DAYS — through the real timer route, the real SDK and the local DB.
 */
import { visitCountIdOf, visitCounts, visits } from '../../cloudfunctions/_core/cards/store'
import { STATS_DAYS, VISIT_RETENTION_DAYS } from '../../cloudfunctions/_core/cards/visits'
import { grantConsents, startTestCloud, type TestCloud } from '../../local/testing'
import type { VisitorView } from '../../shared/contract/cards'
import { createCard, publisher } from './cards-helpers'
import { DAY, errorOf, ok } from './helpers'
import { signUp } from './lifecycle-helpers'

let cloud: TestCloud
// 10:00 Beijing time on 1 June 2026.
const START = new Date('2026-06-01T02:00:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START })
})
afterAll(async () => {
  await cloud.close()
})

/** The Beijing day `daysAgo` days before today. */
function dayBefore(daysAgo: number): string {
  return new Date(cloud.clock.now().getTime() + 8 * 3600_000 - daysAgo * DAY).toISOString().slice(0, 10)
}

const purge = async () => ok(await cloud.gateway.fireTimer('cards', 'purgeVisits'))

describe('purgeVisits', () => {
  it('keeps named visits for VISIT_RETENTION_DAYS days and daily counts for the 30-day chart, removing what is older', async () => {
    expect(VISIT_RETENTION_DAYS).toBe(180)
    const owner = await publisher(cloud, 'ret-owner')
    const card = await createCard(owner)
    const viewer = 'ret-viewer'
    await signUp(cloud, viewer)
    await grantConsents(cloud, viewer, ['personalization'])
    // A visit through the landing page today, then older ones as earlier days left them.
    ok(await cloud.call('cards', { action: 'view', input: { cardId: card.id } }, viewer))
    for (const daysAgo of [STATS_DAYS - 1, STATS_DAYS, VISIT_RETENTION_DAYS - 1, VISIT_RETENTION_DAYS, VISIT_RETENTION_DAYS + 200]) {
      const day = dayBefore(daysAgo)
      await visits(cloud.store).add({ cardId: card.id, ownerOpenid: 'ret-owner', viewerOpenid: viewer, day, visitedAt: new Date(`${day}T02:00:00.000Z`) })
      await visitCounts(cloud.store).add({ _id: visitCountIdOf(card.id, day), cardId: card.id, ownerOpenid: 'ret-owner', day, visitors: 1, anonymous: 2 })
    }

    await purge()
    const keptVisits = (await visits(cloud.store).find({ cardId: card.id }, { orderBy: [['day', 'desc']], limit: 100 })).map((v) => v.day)
    expect(keptVisits).toEqual([dayBefore(0), dayBefore(STATS_DAYS - 1), dayBefore(STATS_DAYS), dayBefore(VISIT_RETENTION_DAYS - 1)])
    const keptCounts = (await visitCounts(cloud.store).find({ cardId: card.id }, { orderBy: [['day', 'desc']], limit: 100 })).map((c) => c.day)
    expect(keptCounts).toEqual([dayBefore(0), dayBefore(STATS_DAYS - 1)])

    // The owner's list goes back as far as the records do; the chart is whole.
    const listed = ok<{ visitors: VisitorView[] }>(await owner('visitors', { cardId: card.id, limit: 50 })).visitors
    expect(listed.map((v) => v.day)).toEqual(keptVisits)
    const stats = ok<{ days: Array<{ date: string; visitors: number; anonymous: number }>; totalVisitors: number; totalAnonymous: number }>(
      await owner('visitStats', { cardId: card.id }),
    )
    expect(stats.days[0]).toEqual({ date: dayBefore(STATS_DAYS - 1), visitors: 1, anonymous: 2 })
    expect(stats).toMatchObject({ totalVisitors: 2, totalAnonymous: 2 })

    // Running again removes nothing more; a day later, the oldest kept day goes.
    await purge()
    expect(await visits(cloud.store).count({ cardId: card.id })).toBe(4)
    cloud.clock.advance(DAY)
    await purge()
    expect(await visits(cloud.store).count({ cardId: card.id })).toBe(3)
    expect(await visitCounts(cloud.store).count({ cardId: card.id })).toBe(1)
  })

  it('runs as a timer only: a call from the mini-program is refused', async () => {
    expect(errorOf(await cloud.call('cards', { Type: 'Timer', TriggerName: 'purgeVisits' }, 'ret-owner')).code).toBe('INVALID_REQUEST')
  })
})

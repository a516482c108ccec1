/** The lifecycle's figures come from the function's settings (one local cloud per file: the SDK's address is process-wide). */
import { ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { ok } from './helpers'
import { DAY, lifecycleOf } from './lifecycle-helpers'

let cloud: TestCloud
const START = new Date('2026-06-01T02:00:00.000Z')

beforeAll(async () => {
  cloud = await startTestCloud({ start: START, env: { LECHAT_COOLING_OFF_DAYS: '7' } })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

it('the cooling-off period lasts LECHAT_COOLING_OFF_DAYS', async () => {
  ok(await cloud.call('account', { action: 'login', input: {} }, 'cfg-seven'))
  const view = lifecycleOf(ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true } }, 'cfg-seven')))
  expect(view.deletionDueAt).toBe(new Date(START.getTime() + 7 * DAY).toISOString())
  const preview = ok<{ coolingOffDays: number; erasureWorkingDays: number; deletionDueAt: string | null }>(
    await cloud.call('account', { action: 'deletionPreview', input: {} }, 'cfg-seven'),
  )
  expect(preview).toMatchObject({ coolingOffDays: 7, erasureWorkingDays: 15, deletionDueAt: view.deletionDueAt })
})

/**
 * account.uploadImage: the only way an image reaches storage. It must be an
 * image, goes under a fresh name into the uploader's own folder, and is then
 * accepted in their documents (and only theirs).
 */
import { PNG } from 'pngjs'
import { SAMPLE_CARD, acceptCurrentTerms, cardPublisher, startTestCloud, type TestCloud } from '../../local/testing'
import { UPLOAD_MAX_BASE64 } from '../../shared/uploads'
import { errorOf, ok } from './helpers'

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-12-07T02:00:00.000Z') })
})
afterAll(async () => {
  await cloud.close()
})

const upload = (openid: string, input: unknown) => cloud.call('account', { action: 'uploadImage', input }, openid)

function tinyPng(): string {
  const png = new PNG({ width: 2, height: 2 })
  png.data.fill(200)
  return PNG.sync.write(png).toString('base64')
}
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]).toString('base64')

it('stores an image under a fresh name in the uploader’s own folder, whatever it was called', async () => {
  await acceptCurrentTerms(cloud, 'up-owner')
  const account = await cloud.store.collection<{ _id: string; openid: string }>('accounts').findOne({ openid: 'up-owner' })
  const first = ok<{ fileId: string }>(await upload('up-owner', { kind: 'cards', data: tinyPng() })).fileId
  const second = ok<{ fileId: string }>(await upload('up-owner', { kind: 'cards', data: tinyPng() })).fileId
  expect(first).toMatch(new RegExp(`^cloud://env-1\\.6c65/u/${account?._id}/cards/[0-9a-z]+\\.png$`))
  expect(second).not.toBe(first)
  expect(ok<{ fileId: string }>(await upload('up-owner', { kind: 'article-covers', data: JPEG })).fileId).toMatch(/\/article-covers\/[0-9a-z]+\.jpg$/)
  expect(cloud.openApi.storage.uploaded.map((u) => u.fileId)).toEqual(expect.arrayContaining([first, second]))
})

it('refuses what is not an image, too large, of an unknown kind, or from someone without an account', async () => {
  await acceptCurrentTerms(cloud, 'up-refused')
  const before = cloud.openApi.storage.uploaded.length
  const notImage = errorOf(await upload('up-refused', { kind: 'cards', data: Buffer.from('<svg onload=alert(1)>').toString('base64') }))
  expect([notImage.code, notImage.message, notImage.issues?.[0]?.path]).toEqual(['INVALID_INPUT', '只能上传 JPG、PNG、WEBP 或 GIF 图片', 'data'])
  expect(errorOf(await upload('up-refused', { kind: 'cards', data: 'A'.repeat(UPLOAD_MAX_BASE64 + 4) })).issues?.[0]).toMatchObject({ path: 'data', message: '图片不能超过 2 MB' })
  expect(errorOf(await upload('up-refused', { kind: '../other', data: tinyPng() })).code).toBe('INVALID_INPUT')
  expect(errorOf(await upload('up-refused', { kind: 'cards', data: 'not base64!' })).code).toBe('INVALID_INPUT')
  expect(errorOf(await upload('up-nobody', { kind: 'cards', data: tinyPng() })).code).toBe('ACCOUNT_REQUIRED')
  expect(cloud.openApi.storage.uploaded.length).toBe(before)
})

it('gives back a file the uploader’s card accepts, and someone else’s card refuses', async () => {
  await cardPublisher(cloud, 'up-card')
  await cardPublisher(cloud, 'up-thief')
  const fileId = ok<{ fileId: string }>(await upload('up-card', { kind: 'cards', data: tinyPng() })).fileId
  const created = ok<{ card: { avatarUrl: string | null } }>(await cloud.call('cards', { action: 'create', input: { ...SAMPLE_CARD, avatarUrl: fileId } }, 'up-card'))
  expect(created.card.avatarUrl).toBe(fileId)
  expect(errorOf(await cloud.call('cards', { action: 'create', input: { ...SAMPLE_CARD, avatarUrl: fileId } }, 'up-thief')).code).toBe('INVALID_INPUT')
})

it('counts against a daily allowance', async () => {
  await acceptCurrentTerms(cloud, 'up-busy')
  for (let i = 0; i < 100; i++) ok(await upload('up-busy', { kind: 'avatars', data: JPEG }))
  const refused = errorOf(await upload('up-busy', { kind: 'avatars', data: JPEG }))
  expect([refused.code, refused.message]).toEqual(['RATE_LIMITED', '今天上传图片的次数已达上限（100 次），请明天再试'])
})

it('lists every upload in the export, and deletes every one at erasure, used in a document or not', async () => {
  const person = 'up-leaving'
  await cardPublisher(cloud, person)
  const used = ok<{ fileId: string }>(await upload(person, { kind: 'cards', data: tinyPng() })).fileId
  const unused = ok<{ fileId: string }>(await upload(person, { kind: 'article-covers', data: JPEG })).fileId
  ok(await cloud.call('cards', { action: 'create', input: { ...SAMPLE_CARD, avatarUrl: used } }, person))

  const { document } = ok<{ document: { sections: Array<{ domain: string; records: Array<{ fileId: string; kind: string }> }> } }>(
    await cloud.call('account', { action: 'exportData', input: {} }, person),
  )
  expect(document.sections.find((s) => s.domain === 'uploads')?.records.map((r) => [r.kind, r.fileId])).toEqual([
    ['cards', used],
    ['article-covers', unused],
  ])

  // A verified person proves it is them with a fresh face check (the sandbox passes it).
  const recheck = ok<{ verificationId: string }>(await cloud.call('identity', { action: 'recheck', input: {} }, person))
  ok(await cloud.call('identity', { action: 'completeRecheck', input: { verificationId: recheck.verificationId } }, person))
  ok(await cloud.call('account', { action: 'requestDeletion', input: { confirm: true, verificationId: recheck.verificationId } }, person))
  cloud.clock.advance(16 * 24 * 3600 * 1000)
  ok(await cloud.gateway.fireTimer('scheduler', 'runDeletions'))
  expect(cloud.openApi.storage.deleted).toEqual(expect.arrayContaining([used, unused]))
  expect(await cloud.store.collection('uploads').count({ openid: person })).toBe(0)
})

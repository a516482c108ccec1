/**
 * A newcomer's sign-in in a real browser: 示例政务服务 at /demo-rp, its
 * 使用乐聊名片登录 button, the QR page, the status page playing dev-alice who
 * scans, agrees and passes the (sandbox) face check, and the website receiving
 * a verified, pairwise, minimal identity — all in headless Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { seedDemoData } from '../../local/seed'
import { ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { launchBrowser } from './browser'

let cloud: TestCloud
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lechat-demo-rp-'))
  cloud = await startTestCloud({ dataDir: dir })
  await ensureTestDocuments(cloud)
  await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)
  await cloud.registerDemoClient()
  browser = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('signs dev-alice in to the demo website: QR page, approval on the status page, claims on the callback', async () => {
  const site = await browser.newPage()
  await site.goto(`${cloud.url}/demo-rp`)
  await site.click('#login')
  await site.waitForSelector('main[data-sign-in]')
  await expect(site.locator('h1').innerText()).resolves.toBe('使用乐聊名片登录')
  await expect(site.locator('footer').innerText()).resolves.toContain('本服务由 示例市政务服务中心（演示） 提供')
  await expect(site.locator('img').getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/)
  const signInId = await site.locator('main').getAttribute('data-sign-in')

  const status = await browser.newPage()
  await status.goto(`${cloud.url}/`)
  const row = status.locator('#oidc tr', { hasText: signInId ?? '-' })
  await row.locator('select').selectOption('dev-alice')
  await row.locator('button').click()
  await status.waitForURL(/#oidc$/)

  // The QR page polls, then follows its code to the website's callback.
  await site.waitForSelector('#result', { timeout: 15_000 })
  await expect(site.locator('#result').innerText()).resolves.toBe('已登录')
  await expect(site.locator('#claim-real_name_verified').innerText()).resolves.toBe('true')
  await expect(site.locator('#claim-age_over_18').innerText()).resolves.toBe('true')
  await expect(site.locator('#claim-sub').innerText()).resolves.toMatch(/^[0-9a-f]{64}$/)
  await expect(site.locator('#claim-name').count()).resolves.toBe(0)
  await site.screenshot({ path: join(tmpdir(), 'lechat-demo-rp.png'), fullPage: true })
}, 60_000)

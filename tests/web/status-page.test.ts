import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { seedDemoData } from '../../local/seed'
import { startTestCloud, type TestCloud } from '../../local/testing'
import { launchBrowser } from './browser'

let cloud: TestCloud
let browser: Browser
let page: Page
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lechat-status-'))
  cloud = await startTestCloud({ dataDir: dir })
  await seedDemoData(cloud.store, cloud.clock.now(), cloud.config)
  browser = await launchBrowser()
  page = await browser.newPage()
}, 30_000)

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the local cloud status page', () => {
  it('lists functions with their actions and access rules, collections with counts, and identities', async () => {
    await page.goto(`${cloud.url}/`)
    await expect(page.title()).resolves.toContain('本地云')
    const actions = page.locator('section', { hasText: '云函数与操作' })
    await expect(actions.locator('tr', { hasText: 'updateProfile' }).innerText()).resolves.toMatch(/account\s+updateProfile\s+signedIn\s+修改昵称或头像/)
    const accounts = page.locator('section', { hasText: '集合' }).locator('tr', { hasText: 'accounts' })
    await expect(accounts.innerText()).resolves.toMatch(/accounts\s+4/)
    await expect(page.locator('tr', { hasText: 'dev-reviewer' }).innerText()).resolves.toContain('reviewer')
    await page.screenshot({ path: join(tmpdir(), 'lechat-status-page.png'), fullPage: true })
  })

  it('browses a collection read-only, page by page', async () => {
    for (let i = 0; i < 25; i++) await cloud.call('account', { action: 'login', input: {} }, `visitor-${i}`)
    await page.goto(`${cloud.url}/`)
    await page.getByRole('link', { name: 'accounts' }).click()
    await expect(page.locator('h2').innerText()).resolves.toContain('共 29 条，第 1/2 页')
    await expect(page.locator('pre').count()).resolves.toBe(20)
    await page.getByRole('link', { name: '下一页' }).click()
    await expect(page.locator('pre').count()).resolves.toBe(9)
    await expect(page.locator('body').innerText()).resolves.toContain('"openid": "visitor-')
  })

  it('switches the development identity the gateway calls as', async () => {
    await page.goto(`${cloud.url}/`)
    await page.locator('tr', { hasText: 'dev-bob' }).getByRole('button').click()
    await expect(page.locator('tr', { hasText: 'dev-bob' }).getByRole('button').getAttribute('aria-pressed')).resolves.toBe('true')
    expect(cloud.gateway.currentIdentity()).toBe('dev-bob')
    const reply = (await (await fetch(`${cloud.url}/call`, {
      method: 'POST',
      // login: dev-bob is the new user who has not accepted the agreement yet.
      body: JSON.stringify({ name: 'account', data: { action: 'login' } }),
    })).json()) as { ok: boolean; data?: { account: { nickname: string } } }
    expect(reply.data?.account.nickname).toBe('李大聊')
  })
})

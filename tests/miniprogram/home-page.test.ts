import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import simulate from 'miniprogram-simulate'
import { load, MINIPROGRAM_ROOT, textOf } from './helpers'

const switchTab = jest.fn((_options: { url: string }) => undefined)
Object.assign(wx, { switchTab })

const pageId = load('pages/home/index')

test('the landing page opens 我的 as a tab (navigateTo cannot reach tab pages)', async () => {
  const page = simulate.render(pageId)
  page.attach(document.createElement('parent-wrapper'))
  expect(page.dom?.textContent).toContain('乐聊名片')

  page.querySelector('#open-me')?.dispatchEvent('tap')
  await simulate.sleep(0)

  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' })
  const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { tabBar: { list: Array<{ pagePath: string }> } }
  expect(app.tabBar.list.map((item) => `/${item.pagePath}`)).toContain('/pages/me/index')
  expect(textOf(page, '#open-me')).toContain('我的资料')
})

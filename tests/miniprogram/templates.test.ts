/**
 * @jest-environment node
 */
// Node environment: this spawns WeChat's compilers and needs no DOM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MINIPROGRAM_ROOT } from './helpers'
import { compileAll } from './wechat-compiler'

test('every .wxml and .wxss of the mini-program compiles with WeChat’s wcc / wcsc', () => {
  const { files, problems } = compileAll(MINIPROGRAM_ROOT)
  expect(files).toEqual(
    expect.arrayContaining([
      'app.wxss',
      'pages/me/index.wxml',
      'components/privacy-popup/index.wxml',
      'components/terms-popup/index.wxml',
      'components/markdown-view/index.wxml',
      'pages/consent/register.wxml',
      'pages/legal/doc.wxml',
      'pages/privacy/receipt.wxss',
      'pages/inbox/index.wxml',
    ]),
  )
  // Printed as file:line:col so the failure points at the line to fix.
  expect(problems.map((p) => `${p.location}: ${p.message}`)).toEqual([])
})

describe('the check itself', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lechat-wxml-'))
    writeFileSync(join(dir, 'ok.wxml'), '<view>{{a}}</view>\n')
    // ASCII on purpose: wcc counts columns in UTF-8 bytes, not characters.
    writeFileSync(join(dir, 'broken.wxml'), '<view>\n  <text>hi</view>\n')
    writeFileSync(join(dir, 'broken.wxss'), '.a {\n  color: red;\n}\n}\n')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('reports a broken template and a broken stylesheet with file:line:col', () => {
    const { problems } = compileAll(dir)
    const locations = problems.map((p) => p.location)
    expect(locations).toContain('broken.wxml:2:13')
    expect(locations).toContain('broken.wxss:4:1')
    expect(locations.some((l) => l.startsWith('ok.wxml'))).toBe(false)
  })
})

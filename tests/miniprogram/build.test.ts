/**
 * @jest-environment node
 */
// Node environment: under jsdom esbuild refuses to load ("Buffer.from("") instanceof Uint8Array" is false there).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { baseLibraryNeeds, checkBaseLibrary, compareVersions } from '../../scripts/base-library'
import { buildAll } from '../../scripts/build'
import { buildMiniprogram, configFromEnv, subscribeTemplateVar } from '../../scripts/build-miniprogram'

let work = ''
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lechat-mp-build-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

function requiresOf(js: string): string[] {
  return [...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '')
}

describe('the real mini-program', () => {
  test('local build: every page and component becomes one .js, config.js points at the local cloud', async () => {
    const out = join(work, 'local')
    const files = await buildMiniprogram(out, { env: { LECHAT_LOCAL_URL: 'http://192.168.1.20:9696', LECHAT_DEV_OPENID: 'dev-bob' } })
    const names = files.map((f) => f.file)

    for (const base of [
      'app',
      'pages/me/index',
      'pages/home/index',
      'pages/inbox/index',
      'pages/consent/register',
      'pages/legal/index',
      'pages/legal/doc',
      'pages/privacy/index',
      'pages/privacy/receipt',
      'packageAdmin/pages/index/index',
      'components/state-view/index',
      'components/privacy-popup/index',
      'components/terms-popup/index',
      'components/markdown-view/index',
    ]) {
      expect(names).toContain(`${base}.js`)
    }
    expect(names).toEqual(expect.arrayContaining(['app.json', 'app.wxss', 'sitemap.json', 'pages/me/index.wxml', 'config.js']))
    // Sources and editor settings do not ship.
    expect(names.filter((n) => n.endsWith('.ts') || n === 'tsconfig.json')).toEqual([])

    const me = files.find((f) => f.file === 'pages/me/index.js')
    expect(me?.bytes).toBe(readFileSync(join(out, 'pages/me/index.js')).length)

    // shared/ is inlined; the only module a bundle loads at run time is config.js.
    const meJs = readFileSync(join(out, 'pages/me/index.js'), 'utf8')
    expect(meJs).toContain('阅读并同意用户协议和隐私政策')
    for (const path of requiresOf(meJs)) expect(path).toBe('../../config')
    // (esbuild keeps one require per importing module; they all load the same config.js.)
    expect([...new Set(requiresOf(readFileSync(join(out, 'app.js'), 'utf8')))]).toEqual(['./config'])

    const configModule = { exports: {} as { config?: unknown } }
    new Function('exports', 'module', readFileSync(join(out, 'config.js'), 'utf8'))(configModule.exports, configModule)
    expect(configModule.exports.config).toEqual({
      transport: 'local',
      envId: '',
      localUrl: 'http://192.168.1.20:9696',
      devOpenid: 'dev-bob',
      subscribeTemplates: {},
    })

    // The bundles run as the base library runs them: CommonJS, with Component as a global.
    const registered: Array<{ methods?: object; lifetimes?: object }> = []
    Object.assign(globalThis, { Component: (options: { methods?: object; lifetimes?: object }) => registered.push(options) })
    try {
      const requireBuilt = createRequire(join(out, 'app.json'))
      requireBuilt('./pages/me/index.js')
      requireBuilt('./components/privacy-popup/index.js')
    } finally {
      Reflect.deleteProperty(globalThis, 'Component')
    }
    expect(Object.keys(registered[0]?.methods ?? {})).toEqual(expect.arrayContaining(['load', 'onSave', 'onChooseAvatar']))
    expect(Object.keys(registered[0]?.lifetimes ?? {})).toContain('attached')
    expect(Object.keys(registered[1]?.methods ?? {})).toEqual(expect.arrayContaining(['onAgree', 'onDisagree']))
  })

  test('cloud build: config.js names the environment and carries nothing from the developer machine', async () => {
    const out = join(work, 'cloud')
    await buildMiniprogram(out, {
      env: { LECHAT_TARGET: 'cloud', LECHAT_CLOUD_ENV: 'lechat-prod-1a2b', LECHAT_LOCAL_URL: 'http://10.0.0.5:9696', LECHAT_DEV_OPENID: 'dev-admin' },
    })
    const config = readFileSync(join(out, 'config.js'), 'utf8')
    expect(config).toContain('"transport": "cloud"')
    expect(config).toContain('"envId": "lechat-prod-1a2b"')
    expect(config).not.toContain('10.0.0.5')
    expect(config).not.toContain('dev-admin')
  })
})

describe('sitemap.json (what WeChat search may index)', () => {
  interface Rule {
    action?: 'allow' | 'disallow'
    page: string
    params?: string[]
    priority?: number
  }
  interface AppJson {
    pages: string[]
    subpackages: Array<{ root: string; pages: string[] }>
  }
  const root = join(__dirname, '..', '..', 'miniprogram')
  const sitemap = JSON.parse(readFileSync(join(root, 'sitemap.json'), 'utf8')) as { rules: Rule[] }
  const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as AppJson
  const allPages = [...app.pages, ...app.subpackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))]

  /**
   * As WeChat applies the rules: by priority (higher first), otherwise top to
   * bottom; `page` is a full page path or "*" alone for every page (never a
   * wildcard inside a path); without a matching rule a page may be indexed.
   */
  function indexable(page: string): boolean {
    const ordered = sitemap.rules.map((rule, index) => ({ rule, index })).sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)
    const hit = ordered.find(({ rule }) => (rule.page === '*' || rule.page === page) && (rule.params ?? []).length === 0)
    return (hit?.rule.action ?? 'allow') === 'allow'
  }

  test('every rule names a real page or "*" alone: WeChat takes no wildcards inside a path', () => {
    for (const rule of sitemap.rules) {
      if (rule.page !== '*') expect(allPages).toContain(rule.page)
      expect(['allow', 'disallow']).toContain(rule.action ?? 'allow')
    }
  })

  test('private pages are not indexed: the card landing page, the account and card subpackages, the editors, personal pages', () => {
    const privatePages = [
      'pages/card/index',
      'pages/me/index',
      'pages/inbox/index',
      'pages/consent/register',
      'pages/privacy/index',
      'pages/privacy/receipt',
      'packageActivities/pages/editor/index',
      'packageArticles/pages/editor/index',
      // Every page of these subpackages, including ones added later.
      ...allPages.filter((page) => ['packageAccount/', 'packageCards/', 'packageAdmin/', 'packageOidc/'].some((root) => page.startsWith(root))),
    ]
    expect(privatePages).toEqual(expect.arrayContaining(['packageAccount/pages/verify/index', 'packageCards/pages/holder/index', 'packageAdmin/pages/queue/index', 'packageOidc/pages/authorize/index']))
    for (const page of privatePages) expect([page, indexable(page)]).toEqual([page, false])
  })

  test('public content stays indexable: home, activities and articles (lists and details), the legal documents', () => {
    for (const page of [
      'pages/home/index',
      'packageActivities/pages/list/index',
      'packageActivities/pages/detail/index',
      'packageArticles/pages/feed/index',
      'packageArticles/pages/detail/index',
      'pages/legal/index',
      'pages/legal/doc',
    ]) {
      expect([page, indexable(page)]).toEqual([page, true])
    }
  })
})

test('the environment variables are checked', () => {
  expect(() => configFromEnv({ LECHAT_TARGET: 'cloud' })).toThrow(/LECHAT_CLOUD_ENV/)
  expect(() => configFromEnv({ LECHAT_TARGET: 'prod' })).toThrow(/LECHAT_TARGET/)
  expect(() => configFromEnv({ LECHAT_LOCAL_URL: '127.0.0.1:9696' })).toThrow(/LECHAT_LOCAL_URL/)
  expect(configFromEnv({})).toEqual({ transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '', subscribeTemplates: {} })
})

test('subscribe-message templates come from LECHAT_SUBSCRIBE_TEMPLATE_<TYPE>, in both targets', () => {
  expect(subscribeTemplateVar('legalUpdate')).toBe('LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE')
  expect(subscribeTemplateVar('moderationDecision')).toBe('LECHAT_SUBSCRIBE_TEMPLATE_MODERATION_DECISION')
  const env = {
    LECHAT_TARGET: 'cloud',
    LECHAT_CLOUD_ENV: 'prod-1',
    LECHAT_SUBSCRIBE_TEMPLATE_LEGAL_UPDATE: ' zun-LzcQyW-edafCVvzPkK4de2Rllr1fFpw2A_x0oXE ',
    LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: '',
  }
  // Only configured types appear; surrounding spaces from a .env file are dropped.
  expect(configFromEnv(env).subscribeTemplates).toEqual({ legalUpdate: 'zun-LzcQyW-edafCVvzPkK4de2Rllr1fFpw2A_x0oXE' })
  expect(configFromEnv({ LECHAT_SUBSCRIBE_TEMPLATE_ACCOUNT_STATE: 'abcdefgh12' }).subscribeTemplates).toEqual({ accountState: 'abcdefgh12' })
  expect(() => configFromEnv({ LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM: 'not a template id!' })).toThrow(/LECHAT_SUBSCRIBE_TEMPLATE_SYSTEM/)
})

describe('refusals', () => {
  /** A tiny mini-program source tree: app.json + one page per entry of `pages`. */
  function source(name: string, pages: Record<string, string>, listed = Object.keys(pages)): string {
    const root = join(work, `src-${name}`)
    const write = (file: string, text: string | Buffer): void => {
      mkdirSync(dirname(join(root, file)), { recursive: true })
      writeFileSync(join(root, file), text)
    }
    write('app.json', JSON.stringify({ pages: listed }))
    write('config.ts', "export const config = { transport: 'local', envId: '', localUrl: 'http://127.0.0.1:9696', devOpenid: '' }\n")
    for (const [page, ts] of Object.entries(pages)) {
      write(`${page}.ts`, ts)
      write(`${page}.json`, '{}')
      write(`${page}.wxml`, '<view/>')
    }
    return root
  }

  test('a page listed in app.json without its files', async () => {
    const src = source('missing', { 'pages/a/index': 'Component({})' }, ['pages/a/index', 'pages/b/index'])
    await expect(buildMiniprogram(join(work, 'out-missing'), { sourceDir: src, env: {} })).rejects.toThrow(/pages\/b\/index\.json/)
  })

  test('zod bundled at run time', async () => {
    const contract = join(__dirname, '..', '..', 'shared', 'contract').split('\\').join('/')
    const src = source('zod', {
      'pages/a/index': `import { contract } from '${contract}'\nComponent({ methods: { check(v: unknown) { return contract.account.login.input.safeParse(v) } } })\n`,
    })
    await expect(buildMiniprogram(join(work, 'out-zod'), { sourceDir: src, env: {} })).rejects.toThrow(/bundles zod/)
  })

  test('a main package over 2 MB', async () => {
    const src = source('big', { 'pages/a/index': 'Component({})' })
    mkdirSync(join(src, 'images'))
    writeFileSync(join(src, 'images', 'huge.png'), Buffer.alloc(2 * 1024 * 1024 + 1))
    await expect(buildMiniprogram(join(work, 'out-big'), { sourceDir: src, env: {} })).rejects.toThrow(/main package is 2\.00 MB/)
    expect(existsSync(join(work, 'out-big', 'images', 'huge.png'))).toBe(true)
  })
})

describe('settings checked before anything is written', () => {
  test('the launch page is the first tab, 首页', () => {
    const app = JSON.parse(readFileSync(join(__dirname, '..', '..', 'miniprogram', 'app.json'), 'utf8')) as { pages: string[]; tabBar: { list: Array<{ pagePath: string; text: string }> } }
    expect(app.pages[0]).toBe(app.tabBar.list[0]?.pagePath)
    expect(app.tabBar.list[0]?.text).toBe('首页')
  })

  test('a launch page other than the first tab is refused', async () => {
    const root = join(work, 'src-launch')
    for (const page of ['pages/home/index', 'pages/me/index']) {
      mkdirSync(join(root, dirname(page)), { recursive: true })
      for (const [ext, text] of [['.ts', 'Component({})'], ['.json', '{}'], ['.wxml', '<view/>']]) writeFileSync(join(root, page + ext), text as string)
    }
    writeFileSync(join(root, 'config.ts'), 'export const config = {}\n')
    writeFileSync(
      join(root, 'app.json'),
      JSON.stringify({ pages: ['pages/me/index', 'pages/home/index'], tabBar: { list: [{ pagePath: 'pages/home/index', text: '首页' }, { pagePath: 'pages/me/index', text: '我的' }] } }),
    )
    await expect(buildMiniprogram(join(work, 'out-launch'), { sourceDir: root, env: {} })).rejects.toThrow(/launch page\) is pages\/me\/index, not the first tab pages\/home\/index/)
  })

  test('libVersion must cover every wx API the code uses; requestFacialVerify needs 3.8.12', () => {
    const src = join(__dirname, '..', '..', 'miniprogram')
    const project = JSON.parse(readFileSync(join(__dirname, '..', '..', 'project.config.json'), 'utf8')) as { libVersion: string }
    const needs = checkBaseLibrary(src, project.libVersion)
    expect(needs[0]).toMatchObject({ what: 'wx.requestFacialVerify', since: '3.8.12' })
    expect(() => checkBaseLibrary(src, '3.7.0')).toThrow(/libVersion 3\.7\.0 is below what the code needs:\n {2}wx\.requestFacialVerify needs 3\.8\.12/)
    expect(() => checkBaseLibrary(src, '3.8')).toThrow(/must look like 3\.8\.12/)
    expect(compareVersions('3.10.0', '3.8.12')).toBe(1)
  })

  test('a wx API without a known minimum base library fails the build', () => {
    const root = join(work, 'src-unknown-api')
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, 'app.ts'), 'wx.navigateTo({ url: "/a" })\nwx.openBluetoothAdapter({})\n')
    expect(() => baseLibraryNeeds(root)).toThrow(/wx\.openBluetoothAdapter \(app\.ts\)/)
  })

  test('a refused build leaves the previous dist/ in place', async () => {
    const dist = join(work, 'dist-kept')
    mkdirSync(join(dist, 'miniprogram'), { recursive: true })
    writeFileSync(join(dist, 'miniprogram', 'app.js'), 'previous build')
    await expect(buildAll(dist, { LECHAT_TARGET: 'cloud' })).rejects.toThrow(/LECHAT_CLOUD_ENV/)
    expect(readFileSync(join(dist, 'miniprogram', 'app.js'), 'utf8')).toBe('previous build')
  })
})

describe("Tencent FaceID's mini-program SDK", () => {
  function sdkFolder(files: readonly string[]): string {
    const dir = mkdtempSync(join(work, 'verify_mpsdk-'))
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), file === 'main.js' ? 'exports.init = function () { globalThis.faceIdSdkInitialised = true }\n' : file.endsWith('.json') ? '{}' : '')
    }
    return dir
  }

  test('is copied into the main package, its page listed, and loaded by config.js for app.ts to initialise', async () => {
    const sdk = sdkFolder(['main.js', 'index/index.js', 'index/index.json', 'index/index.wxml', 'lib/helper.js'])
    const out = join(work, 'out-faceid')
    const files = (await buildMiniprogram(out, { env: { LECHAT_FACEID_SDK_DIR: sdk } })).map((f) => f.file)
    expect(files).toEqual(expect.arrayContaining(['verify_mpsdk/main.js', 'verify_mpsdk/index/index.wxml', 'verify_mpsdk/lib/helper.js']))
    const app = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8')) as { pages: string[] }
    expect(app.pages[0]).toBe('pages/home/index')
    expect(app.pages).toContain('verify_mpsdk/index/index')
    // config.js loads the SDK as the mini-program would.
    const loaded = createRequire(join(out, 'config.js'))('./config.js') as { faceIdSdk: { init(): void } | null }
    loaded.faceIdSdk?.init()
    expect((globalThis as { faceIdSdkInitialised?: boolean }).faceIdSdkInitialised).toBe(true)
    expect(readFileSync(join(out, 'app.js'), 'utf8')).toMatch(/faceIdSdk/)
  })

  test('is absent unless given, and a folder that is not the SDK is refused before anything is written', async () => {
    const plain = join(work, 'out-no-faceid')
    await buildMiniprogram(plain, { env: {} })
    expect(existsSync(join(plain, 'verify_mpsdk'))).toBe(false)
    expect(readFileSync(join(plain, 'config.js'), 'utf8')).toContain('exports.faceIdSdk = null;')
    const wrong = sdkFolder(['main.js'])
    await expect(buildMiniprogram(join(work, 'out-wrong-faceid'), { env: { LECHAT_FACEID_SDK_DIR: wrong } })).rejects.toThrow(/missing index\/index\.js, index\/index\.json, index\/index\.wxml/)
    expect(existsSync(join(work, 'out-wrong-faceid'))).toBe(false)
  })
})

/** Shared helpers for the mini-program tests (miniprogram-simulate in jsdom). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import simulate from 'miniprogram-simulate'

export const MINIPROGRAM_ROOT = join(__dirname, '..', '..', 'miniprogram')

interface AppJson {
  usingComponents?: Record<string, string>
}

/** Global components from app.json, which WeChat makes available to every page. */
export function globalComponents(): Record<string, string> {
  const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson
  return { ...(app.usingComponents ?? {}) }
}

/**
 * Registers a page or component by its path inside miniprogram/ (e.g. 'pages/me/index').
 * Call once per path per test file: a second load of the same path renders nothing.
 */
export function load(path: string): string {
  return simulate.load(join(MINIPROGRAM_ROOT, path), {
    rootPath: MINIPROGRAM_ROOT,
    usingComponents: globalComponents(),
  })
}

/** Polls until `check` returns true (async work in the component settles), or fails with `what` (15 s: room on a loaded machine). */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await simulate.sleep(5)
  }
}

interface Queryable {
  querySelector(selector: string): { dom: HTMLElement | undefined } | undefined
}

/** Text of the first element matching `selector`, or null when it is not rendered. */
export function textOf(root: Queryable, selector: string): string | null {
  const found = root.querySelector(selector)
  return found?.dom ? (found.dom.textContent ?? '').trim() : null
}

/** The texts of the elements matching `selector` on the page. */
export function textsOf(page: Page, selector: string): string[] {
  return page.querySelectorAll(selector).map((node) => (node.dom?.textContent ?? '').trim())
}

interface Inspectable {
  querySelector(selector: string): { toJSON(): { attrs: Array<{ name: string; value: unknown }> } } | undefined
}

/**
 * An attribute as the template set it. aria-* attributes never reach jsdom, so this
 * reads the rendered tree, where `aria-role` is called `ariaRole`. Null when the
 * element is not rendered or has no such attribute.
 */
export function attrOf(root: Inspectable, selector: string, name: string): string | null {
  const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())
  const attr = root.querySelector(selector)?.toJSON().attrs.find((a) => a.name === camel || a.name === name)
  return attr === undefined ? null : String(attr.value)
}

// ---- Driving a rendered page ------------------------------------------------------------

export type Page = ReturnType<typeof simulate.render>

/** Renders a registered page with `properties` (the query, for the names that can be properties) and attaches it. */
export function render(pageId: string, properties?: Record<string, unknown>): Page {
  const page = simulate.render(pageId, properties)
  page.attach(document.createElement('parent-wrapper'))
  return page
}

/** Taps `selector` and waits until `settled` holds. */
export async function tap(page: Page, selector: string, settled: () => boolean = () => true, what = `${selector} to finish`): Promise<void> {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('tap')
  await simulate.sleep(0)
  await waitFor(what, settled)
}

/** Types into an input or textarea (the `input` event with its value). */
export async function type(page: Page, selector: string, value: string): Promise<void> {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('input', { detail: { value } })
  await simulate.sleep(0)
}

/** A picker's or a switch's change. */
export async function change(page: Page, selector: string, value: string | boolean): Promise<void> {
  const target = page.querySelector(selector)
  if (!target) throw new Error(`${selector} is not on the page`)
  target.dispatchEvent('change', { detail: { value } })
  await simulate.sleep(0)
}

// ---- wx APIs the tests answer ---------------------------------------------------------

export interface ModalAnswer {
  confirm: boolean
  cancel: boolean
  errMsg: string
}

/** A modal answer as wx.showModal resolves it. */
export function modalAnswer(confirm: boolean): ModalAnswer {
  return { confirm, cancel: !confirm, errMsg: 'showModal:ok' }
}

export interface WriteFileOptions {
  filePath: string
  data: string
  encoding?: string
  success?: () => void
  fail?: (error: { errMsg: string }) => void
}

/**
 * The clipboard, file writing and wx.shareFileMessage as mocks that succeed;
 * `install()` puts them on wx (in beforeAll).
 */
export function fileSharingMocks() {
  const setClipboardData = jest.fn((options: { data: string; success?: () => void; fail?: () => void }) => options.success?.())
  const writeFile = jest.fn((options: WriteFileOptions) => options.success?.())
  const shareFileMessage = jest.fn((options: { filePath: string; fileName?: string; success?: () => void; fail?: (error: { errMsg: string }) => void }) =>
    options.success?.(),
  )
  const install = (): void => {
    Object.assign(wx, { setClipboardData, shareFileMessage, getFileSystemManager: () => ({ writeFile }) })
  }
  return { setClipboardData, writeFile, shareFileMessage, install }
}

interface RenderedNode {
  tagName: string
  children?: RenderedNode[]
}

/** The tag names of the rendered tree (custom components appear under their tag, e.g. privacy-popup). */
export function renderedTags(page: Page): string[] {
  const tags: string[] = []
  const walk = (node: RenderedNode): void => {
    tags.push(node.tagName)
    for (const child of node.children ?? []) walk(child)
  }
  walk((page as unknown as { toJSON(): RenderedNode }).toJSON())
  return tags
}

/** The report sheet a page holds (components/report-sheet). */
export function reportSheetOf(page: Page): Page {
  const sheet = page.querySelector('#report-sheet')
  if (!sheet) throw new Error('no report sheet on the page')
  return sheet as unknown as Page
}

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

/** Polls until `check` returns true (async work in the component settles), or fails with `what`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
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

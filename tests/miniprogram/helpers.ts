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

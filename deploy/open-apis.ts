/**
 * Which WeChat open APIs (cloud calls) a function's code can reach, read off
 * its tree-shaken bundle: a function must list exactly these under
 * `permissions.openapi` in its config.json. Missing ones fail only in
 * production; extra ones grant more than the code needs.
 */
import { buildSync } from 'esbuild'
import { join } from 'node:path'

/** Each permission and the call sites that need it (the ports' only ways to make that cloud call). */
export const OPEN_API_CALLS: ReadonlyArray<{ api: string; calls: readonly string[] }> = [
  { api: 'security.msgSecCheck', calls: ['openApi.msgSecCheck('] },
  { api: 'security.mediaCheckAsync', calls: ['openApi.mediaCheckAsync('] },
  { api: 'subscribeMessage.send', calls: ['openApi.sendSubscribeMessage('] },
  { api: 'wxacode.getUnlimited', calls: ['openApi.wxacode.getUnlimited('] },
]

/**
 * The open APIs reachable from `cloudfunctions/<fn>/handlers.ts`, sorted.
 * The handlers (not the entry) are the root: the entry builds the WeChat port
 * for every function, whatever the function then calls.
 */
export function openApisReached(functionsDir: string, fn: string): string[] {
  // The same sources give the same answer: one bundle per function and process (a dry run checks several plans).
  const key = `${functionsDir}\0${fn}`
  const known = reached.get(key)
  if (known) return known
  const result = buildSync({
    entryPoints: [join(functionsDir, fn, 'handlers.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    treeShaking: true,
    external: ['wx-server-sdk'],
    logLevel: 'silent',
  })
  const code = result.outputFiles.map((file) => file.text).join('\n')
  const apis = OPEN_API_CALLS.filter((entry) => entry.calls.some((call) => code.includes(call)))
    .map((entry) => entry.api)
    .sort()
  reached.set(key, apis)
  return apis
}

const reached = new Map<string, string[]>()

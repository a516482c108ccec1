/**
 * The base library (基础库) the mini-program needs: every `wx.` API the code
 * names, with the version WeChat documents it from. project.config.json's
 * `libVersion` (what DevTools runs) must be at least the highest of them, and
 * the operator sets the same minimum in the console (设置 → 基础库最低版本),
 * so that nobody opens a page whose API their WeChat lacks.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'

/** Version WeChat documents each API from; `sdk`: added by a third-party SDK the build wires in, not the base library. */
export const WX_API_SINCE: Readonly<Record<string, string | 'sdk'>> = {
  addPhoneContact: '1.2.0',
  canvasToTempFilePath: '1.0.0',
  chooseMedia: '2.10.0',
  cloud: '2.2.3',
  createOffscreenCanvas: '2.16.1',
  disableAlertBeforeUnload: '2.12.0',
  enableAlertBeforeUnload: '2.12.0',
  env: '1.0.0',
  getFileSystemManager: '1.9.9',
  getStorageSync: '1.0.0',
  makePhoneCall: '1.0.0',
  navigateBack: '1.0.0',
  navigateBackMiniProgram: '1.3.0',
  navigateTo: '1.0.0',
  onNeedPrivacyAuthorization: '2.32.3',
  redirectTo: '1.0.0',
  removeTabBarBadge: '1.9.0',
  request: '1.0.0',
  requestFacialVerify: '3.8.12',
  requestSubscribeMessage: '2.4.4',
  saveImageToPhotosAlbum: '1.2.0',
  setClipboardData: '1.1.0',
  setNavigationBarTitle: '1.0.0',
  setStorageSync: '1.0.0',
  setTabBarBadge: '1.9.0',
  shareFileMessage: '2.16.1',
  showModal: '1.0.0',
  showShareMenu: '1.1.0',
  showToast: '1.0.0',
  // Tencent FaceID's mini-program SDK (verify_mpsdk) adds it; see README, "Tencent FaceID".
  startVerify: 'sdk',
  stopPullDownRefresh: '1.0.0',
  switchTab: '1.0.0',
}

/** Component features that need a newer base library than the APIs around them. */
export const WXML_FEATURE_SINCE: ReadonlyArray<{ pattern: RegExp; feature: string; since: string }> = [
  { pattern: /open-type="agreePrivacyAuthorization"/, feature: '<button open-type="agreePrivacyAuthorization">', since: '2.32.3' },
]

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return ['.ts', '.wxml'].includes(extname(entry.name)) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

export interface BaseLibraryNeed {
  /** What needs it: `wx.requestFacialVerify`, or a component feature. */
  what: string
  since: string
  file: string
}

/** What the sources under `sourceDir` need, highest first; throws on a `wx.` API missing from the table. */
export function baseLibraryNeeds(sourceDir: string): BaseLibraryNeed[] {
  const needs = new Map<string, BaseLibraryNeed>()
  const unknown: string[] = []
  for (const file of sourceFiles(sourceDir)) {
    const text = readFileSync(file, 'utf8')
    const rel = file.slice(sourceDir.length + 1)
    if (file.endsWith('.ts')) {
      for (const match of text.matchAll(/\bwx\.([A-Za-z]+)/g)) {
        const api = match[1] as string
        const since = WX_API_SINCE[api]
        if (since === undefined) unknown.push(`wx.${api} (${rel})`)
        else if (since !== 'sdk' && !needs.has(`wx.${api}`)) needs.set(`wx.${api}`, { what: `wx.${api}`, since, file: rel })
      }
    } else {
      for (const feature of WXML_FEATURE_SINCE) {
        if (feature.pattern.test(text) && !needs.has(feature.feature)) needs.set(feature.feature, { what: feature.feature, since: feature.since, file: rel })
      }
    }
  }
  if (unknown.length > 0) {
    throw new Error(`the code uses wx APIs without a known minimum base library; add them to scripts/base-library.ts:\n  ${[...new Set(unknown)].join('\n  ')}`)
  }
  return [...needs.values()].sort((a, b) => compareVersions(b.since, a.since) || a.what.localeCompare(b.what))
}

/** Fails when `libVersion` is below what the code needs, naming each API that needs more. */
export function checkBaseLibrary(sourceDir: string, libVersion: string): BaseLibraryNeed[] {
  if (!/^\d+\.\d+\.\d+$/.test(libVersion)) throw new Error(`project.config.json: libVersion must look like 3.8.12, got "${libVersion}"`)
  const needs = baseLibraryNeeds(sourceDir)
  const above = needs.filter((need) => compareVersions(need.since, libVersion) > 0)
  if (above.length > 0) {
    throw new Error(
      `project.config.json: libVersion ${libVersion} is below what the code needs:\n  ${above.map((n) => `${n.what} needs ${n.since} (${n.file})`).join('\n  ')}`,
    )
  }
  return needs
}

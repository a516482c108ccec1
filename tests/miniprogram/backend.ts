/**
 * A real backend for page tests: wx.cloud.callFunction is stubbed only to carry
 * each call into an in-process local cloud (real dispatcher, real wx-server-sdk,
 * local database), as WeChat would carry it to CloudBase. Each test file still
 * mocks miniprogram/config to the cloud transport itself (jest.mock is hoisted
 * per file).
 */
import type { ActionName, FunctionName, InputOf, OutputOf } from '../../shared/contract'
import type { DocumentId } from '../../shared/consent'
import { acceptCurrentTerms, ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'

export { acceptCurrentTerms, ensureTestDocuments }

interface CallFunctionParam {
  name: string
  data?: object
}

export interface Backend {
  cloud: TestCloud
  /** The stub installed as wx.cloud.callFunction. */
  callFunction: jest.Mock<Promise<unknown>, [CallFunctionParam]>
  /** Who WeChat says is calling from the mini-program. */
  signIn(openid: string): void
  openid(): string
  /** When set, calls wait for it: lets a test look at a page while a call is in flight. */
  hold(gate: Promise<void> | null): void
  /** When true, callFunction rejects as the base library does when the network fails. */
  setNetworkDown(down: boolean): void
  close(): Promise<void>
}

export async function connectBackend(options: { start?: Date } = {}): Promise<Backend> {
  const cloud = await startTestCloud(options.start ? { start: options.start } : {})
  let openid = ''
  let gate: Promise<void> | null = null
  let networkDown = false
  const callFunction = jest.fn(async ({ name, data }: CallFunctionParam) => {
    if (gate) await gate
    if (networkDown) throw { errCode: -1, errMsg: 'cloud.callFunction:fail request:fail timeout' }
    // Through JSON, as the real transport serializes both ways.
    const result = await cloud.call(name, JSON.parse(JSON.stringify(data ?? {})), openid)
    return { errMsg: 'cloud.callFunction:ok', requestID: 'test', result: JSON.parse(JSON.stringify(result)) }
  })
  Object.assign(wx, { cloud: { init: jest.fn(), callFunction } })
  return {
    cloud,
    callFunction,
    signIn: (id) => {
      openid = id
    },
    openid: () => openid,
    hold: (g) => {
      gate = g
    },
    setNetworkDown: (down) => {
      networkDown = down
    },
    close: () => cloud.close(),
  }
}

export class CallRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`)
  }
}

/** One call straight to the backend (not through the page), as `openid`; throws CallRefused on refusal. */
export async function callAs<F extends FunctionName, A extends ActionName<F>>(
  cloud: TestCloud,
  openid: string,
  fn: F,
  action: A,
  input: InputOf<F, A>,
): Promise<OutputOf<F, A>> {
  const reply = await cloud.call(fn, { action, input }, openid)
  if (!reply.ok) throw new CallRefused(reply.error.code, reply.error.message)
  return reply.data as OutputOf<F, A>
}

/** The refusal code of a call that must fail. */
export async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CallRefused) return error.code
    throw error
  }
  throw new Error('expected the call to be refused')
}

/** A staff account that may publish documents (the role arranged in the store, as the admin console would). */
export async function makeAdmin(cloud: TestCloud, openid: string): Promise<void> {
  await acceptCurrentTerms(cloud, openid)
  const account = await cloud.store.collection('accounts').findOne({ openid })
  if (!account) throw new Error('the admin account was not created')
  await cloud.store.collection('accounts').update(account._id, { roles: ['user', 'admin'] })
}

const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE

export interface PublishOptions {
  docId: DocumentId
  version: string
  title?: string
  summary?: string
  body?: string
  /** From the cloud's now; defaults to 0 (announced now). */
  announceInMs?: number
  effectiveInMs: number
}

/** legal.publish as an admin; announcements are relative to the cloud's clock. */
export async function publish(cloud: TestCloud, admin: string, options: PublishOptions): Promise<OutputOf<'legal', 'publish'>> {
  const now = cloud.clock.now().getTime()
  return callAs(cloud, admin, 'legal', 'publish', {
    docId: options.docId,
    version: options.version,
    title: options.title ?? `测试文档 ${options.docId}`,
    summary: options.summary ?? `第 ${options.version} 版的变更摘要`,
    body: options.body ?? `# 测试文档 ${options.docId}\n\n这是 ${options.docId} 第 ${options.version} 版的测试正文。\n`,
    announcedAt: new Date(now + (options.announceInMs ?? 0)).toISOString(),
    effectiveAt: new Date(now + options.effectiveInMs).toISOString(),
    reason: '测试发布',
  })
}

/** Birth date that makes someone `years` old today (Beijing), minus a margin of days. */
export function birthDateYearsAgo(years: number, now: Date = new Date()): string {
  const d = new Date(now.getTime() + 8 * 3600 * 1000)
  const year = d.getUTCFullYear() - years
  // Step back a month so the birthday has passed this year whatever today is.
  const month = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth()
  const y = d.getUTCMonth() === 0 ? year - 1 : year
  return `${y}-${String(month).padStart(2, '0')}-01`
}

/** In-memory wx storage (miniprogram-simulate's is a no-op). */
export function installMemoryStorage(): Map<string, unknown> {
  const store = new Map<string, unknown>()
  Object.assign(wx, {
    getStorageSync: (key: string) => (store.has(key) ? store.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      store.set(key, JSON.parse(JSON.stringify(value)))
    },
    removeStorageSync: (key: string) => {
      store.delete(key)
    },
  })
  return store
}

/**
 * WeChat's temporary files as pages read them (wx.getFileSystemManager().readFile,
 * base64): each reads as a small PNG. A path naming one of the sandbox's image
 * trigger words carries it in its bytes, so the sandbox's image check answers by
 * it after a real upload; a path containing `读取失败` fails as a vanished file does.
 */
export function installPickedFiles(): jest.Mock {
  const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const readFile = jest.fn((options: { filePath: string; success?: (result: { data: string }) => void; fail?: (error: { errMsg: string }) => void }) => {
    if (options.filePath.includes('读取失败')) {
      options.fail?.({ errMsg: 'readFile:fail no such file or directory' })
      return
    }
    const word = ['沙箱违规图', '沙箱待审图'].find((w) => decodeURIComponent(options.filePath).includes(w)) ?? ''
    options.success?.({ data: Buffer.concat([PNG_HEADER, Buffer.from(`picked ${word}`)]).toString('base64') })
  })
  Object.assign(wx, { getFileSystemManager: () => ({ readFile }) })
  return readFile
}

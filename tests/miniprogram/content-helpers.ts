/**
 * Shared by the activity-* and article-* page tests: opening a page with its
 * query, the calls a page made (read off the callFunction stub), and
 * activities and articles made straight through the backend.
 */
import type { ActivityDetail, PublishInput } from '../../shared/contract/activities'
import type { MyArticleView } from '../../shared/contract/articles'
import type { TestCloud } from '../../local/testing'
import { callAs, type Backend } from './backend'
import { render, waitFor, type Page } from './helpers'

/**
 * Opens a page as WeChat does: the query as properties (for the names that can
 * be properties: not `id`), the page attached, then onLoad with the query.
 */
export function openPage(pageId: string, query: Record<string, string> = {}): Page {
  const { id: _id, ...properties } = query
  const page = render(pageId, properties)
  const instance = page.instance as { onLoad?: (query: Record<string, string>) => void }
  instance.onLoad?.(query)
  return page
}

export async function openLoaded(pageId: string, query: Record<string, string> = {}): Promise<Page> {
  const page = openPage(pageId, query)
  await waitFor('the page to load', () => page.data.status !== 'loading')
  return page
}

/** The inputs the page sent to `fn.action`, in order. */
export function sentInputs(backend: Backend, fn: string, action: string): unknown[] {
  return backend.callFunction.mock.calls
    .map(([param]) => param)
    .filter((param) => param.name === fn && (param.data as { action?: string } | undefined)?.action === action)
    .map((param) => (param.data as { input?: unknown }).input)
}

const DAY = 24 * 3600 * 1000

/** YYYY-MM-DD and HH:mm in Beijing for a time (worked out here, not with the page's helpers). */
export function beijingParts(ms: number): { date: string; clock: string } {
  const iso = new Date(ms + 8 * 3600 * 1000).toISOString()
  return { date: iso.slice(0, 10), clock: iso.slice(11, 16) }
}

/** An activity published straight through the backend, starting `daysAhead` days after the cloud's now. */
export async function publishActivity(
  cloud: TestCloud,
  organizer: string,
  overrides: Partial<PublishInput> & { daysAhead?: number } = {},
): Promise<ActivityDetail> {
  const { daysAhead = 3, ...rest } = overrides
  const start = cloud.clock.now().getTime() + daysAhead * DAY
  const input: PublishInput = {
    title: '周末读书会',
    description: '一起读一本书，交流心得。',
    place: '上海市徐汇区漕溪北路 1 号',
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + 2 * 3600 * 1000).toISOString(),
    capacity: 10,
    ...rest,
  }
  return (await callAs(cloud, organizer, 'activities', 'publish', input)).activity
}

/** A published article straight through the backend. */
export async function publishArticle(cloud: TestCloud, author: string, title: string, body = '第一段。\n\n第二段。'): Promise<MyArticleView> {
  const { article } = await callAs(cloud, author, 'articles', 'create', { title, body })
  return (await callAs(cloud, author, 'articles', 'publish', { id: article.id })).article
}

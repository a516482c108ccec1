/**
 * Demo content for `npm start`: dev-alice publishes an activity and an article
 * through the real handlers (so they pass the same checks and moderation as
 * anything a user publishes). Written once per data folder.
 */
import type { Store } from '../cloudfunctions/_core/db'
import type { Gateway } from './gateway'

const MARKER = 'seed:demo-content'
const AUTHOR = 'dev-alice'
const DAY_MS = 24 * 3600 * 1000

function dataOf<T>(result: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }, what: string): T {
  if (!result.ok) throw new Error(`demo content: ${what} refused: ${result.error.code} ${result.error.message}`)
  return result.data as T
}

/** Returns whether anything was written. */
export async function seedDemoContent(store: Store, gateway: Gateway, now: Date): Promise<boolean> {
  const markers = store.collection<{ _id: string; seededAt: Date }>('counters')
  if (await markers.byId(MARKER)) return false
  const call = async <T>(name: string, action: string, input: unknown): Promise<T> =>
    dataOf<T>(await gateway.call(name, { action, input }, AUTHOR), `${name}.${action}`)

  // A week ahead, at 14:00 Beijing time.
  const day = new Date(Math.floor((now.getTime() + 8 * 3600 * 1000) / DAY_MS) * DAY_MS + 7 * DAY_MS - 8 * 3600 * 1000)
  const startAt = new Date(day.getTime() + 14 * 3600 * 1000)
  await call('activities', 'publish', {
    title: '乐聊名片线下交流会',
    description: '一起聊聊名片交换和私域运营的经验。现场有简单的茶歇，欢迎带上你的电子名片来认识新朋友。',
    place: '北京市海淀区中关村创业大街 2 层',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * 3600 * 1000).toISOString(),
    capacity: 30,
  })
  const { article } = await call<{ article: { id: string } }>('articles', 'create', {
    title: '怎样写一张让人记住的名片',
    body: '名片上最重要的是说清楚你能帮别人做什么。\n\n职位和公司写准确，简介用一两句话讲明白擅长的领域；联系方式可以设为交换名片后可见，既方便熟人联系，又减少打扰。',
  })
  await call('articles', 'publish', { id: article.id })
  await markers.add({ _id: MARKER, seededAt: now })
  return true
}

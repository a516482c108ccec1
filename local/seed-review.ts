/**
 * Demo work for the staff side of `npm start`, written once per data folder
 * through the real handlers: a demo author (李演示) whose article the gate
 * holds for a person (沙箱待审) and whose card three verified demo users
 * report as advertising — enough for the score to hide it at the default
 * threshold. dev-reviewer finds both in 工作台; the author can be followed
 * as `demo-author`.
 */
import type { Store } from '../cloudfunctions/_core/db'
import { checkCharacter } from '../shared/rules/id-number'
import { acceptTerms, dataOf, grantPurposes, verifyIdentity, type Caller } from './enrol'

const MARKER = 'seed:demo-review'
export const DEMO_AUTHOR = 'demo-author'
const REPORTERS = ['demo-reporter-1', 'demo-reporter-2', 'demo-reporter-3']

/** Made-up, well-formed ID numbers (sequence 95x) for the demo people; never import them into production. */
function demoIdNumber(seq: number): string {
  const first17 = `11010119920301${String(950 + seq).padStart(3, '0')}`
  return `${first17}${checkCharacter(first17)}`
}

async function verifiedPerson(call: Caller, openid: string, name: string, seq: number): Promise<void> {
  await acceptTerms(call, openid, { birthDate: '1992-03-01' })
  await verifyIdentity(call, openid, name, demoIdNumber(seq))
}

/** Returns whether anything was written. */
export async function seedDemoReview(store: Store, call: Caller, now: Date): Promise<boolean> {
  const markers = store.collection<{ _id: string; seededAt: Date }>('counters')
  if (await markers.byId(MARKER)) return false
  const as = async <T>(openid: string, name: string, action: string, input: unknown): Promise<T> =>
    dataOf<T>(await call(name, { action, input }, openid), `demo review: ${name}.${action}`)

  await verifiedPerson(call, DEMO_AUTHOR, '李演示', 0)
  await grantPurposes(call, DEMO_AUTHOR, ['publicCard'])
  const { card } = await as<{ card: { id: string } }>(DEMO_AUTHOR, 'cards', 'create', {
    name: '李演示',
    title: '招商经理',
    company: '演示优选商贸',
    intro: '全网最低价，添加客服领取新人福利，名额有限先到先得。',
  })
  const { article } = await as<{ article: { id: string } }>(DEMO_AUTHOR, 'articles', 'create', {
    title: '诚招合作伙伴',
    body: '我们正在寻找长期合作伙伴，欢迎联系洽谈。沙箱待审',
  })
  await as(DEMO_AUTHOR, 'articles', 'publish', { id: article.id })

  for (const [index, reporter] of REPORTERS.entries()) {
    await verifiedPerson(call, reporter, `演示举报${'一二三'[index] ?? ''}`, index + 1)
    await as(reporter, 'moderation', 'report', { kind: 'card', targetId: card.id, category: 'spam', ...(index === 0 ? { comment: '名片简介是引流广告' } : {}) })
  }
  await markers.add({ _id: MARKER, seededAt: now })
  return true
}

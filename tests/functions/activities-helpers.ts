/** Shared by the activities tests. */
import { acceptCurrentTerms, type TestCloud } from '../../local/testing'

/** Registers `count` people as users would (login, read and accept the current terms), `parallel` at a time. */
export async function registerMany(cloud: TestCloud, prefix: string, count: number, parallel = 50): Promise<string[]> {
  const openids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`)
  for (let i = 0; i < openids.length; i += parallel) {
    await Promise.all(openids.slice(i, i + parallel).map((openid) => acceptCurrentTerms(cloud, openid)))
  }
  return openids
}

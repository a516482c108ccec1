/**
 * Demo data for `npm start`, written once per data folder: accounts for the
 * development identities in the states they are named for.
 */
import type { AccountDoc } from '../cloudfunctions/_core/accounts'
import type { Doc, Store } from '../cloudfunctions/_core/db'
import { DEV_IDENTITIES } from './identities'

const SEED_MARKER = 'demo-seed'
const SEED_VERSION = 1

interface SeedMarker extends Doc {
  version: number
  seededAt: Date
}

const NICKNAMES: Record<string, string> = {
  'dev-alice': '张小乐',
  'dev-bob': '李大聊',
  'dev-reviewer': '审核员小周',
  'dev-admin': '管理员老王',
}

/** Returns false when this data folder was already seeded (demo data is never written twice). */
export async function seedDemoData(store: Store, now: Date): Promise<boolean> {
  const markers = store.collection<SeedMarker>('counters')
  if (await markers.byId(SEED_MARKER)) return false
  const accounts = store.collection<AccountDoc>('accounts')
  for (const [index, identity] of DEV_IDENTITIES.entries()) {
    if (await accounts.findOne({ openid: identity.openid })) continue
    const settled = identity.openid !== 'dev-bob'
    await accounts.add({
      _id: `demo-account-${index + 1}`,
      openid: identity.openid,
      state: 'active',
      roles: [...identity.roles],
      nickname: NICKNAMES[identity.openid] ?? identity.label,
      avatarUrl: null,
      createdAt: now,
      updatedAt: now,
      lastActiveAt: now,
      agreementAcceptedAt: settled ? now : null,
      verifiedAt: settled ? now : null,
    })
  }
  await markers.add({ _id: SEED_MARKER, version: SEED_VERSION, seededAt: now })
  return true
}

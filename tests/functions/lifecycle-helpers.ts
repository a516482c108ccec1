/** Helpers for the account-lifecycle tests: everything still goes through the real dispatcher. */
import { accounts, findAccount, type AccountDoc } from '../../cloudfunctions/_core/accounts'
import type { Doc } from '../../cloudfunctions/_core/db'
import type { InboxMessageDoc } from '../../cloudfunctions/_core/inbox'
import type { LifecycleView } from '../../shared/contract/account'
import { acceptCurrentTerms, type TestCloud } from '../../local/testing'
import { checkCharacter } from '../../shared/rules/id-number'
import { ok } from './helpers'

export const DAY = 24 * 3600 * 1000

export async function signUp(cloud: TestCloud, openid: string): Promise<AccountDoc> {
  await acceptCurrentTerms(cloud, openid)
  return stored(cloud, openid)
}

export async function stored(cloud: TestCloud, openid: string): Promise<AccountDoc> {
  const account = await findAccount(cloud.store, openid)
  if (!account) throw new Error(`no account for ${openid}`)
  return account
}

/** Staff roles are granted by operators in the console; arranged here in the database. */
export async function makeStaff(cloud: TestCloud, openid: string, role: 'reviewer' | 'admin'): Promise<AccountDoc> {
  const account = await signUp(cloud, openid)
  await accounts(cloud.store).update(account._id, { roles: ['user', role] })
  return stored(cloud, openid)
}

export function lifecycleOf(result: unknown): LifecycleView {
  return (result as { lifecycle: LifecycleView }).lifecycle
}

export async function inbox(cloud: TestCloud, openid: string): Promise<InboxMessageDoc[]> {
  return cloud.store.collection<InboxMessageDoc>('inbox_messages').find({ recipient: openid }, { orderBy: [['createdAt', 'asc']], limit: 100 })
}

export async function fire(cloud: TestCloud, trigger: 'tidyTimedStates' | 'runDeletions' | 'dormancy'): Promise<void> {
  ok(await cloud.gateway.fireTimer('scheduler', trigger))
}

/** A valid resident ID number (Dongcheng, Beijing) born on `date`; `seq` tells people apart. */
export function idNumberOf(date: string, seq: string): string {
  const first17 = `110101${date.replaceAll('-', '')}${seq}`
  return `${first17}${checkCharacter(first17)}`
}

interface LooseDoc extends Doc {
  [field: string]: unknown
}

/** Documents of domains that come later (cards, visits, locations), arranged directly in the database. */
export function arrange(cloud: TestCloud, collection: string, doc: Record<string, unknown>): Promise<string> {
  return cloud.store.collection<LooseDoc>(collection).add(doc)
}

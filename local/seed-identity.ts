/**
 * Demo identities for the development accounts seeded as verified, sealed with
 * the local keyring like real ones, so identity.status and the admin reveal
 * show something. The ID numbers are well-formed but made up (birth date from
 * the seeded account, sequence 9xx); never import this data into production.
 */
import { accounts } from '../cloudfunctions/_core/accounts'
import type { Config } from '../cloudfunctions/_core/config'
import type { Store } from '../cloudfunctions/_core/db'
import { isDuplicateKey } from '../cloudfunctions/_core/errors'
import { blindIndex } from '../cloudfunctions/_core/identity/crypto'
import { identities, nameRefOf } from '../cloudfunctions/_core/identity/records'
import { checkCharacter } from '../shared/rules/id-number'

const DEMO_LEGAL_NAMES: Record<string, { name: string; seq: string }> = {
  'dev-alice': { name: '张小乐', seq: '901' },
  'dev-reviewer': { name: '周审核', seq: '913' },
  'dev-admin': { name: '王管理', seq: '925' },
}

/** Returns how many identities were written (0 once seeded). */
export async function seedDemoIdentities(store: Store, now: Date, config: Config): Promise<number> {
  const settings = config.identity
  if (!settings) return 0
  let written = 0
  for (const [openid, demo] of Object.entries(DEMO_LEGAL_NAMES)) {
    const account = await accounts(store).findOne({ openid })
    if (!account || account.verifiedAt === null || account.birthDate === null) continue
    if (await identities(store).findOne({ openid })) continue
    const first17 = `110101${account.birthDate.replaceAll('-', '')}${demo.seq}`
    const idNumber = `${first17}${checkCharacter(first17)}`
    try {
      await identities(store).add({
        openid,
        nameSealed: settings.keyring.encrypt(demo.name, 'name'),
        idNumberSealed: settings.keyring.encrypt(idNumber, 'idNumber'),
        idIndex: blindIndex(settings.blindIndex, idNumber),
        provider: 'sandbox',
        verificationId: `demo-seed-${openid}`,
        result: 'passed',
        providerCode: 'sandbox:pass',
        verifiedAt: account.verifiedAt,
        birthDate: account.birthDate,
        nameRef: nameRefOf(config, demo.name),
      })
      await accounts(store).update(account._id, { birthDateSource: 'verified', updatedAt: now })
      written += 1
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  return written
}

/**
 * Demo data for `npm start`, written once per data folder: accounts for the
 * development identities in the states they are named for, version 1 of every
 * legal document from legal/templates/ (filled with demo operator details,
 * effective at once), and the consents of the identities that are past registration.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOCUMENT_IDS, DOCUMENT_TITLES, PURPOSES, type DocumentId, type PurposeId } from '../shared/consent'
import { freshLifecycle, type AccountDoc } from '../cloudfunctions/_core/accounts'
import type { Config } from '../cloudfunctions/_core/config'
import { Ledger } from '../cloudfunctions/_core/consent/ledger'
import type { Doc, Store } from '../cloudfunctions/_core/db'
import { documentCatalogue, publishDocument } from '../cloudfunctions/_core/legal'
import { DEV_IDENTITIES } from './identities'
import { seedDemoCards } from './seed-cards'
import { seedDemoIdentities } from './seed-identity'

const SEED_MARKER = 'demo-seed'
/** 2: consents moved from `agreementAcceptedAt` to the ledger; older folders get their demo consents added. */
const SEED_VERSION = 2

export const TEMPLATES_DIR = join(__dirname, '..', 'legal', 'templates')

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

/** dev-bob is the new user: no birth date, no consent, not verified — the registration flow starts with him. */
const SETTLED_BIRTH_DATES: Record<string, string> = {
  'dev-alice': '1990-05-12',
  'dev-reviewer': '1988-09-01',
  'dev-admin': '1985-03-20',
}

/** The settled identities are verified, which took the three real-name consents. */
const VERIFICATION_PURPOSES: readonly PurposeId[] = ['idNumber', 'face', 'partnerSharing']

/** A template's first `# ` line is its title. */
export function titleOfTemplate(text: string, docId: DocumentId): string {
  return /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? DOCUMENT_TITLES[docId]
}

/** Publishes version 1 of each document that has none; returns the ids published. */
export async function seedDocuments(store: Store, config: Config, now: Date, warn: (message: string) => void = console.warn): Promise<DocumentId[]> {
  const catalogue = await documentCatalogue(store, { fresh: true })
  const published: DocumentId[] = []
  for (const docId of DOCUMENT_IDS) {
    if (catalogue.versions(docId).length > 0) continue
    const file = join(TEMPLATES_DIR, `${docId}.md`)
    let template: string
    if (existsSync(file)) {
      template = readFileSync(file, 'utf8')
    } else {
      // Keeps the local cloud usable while a template is being written; clearly not a real text.
      warn(`legal/templates/${docId}.md 不存在：${docId} 以本地占位正文发布为第 1 版`)
      template = `# ${DOCUMENT_TITLES[docId]}\n\n（本地演示占位正文：legal/templates/${docId}.md 尚未编写。）\n`
    }
    await publishDocument(store, config, now, {
      docId,
      version: '1',
      title: titleOfTemplate(template, docId),
      summary: '首次发布（本地演示数据）',
      template,
      announcedAt: now,
      effectiveAt: now,
      publishedBy: 'local-seed',
    })
    published.push(docId)
  }
  return published
}

async function seedConsents(store: Store, config: Config, now: Date, openid: string): Promise<void> {
  const ledger = new Ledger(store, config)
  if ((await ledger.page(openid, { limit: 1 })).length > 0) return
  const catalogue = await documentCatalogue(store)
  const purposes: PurposeId[] = ['terms', 'privacy', ...VERIFICATION_PURPOSES]
  const entries = purposes.flatMap((purpose) => {
    const current = catalogue.current(PURPOSES[purpose].document, now)
    if (!current) return []
    const { docId, version, hash } = current
    return [{ purpose, action: 'grant' as const, method: 'checkbox' as const, docId, version, hash, guardian: null }]
  })
  await ledger.append(openid, now, entries)
}

/** Returns false when nothing had to be written (demo data is never written twice). */
export async function seedDemoData(store: Store, now: Date, config: Config): Promise<boolean> {
  const markers = store.collection<SeedMarker>('counters')
  const marker = await markers.byId(SEED_MARKER)
  const documents = await seedDocuments(store, config, now)
  // Identities are checked on every start: folders seeded before real-name verification existed get theirs.
  if (marker && marker.version >= SEED_VERSION) {
    const identitiesWritten = await seedDemoIdentities(store, now, config)
    const cardsWritten = await seedDemoCards(store, now, config)
    return identitiesWritten > 0 || cardsWritten > 0 || documents.length > 0
  }
  const accounts = store.collection<AccountDoc>('accounts')
  for (const [index, identity] of DEV_IDENTITIES.entries()) {
    const birthDate = SETTLED_BIRTH_DATES[identity.openid] ?? null
    const existing = await accounts.findOne({ openid: identity.openid })
    if (!existing) {
      await accounts.add({
        _id: `demo-account-${index + 1}`,
        ...freshLifecycle(),
        openid: identity.openid,
        state: 'active',
        roles: [...identity.roles],
        nickname: NICKNAMES[identity.openid] ?? identity.label,
        avatarUrl: null,
        createdAt: now,
        updatedAt: now,
        lastActiveAt: now,
        birthDate,
        birthDateSource: birthDate ? 'declared' : null,
        verifiedAt: birthDate ? now : null,
      })
    } else if (birthDate && !existing.birthDate) {
      await accounts.update(existing._id, { birthDate, birthDateSource: 'declared' })
    }
    if (birthDate) await seedConsents(store, config, now, identity.openid)
  }
  if (marker) await markers.update(SEED_MARKER, { version: SEED_VERSION })
  else await markers.add({ _id: SEED_MARKER, version: SEED_VERSION, seededAt: now })
  await seedDemoIdentities(store, now, config)
  await seedDemoCards(store, now, config)
  return true
}

/**
 * The operator's lexicon, as data: immutable versions in `moderation_lexicons`
 * (stored by `moderation.putLexicon`, editable without a deploy); the newest
 * one applies. Until an operator stores one, the demo lexicon in
 * shared/moderation applies.
 *
 * Every function instance that moderates keeps the scanner it compiled, per
 * version, and asks the database for the newest version's id at most once per
 * LEXICON_RECHECK_MS of its clock: a new version reaches every instance within
 * that time, while a publish costs no lexicon read at all in between.
 */
import demoLexicon from '../../../shared/moderation/demo-lexicon.json'
import demoReadings from '../../../shared/moderation/demo-readings.json'
import { CATEGORIES, compileLexicon, foldsOf, parseLexicon, type Lexicon, type LexiconScanner } from '../../../shared/moderation/lexicon'
import { lexiconReadingsSchema, type LexiconReadings } from '../../../shared/moderation/readings'
import type { LexiconSummary } from '../../../shared/contract/moderation'
import { COLLECTIONS } from '../collections'
import type { Context } from '../context'
import type { Doc, Store } from '../db'

/** How long an instance trusts its idea of the newest lexicon before asking again. */
export const LEXICON_RECHECK_MS = 30_000

export interface LexiconDoc extends Doc {
  version: string
  categories: Lexicon['categories']
  termCount: number
  /** How its characters are also written and sound, worked out when it was stored (lexicon-readings.ts). */
  readings: LexiconReadings
  /** Strictly increasing across versions: the newest is the one with the latest createdAt. */
  createdAt: Date
}

export function lexicons(db: Store) {
  return db.collection<LexiconDoc>(COLLECTIONS.moderationLexicons)
}

export interface CurrentScanner {
  version: string
  source: 'stored' | 'demo'
  /** The stored version's document id; null for the demo lexicon. */
  docId: string | null
  storedAt: Date | null
  lexicon: Lexicon
  scanner: LexiconScanner
}

export function termCountOf(lexicon: Lexicon): number {
  let count = 0
  for (const category of CATEGORIES) count += lexicon.categories[category]?.terms.length ?? 0
  return count
}

export function summaryOf(current: CurrentScanner): LexiconSummary {
  const categories: LexiconSummary['categories'] = []
  for (const category of CATEGORIES) {
    const entry = current.lexicon.categories[category]
    if (entry) categories.push({ category, label: entry.label, action: entry.action, termCount: entry.terms.length, folds: foldsOf(entry) })
  }
  return {
    version: current.version,
    source: current.source,
    storedAt: current.storedAt ? current.storedAt.toISOString() : null,
    termCount: termCountOf(current.lexicon),
    categories,
  }
}

/** The demo lexicon's version: reserved, a stored version never takes it. */
export const DEMO_LEXICON_VERSION: string = demoLexicon.version

let demo: CurrentScanner | null = null

function demoScanner(): CurrentScanner {
  if (!demo) {
    const parsed = parseLexicon(demoLexicon)
    if (!parsed.ok) throw new Error(`演示词库无效：\n${parsed.problems.join('\n')}`)
    const scanner = compileLexicon(parsed.lexicon, lexiconReadingsSchema.parse(demoReadings))
    demo = { version: parsed.lexicon.version, source: 'demo', docId: null, storedAt: null, lexicon: parsed.lexicon, scanner }
  }
  return demo
}

/** The newest stored version without its terms (one indexed read of a few fields). */
export async function newestLexiconHead(db: Store): Promise<Pick<LexiconDoc, '_id' | 'version' | 'createdAt'> | null> {
  const [head] = await lexicons(db).find({}, {
    orderBy: [
      ['createdAt', 'desc'],
      ['_id', 'desc'],
    ],
    limit: 1,
    fields: { _id: true, version: true, createdAt: true },
  })
  return head ?? null
}

/** Compiles a stored version. It was validated when stored; it is validated again because the database is not code. */
export function scannerOfDoc(doc: LexiconDoc): CurrentScanner {
  const parsed = parseLexicon({ version: doc.version, categories: doc.categories })
  if (!parsed.ok) throw new Error(`stored lexicon ${doc.version} is invalid: ${parsed.problems.slice(0, 5).join('; ')}`)
  const readings = lexiconReadingsSchema.safeParse(doc.readings)
  if (!readings.success) throw new Error(`stored lexicon ${doc.version} has no valid readings: ${readings.error.issues[0]?.message ?? ''}`)
  const scanner = compileLexicon(parsed.lexicon, readings.data)
  return { version: doc.version, source: 'stored', docId: doc._id, storedAt: doc.createdAt, lexicon: parsed.lexicon, scanner }
}

export interface LexiconCache {
  current(ctx: Context): Promise<CurrentScanner>
  /** Takes a version this instance just stored, so that its own next publish uses it at once. */
  adopt(doc: LexiconDoc): CurrentScanner
}

/** A cache of the lexicon in force; `currentScanner` keeps one per database handle, tests may make more to play other instances. */
export function createLexiconCache(recheckMs: number = LEXICON_RECHECK_MS): LexiconCache {
  let current: CurrentScanner | null = null
  let checkedAt = 0

  return {
    async current(ctx) {
      const now = ctx.now.getTime()
      // A clock that went back (tests) asks again rather than trusting the future.
      if (current && now >= checkedAt && now - checkedAt < recheckMs) return current
      const head = await newestLexiconHead(ctx.db)
      checkedAt = now
      if (!head) {
        current = demoScanner()
        return current
      }
      if (current?.docId === head._id) return current
      const doc = await lexicons(ctx.db).byId(head._id)
      if (!doc) return current ?? demoScanner()
      try {
        current = scannerOfDoc(doc)
      } catch (error) {
        // Keep moderating with what we had rather than stop publishing; operators see the log line.
        ctx.log.error('stored lexicon not usable; keeping the previous one', { version: doc.version, error: String(error) })
        current ??= demoScanner()
      }
      return current
    },
    adopt(doc) {
      current = scannerOfDoc(doc)
      return current
    },
  }
}

/** One cache per database handle: one per function instance in production, one per local cloud in tests. */
const caches = new WeakMap<Store, LexiconCache>()

function cacheFor(db: Store): LexiconCache {
  let cache = caches.get(db)
  if (!cache) {
    cache = createLexiconCache()
    caches.set(db, cache)
  }
  return cache
}

/** The scanner of the lexicon in force, as this function instance knows it. */
export function currentScanner(ctx: Context): Promise<CurrentScanner> {
  return cacheFor(ctx.db).current(ctx)
}

/** After `putLexicon`: this instance uses the new version at once; others within LEXICON_RECHECK_MS. */
export function adoptLexicon(ctx: Context, doc: LexiconDoc): CurrentScanner {
  return cacheFor(ctx.db).adopt(doc)
}

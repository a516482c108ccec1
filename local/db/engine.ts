/**
 * The local CloudBase database: collections in SQLite (better-sqlite3, WAL),
 * MongoDB semantics in JS, SQL doing the narrowing wherever it is exact.
 *
 * Layout: one table per collection `(rid INTEGER PRIMARY KEY, id UNIQUE, data TEXT)`,
 * `data` being the whole document as JSON with dates as {"$date": ms}. Each
 * declared index becomes an expression index over `keyExpr(field)`, which maps
 * a field to a value whose SQLite order is MongoDB's order across types:
 * null/missing → NULL, numbers → numeric, strings → TEXT (BINARY = code-point
 * order), booleans → X'20..', dates → X'30' + 8 big-endian bytes of ms + 2^53.
 *
 * No multikey indexes locally: a write putting an array (or an embedded
 * non-date object) anywhere along an indexed path is refused, so for indexed
 * paths SQL comparisons are exactly MongoDB's. Conditions on other paths, and
 * every other operator, are evaluated by the JS matcher. Unique indexes are
 * UNIQUE expression indexes: missing and null map to NULL and never conflict.
 *
 * `updated` counts documents whose content changed (MongoDB's nModified): an
 * update writing the values a document already holds reports 0.
 *
 * Without orderBy, results come in index order when SQL answers through an
 * index, else in insertion order (MongoDB leaves it unspecified too); sort ties
 * are broken by insertion order in the direction of the first sort key.
 *
 * Every write request is one SQLite transaction; requests are served one at a
 * time (better-sqlite3 is synchronous), so conditional updates are atomic.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { parseDoc, stringifyDoc } from './ejson'
import { collectionMissing, DbError, invalid, unsupported } from './errors'
import { compileQuery, sargable, splitPath, type Sargable, type SqlCond } from './query'
import { checkCollectionName, loadSpec, type CollectionSpec, type IndexSpec } from './spec'
import { compileUpdate, toReplacement, toStored, type CompiledUpdate } from './update'
import { cloneValue, compareValues, isObj, isQObj, sortValue, type Doc, type QObject, type QValue, type Value } from './values'

export type DocId = string | number
export type SortSpec = Array<readonly [string, 1 | -1]>

export interface EngineOptions {
  /** A directory for the database file, or ':memory:'. */
  dataDir: string
  /** Collections and indexes to ensure; defaults to database/collections.json. */
  collections?: CollectionSpec[]
  /** Server clock for db.serverDate(); defaults to Date.now. */
  now?: () => number
}

export interface FindOptions {
  order?: SortSpec
  offset?: number
  /** Undefined: no limit (the protocol layer applies CloudBase's default and cap). */
  limit?: number
  projection?: QObject
}

export type Change = { kind: 'update'; update: QObject } | { kind: 'replace'; doc: QValue }

export interface ModifyResult {
  updated: number
  upsertedId?: DocId
}

export interface CollectionInfo {
  name: string
  count: number
  indexes: IndexSpec[]
}

export const DB_FILE = 'local-cloud.sqlite'
/** Idle transactions are dropped after this long (the SDK's own timeouts are shorter). */
const TX_IDLE_MS = 60_000
const DEFAULT_EXPLAIN_LIMIT = 100

interface Coll {
  name: string
  table: string
  indexes: IndexSpec[]
  /** Paths SQL answers exactly: `_id` and every field of a declared index. */
  exactPaths: Set<string>
  guarded: string[][]
  bySqlIndex: Map<string, IndexSpec>
}

interface Row {
  rid: number
  data: string
}

interface TxState {
  lastUsed: number
  reads: Map<string, { coll: Coll; id: DocId; text: string | null }>
  writes: Map<string, { coll: Coll; id: DocId; doc: Doc | null }>
}

/** The SQL expression whose value orders like MongoDB; see the file comment. */
export function keyExpr(field: string): string {
  const p = `'$.${field}'`
  const d = `'$.${field}."$date"'`
  return (
    `(CASE json_type(data,${p}) WHEN 'integer' THEN json_extract(data,${p}) WHEN 'real' THEN json_extract(data,${p}) ` +
    `WHEN 'text' THEN json_extract(data,${p}) WHEN 'true' THEN X'2001' WHEN 'false' THEN X'2000' ` +
    `WHEN 'object' THEN (CASE json_type(data,${d}) WHEN 'integer' THEN unhex(printf('30%016X', json_extract(data,${d}) + 9007199254740992)) ELSE X'10' END) ` +
    `ELSE NULL END)`
  )
}

const TWO_53 = 2n ** 53n

export function sqlKey(v: Sargable): number | string | Buffer {
  if (typeof v === 'number' || typeof v === 'string') return v
  if (typeof v === 'boolean') return Buffer.from([0x20, v ? 1 : 0])
  const b = Buffer.alloc(9)
  b[0] = 0x30
  b.writeBigUInt64BE(BigInt(v.getTime()) + TWO_53, 1)
  return b
}

/** The key range holding every value of v's type (MongoDB compares within a type only). */
function typeBounds(v: Sargable): [number | string | Buffer | null, number | string | Buffer] {
  if (typeof v === 'number') return [null, '']
  if (typeof v === 'string') return ['', Buffer.alloc(0)]
  if (typeof v === 'boolean') return [Buffer.from([0x20]), Buffer.from([0x21])]
  return [Buffer.from([0x30]), Buffer.from([0x31])]
}

/**
 * Duck-typed: better-sqlite3's native part keeps the SqliteError class of the
 * first module instance that loaded it, so `instanceof` fails under jest's
 * per-file module registries.
 */
function isSqliteError(e: unknown): e is Error & { code: string } {
  const x = e as { code?: unknown; message?: unknown } | null
  return typeof x === 'object' && x !== null && typeof x.code === 'string' && typeof x.message === 'string'
}

function checkId(v: Value | undefined): DocId {
  if (typeof v === 'string' && v.length > 0) return v
  if (typeof v === 'number' && Number.isFinite(v)) return v
  throw invalid(`_id must be a non-empty string or a number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`)
}

function newId(): string {
  return randomBytes(16).toString('hex')
}

function txKey(c: Coll, id: DocId): string {
  return `${c.name}\u0000${typeof id}\u0000${String(id)}`
}

/* ---------- projection ---------- */

type PathTree = { [k: string]: PathTree | true }

function compileProjection(p: QObject): (doc: Doc) => Doc {
  let idOn = true
  const include: PathTree = {}
  const exclude: PathTree = {}
  let nIn = 0
  let nEx = 0
  for (const key of Object.keys(p)) {
    const v = p[key]
    if (isQObj(v)) throw unsupported(`projection operator ${Object.keys(v)[0] ?? '{}'} (on '${key}')`)
    const on = v === true || (typeof v === 'number' && v !== 0)
    if (key === '_id') {
      idOn = on
      continue
    }
    const parts = splitPath(key)
    let t = on ? include : exclude
    for (let i = 0; i < parts.length; i++) {
      const k = parts[i] as string
      if (i === parts.length - 1) t[k] = true
      else {
        const next = t[k]
        if (next === true) break
        const sub: PathTree = next ?? {}
        t[k] = sub
        t = sub
      }
    }
    if (on) nIn++
    else nEx++
  }
  if (nIn > 0 && nEx > 0) throw invalid('a projection cannot mix inclusion and exclusion (except for _id)')
  // {_id: 1} alone is an inclusion projection: only _id comes back.
  if (nIn > 0 || (nEx === 0 && idOn)) {
    return (doc) => {
      const out = (pick(doc, include) as Doc | undefined) ?? {}
      if (idOn && doc._id !== undefined) return { _id: doc._id, ...out }
      delete out._id
      return out
    }
  }
  return (doc) => {
    const out = drop(doc, exclude) as Doc
    if (!idOn) delete out._id
    return out
  }
}

function pick(v: Value, t: PathTree | true): Value | undefined {
  if (t === true) return cloneValue(v)
  if (Array.isArray(v)) return v.filter((e) => isObj(e)).map((e) => pick(e, t) ?? {})
  if (!isObj(v)) return undefined
  const out: Doc = {}
  for (const k of Object.keys(v)) {
    const sub = t[k]
    if (sub === undefined) continue
    const r = pick(v[k] as Value, sub)
    if (r !== undefined) out[k] = r
  }
  return out
}

function drop(v: Value, t: PathTree | true): Value | undefined {
  if (t === true) return undefined
  if (Array.isArray(v)) return v.map((e) => (isObj(e) ? (drop(e, t) as Value) : cloneValue(e)))
  if (!isObj(v)) return cloneValue(v)
  const out: Doc = {}
  for (const k of Object.keys(v)) {
    const sub = t[k]
    const r = sub === undefined ? cloneValue(v[k] as Value) : drop(v[k] as Value, sub)
    if (r !== undefined) out[k] = r
  }
  return out
}

/* ---------- the engine ---------- */

export class LocalDatabase {
  readonly file: string
  private readonly db: Database.Database
  private readonly colls = new Map<string, Coll>()
  private readonly stmts = new Map<string, Database.Statement>()
  private readonly txs = new Map<string, TxState>()
  readonly now: () => number
  private closed = false

  constructor(options: EngineOptions) {
    this.now = options.now ?? Date.now
    if (options.dataDir === ':memory:') this.file = ':memory:'
    else {
      mkdirSync(options.dataDir, { recursive: true })
      this.file = path.join(options.dataDir, DB_FILE)
    }
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('cache_size = -65536')
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, tbl TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, indexes TEXT NOT NULL DEFAULT '[]')`,
    )
    const rows = this.db.prepare('SELECT name, tbl, indexes FROM _collections').all() as Array<{ name: string; tbl: string; indexes: string }>
    for (const r of rows) this.colls.set(r.name, this.describe(r.name, r.tbl, JSON.parse(r.indexes) as IndexSpec[]))
    try {
      const spec = options.collections ?? loadSpec()
      this.db.transaction(() => {
        for (const c of spec) this.ensureCollection(c.name, c.indexes)
      })()
    } catch (e) {
      this.db.close()
      throw e
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      this.db.pragma('optimize')
    } finally {
      this.db.close()
    }
  }

  /* ----- collections ----- */

  private describe(name: string, table: string, indexes: IndexSpec[]): Coll {
    const exactPaths = new Set<string>(['_id'])
    const guarded: string[][] = []
    const bySqlIndex = new Map<string, IndexSpec>()
    for (const ix of indexes) {
      bySqlIndex.set(sqlIndexName(table, ix), ix)
      for (const f of ix.fields) {
        if (!exactPaths.has(f.field)) guarded.push(f.field.split('.'))
        exactPaths.add(f.field)
      }
    }
    return { name, table, indexes, exactPaths, guarded, bySqlIndex }
  }

  private ensureCollection(name: string, indexes: IndexSpec[]): Coll {
    let c = this.colls.get(name)
    if (!c) c = this.createTable(name)
    const wanted = new Map(indexes.map((ix) => [sqlIndexName(c.table, ix), ix]))
    const existing = this.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(c.table) as Array<{ name: string; sql: string }>
    for (const ex of existing) {
      const ix = wanted.get(ex.name)
      if (!ix || ex.sql !== indexSql(c.table, ix)) this.db.exec(`DROP INDEX "${ex.name}"`)
    }
    const kept = new Set(
      (this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`).all(c.table) as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    )
    for (const [sqlName, ix] of wanted) {
      if (kept.has(sqlName)) continue
      this.assertIndexable(c, ix)
      try {
        this.db.exec(indexSql(c.table, ix))
      } catch (e) {
        if (isSqliteError(e) && e.code.startsWith('SQLITE_CONSTRAINT')) {
          throw new Error(`cannot create unique index ${ix.name} on ${name}: existing documents hold duplicate values`)
        }
        throw e
      }
    }
    this.db.prepare('UPDATE _collections SET indexes = ? WHERE name = ?').run(JSON.stringify(indexes), name)
    const described = this.describe(name, c.table, indexes)
    this.colls.set(name, described)
    this.stmts.clear()
    return described
  }

  private assertIndexable(c: Coll, ix: IndexSpec): void {
    for (const f of ix.fields) {
      const parts = f.field.split('.')
      for (let i = 1; i <= parts.length; i++) {
        const p = `'$.${parts.slice(0, i).join('.')}'`
        const bad =
          i < parts.length
            ? `json_type(data,${p}) = 'array'`
            : `json_type(data,${p}) = 'array' OR (json_type(data,${p}) = 'object' AND json_type(data,'$.${f.field}."$date"') IS NOT 'integer')`
        const hit = this.db.prepare(`SELECT id FROM "${c.table}" WHERE ${bad} LIMIT 1`).get() as { id: DocId } | undefined
        if (hit) {
          throw new Error(
            `cannot index ${c.name}.${f.field}: document ${JSON.stringify(hit.id)} holds an array or an embedded object along that path (the local database has no multikey indexes)`,
          )
        }
      }
    }
  }

  private createTable(name: string): Coll {
    const next = (this.db.prepare(`SELECT count(*) AS n FROM _collections`).get() as { n: number }).n + 1
    let table = `c${next}`
    while (this.db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(table)) table = `${table}x`
    this.db.exec(`CREATE TABLE "${table}" (rid INTEGER PRIMARY KEY, id ANY NOT NULL UNIQUE, data TEXT NOT NULL) STRICT`)
    this.db.prepare('INSERT INTO _collections (name, tbl, created_at, indexes) VALUES (?, ?, ?, ?)').run(name, table, Date.now(), '[]')
    const c = this.describe(name, table, [])
    this.colls.set(name, c)
    return c
  }

  hasCollection(name: string): boolean {
    return this.colls.has(name)
  }

  createCollection(name: string): void {
    if (!checkCollectionName(name)) {
      throw invalid(`invalid collection name "${name}": start with a letter; letters, digits, _ and - only; at most 64 characters`)
    }
    if (this.colls.has(name)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `collection "${name}" already exists`)
    this.db.transaction(() => this.createTable(name))()
  }

  private coll(name: string): Coll {
    const c = this.colls.get(name)
    if (!c) throw collectionMissing(name)
    return c
  }

  /** For a status page: every collection with its document count. */
  listCollections(): CollectionInfo[] {
    return [...this.colls.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => ({
        name: c.name,
        count: (this.stmt(`SELECT count(*) AS n FROM "${c.table}"`).get() as { n: number }).n,
        indexes: c.indexes,
      }))
  }

  /** For a status page: one page of a collection, newest first (read-only). */
  listDocuments(name: string, page: { offset?: number; limit?: number } = {}): { total: number; documents: Doc[] } {
    const c = this.coll(name)
    const limit = Math.max(0, Math.min(page.limit ?? 20, 1000))
    const offset = Math.max(0, page.offset ?? 0)
    const total = (this.stmt(`SELECT count(*) AS n FROM "${c.table}"`).get() as { n: number }).n
    const rows = this.stmt(`SELECT data FROM "${c.table}" ORDER BY rid DESC LIMIT ? OFFSET ?`).all(limit, offset) as Array<{ data: string }>
    return { total, documents: rows.map((r) => parseDoc(r.data)) }
  }

  /** The status page's view (local/status-page.ts `Browsable`). */
  collections(): CollectionInfo[] {
    return this.listCollections()
  }

  documents(name: string, offset: number, limit: number): { total: number; docs: Doc[] } {
    const page = this.listDocuments(name, { offset, limit })
    return { total: page.total, docs: page.documents }
  }

  /* ----- SQL helpers ----- */

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      if (this.stmts.size > 500) this.stmts.clear()
      s = this.db.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  private keyOf(path: string): string {
    return path === '_id' ? 'id' : keyExpr(path)
  }

  private whereSql(conds: SqlCond[]): { sql: string; params: Array<number | string | Buffer> } {
    const parts: string[] = []
    const params: Array<number | string | Buffer> = []
    for (const cond of conds) {
      const k = this.keyOf(cond.path)
      if (cond.op === 'in') {
        parts.push(`${k} IN (${cond.values.map(() => '?').join(',')})`)
        params.push(...cond.values.map(sqlKey))
        continue
      }
      const key = sqlKey(cond.value)
      if (cond.op === 'eq') {
        parts.push(`${k} = ?`)
        params.push(key)
        continue
      }
      const [lower, upper] = typeBounds(cond.value)
      const sym = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[cond.op]
      parts.push(`${k} ${sym} ?`)
      params.push(key)
      if (cond.op === 'gt' || cond.op === 'gte') {
        parts.push(`${k} < ?`)
        params.push(upper)
      } else if (lower !== null) {
        parts.push(`${k} >= ?`)
        params.push(lower)
      }
    }
    return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params }
  }

  /**
   * Matching rows in result order. SQL does all of it when the query is exact
   * and every sort key is an exact path; otherwise SQL narrows and JS finishes.
   */
  private plan(c: Coll, query: QObject, order: SortSpec, offset: number, limit: number | undefined, single: boolean) {
    const pred = compileQuery(query)
    const { conds, exact } = sargable(query, c.exactPaths)
    const where = this.whereSql(conds)
    const lim = single ? 1 : limit
    const tieDir = order[0]?.[1] === -1 ? 'DESC' : 'ASC'
    const allSql = exact && order.every(([p]) => c.exactPaths.has(p))
    let sql = `SELECT rid, data FROM "${c.table}"${where.sql}`
    const params: Array<number | string | Buffer> = [...where.params]
    if (allSql) {
      if (order.length) sql += ` ORDER BY ${order.map(([p, d]) => `${this.keyOf(p)} ${d === -1 ? 'DESC' : 'ASC'}`).join(', ')}, rid ${tieDir}`
      else if (single) sql += ' ORDER BY rid'
      if (lim !== undefined || offset > 0) {
        sql += ' LIMIT ? OFFSET ?'
        params.push(lim ?? -1, offset)
      }
    } else sql += ' ORDER BY rid'
    return { pred, exact, allSql, sql, params, lim, tieDir }
  }

  /** How a query runs: all in SQL, or SQL narrowing (`sqlConditions`) and JS finishing. For tests and tuning. */
  explain(collection: string, query: QObject, order: SortSpec = []): { allSql: boolean; sqlConditions: number; sqlitePlan: string[] } {
    const c = this.coll(collection)
    const p = this.plan(c, query, order, 0, DEFAULT_EXPLAIN_LIMIT, false)
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${p.sql}`).all(...p.params) as Array<{ detail: string }>
    return { allSql: p.allSql, sqlConditions: sargable(query, c.exactPaths).conds.length, sqlitePlan: rows.map((r) => r.detail) }
  }

  private select(c: Coll, query: QObject, order: SortSpec, offset: number, limit: number | undefined, single = false): Row[] {
    const { pred, exact, allSql, sql, params: sqlParams, lim, tieDir } = this.plan(c, query, order, offset, limit, single)
    if (allSql) return this.stmt(sql).all(...sqlParams) as Row[]
    const where = { params: sqlParams }
    if (order.length === 0) {
      const out: Row[] = []
      let skip = offset
      for (const row of this.stmt(sql).iterate(...where.params) as IterableIterator<Row>) {
        if (lim !== undefined && out.length >= lim) break
        if (!exact && !pred(parseDoc(row.data))) continue
        if (skip > 0) {
          skip--
          continue
        }
        out.push(row)
      }
      return out
    }
    const keys = order.map(([p, d]) => ({ parts: splitPath(p), dir: d }))
    const hits: Array<{ row: Row; sortKeys: Array<Value | undefined> }> = []
    for (const row of this.stmt(sql).all(...where.params) as Row[]) {
      const doc = parseDoc(row.data)
      if (!exact && !pred(doc)) continue
      hits.push({ row, sortKeys: keys.map((k) => sortValue(doc, k.parts, k.dir)) })
    }
    const tie = tieDir === 'DESC' ? -1 : 1
    hits.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const cmp = compareValues(a.sortKeys[i], b.sortKeys[i]) * (keys[i] as { dir: 1 | -1 }).dir
        if (cmp !== 0) return cmp
      }
      return (a.row.rid - b.row.rid) * tie
    })
    const end = lim === undefined ? undefined : offset + lim
    return hits.slice(offset, end).map((h) => h.row)
  }

  /* ----- reads ----- */

  /** Matching documents as stored JSON text (EJSON the SDK reads as is). */
  find(collection: string, query: QObject, options: FindOptions = {}): string[] {
    const c = this.coll(collection)
    validateSort(options.order ?? [])
    const project = options.projection && Object.keys(options.projection).length ? compileProjection(options.projection) : undefined
    const rows = this.select(c, query, options.order ?? [], Math.max(0, options.offset ?? 0), options.limit)
    if (!project) return rows.map((r) => r.data)
    return rows.map((r) => stringifyDoc(project(parseDoc(r.data))))
  }

  findDocs(collection: string, query: QObject = {}, options: FindOptions = {}): Doc[] {
    return this.find(collection, query, options).map(parseDoc)
  }

  count(collection: string, query: QObject): number {
    const c = this.coll(collection)
    const { conds, exact } = sargable(query, c.exactPaths)
    const pred = compileQuery(query)
    const where = this.whereSql(conds)
    if (exact) return (this.stmt(`SELECT count(*) AS n FROM "${c.table}"${where.sql}`).get(...where.params) as { n: number }).n
    let n = 0
    for (const row of this.stmt(`SELECT data FROM "${c.table}"${where.sql}`).iterate(...where.params) as IterableIterator<{ data: string }>) {
      if (pred(parseDoc(row.data))) n++
    }
    return n
  }

  /* ----- writes ----- */

  /** Refuses what would make SQL inexact on an indexed path (see the file comment). */
  private guard(c: Coll, doc: Doc): void {
    for (const parts of c.guarded) {
      let v: Value | undefined = doc
      for (let i = 0; i < parts.length && v !== undefined; i++) {
        v = isObj(v) ? v[parts[i] as string] : undefined
        if (Array.isArray(v)) {
          throw new DbError(
            'DATABASE_REQUEST_FAILED',
            `${c.name}.${parts.slice(0, i + 1).join('.')} is on the indexed path '${parts.join('.')}' and cannot hold an array locally (no multikey indexes)`,
          )
        }
        if (i === parts.length - 1 && isObj(v)) {
          throw new DbError('DATABASE_REQUEST_FAILED', `${c.name}.${parts.join('.')} is indexed and cannot hold an embedded object locally`)
        }
      }
    }
  }

  private duplicate(c: Coll, e: Error, doc: Doc): DbError {
    const m = /index '([^']+)'/.exec(e.message)
    const ix = m ? c.bySqlIndex.get(m[1] as string) : undefined
    if (!ix) {
      return new DbError(
        'DATABASE_REQUEST_FAILED',
        `E11000 duplicate key error collection: ${c.name} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`,
      )
    }
    const key = ix.fields.map((f) => `${f.field}: ${JSON.stringify(sortValue(doc, f.field.split('.'), 1) ?? null)}`).join(', ')
    return new DbError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${c.name} index: ${ix.name} dup key: { ${key} }`)
  }

  private write<T>(c: Coll, doc: Doc, run: () => T): T {
    try {
      return run()
    } catch (e) {
      if (isSqliteError(e) && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw this.duplicate(c, e, doc)
      throw e
    }
  }

  private insertRow(c: Coll, doc: Doc): void {
    this.guard(c, doc)
    const text = stringifyDoc(doc)
    this.write(c, doc, () => this.stmt(`INSERT INTO "${c.table}" (id, data) VALUES (?, ?)`).run(doc._id as DocId, text))
  }

  private updateRow(c: Coll, rid: number, doc: Doc, text: string): void {
    this.guard(c, doc)
    this.write(c, doc, () => this.stmt(`UPDATE "${c.table}" SET data = ? WHERE rid = ?`).run(text, rid))
  }

  private toNewDoc(data: QValue): Doc {
    if (!isQObj(data)) throw invalid('a document must be an object')
    const doc = toStored(data, 'document') as Doc
    const id = doc._id === undefined ? newId() : checkId(doc._id)
    const { _id: _drop, ...rest } = doc
    return { _id: id, ...rest }
  }

  insert(collection: string, docs: QValue[]): DocId[] {
    const c = this.coll(collection)
    if (docs.length === 0) throw invalid('nothing to insert')
    const prepared = docs.map((d) => this.toNewDoc(d))
    this.db.transaction(() => {
      for (const doc of prepared) this.insertRow(c, doc)
    })()
    return prepared.map((d) => d._id as DocId)
  }

  private compileChange(change: Change): { update?: CompiledUpdate; replacement?: Doc } {
    if (change.kind === 'replace') return { replacement: toReplacement(change.doc) }
    return { update: compileUpdate(change.update, this.now()) }
  }

  private applyChange(prepared: { update?: CompiledUpdate; replacement?: Doc }, doc: Doc, inserting: boolean): Doc {
    if (prepared.replacement) return { _id: doc._id as DocId, ...cloneValue(prepared.replacement) }
    const next = (prepared.update as CompiledUpdate).apply(doc, inserting)
    if (!inserting && !Object.is(next._id, doc._id)) throw invalid('cannot change _id')
    return next
  }

  modify(collection: string, query: QObject, change: Change, options: { multi: boolean; upsert: boolean }): ModifyResult {
    const c = this.coll(collection)
    const prepared = this.compileChange(change)
    return this.db.transaction((): ModifyResult => {
      const rows = this.select(c, query, [], 0, undefined, !options.multi)
      let updated = 0
      for (const row of rows) {
        const next = this.applyChange(prepared, parseDoc(row.data), false)
        const text = stringifyDoc(next)
        if (text === row.data) continue
        this.updateRow(c, row.rid, next, text)
        updated++
      }
      if (rows.length > 0 || !options.upsert) return { updated }
      const base = upsertBase(query)
      const doc = this.applyChange(prepared, { ...base, _id: base._id === undefined ? newId() : checkId(base._id) }, true)
      this.insertRow(c, doc)
      return { updated: 0, upsertedId: doc._id as DocId }
    })()
  }

  remove(collection: string, query: QObject, options: { multi: boolean }): number {
    const c = this.coll(collection)
    return this.db.transaction((): number => {
      const { conds, exact } = sargable(query, c.exactPaths)
      if (exact && options.multi) {
        compileQuery(query)
        const where = this.whereSql(conds)
        return this.stmt(`DELETE FROM "${c.table}"${where.sql}`).run(...where.params).changes
      }
      const rows = this.select(c, query, [], 0, undefined, !options.multi)
      const del = this.stmt(`DELETE FROM "${c.table}" WHERE rid = ?`)
      for (const r of rows) del.run(r.rid)
      return rows.length
    })()
  }

  /* ----- transactions: optimistic, single-document operations ----- */

  startTransaction(): string {
    const now = Date.now()
    for (const [id, tx] of this.txs) if (now - tx.lastUsed > TX_IDLE_MS) this.txs.delete(id)
    const id = newId()
    this.txs.set(id, { lastUsed: now, reads: new Map(), writes: new Map() })
    return id
  }

  private tx(id: string): TxState {
    const tx = this.txs.get(id)
    if (!tx) throw new DbError('DATABASE_TRANSACTION_FAIL', `transaction ${id} does not exist (finished, or idle for over ${TX_IDLE_MS / 1000}s)`)
    tx.lastUsed = Date.now()
    return tx
  }

  private rowById(c: Coll, id: DocId): string | null {
    const r = this.stmt(`SELECT data FROM "${c.table}" WHERE id = ?`).get(id) as { data: string } | undefined
    return r ? r.data : null
  }

  /** The document as this transaction sees it: its own writes, else what it first read. */
  private txRead(tx: TxState, c: Coll, id: DocId): Doc | null {
    const key = txKey(c, id)
    const w = tx.writes.get(key)
    if (w) return w.doc ? cloneValue(w.doc) : null
    let r = tx.reads.get(key)
    if (!r) {
      r = { coll: c, id, text: this.rowById(c, id) }
      tx.reads.set(key, r)
    }
    return r.text === null ? null : parseDoc(r.text)
  }

  txGet(txId: string, collection: string, id: DocId, projection?: QObject): string[] {
    const tx = this.tx(txId)
    const doc = this.txRead(tx, this.coll(collection), checkId(id))
    if (!doc) return []
    const out = projection && Object.keys(projection).length ? compileProjection(projection)(doc) : doc
    return [stringifyDoc(out)]
  }

  txInsert(txId: string, collection: string, data: QValue): DocId {
    const tx = this.tx(txId)
    const c = this.coll(collection)
    const doc = this.toNewDoc(data)
    const id = doc._id as DocId
    if (this.txRead(tx, c, id)) throw this.duplicate(c, new Error('_id'), doc)
    this.guard(c, doc)
    tx.writes.set(txKey(c, id), { coll: c, id, doc })
    return id
  }

  txModify(txId: string, collection: string, id: DocId, change: Change, upsert: boolean): ModifyResult {
    const tx = this.tx(txId)
    const c = this.coll(collection)
    const docId = checkId(id)
    const prepared = this.compileChange(change)
    const cur = this.txRead(tx, c, docId)
    if (!cur && !upsert) return { updated: 0 }
    const next = this.applyChange(prepared, cur ?? { _id: docId }, !cur)
    this.guard(c, next)
    if (cur && stringifyDoc(cur) === stringifyDoc(next)) return { updated: 0 }
    tx.writes.set(txKey(c, docId), { coll: c, id: docId, doc: next })
    return cur ? { updated: 1 } : { updated: 0, upsertedId: docId }
  }

  txRemove(txId: string, collection: string, id: DocId): number {
    const tx = this.tx(txId)
    const c = this.coll(collection)
    const docId = checkId(id)
    if (!this.txRead(tx, c, docId)) return 0
    tx.writes.set(txKey(c, docId), { coll: c, id: docId, doc: null })
    return 1
  }

  /** Commits atomically, or fails with DATABASE_TRANSACTION_CONFLICT (the SDK's runTransaction retries). */
  commitTransaction(txId: string): void {
    const tx = this.tx(txId)
    this.txs.delete(txId)
    this.db.transaction(() => {
      for (const r of tx.reads.values()) {
        if (this.rowById(r.coll, r.id) !== r.text) {
          throw new DbError(
            'DATABASE_TRANSACTION_CONFLICT',
            `transaction conflict: ${r.coll.name}/${String(r.id)} was changed by another write after this transaction read it`,
          )
        }
      }
      for (const w of tx.writes.values()) {
        const c = w.coll
        if (w.doc === null) {
          this.stmt(`DELETE FROM "${c.table}" WHERE id = ?`).run(w.id)
          continue
        }
        const doc = w.doc
        const text = stringifyDoc(doc)
        const existing = this.stmt(`SELECT rid FROM "${c.table}" WHERE id = ?`).get(w.id) as { rid: number } | undefined
        if (existing) this.updateRow(c, existing.rid, doc, text)
        else this.insertRow(c, doc)
      }
    })()
  }

  abortTransaction(txId: string): void {
    this.txs.delete(txId)
  }
}

function sqlIndexName(table: string, ix: IndexSpec): string {
  return `${table}__${ix.name.replace(/[^A-Za-z0-9_]/g, '_')}`
}

function indexSql(table: string, ix: IndexSpec): string {
  const cols = ix.fields.map((f) => `${keyExpr(f.field)} ${f.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ')
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX "${sqlIndexName(table, ix)}" ON "${table}" (${cols})`
}

function validateSort(order: SortSpec): void {
  for (const [p, d] of order) {
    splitPath(p)
    if (d !== 1 && d !== -1) throw invalid(`sort direction for '${p}' must be 1 or -1`)
  }
}

/** The equality fields of a query seed an upserted document, as in MongoDB. */
function upsertBase(query: QObject): Doc {
  const base: Doc = {}
  const visit = (q: QObject): void => {
    for (const key of Object.keys(q)) {
      const v = q[key] as QValue
      if (key === '$and' && Array.isArray(v)) {
        for (const sub of v) if (isQObj(sub)) visit(sub)
        continue
      }
      if (key.startsWith('$') || key.includes('.')) continue
      if (isQObj(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
        if ('$eq' in v) base[key] = toStored(v.$eq as QValue, 'upsert')
        continue
      }
      base[key] = toStored(v, 'upsert')
    }
  }
  visit(query)
  return base
}

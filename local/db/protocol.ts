/**
 * The CloudBase admin protocol as wx-server-sdk 4.0.2 (@cloudbase/node-sdk 3.17.2,
 * @cloudbase/database 1.4.3) speaks it, read from node_modules and checked
 * against a recording server:
 *
 * Transport: POST {TCB_CONTEXT_CNFG.URL}?env=…&seqId=…, JSON body; every body
 * also carries action, envName, signature/token fields (ignored here). A reply
 * with a truthy `code` becomes a thrown TcbError; wx-server-sdk then maps the
 * code string to errCode (DATABASE_COLLECTION_NOT_EXIST → -502005,
 * DATABASE_REQUEST_FAILED → -502001, DATABASE_INVALID_OPERRATOR → -502002,
 * anything unknown → -501001) and throws Error("<api>:fail <errCode> <text>. <message>").
 * Non-200 statuses become SYS_ERR, so errors are sent with status 200.
 *
 * Actions (query/data/order/projection are canonical-EJSON strings):
 * - database.getDocument {collectionName, queryType WHERE|DOC, query?, order?
 *   ({"path":±1,…} in orderBy order), offset?, limit (SDK: 100 by default, capped
 *   at 1000; absent for doc().get()), projection?, transactionId?}
 *   → {data: {list: [EJSON string…]}}
 * - database.calculateDocument {collectionName, query?} → {data: {total}}
 * - database.insertDocument {collectionName, data: [EJSON string…], transactionId?}
 *   → {data: {insertedIds: […]}}
 * - database.modifyDocument {collectionName, queryType, query, data, multi,
 *   merge, upsert, transactionId?}: where().update → multi true, merge true;
 *   doc().update → multi false, merge true; doc().set → merge false, upsert true
 *   (replacement) → {data: {updated, upsert_id?}}
 * - database.removeDocument {collectionName, query, queryType, multi} → {data: {deleted}}
 * - database.addCollection {collectionName} → {}
 * - database.startTransaction {} → {transactionId} (top level, not in data);
 *   database.commitTransaction / abortTransaction {transactionId} → {}.
 *   A commit failing with code DATABASE_TRANSACTION_CONFLICT makes runTransaction
 *   retry the callback (3 retries by default).
 * - Not served: database.aggregateDocuments, database.modifyAndReturnDoc, watch.
 *
 * Encodings: db.serverDate({offset}) → {"$tcb_server_date":{"offset":n}};
 * _.neq → $ne, _.remove() → $unset, _.push([x]) → $push {$each:[x]},
 * _.or/_.and on a field → top-level $or/$and; plain nested update objects are
 * flattened to dotted $set paths. Replies are read with relaxed EJSON.parse, so
 * stored JSON (dates as {"$date": ms}) goes back unchanged.
 */
import { parseEJSON } from './ejson'
import { DbError, invalid, unsupported } from './errors'
import type { Change, DocId, LocalDatabase, SortSpec } from './engine'
import { isQObj, type QObject, type QValue } from './values'

export interface AdminReply {
  requestId: string
  code?: string
  message?: string
  data?: unknown
  transactionId?: string
}

/** CloudBase's default page for where().get() and its cap. */
export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

type Body = Record<string, unknown>

function str(body: Body, key: string): string {
  const v = body[key]
  if (typeof v !== 'string' || v === '') throw invalid(`missing parameter ${key}`)
  return v
}

function optInt(body: Body, key: string): number | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(`${key} must be a non-negative integer`)
  return v
}

function ejsonObject(body: Body, key: string, now: number): QObject | undefined {
  const v = body[key]
  if (v === undefined || v === null || v === '') return undefined
  const parsed: QValue = typeof v === 'string' ? parseEJSON(v, key, now) : parseEJSON(JSON.stringify(v), key, now)
  if (!isQObj(parsed)) throw invalid(`${key} must be an object`)
  return parsed
}

function parseOrder(body: Body, now: number): SortSpec {
  const v = body.order
  if (v === undefined || v === null || v === '') return []
  const parsed = typeof v === 'string' ? parseEJSON(v, 'order', now) : parseEJSON(JSON.stringify(v), 'order', now)
  const out: Array<readonly [string, 1 | -1]> = []
  const dir = (d: QValue | undefined, field: string): 1 | -1 => {
    if (d === 1 || d === 'asc') return 1
    if (d === -1 || d === 'desc') return -1
    throw invalid(`invalid sort direction for '${field}'`)
  }
  if (Array.isArray(parsed)) {
    // Older SDKs: [{field, direction}]
    for (const o of parsed) {
      if (!isQObj(o) || typeof o.field !== 'string') throw invalid('invalid order')
      out.push([o.field, dir(o.direction, o.field)])
    }
  } else if (isQObj(parsed)) {
    for (const k of Object.keys(parsed)) out.push([k, dir(parsed[k], k)])
  } else throw invalid('invalid order')
  return out
}

/** doc() operations send {_id: X}; inside a transaction nothing else is allowed. */
function docIdOf(query: QObject | undefined, action: string): DocId {
  const keys = query ? Object.keys(query) : []
  const id = query?._id
  if (keys.length !== 1 || (typeof id !== 'string' && typeof id !== 'number')) {
    throw unsupported(`${action} with a query inside a transaction (transactions take single-document operations: doc().get/set/update/remove and add)`)
  }
  return id
}

function changeOf(body: Body, now: number): Change {
  const data = body.data
  if (typeof data !== 'string') throw invalid('missing parameter data')
  const parsed = parseEJSON(data, 'data', now)
  if (body.merge === false) return { kind: 'replace', doc: parsed }
  if (!isQObj(parsed)) throw invalid('data must be an object')
  const keys = Object.keys(parsed)
  // merge without operators means $set of those fields
  if (keys.length > 0 && keys.every((k) => !k.startsWith('$'))) return { kind: 'update', update: { $set: parsed } }
  return { kind: 'update', update: parsed }
}

function dispatch(db: LocalDatabase, body: Body, requestId: string): AdminReply {
  const action = typeof body.action === 'string' ? body.action : ''
  const now = db.now()
  const txId = typeof body.transactionId === 'string' && body.transactionId ? body.transactionId : undefined
  const queryType = body.queryType === 'DOC' ? 'DOC' : 'WHERE'
  switch (action) {
    case 'database.addCollection':
      db.createCollection(str(body, 'collectionName'))
      return { requestId }
    case 'database.getDocument': {
      const coll = str(body, 'collectionName')
      const query = ejsonObject(body, 'query', now) ?? {}
      const projection = ejsonObject(body, 'projection', now)
      if (txId) return { requestId, data: { list: db.txGet(txId, coll, docIdOf(query, action), projection) } }
      let limit = optInt(body, 'limit')
      if (queryType === 'WHERE' && !limit) limit = DEFAULT_LIMIT
      if (limit !== undefined) limit = Math.min(limit, MAX_LIMIT)
      const offset = optInt(body, 'offset') ?? 0
      const list = db.find(coll, query, { order: parseOrder(body, now), offset, limit, ...(projection ? { projection } : {}) })
      return { requestId, data: { list, offset, ...(limit !== undefined ? { limit } : {}) } }
    }
    case 'database.calculateDocument': {
      if (txId) throw unsupported(`${action} inside a transaction`)
      const total = db.count(str(body, 'collectionName'), ejsonObject(body, 'query', now) ?? {})
      return { requestId, data: { total } }
    }
    case 'database.insertDocument': {
      const coll = str(body, 'collectionName')
      const raw = body.data
      const list = Array.isArray(raw) ? raw : [raw]
      const docs = list.map((d: unknown) => {
        if (typeof d !== 'string') throw invalid('data must be a list of EJSON strings')
        return parseEJSON(d, 'data', now)
      })
      if (txId) {
        if (docs.length !== 1) throw unsupported('inserting several documents inside a transaction')
        return { requestId, data: { insertedIds: [db.txInsert(txId, coll, docs[0] as QValue)] } }
      }
      return { requestId, data: { insertedIds: db.insert(coll, docs) } }
    }
    case 'database.modifyDocument': {
      const coll = str(body, 'collectionName')
      const query = ejsonObject(body, 'query', now) ?? {}
      const change = changeOf(body, now)
      const upsert = body.upsert === true
      const r = txId
        ? db.txModify(txId, coll, docIdOf(query, action), change, upsert)
        : db.modify(coll, query, change, { multi: queryType === 'DOC' ? false : body.multi !== false, upsert })
      return { requestId, data: { updated: r.updated, ...(r.upsertedId !== undefined ? { upsert_id: r.upsertedId } : {}) } }
    }
    case 'database.removeDocument': {
      const coll = str(body, 'collectionName')
      const query = ejsonObject(body, 'query', now) ?? {}
      const deleted = txId
        ? db.txRemove(txId, coll, docIdOf(query, action))
        : db.remove(coll, query, { multi: queryType === 'DOC' ? false : body.multi !== false })
      return { requestId, data: { deleted } }
    }
    case 'database.startTransaction':
      return { requestId, transactionId: db.startTransaction() }
    case 'database.commitTransaction':
      db.commitTransaction(str(body, 'transactionId'))
      return { requestId }
    case 'database.abortTransaction':
      db.abortTransaction(str(body, 'transactionId'))
      return { requestId }
    default:
      if (action.startsWith('database.')) throw unsupported(`database action ${action}`)
      throw new DbError('INVALID_ACTION', `action "${action}" is not served by the local CloudBase /admin endpoint`)
  }
}

/** One /admin request → one reply; never throws (errors become CloudBase error replies). */
export function handleAdmin(db: LocalDatabase, body: unknown, requestId: string): AdminReply {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('request body must be a JSON object')
    return dispatch(db, body as Body, requestId)
  } catch (e) {
    if (e instanceof DbError) return { requestId, code: e.code, message: e.message }
    return { requestId, code: 'SYS_ERR', message: `local database error: ${(e as Error).message}` }
  }
}

/**
 * MongoDB Extended JSON in and out.
 *
 * In: the SDK writes canonical EJSON (`{"$numberInt":"3"}`, `{"$date":{"$numberLong":"…"}}`,
 * `{"$regularExpression":{…}}`) plus CloudBase's own `{"$tcb_server_date":{"offset":n}}`
 * for `db.serverDate()`, which is resolved here against the server clock.
 *
 * Stored and out: plain JSON with dates as `{"$date": ms}`. The SDK's relaxed
 * `EJSON.parse` reads that back as `Date`, so stored text is sent as is.
 */
import { invalid, unsupported } from './errors'
import { isObj, RegexSpec, type Doc, type QObject, type QValue, type Value } from './values'

export function parseEJSON(text: string, what: string, now: number): QValue {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid(`${what} is not valid JSON`)
  }
  return fromRaw(raw, what, now)
}

function numberFrom(v: unknown, what: string): number {
  if (typeof v !== 'string') throw invalid(`${what}: malformed number wrapper`)
  const n = Number(v)
  if (Number.isNaN(n) && v !== 'NaN') throw invalid(`${what}: malformed number ${v}`)
  return n
}

function fromRaw(raw: unknown, what: string, now: number): QValue {
  if (raw === null || typeof raw === 'boolean' || typeof raw === 'string') return raw
  if (typeof raw === 'number') return raw
  if (Array.isArray(raw)) return raw.map((x: unknown) => fromRaw(x, what, now))
  if (typeof raw !== 'object') throw invalid(`${what}: unexpected value`)
  const obj = raw as Record<string, unknown>
  const keys = Object.keys(obj)
  const first = keys[0]
  if (keys.length === 1 && first !== undefined && first.startsWith('$')) {
    const inner = obj[first]
    switch (first) {
      case '$numberInt':
      case '$numberLong':
      case '$numberDouble':
        return numberFrom(inner, what)
      case '$date':
        return dateFrom(inner, what)
      case '$regularExpression': {
        const r = inner as { pattern?: unknown; options?: unknown } | null
        if (!r || typeof r.pattern !== 'string') throw invalid(`${what}: malformed $regularExpression`)
        return new RegexSpec(r.pattern, typeof r.options === 'string' ? r.options : '')
      }
      case '$tcb_server_date': {
        const offset = (inner as { offset?: unknown } | null)?.offset
        const off = offset === undefined ? 0 : fromRaw(offset, what, now)
        if (typeof off !== 'number' || !Number.isFinite(off)) throw invalid(`${what}: malformed serverDate offset`)
        return new Date(now + off)
      }
      case '$oid':
        throw unsupported('ObjectId ($oid)')
      case '$numberDecimal':
      case '$binary':
      case '$timestamp':
      case '$minKey':
      case '$maxKey':
      case '$symbol':
      case '$code':
      case '$dbPointer':
      case '$undefined':
        throw unsupported(`BSON type ${first}`)
      default:
      // An operator such as {"$gt": …}: an ordinary object for the matcher.
    }
  }
  const out: QObject = {}
  for (const k of keys) out[k] = fromRaw(obj[k], what, now)
  return out
}

function dateFrom(inner: unknown, what: string): Date {
  let ms: number
  if (typeof inner === 'number') ms = inner
  else if (typeof inner === 'string') ms = Date.parse(inner)
  else if (isObj(inner as Value) && typeof (inner as { $numberLong?: unknown }).$numberLong === 'string') {
    ms = Number((inner as { $numberLong: string }).$numberLong)
  } else throw invalid(`${what}: malformed $date`)
  if (!Number.isFinite(ms)) throw invalid(`${what}: invalid date`)
  return new Date(ms)
}

/** Stored text: JSON with `{"$date": ms}` for dates. Input must already be validated. */
export function stringifyDoc(doc: Doc): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key]
    return original instanceof Date ? { $date: original.getTime() } : v
  })
}

export function parseDoc(text: string): Doc {
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const d = (v as { $date?: unknown }).$date
      if (typeof d === 'number' && Object.keys(v).length === 1) return new Date(d)
    }
    return v
  }) as Doc
}

/**
 * Update documents ($set, $inc, $push …) and replacement documents.
 */
import { DbError, invalid, unsupported } from './errors'
import { compileQuery, splitPath } from './query'
import {
  cloneValue,
  compareValues,
  isObj,
  isQObj,
  RegexSpec,
  valuesEqual,
  type Doc,
  type QObject,
  type QValue,
  type Value,
} from './values'

/** Turns an operand into a storable value: no regexes, no `$`/`.` keys, finite numbers. */
export function toStored(v: QValue, where: string): Value {
  if (v instanceof RegexSpec) throw unsupported(`storing a regular expression (in ${where})`)
  if (typeof v === 'number' && !Number.isFinite(v)) throw invalid(`${where}: NaN and Infinity cannot be stored locally`)
  if (v instanceof Date) {
    if (!Number.isFinite(v.getTime())) throw invalid(`${where}: invalid date`)
    return v
  }
  if (Array.isArray(v)) return v.map((x) => toStored(x, where))
  if (isQObj(v)) {
    const out: Doc = {}
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) throw invalid(`${where}: field name '${k}' must not start with '$' (unknown operator?)`)
      if (k.includes('.')) throw invalid(`${where}: field name '${k}' must not contain '.'`)
      out[k] = toStored(v[k] as QValue, where)
    }
    return out
  }
  return v
}

type Op = (doc: Doc) => void

const isIndex = (k: string): boolean => /^\d+$/.test(k)

/** Container of the last path part, creating objects on the way when asked. */
function parentOf(doc: Doc, parts: readonly string[], create: boolean): Doc | Value[] | undefined {
  let cur: Value = doc
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string
    let next: Value | undefined
    if (Array.isArray(cur)) {
      if (!isIndex(k)) throw new DbError('DATABASE_REQUEST_FAILED', `cannot create field '${k}' in an array (path '${parts.join('.')}')`)
      next = cur[Number(k)]
      if (next === undefined || next === null) {
        if (!create) return undefined
        while (cur.length < Number(k)) cur.push(null)
        next = {}
        cur[Number(k)] = next
      }
    } else if (isObj(cur)) {
      next = cur[k]
      if (next === undefined || next === null) {
        if (!create) return undefined
        next = {}
        cur[k] = next
      }
    } else {
      throw new DbError('DATABASE_REQUEST_FAILED', `cannot create field '${k}' in element of type ${typeof cur} (path '${parts.join('.')}')`)
    }
    cur = next
  }
  if (Array.isArray(cur) || isObj(cur)) return cur
  if (!create) return undefined
  throw new DbError('DATABASE_REQUEST_FAILED', `cannot create field '${parts[parts.length - 1] ?? ''}' in a ${typeof cur} (path '${parts.join('.')}')`)
}

function getAt(doc: Doc, parts: readonly string[]): Value | undefined {
  const p = parentOf(doc, parts, false)
  const last = parts[parts.length - 1] as string
  if (Array.isArray(p)) return isIndex(last) ? p[Number(last)] : undefined
  return p ? p[last] : undefined
}

function setAt(doc: Doc, parts: readonly string[], v: Value): void {
  const p = parentOf(doc, parts, true)
  const last = parts[parts.length - 1] as string
  if (Array.isArray(p)) {
    if (!isIndex(last)) throw new DbError('DATABASE_REQUEST_FAILED', `cannot create field '${last}' in an array`)
    const i = Number(last)
    while (p.length < i) p.push(null)
    p[i] = v
  } else if (p) p[last] = v
}

function unsetAt(doc: Doc, parts: readonly string[]): void {
  const p = parentOf(doc, parts, false)
  const last = parts[parts.length - 1] as string
  if (Array.isArray(p)) {
    // MongoDB keeps array positions: the element becomes null.
    if (isIndex(last) && Number(last) < p.length) p[Number(last)] = null
  } else if (p) delete p[last]
}

function arrayAt(doc: Doc, parts: readonly string[], op: string, create: boolean): Value[] | undefined {
  const cur = getAt(doc, parts)
  if (cur === undefined || cur === null) {
    if (!create) return undefined
    const arr: Value[] = []
    setAt(doc, parts, arr)
    return arr
  }
  if (!Array.isArray(cur)) throw new DbError('DATABASE_REQUEST_FAILED', `${op} needs an array at '${parts.join('.')}'`)
  return cur
}

function numberOperand(v: QValue, op: string, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${op} for '${path}' needs a finite number`)
  return v
}

function elementMatcher(cond: QValue, path: string): (el: Value) => boolean {
  if (cond instanceof RegexSpec) return (el) => typeof el === 'string' && cond.test(el)
  if (isQObj(cond)) {
    const keys = Object.keys(cond)
    if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
      // {$pull: {scores: {$gt: 3}}}: the operators apply to each element.
      const test = compileQuery({ v: cond })
      return (el) => test({ v: el })
    }
    // {$pull: {items: {kind: 'x'}}}: a query on element documents.
    const test = compileQuery(cond)
    return (el) => isObj(el) && test(el)
  }
  const v = toStored(cond, `$pull ${path}`)
  return (el) => valuesEqual(el, v)
}

function eachList(arg: QValue, op: string, path: string): { items: Value[]; mods: QObject } {
  if (isQObj(arg) && '$each' in arg) {
    const each = arg.$each
    if (!Array.isArray(each)) throw invalid(`${op} $each for '${path}' needs an array`)
    for (const k of Object.keys(arg)) {
      if (k !== '$each' && !(op === '$push' && (k === '$position' || k === '$slice' || k === '$sort'))) {
        throw unsupported(`${op} modifier ${k}`)
      }
    }
    return { items: each.map((x) => toStored(x, `${op} ${path}`)), mods: arg }
  }
  return { items: [toStored(arg, `${op} ${path}`)], mods: {} }
}

function pushSorter(spec: QValue, path: string): (a: Value, b: Value) => number {
  if (spec === 1 || spec === -1) return (a, b) => compareValues(a, b) * spec
  if (isQObj(spec)) {
    const keys = Object.keys(spec).map((k) => {
      const dir = spec[k]
      if (dir !== 1 && dir !== -1) throw invalid(`$sort for '${path}' needs 1 or -1`)
      return { parts: splitPath(k), dir }
    })
    return (a, b) => {
      for (const { parts, dir } of keys) {
        const va = isObj(a) ? getAt(a, parts) : undefined
        const vb = isObj(b) ? getAt(b, parts) : undefined
        const c = compareValues(va, vb) * dir
        if (c !== 0) return c
      }
      return 0
    }
  }
  throw invalid(`$sort for '${path}' needs 1, -1 or {field: ±1}`)
}

function compileOne(op: string, path: string, arg: QValue, now: number): Op {
  const parts = splitPath(path)
  switch (op) {
    case '$set': {
      const v = toStored(arg, `$set ${path}`)
      return (d) => setAt(d, parts, cloneValue(v))
    }
    case '$setOnInsert':
      // Applied only when an upsert inserts; see compileUpdate.
      return () => undefined
    case '$unset':
      return (d) => unsetAt(d, parts)
    case '$inc':
    case '$mul': {
      const n = numberOperand(arg, op, path)
      return (d) => {
        const cur = getAt(d, parts)
        if (cur === undefined) return setAt(d, parts, op === '$inc' ? n : 0)
        if (typeof cur !== 'number') {
          throw new DbError('DATABASE_REQUEST_FAILED', `cannot apply ${op} to a value of non-numeric type at '${path}'`)
        }
        const next = op === '$inc' ? cur + n : cur * n
        if (!Number.isFinite(next)) throw invalid(`${op} at '${path}' overflowed`)
        setAt(d, parts, next)
      }
    }
    case '$min':
    case '$max': {
      const v = toStored(arg, `${op} ${path}`)
      return (d) => {
        const cur = getAt(d, parts)
        const c = compareValues(v, cur)
        if (cur === undefined || (op === '$min' ? c < 0 : c > 0)) setAt(d, parts, cloneValue(v))
      }
    }
    case '$currentDate': {
      if (arg !== true && !(isQObj(arg) && arg.$type === 'date')) throw unsupported(`$currentDate other than a date`)
      return (d) => setAt(d, parts, new Date(now))
    }
    case '$rename': {
      if (typeof arg !== 'string') throw invalid(`$rename for '${path}' needs a string`)
      const to = splitPath(arg)
      return (d) => {
        const cur = getAt(d, parts)
        if (cur === undefined) return
        unsetAt(d, parts)
        setAt(d, to, cur)
      }
    }
    case '$push': {
      const { items, mods } = eachList(arg, op, path)
      const position = mods.$position
      if (position !== undefined && (typeof position !== 'number' || !Number.isInteger(position))) {
        throw invalid(`$position for '${path}' needs an integer`)
      }
      const slice = mods.$slice
      if (slice !== undefined && (typeof slice !== 'number' || !Number.isInteger(slice))) {
        throw invalid(`$slice for '${path}' needs an integer`)
      }
      const sorter = mods.$sort === undefined ? undefined : pushSorter(mods.$sort, path)
      return (d) => {
        const arr = arrayAt(d, parts, op, true) as Value[]
        const add = items.map((x) => cloneValue(x))
        if (position === undefined) arr.push(...add)
        else {
          const at = position < 0 ? Math.max(0, arr.length + position) : Math.min(position, arr.length)
          arr.splice(at, 0, ...add)
        }
        if (sorter) arr.sort(sorter)
        if (slice !== undefined) {
          const kept = slice >= 0 ? arr.slice(0, slice) : arr.slice(slice)
          arr.splice(0, arr.length, ...kept)
        }
      }
    }
    case '$addToSet': {
      const { items } = eachList(arg, op, path)
      return (d) => {
        const arr = arrayAt(d, parts, op, true) as Value[]
        for (const x of items) if (!arr.some((e) => valuesEqual(e, x))) arr.push(cloneValue(x))
      }
    }
    case '$pull': {
      const match = elementMatcher(arg, path)
      return (d) => {
        const arr = arrayAt(d, parts, op, false)
        if (!arr) return
        const kept = arr.filter((e) => !match(e))
        arr.splice(0, arr.length, ...kept)
      }
    }
    case '$pullAll': {
      if (!Array.isArray(arg)) throw invalid(`$pullAll for '${path}' needs an array`)
      const list = arg.map((x) => toStored(x, `$pullAll ${path}`))
      return (d) => {
        const arr = arrayAt(d, parts, op, false)
        if (!arr) return
        const kept = arr.filter((e) => !list.some((x) => valuesEqual(e, x)))
        arr.splice(0, arr.length, ...kept)
      }
    }
    case '$pop': {
      if (arg !== 1 && arg !== -1) throw invalid(`$pop for '${path}' needs 1 or -1`)
      return (d) => {
        const arr = arrayAt(d, parts, op, false)
        if (!arr) return
        if (arg === 1) arr.pop()
        else arr.shift()
      }
    }
    default:
      throw unsupported(`update operator ${op}`)
  }
}

export interface CompiledUpdate {
  /** Applies the update to a copy; `inserting` is true for an upsert's new document. */
  apply(doc: Doc, inserting: boolean): Doc
  /** Top-level or dotted paths the update writes. */
  paths: string[]
}

/** An update document: every top-level key is an operator. */
export function compileUpdate(u: QObject, now: number): CompiledUpdate {
  const ops: Array<{ op: string; path: string; fn: Op; insertOnly: boolean }> = []
  const keys = Object.keys(u)
  if (keys.length === 0) throw invalid('the update is empty')
  for (const op of keys) {
    if (!op.startsWith('$')) throw invalid(`update field '${op}' outside an operator`)
    const spec = u[op]
    if (!isQObj(spec)) throw invalid(`${op} needs an object of paths`)
    for (const path of Object.keys(spec)) {
      if (path === '_id' || path.startsWith('_id.')) throw invalid(`cannot update _id (via ${op})`)
      ops.push({ op, path, fn: compileOne(op, path, spec[path] as QValue, now), insertOnly: op === '$setOnInsert' })
      if (op === '$rename') {
        const to = spec[path]
        if (typeof to === 'string') ops.push({ op, path: to, fn: () => undefined, insertOnly: false })
      }
    }
  }
  // MongoDB refuses two operators on one path, or on a path and its parent.
  const paths = ops.map((o) => o.path)
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i] as string
      const b = paths[j] as string
      if (a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)) {
        throw new DbError('DATABASE_REQUEST_FAILED', `updating the path '${a}' would create a conflict at '${b}'`)
      }
    }
  }
  const setOnInsert = u.$setOnInsert
  return {
    paths,
    apply(doc, inserting) {
      const out = cloneValue(doc)
      for (const o of ops) if (!o.insertOnly) o.fn(out)
      if (inserting && isQObj(setOnInsert)) {
        for (const path of Object.keys(setOnInsert)) {
          setAt(out, splitPath(path), toStored(setOnInsert[path] as QValue, `$setOnInsert ${path}`))
        }
      }
      return out
    },
  }
}

/** A replacement document (doc().set()): plain fields only. */
export function toReplacement(data: QValue): Doc {
  if (!isQObj(data)) throw invalid('the replacement document must be an object')
  const keys = Object.keys(data)
  const op = keys.find((k) => k.startsWith('$'))
  if (op) throw invalid(`a replacement document cannot contain update operators (${op})`)
  const out = toStored(data, 'document') as Doc
  delete out._id
  return out
}

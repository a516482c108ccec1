/**
 * Query documents → predicates (the exact reference semantics), and the part
 * of a query that SQL can answer exactly (see `sargable`).
 */
import { invalid, unsupported } from './errors'
import {
  collectPath,
  compareValues,
  isObj,
  isQObj,
  RegexSpec,
  typeRank,
  valuesEqual,
  type Doc,
  type QObject,
  type QValue,
  type Value,
} from './values'

export type Predicate = (doc: Doc) => boolean
type ValuesTest = (vals: Array<Value | undefined>) => boolean

const GEO = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$geometry', '$within', '$box', '$center'])

export function splitPath(path: string): string[] {
  if (path === '' || path.split('.').some((p) => p === '')) throw invalid(`invalid field path '${path}'`)
  if (path.startsWith('$') || path.includes('.$')) throw unsupported(`field path '${path}' (positional operators)`)
  return path.split('.')
}

function isOperatorObject(v: QValue): v is QObject {
  if (!isQObj(v)) return false
  const keys = Object.keys(v)
  const dollar = keys.filter((k) => k.startsWith('$'))
  if (dollar.length === 0) return false
  if (dollar.length !== keys.length) {
    const bad = keys.find((k) => !k.startsWith('$'))
    throw invalid(`unknown operator '${bad ?? ''}' mixed with query operators`)
  }
  return true
}

/** Operands that hold a value (not a regex) become plain document values. */
function asValue(v: QValue, where: string): Value {
  if (v instanceof RegexSpec) throw invalid(`a regular expression is not allowed in ${where}`)
  if (Array.isArray(v)) return v.map((x) => asValue(x, where))
  if (isQObj(v)) {
    const out: Doc = {}
    for (const k of Object.keys(v)) out[k] = asValue(v[k] as QValue, where)
    return out
  }
  return v
}

function regexMatches(x: Value | undefined, r: RegexSpec): boolean {
  if (typeof x === 'string') return r.test(x)
  if (Array.isArray(x)) return x.some((e) => typeof e === 'string' && r.test(e))
  return false
}

/** Does the value at a path equal v, MongoDB style (array fields match by element)? */
function eqMatch(x: Value | undefined, v: Value | RegexSpec): boolean {
  if (v instanceof RegexSpec) return regexMatches(x, v)
  if (v === null) return x === undefined || x === null || (Array.isArray(x) && x.some((e) => e === null))
  if (x === undefined) return false
  if (valuesEqual(x, v)) return true
  return Array.isArray(x) && x.some((e) => valuesEqual(e, v))
}

function rangeMatch(x: Value | undefined, v: Value, ok: (c: number) => boolean): boolean {
  const one = (e: Value | undefined): boolean => e !== undefined && typeRank(e) === typeRank(v) && ok(compareValues(e, v))
  if (one(x)) return true
  return Array.isArray(x) && !Array.isArray(v) && x.some(one)
}

function eqOperand(v: QValue, op: string): Value | RegexSpec {
  if (v instanceof RegexSpec) return v
  return asValue(v, op)
}

function compileOperators(ops: QObject, path: string): ValuesTest {
  const tests: ValuesTest[] = []
  const keys = Object.keys(ops)
  let regexOptions = ''
  if ('$options' in ops) {
    const o = ops.$options
    if (typeof o !== 'string') throw invalid(`$options for '${path}' must be a string`)
    if (!('$regex' in ops)) throw invalid(`$options without $regex for '${path}'`)
    regexOptions = o
  }
  for (const op of keys) {
    const arg = ops[op] as QValue
    switch (op) {
      case '$eq': {
        const v = eqOperand(arg, op)
        tests.push((vals) => vals.some((x) => eqMatch(x, v)))
        break
      }
      case '$ne': {
        const v = eqOperand(arg, op)
        tests.push((vals) => !vals.some((x) => eqMatch(x, v)))
        break
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        const v = asValue(arg, op)
        const ok =
          op === '$gt'
            ? (c: number) => c > 0
            : op === '$gte'
              ? (c: number) => c >= 0
              : op === '$lt'
                ? (c: number) => c < 0
                : (c: number) => c <= 0
        if (v === null) {
          // Only the inclusive forms match null (and missing).
          const incl = op === '$gte' || op === '$lte'
          tests.push((vals) => incl && vals.some((x) => eqMatch(x, null)))
        } else tests.push((vals) => vals.some((x) => rangeMatch(x, v, ok)))
        break
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) throw invalid(`${op} for '${path}' needs an array`)
        const list = arg.map((x) => eqOperand(x, op))
        const hit: ValuesTest = (vals) => vals.some((x) => list.some((v) => eqMatch(x, v)))
        tests.push(op === '$in' ? hit : (vals) => !hit(vals))
        break
      }
      case '$exists': {
        const want = Boolean(arg)
        tests.push((vals) => vals.some((x) => x !== undefined) === want)
        break
      }
      case '$size': {
        if (typeof arg !== 'number') throw invalid(`$size for '${path}' needs a number`)
        tests.push((vals) => vals.some((x) => Array.isArray(x) && x.length === arg))
        break
      }
      case '$all': {
        if (!Array.isArray(arg)) throw invalid(`$all for '${path}' needs an array`)
        const list = arg.map((x) => {
          if (isQObj(x) && Object.keys(x).some((k) => k.startsWith('$'))) throw unsupported('$all with $elemMatch')
          return eqOperand(x, op)
        })
        tests.push((vals) => list.length > 0 && list.every((v) => vals.some((x) => eqMatch(x, v))))
        break
      }
      case '$mod': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'number' || typeof arg[1] !== 'number') {
          throw invalid(`$mod for '${path}' needs [divisor, remainder]`)
        }
        const d = Math.trunc(arg[0])
        const r = Math.trunc(arg[1])
        if (d === 0) throw invalid('$mod divisor must not be 0')
        const one = (e: Value | undefined): boolean => typeof e === 'number' && Math.trunc(e) % d === r
        tests.push((vals) => vals.some((x) => one(x) || (Array.isArray(x) && x.some(one))))
        break
      }
      case '$elemMatch': {
        if (!isQObj(arg)) throw invalid(`$elemMatch for '${path}' needs an object`)
        const elementTest = compileElemMatch(arg, path)
        tests.push((vals) => vals.some((x) => Array.isArray(x) && x.some(elementTest)))
        break
      }
      case '$not': {
        let inner: ValuesTest
        if (arg instanceof RegexSpec) inner = (vals) => vals.some((x) => regexMatches(x, arg))
        else if (isQObj(arg) && isOperatorObject(arg)) inner = compileOperators(arg, path)
        else throw invalid(`$not for '${path}' needs an operator object or a regular expression`)
        tests.push((vals) => !inner(vals))
        break
      }
      case '$regex': {
        const r =
          arg instanceof RegexSpec
            ? regexOptions
              ? new RegexSpec(arg.pattern, regexOptions)
              : arg
            : typeof arg === 'string'
              ? new RegexSpec(arg, regexOptions)
              : null
        if (!r) throw invalid(`$regex for '${path}' needs a string or regular expression`)
        tests.push((vals) => vals.some((x) => regexMatches(x, r)))
        break
      }
      case '$options':
        break
      default:
        if (GEO.has(op)) throw unsupported(`geo query operator ${op}`)
        throw unsupported(`query operator ${op}`)
    }
  }
  return (vals) => tests.every((t) => t(vals))
}

function compileElemMatch(sub: QObject, path: string): (el: Value) => boolean {
  const keys = Object.keys(sub)
  const logical = keys.some((k) => k === '$and' || k === '$or' || k === '$nor')
  if (keys.length > 0 && keys.every((k) => k.startsWith('$')) && !logical) {
    // Operators on the element itself: {$elemMatch: {$gte: 80, $lt: 85}}
    const t = compileOperators(sub, path)
    return (el) => t([el])
  }
  const q = compileQuery(sub)
  return (el) => isObj(el) && q(el)
}

function compileField(path: string, cond: QValue): Predicate {
  const parts = splitPath(path)
  let test: ValuesTest
  if (isOperatorObject(cond)) test = compileOperators(cond, path)
  else {
    const v = eqOperand(cond, path)
    test = (vals) => vals.some((x) => eqMatch(x, v))
  }
  return (doc) => test(collectPath(doc, parts))
}

function compileList(v: QValue, op: string): Predicate[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid(`${op} needs a non-empty array of conditions`)
  return v.map((q) => {
    if (!isQObj(q)) throw invalid(`${op} needs an array of condition objects`)
    return compileQuery(q)
  })
}

export function compileQuery(q: QObject): Predicate {
  const preds: Predicate[] = []
  for (const key of Object.keys(q)) {
    const v = q[key] as QValue
    if (key === '$and') {
      const list = compileList(v, key)
      preds.push((d) => list.every((p) => p(d)))
    } else if (key === '$or') {
      const list = compileList(v, key)
      preds.push((d) => list.some((p) => p(d)))
    } else if (key === '$nor') {
      const list = compileList(v, key)
      preds.push((d) => !list.some((p) => p(d)))
    } else if (key.startsWith('$')) {
      throw unsupported(`query operator ${key}`)
    } else preds.push(compileField(key, v))
  }
  if (preds.length === 0) return () => true
  if (preds.length === 1) return preds[0] as Predicate
  return (d) => preds.every((p) => p(d))
}

/* ---------- what SQL can answer exactly ---------- */

export type Sargable = boolean | number | string | Date
export type SqlCond =
  | { path: string; op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; value: Sargable }
  | { path: string; op: 'in'; values: Sargable[] }

function sargableValue(v: QValue | undefined): v is Sargable {
  if (typeof v === 'number') return Number.isFinite(v)
  if (typeof v === 'string' || typeof v === 'boolean') return true
  return v instanceof Date && Number.isFinite(v.getTime())
}

/**
 * Conditions on `exactPaths` (paths that never hold arrays, so SQL sees what
 * MongoDB sees) with scalar operands, taken from the top-level conjunction.
 * `exact` is true when these conditions are the whole query.
 */
export function sargable(q: QObject, exactPaths: ReadonlySet<string>): { conds: SqlCond[]; exact: boolean } {
  const conds: SqlCond[] = []
  let exact = true
  const visit = (obj: QObject): void => {
    for (const key of Object.keys(obj)) {
      const v = obj[key] as QValue
      if (key === '$and' && Array.isArray(v)) {
        for (const sub of v) {
          if (isQObj(sub)) visit(sub)
          else exact = false
        }
        continue
      }
      if (key.startsWith('$') || !exactPaths.has(key)) {
        exact = false
        continue
      }
      if (!isQObj(v) || !Object.keys(v).some((k) => k.startsWith('$'))) {
        if (sargableValue(v)) conds.push({ path: key, op: 'eq', value: v })
        else exact = false
        continue
      }
      for (const op of Object.keys(v)) {
        const arg = v[op]
        if ((op === '$eq' || op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') && sargableValue(arg)) {
          conds.push({ path: key, op: op.slice(1) as 'eq' | 'gt' | 'gte' | 'lt' | 'lte', value: arg })
        } else if (op === '$in' && Array.isArray(arg) && arg.every(sargableValue)) {
          conds.push({ path: key, op: 'in', values: arg as Sargable[] })
        } else exact = false
      }
    }
  }
  visit(q)
  return { conds, exact }
}

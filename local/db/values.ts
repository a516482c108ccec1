/**
 * Document values and MongoDB's comparison rules over them.
 */
import { invalid } from './errors'

export type Value = null | boolean | number | string | Date | Value[] | Doc
export interface Doc {
  [key: string]: Value
}

/** A regular expression from a query (`db.RegExp`, `/x/`, `$regex`). Never stored. */
export class RegexSpec {
  readonly re: RegExp
  constructor(
    readonly pattern: string,
    readonly options: string,
  ) {
    let flags = ''
    for (const ch of options) {
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'u') {
        if (!flags.includes(ch)) flags += ch
      } else if (ch === 'g' || ch === 'y') {
        // JS-only stateful flags: meaningless for matching, dropped.
      } else {
        throw invalid(`regular expression option '${ch}' is not supported locally`)
      }
    }
    try {
      this.re = new RegExp(pattern, flags)
    } catch (e) {
      throw invalid(`invalid regular expression /${pattern}/: ${(e as Error).message}`)
    }
  }
  test(s: string): boolean {
    return this.re.test(s)
  }
}

/** What a query or update operand may hold: document values plus regexes. */
export type QValue = null | boolean | number | string | Date | RegexSpec | QValue[] | QObject
export interface QObject {
  [key: string]: QValue
}

export function isObj(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegexSpec)
}

export function isQObj(v: QValue | undefined): v is QObject {
  return isObj(v)
}

/** BSON sort order of types: null < numbers < strings < objects < arrays < booleans < dates. */
export function typeRank(v: Value | undefined): number {
  if (v === undefined || v === null) return 1
  if (typeof v === 'number') return 2
  if (typeof v === 'string') return 3
  if (typeof v === 'boolean') return 8
  if (v instanceof Date) return 9
  if (Array.isArray(v)) return 5
  return 4
}

/** Code-point order, which is UTF-8 byte order: what MongoDB and SQLite's BINARY collation use. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx === sy) return x < y ? -1 : 1
    // A surrogate (code point ≥ 0x10000) outranks any BMP unit.
    return sx ? 1 : -1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

export function compareValues(a: Value | undefined, b: Value | undefined): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  if (a === undefined || a === null || b === undefined || b === null) return 0
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (a instanceof Date && b instanceof Date) {
    const x = a.getTime()
    const y = b.getTime()
    return x === y ? 0 : x < y ? -1 : 1
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    const n = Math.min(ka.length, kb.length)
    for (let i = 0; i < n; i++) {
      const x = ka[i] as string
      const y = kb[i] as string
      const c = compareValues(a[x], b[y])
      if (c !== 0) return c
      const k = compareStrings(x, y)
      if (k !== 0) return k
    }
    return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1
  }
  return 0
}

/** BSON equality: numeric across int/double, field order matters in embedded documents. */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) return false
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false
    return true
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i] as string
      if (k !== kb[i] || !valuesEqual(a[k], b[k])) return false
    }
    return true
  }
  return false
}

export function cloneValue<T extends Value>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T
  if (isObj(v)) {
    const out: Doc = {}
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k] as Value)
    return out as T
  }
  return v
}

/**
 * Every value a dotted path reaches, MongoDB style: arrays met on the way are
 * traversed element by element; `undefined` stands for "missing".
 */
export function collectPath(root: Value | undefined, parts: readonly string[]): Array<Value | undefined> {
  const out: Array<Value | undefined> = []
  walk(root, parts, 0, out)
  if (out.length === 0) out.push(undefined)
  return out
}

function walk(v: Value | undefined, parts: readonly string[], i: number, out: Array<Value | undefined>): void {
  if (i === parts.length) {
    out.push(v)
    return
  }
  const key = parts[i] as string
  if (Array.isArray(v)) {
    if (/^\d+$/.test(key)) {
      const idx = Number(key)
      if (idx < v.length) walk(v[idx], parts, i + 1, out)
    }
    for (const el of v) if (isObj(el)) walk(el, parts, i, out)
    return
  }
  if (isObj(v)) {
    if (Object.prototype.hasOwnProperty.call(v, key)) walk(v[key], parts, i + 1, out)
    else out.push(undefined)
    return
  }
  out.push(undefined)
}

/** The value a sort uses: the smallest element of an array ascending, the largest descending. */
export function sortValue(doc: Doc, parts: readonly string[], dir: 1 | -1): Value | undefined {
  let best: Value | undefined
  let found = false
  for (const v of collectPath(doc, parts)) {
    const candidates: Array<Value | undefined> = Array.isArray(v) ? (v.length ? v : [undefined]) : [v]
    for (const c of candidates) {
      if (!found || compareValues(c, best) * dir < 0) {
        best = c
        found = true
      }
    }
  }
  return best
}

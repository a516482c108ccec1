/**
 * Aho–Corasick over UTF-16 code units: build once, then scan any number of
 * texts in one pass each, reporting every occurrence of every term — also
 * those that end inside a longer term's occurrence — with its position.
 *
 * Layout: nodes are numbered breadth-first (root = 0). The root's transitions
 * are a dense 65536-entry table, because nearly every character of a text is
 * looked up there; below the root each node's edges are a sorted slice of
 * `labels`/`targets`. Positions are code-unit offsets into the original text.
 */

export interface AutomatonOptions {
  /**
   * Fold ASCII letters to lower case and full-width forms (U+FF01–FF5E, the
   * ideographic space) to their ASCII counterparts, in terms and text alike.
   * Every fold maps one code unit to one code unit, so positions stay exact.
   */
  normalize?: boolean
}

export interface Match {
  /** First code unit of the occurrence in the scanned text. */
  start: number
  /** One past its last code unit. */
  end: number
  /** Index of the term in the list the automaton was built from. */
  term: number
}

/** Table entries of a UnitFold beyond "reads as this code unit". */
export const FOLD_DROP = 0
export const FOLD_BREAK = 0xfffe
export const FOLD_SLOW = 0xffff

/**
 * How a text is read for forEachFoldedMatch, one code unit at a time: the
 * unit it reads as, FOLD_DROP (left out: matching goes on across it),
 * FOLD_BREAK (no term goes across it) or FOLD_SLOW (ask `slow`).
 */
export interface UnitFold {
  readonly table: Uint16Array
  /** The units a whole code point reads as ('' drops it, null breaks), for FOLD_SLOW entries. */
  slow(codePoint: number): string | null
}

export type MatchHandler = (start: number, end: number, term: number) => void

/** The one-code-unit fold used when `normalize` is on. */
export function foldCodeUnit(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 0x20
  if (c >= 0xff01 && c <= 0xff5e) {
    const ascii = c - 0xfee0
    return ascii >= 0x41 && ascii <= 0x5a ? ascii + 0x20 : ascii
  }
  if (c === 0x3000) return 0x20
  return c
}

/** `text` with `foldCodeUnit` applied to each code unit (same length). */
export function foldText(text: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const f = foldCodeUnit(c)
    if (f !== c) {
      out += text.slice(from, i) + String.fromCharCode(f)
      from = i + 1
    }
  }
  return from === 0 ? text : out + text.slice(from)
}

/** Every code unit that folds to `folded` (itself included). */
function unfold(folded: number): number[] {
  const all = [folded]
  if (folded >= 0x61 && folded <= 0x7a) all.push(folded - 0x20, folded - 0x20 + 0xfee0, folded + 0xfee0)
  else if (folded >= 0x21 && folded <= 0x7e) all.push(folded + 0xfee0)
  else if (folded === 0x20) all.push(0x3000)
  return all
}

/**
 * Reading back from `end`, the original offset where `length` units as `fold`
 * reads them begin (occurrences are rare, so this costs nothing on the way).
 */
function foldedStart(text: string, fold: UnitFold, end: number, length: number): number {
  let need = length
  let i = end
  while (need > 0 && i > 0) {
    let at = i - 1
    const low = text.charCodeAt(at)
    if (low >= 0xdc00 && low <= 0xdfff && at > 0) {
      const high = text.charCodeAt(at - 1)
      if (high >= 0xd800 && high <= 0xdbff) at--
    }
    const entry = fold.table[text.charCodeAt(at)] as number
    if (entry === FOLD_SLOW) need -= fold.slow(text.codePointAt(at) ?? 0)?.length ?? 0
    else if (entry !== FOLD_DROP && entry !== FOLD_BREAK) need--
    i = at
  }
  return i
}

/** Below this many edges a linear scan beats binary search. */
const LINEAR_EDGES = 8

export class Automaton {
  readonly termCount: number
  readonly nodeCount: number
  readonly normalized: boolean
  /** Root transitions for every code unit; 0 means "stay at the root". */
  private readonly root: Int32Array
  /** Edges of node n are labels/targets[edgeStart[n] .. edgeStart[n+1]), labels sorted. */
  private readonly edgeStart: Int32Array
  private readonly labels: Uint16Array
  private readonly targets: Int32Array
  private readonly fail: Int32Array
  /** The node itself if it ends a term, else the nearest such node on its failure chain; 0 if none. */
  private readonly firstOutput: Int32Array
  /** From a node that ends a term, the next such node on its failure chain; 0 if none. */
  private readonly nextOutput: Int32Array
  /** Terms ending at node n are outTerms[outStart[n] .. outStart[n+1]). */
  private readonly outStart: Int32Array
  private readonly outTerms: Int32Array
  private readonly termLength: Int32Array

  constructor(terms: readonly string[], options: AutomatonOptions = {}) {
    this.normalized = options.normalize === true
    this.termCount = terms.length

    // 1. A plain trie with Map children: simple to grow, thrown away after compiling.
    const children: Array<Map<number, number>> = [new Map()]
    const ends: number[][] = [[]]
    const termLength = new Int32Array(terms.length)
    terms.forEach((raw, index) => {
      if (raw.length === 0) throw new RangeError(`term ${index} is empty: it would match everywhere`)
      const term = this.normalized ? foldText(raw) : raw
      termLength[index] = term.length
      let node = 0
      for (let i = 0; i < term.length; i++) {
        const c = term.charCodeAt(i)
        const kids = children[node] as Map<number, number>
        let next = kids.get(c)
        if (next === undefined) {
          next = children.length
          children.push(new Map())
          ends.push([])
          kids.set(c, next)
        }
        node = next
      }
      ;(ends[node] as number[]).push(index)
    })
    this.termLength = termLength

    // 2. Breadth-first renumbering, so a node's failure target is always numbered before it.
    const count = children.length
    this.nodeCount = count
    const order = new Int32Array(count) // new number → trie node
    const renumber = new Int32Array(count) // trie node → new number
    let head = 0
    let tail = 1
    while (head < tail) {
      const node = order[head++] as number
      for (const kid of (children[node] as Map<number, number>).values()) {
        renumber[kid] = tail
        order[tail++] = kid
      }
    }

    // 3. Compiled edges (folded labels only for now) and outputs.
    const edgeCount = count - 1
    const foldedStart = new Int32Array(count + 1)
    const foldedLabels = new Uint16Array(edgeCount)
    const foldedTargets = new Int32Array(edgeCount)
    const outStart = new Int32Array(count + 1)
    const outTerms = new Int32Array(terms.length)
    let e = 0
    let o = 0
    for (let n = 0; n < count; n++) {
      const node = order[n] as number
      foldedStart[n] = e
      const sorted = [...(children[node] as Map<number, number>).entries()].sort((a, b) => a[0] - b[0])
      for (const [label, kid] of sorted) {
        foldedLabels[e] = label
        foldedTargets[e++] = renumber[kid] as number
      }
      outStart[n] = o
      for (const term of ends[node] as number[]) outTerms[o++] = term
    }
    foldedStart[count] = e
    outStart[count] = o
    this.outStart = outStart
    this.outTerms = outTerms

    const root = new Int32Array(65536)
    for (let k = foldedStart[0] as number; k < (foldedStart[1] as number); k++) root[foldedLabels[k] as number] = foldedTargets[k] as number

    // 4. Failure and output links. Parents are visited in breadth-first order, so every node
    // on a failure chain (always shallower than the node) is already linked.
    const fail = new Int32Array(count)
    const firstOutput = new Int32Array(count)
    const nextOutput = new Int32Array(count)
    const step = (from: number, c: number): number => {
      let s = from
      for (;;) {
        if (s === 0) return root[c] as number
        for (let k = foldedStart[s] as number; k < (foldedStart[s + 1] as number); k++) {
          if (foldedLabels[k] === c) return foldedTargets[k] as number
        }
        s = fail[s] as number
      }
    }
    for (let parent = 0; parent < count; parent++) {
      for (let k = foldedStart[parent] as number; k < (foldedStart[parent + 1] as number); k++) {
        const kid = foldedTargets[k] as number
        const f = parent === 0 ? 0 : step(fail[parent] as number, foldedLabels[k] as number)
        fail[kid] = f
        // f < kid (breadth-first), so its output links are already final.
        nextOutput[kid] = outStart[f + 1] !== outStart[f] ? f : (firstOutput[f] as number)
        firstOutput[kid] = outStart[kid + 1] !== outStart[kid] ? kid : (nextOutput[kid] as number)
      }
    }
    this.fail = fail
    this.firstOutput = firstOutput
    this.nextOutput = nextOutput

    // 5. With normalization, every folded edge is copied for each code unit that folds to its label,
    // so scanning reads the text as it is: no per-character fold in the hot loop.
    if (!this.normalized) {
      this.edgeStart = foldedStart
      this.labels = foldedLabels
      this.targets = foldedTargets
      this.root = root
    } else {
      const wideStart = new Int32Array(count + 1)
      const wide: Array<[number, number]> = []
      const wideLabels: number[] = []
      const wideTargets: number[] = []
      for (let n = 0; n < count; n++) {
        wideStart[n] = wideLabels.length
        wide.length = 0
        for (let k = foldedStart[n] as number; k < (foldedStart[n + 1] as number); k++) {
          for (const c of unfold(foldedLabels[k] as number)) wide.push([c, foldedTargets[k] as number])
        }
        wide.sort((a, b) => a[0] - b[0])
        for (const [c, t] of wide) {
          wideLabels.push(c)
          wideTargets.push(t)
        }
      }
      wideStart[count] = wideLabels.length
      for (let c = 0; c < 65536; c++) {
        const f = foldCodeUnit(c)
        if (f !== c) root[c] = root[f] as number
      }
      this.edgeStart = wideStart
      this.labels = Uint16Array.from(wideLabels)
      this.targets = Int32Array.from(wideTargets)
      this.root = root
    }
  }

  /** The state after reading code unit `c` in state `s`. */
  private next(s: number, c: number): number {
    const { root, edgeStart, labels, targets, fail } = this
    for (;;) {
      if (s === 0) return root[c] as number
      let lo = edgeStart[s] as number
      let hi = edgeStart[s + 1] as number
      if (hi - lo <= LINEAR_EDGES) {
        for (; lo < hi; lo++) if (labels[lo] === c) return targets[lo] as number
      } else {
        hi--
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1
          const label = labels[mid] as number
          if (label < c) lo = mid + 1
          else if (label > c) hi = mid - 1
          else return targets[mid] as number
        }
      }
      s = fail[s] as number
    }
  }

  /** Calls `onMatch` for every occurrence, in order of end position (then longest first). */
  forEachMatch(text: string, onMatch: MatchHandler): void {
    const { firstOutput, nextOutput, outStart, outTerms, termLength } = this
    let s = 0
    for (let i = 0; i < text.length; i++) {
      s = this.next(s, text.charCodeAt(i))
      for (let out = firstOutput[s] as number; out !== 0; out = nextOutput[out] as number) {
        const last = outStart[out + 1] as number
        for (let k = outStart[out] as number; k < last; k++) {
          const term = outTerms[k] as number
          onMatch(i + 1 - (termLength[term] as number), i + 1, term)
        }
      }
    }
  }

  /**
   * Like forEachMatch, but reads the text as `fold` does (see UnitFold) without
   * building the folded text: the terms must be folded the same way. Positions
   * are in the original text: an occurrence's start is found, when there is
   * one, by reading back from its end until the term's length is covered.
   */
  forEachFoldedMatch(text: string, fold: UnitFold, onMatch: MatchHandler): void {
    const { firstOutput } = this
    const table = fold.table
    let s = 0
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i)
      const c = table[unit] as number
      if (c !== FOLD_DROP && c < FOLD_BREAK) {
        // The common case first: one unit in, one unit read.
        s = this.next(s, c)
        if (firstOutput[s] !== 0) this.report(s, text, fold, i + 1, 0, onMatch)
        continue
      }
      if (c === FOLD_DROP) continue
      if (c === FOLD_BREAK) {
        s = 0
        continue
      }
      // FOLD_SLOW: a whole code point (maybe a surrogate pair) reads as several units, none, or a break.
      const codePoint = text.codePointAt(i) ?? unit
      const end = i + (codePoint > 0xffff ? 2 : 1)
      const units = fold.slow(codePoint)
      if (units === null) s = 0
      for (let k = 0; units !== null && k < units.length; k++) {
        s = this.next(s, units.charCodeAt(k))
        // Units of this code point after the k-th are not part of the occurrence.
        if (firstOutput[s] !== 0) this.report(s, text, fold, end, units.length - 1 - k, onMatch)
      }
      i = end - 1
    }
  }

  /** The occurrences ending in state `s` at original offset `end` (with `unread` units of its last code point beyond them). */
  private report(s: number, text: string, fold: UnitFold, end: number, unread: number, onMatch: MatchHandler): void {
    const { firstOutput, nextOutput, outStart, outTerms, termLength } = this
    for (let out = firstOutput[s] as number; out !== 0; out = nextOutput[out] as number) {
      const last = outStart[out + 1] as number
      for (let o = outStart[out] as number; o < last; o++) {
        const term = outTerms[o] as number
        onMatch(foldedStart(text, fold, end, (termLength[term] as number) + unread), end, term)
      }
    }
  }

  findAll(text: string): Match[] {
    const found: Match[] = []
    this.forEachMatch(text, (start, end, term) => found.push({ start, end, term }))
    return found
  }

  /** Bytes held in typed arrays (the whole compiled automaton). */
  get memoryBytes(): number {
    return [
      this.root,
      this.edgeStart,
      this.labels,
      this.targets,
      this.fail,
      this.firstOutput,
      this.nextOutput,
      this.outStart,
      this.outTerms,
      this.termLength,
    ].reduce((sum, array) => sum + array.byteLength, 0)
  }
}

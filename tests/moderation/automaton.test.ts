import fc from 'fast-check'
import { Automaton, type Match } from '../../shared/moderation/automaton'

/** Every occurrence of every term, by repeated indexOf: slow and obviously right. */
function naive(terms: readonly string[], text: string): string[] {
  const found: string[] = []
  terms.forEach((term, index) => {
    for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) found.push(`${at}:${at + term.length}:${index}`)
  })
  return found.sort()
}

const keys = (matches: readonly Match[]): string[] => matches.map((m) => `${m.start}:${m.end}:${m.term}`).sort()

/** Terms and texts over a few units, so that matches (and overlaps) are frequent. */
function lexiconAndText(units: readonly string[]) {
  const unit = fc.constantFrom(...units)
  return fc.record({
    terms: fc.array(fc.string({ unit, minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
    text: fc.string({ unit, maxLength: 80 }),
  })
}

describe('Aho–Corasick automaton', () => {
  it('finds exactly the occurrences a naive indexOf search finds', () => {
    fc.assert(
      fc.property(lexiconAndText(['a', 'b', 'c']), ({ terms, text }) => {
        expect(keys(new Automaton(terms).findAll(text))).toEqual(naive(terms, text))
      }),
      { numRuns: 500 },
    )
  })

  it('agrees with indexOf when nodes have many edges (binary-searched)', () => {
    fc.assert(
      fc.property(lexiconAndText([...'abcdefghijkl']), ({ terms, text }) => {
        const many = [...terms, ...[...'abcdefghijkl'].map((ch) => `a${ch}`)]
        expect(keys(new Automaton(many).findAll(text))).toEqual(naive(many, text))
      }),
      { numRuns: 300 },
    )
  })

  it('finds matches that end inside a longer term', () => {
    const automaton = new Automaton(['abcd', 'bc'])
    expect(automaton.findAll('xabce')).toEqual([{ start: 2, end: 4, term: 1 }])
    expect(keys(automaton.findAll('xabcde'))).toEqual(['1:5:0', '2:4:1'])
  })

  it('reports suffixes through output links (he, she, his, hers)', () => {
    const found = new Automaton(['he', 'she', 'his', 'hers']).findAll('ushers')
    expect(keys(found)).toEqual(['1:4:1', '2:4:0', '2:6:3'])
  })

  it('reports every term index when terms repeat', () => {
    expect(keys(new Automaton(['ab', 'ab', 'b']).findAll('ab'))).toEqual(['0:2:0', '0:2:1', '1:2:2'])
  })

  it('works on code units: emoji terms match whole surrogate pairs, positions in code units', () => {
    const terms = ['😀', '好😀', '😀😀', '😁']
    const text = '好😀😀!😁'
    expect(keys(new Automaton(terms).findAll(text))).toEqual(naive(terms, text))
    expect(keys(new Automaton(terms).findAll(text))).toEqual(['0:3:1', '1:3:0', '1:5:2', '3:5:0', '6:8:3'])
  })

  it('agrees with indexOf on emoji that share a high surrogate', () => {
    fc.assert(
      fc.property(lexiconAndText(['😀', '😁', 'a', '\ud83d']), ({ terms, text }) => {
        expect(keys(new Automaton(terms).findAll(text))).toEqual(naive(terms, text))
      }),
      { numRuns: 300 },
    )
  })

  it('keeps no state between scans', () => {
    const automaton = new Automaton(['abcd'])
    expect(automaton.findAll('xxab')).toEqual([])
    expect(automaton.findAll('cdxx')).toEqual([])
    expect(automaton.findAll('abcd')).toEqual([{ start: 0, end: 4, term: 0 }])
  })

  it('refuses an empty term, which would match everywhere', () => {
    expect(() => new Automaton(['ok', ''])).toThrow(/term 1 is empty/)
  })

  it('finds nothing with no terms', () => {
    expect(new Automaton([]).findAll('anything')).toEqual([])
  })
})

describe('normalization (ASCII case, full width)', () => {
  // Independent of the code under test: NFKC maps full-width forms and U+3000 to ASCII.
  const fold = (s: string): string => Array.from(s, (ch) => ch.normalize('NFKC').toLowerCase()).join('')
  const UNITS = ['a', 'A', 'ａ', 'Ａ', 'b', 'Ｂ', '!', '！', ' ', '\u3000', '中']

  it('matches as if both sides were folded, with positions in the original text', () => {
    fc.assert(
      fc.property(lexiconAndText(UNITS), ({ terms, text }) => {
        expect(keys(new Automaton(terms, { normalize: true }).findAll(text))).toEqual(naive(terms.map(fold), fold(text)))
      }),
      { numRuns: 500 },
    )
  })

  it('finds full-width and upper-case spellings and points at them', () => {
    const text = '请加ＶＸ或Vx联系'
    const found = new Automaton(['vx'], { normalize: true }).findAll(text)
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(['ＶＸ', 'Vx'])
  })

  it('folds the terms too', () => {
    expect(new Automaton(['ＶＸ'], { normalize: true }).findAll('vx')).toEqual([{ start: 0, end: 2, term: 0 }])
  })

  it('is off unless asked for', () => {
    expect(new Automaton(['vx']).findAll('VX ｖｘ')).toEqual([])
  })

  it('leaves other characters alone', () => {
    expect(new Automaton(['é'], { normalize: true }).findAll('É')).toEqual([])
    expect(new Automaton(['中文'], { normalize: true }).findAll('中文')).toEqual([{ start: 0, end: 2, term: 0 }])
  })
})

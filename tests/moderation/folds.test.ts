/**
 * The folds as the scanner applies them: one pass over the original text
 * (Automaton.forEachFoldedMatch) finds exactly what matching the folded text
 * would, at the right original positions; each category gets only the folds
 * its data asks for; the pinyin channel's guards; and the readings that the
 * demo lexicon ships with are the ones putLexicon would work out.
 */
import fc from 'fast-check'
import { lexiconReadings } from '../../cloudfunctions/_core/moderation/lexicon-readings'
import { Automaton } from '../../shared/moderation/automaton'
import demo from '../../shared/moderation/demo-lexicon.json'
import demoReadings from '../../shared/moderation/demo-readings.json'
import { compileLexicon, lexiconScannerFrom, parseLexicon, type CategoryFolds, type Lexicon } from '../../shared/moderation/lexicon'
import { applyFold, makeFold, type FoldOptions } from '../../shared/moderation/normalize'
import { scanText } from '../../shared/moderation/scan'

/** Characters that exercise every kind of table entry: letters, skippables, invisibles, marks, astral, traditional, numerals. */
const UNITS = ['a', 'B', 'ａ', '刷', '單', '单', ' ', '-', '\u200b', '\u00ad', '\ufe0f', '\u0301', '😀', '𠀀', '一', '①', '1', '\u20e3', 'ǅ', '⒈']

describe('one pass over the original text', () => {
  const options = fc.record({ skip: fc.boolean(), digits: fc.boolean(), variants: fc.constantFrom(null, new Map([['單', '单']])) })
  const unit = fc.constantFrom(...UNITS)

  it('finds exactly what matching the folded text finds, mapped back to the original spans', () => {
    fc.assert(
      fc.property(options, fc.array(fc.string({ unit, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.string({ unit, maxLength: 60 }), (opts: FoldOptions, raw, text) => {
        const fold = makeFold(opts)
        const terms = raw.map((term) => applyFold(term, fold).text).filter((term) => term.length > 0)
        if (terms.length === 0) return
        const automaton = new Automaton(terms)
        const fused: string[] = []
        automaton.forEachFoldedMatch(text, fold, (start, end, term) => fused.push(`${start}:${end}:${term}`))
        const folded = applyFold(text, fold)
        const expected = automaton.findAll(folded.text).map((m) => `${folded.starts[m.start]}:${folded.ends[m.end - 1]}:${m.term}`)
        expect(fused.sort()).toEqual(expected.sort())
      }),
      { numRuns: 400 },
    )
  })

  it('reads accented letters as their base letter and leaves combining marks out (刷̶单 is 刷单), in either fold', () => {
    for (const skip of [true, false]) {
      const fold = makeFold({ skip, digits: false, variants: null })
      expect(applyFold('Café cafe\u0301 刷\u0336单 Z\u0351\u0352a', fold).text).toBe(skip ? 'cafecafe刷单za' : 'cafe cafe 刷单 za')
    }
    // Hangul decomposes into letters, not marks: it stays as written.
    expect(applyFold('한국', makeFold({ skip: true, digits: false, variants: null })).text).toBe('한국')
  })
})

function scannerWith(folds: CategoryFolds, terms: string[], action: 'refuse' | 'review' = 'refuse') {
  const lexicon: Lexicon = { version: 't', categories: { fraud: { label: '诈骗', action, terms, folds } } }
  const parsed = parseLexicon(lexicon)
  if (!parsed.ok) throw new Error(parsed.problems.join())
  return compileLexicon(parsed.lexicon, lexiconReadings(parsed.lexicon))
}

const verdict = (text: string, scanner: ReturnType<typeof scannerWith>) => scanText(text, scanner).verdict

describe('folds chosen per category in the lexicon data', () => {
  it('reads traditional characters as simplified by default, and not when the category turns it off', () => {
    expect(verdict('兼職刷單返利', scannerWith({}, ['刷单返利']))).toBe('refuse')
    expect(verdict('兼職刷單返利', scannerWith({ traditional: false }, ['刷单返利']))).toBe('pass')
  })

  it('reads Chinese numerals as digits only where asked (circled and full-width digits are NFKC, always on)', () => {
    const on = scannerWith({ digits: true }, ['6合彩'])
    const off = scannerWith({}, ['6合彩'])
    for (const text of ['买⑥合彩', '买６合彩']) expect([text, verdict(text, on), verdict(text, off)]).toEqual([text, 'refuse', 'refuse'])
    for (const text of ['买陆合彩', '买六合彩']) expect([text, verdict(text, on), verdict(text, off)]).toEqual([text, 'refuse', 'pass'])
  })

  it('checks a match against the narrower folds of its own category when another category widens the pass', () => {
    const lexicon: Lexicon = {
      version: 't',
      categories: {
        fraud: { label: '诈骗', action: 'refuse', terms: ['刷单返利'], folds: { skipBetween: true } },
        abuse: { label: '辱骂', action: 'review', terms: ['测试辱骂词'] },
      },
    }
    const scanner = compileLexicon(lexicon, lexiconReadings(lexicon))
    expect(scanText('刷 单 返 利', scanner).hits.map((h) => h.term)).toEqual(['刷单返利'])
    expect(scanText('测 试 辱 骂 词', scanner).hits).toEqual([])
    expect(scanText('测试辱骂词', scanner).hits.map((h) => h.term)).toEqual(['测试辱骂词'])
  })

  it('finds terms that start or end with symbols as written', () => {
    const scanner = scannerWith({ skipBetween: true }, ['+V领券'])
    expect(scanText('快 +v领券', scanner).hits.map((h) => h.written)).toEqual(['+v领券'])
    expect(scanText('快 v领券', scanner).hits).toEqual([])
  })
})

describe('the pinyin channel', () => {
  const scanner = scannerWith({ pinyin: true, skipBetween: true }, ['刷单返利', '微信'])

  it('holds pinyin, mixed and homophone spellings for review, never refusing on sound alone', () => {
    for (const text of ['shuadanfanli', 'Shua Dan Fan Li', 'shua单fan利', '刷蛋返力', '唰丹反立']) {
      const result = scanText(`兼职${text}日结`, scanner)
      expect([text, result.verdict, result.hits.map((h) => [h.term, h.written, h.reads, h.bySound])]).toEqual([
        text,
        'review',
        [['刷单返利', text, 'shua dan fan li', true]],
      ])
    }
    expect(scanText('兼职刷单返利日结', scanner).verdict).toBe('refuse')
  })

  it('finds a short term only in pinyin letters, so names that sound like it stay names', () => {
    expect(scanText('加weixin', scanner).hits.map((h) => h.term)).toEqual(['微信'])
    expect(scanText('加wei信', scanner).hits.map((h) => h.term)).toEqual(['微信'])
    for (const name of ['薇信花艺', '威信县', '维新路']) expect([name, scanText(name, scanner).hits]).toEqual([name, []])
  })

  it('wants pinyin letters to begin and end where a word does', () => {
    expect(scanText('the weixiner app', scanner).hits).toEqual([])
    expect(scanText('noshuadanfanli', scanner).hits).toEqual([])
  })

  it('is off unless the category asks for it', () => {
    expect(verdict('shuadanfanli', scannerWith({ skipBetween: true }, ['刷单返利']))).toBe('pass')
  })
})

describe('the readings', () => {
  it('that ship with the demo lexicon are what putLexicon would work out (run npm run lexicon:readings after editing it)', () => {
    const parsed = parseLexicon(demo)
    if (!parsed.ok) throw new Error(parsed.problems.join())
    expect(lexiconReadings(parsed.lexicon)).toEqual(demoReadings)
  })

  it('hold only what the terms need: variants of their characters, homophones of their syllables', () => {
    const readings = lexiconReadings({ version: 't', categories: { fraud: { label: '诈骗', action: 'refuse', terms: ['代开发票'], folds: { pinyin: true } } } })
    expect(new Set(Object.values(readings.variants))).toEqual(new Set(['开', '发']))
    expect(readings.variants['開']).toBe('开')
    expect(Object.keys(readings.homophones).sort()).toEqual(['dai', 'fa', 'kai', 'piao'])
    expect(readings.homophones.piao).toContain('飘')
  })

  it('the demo scanner uses them', () => {
    expect(scanText('代開發票', lexiconScannerFrom(demo, demoReadings)).verdict).toBe('refuse')
    expect(scanText('代開發票', lexiconScannerFrom(demo)).verdict).toBe('pass')
  })
})

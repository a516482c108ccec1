/**
 * The skip fold (shared/moderation/normalize.ts): a lexicon term written with
 * characters that carry no letters between its own is found, per category as
 * the lexicon data says, and every finding points at the original span.
 */
import demo from '../../shared/moderation/demo-lexicon.json'
import { compileLexicon, lexiconScannerFrom, parseLexicon } from '../../shared/moderation/lexicon'
import { skipFold } from '../../shared/moderation/normalize'
import { scanText } from '../../shared/moderation/scan'

const scanner = lexiconScannerFrom(demo)

describe('skipFold', () => {
  it('drops spaces, punctuation, symbols, emoji and invisible characters, and maps each kept unit to its original span', () => {
    const folded = skipFold('刷-单 返\u200b利')
    expect(folded.text).toBe('刷单返利')
    expect([...folded.starts]).toEqual([0, 2, 4, 6])
    expect([...folded.ends]).toEqual([1, 3, 5, 7])
    expect(skipFold('刷\u00ad单\ufe0f返\u3164利').text).toBe('刷单返利')
    expect(skipFold('👍🏻刷👨‍👩‍👧单').text).toBe('刷单')
  })

  it('folds compatibility forms, case and width (NFKC), keeping letters and digits', () => {
    expect(skipFold('Ｖ信：ＡＢＣ１２３').text).toBe('v信abc123')
    expect(skipFold('ⓐⓑ').text).toBe('ab')
    expect(skipFold('免费领 i Phone').text).toBe('免费领iphone')
  })
})

describe('scanning with the skip fold', () => {
  it.each([
    ['刷-单-返-利，日结', '刷-单-返-利'],
    ['刷 单 返 利', '刷 单 返 利'],
    ['刷、单、返、利', '刷、单、返、利'],
    ['刷单\n返利', '刷单\n返利'],
    ['刷😀单😀返😀利', '刷😀单😀返😀利'],
    ['刷\u200b单\u200c返\u200d利', '刷\u200b单\u200c返\u200d利'],
    ['代.开.发.票', '代.开.发.票'],
    ['免费领 i P h o n e', '免费领 i P h o n e'],
  ])('finds a term written %j, pointing at the original span', (text, span) => {
    const result = scanText(`现在${text}。`, scanner)
    expect(result.verdict).not.toBe('pass')
    const hit = result.hits[0]
    expect(hit && `现在${text}。`.slice(hit.start, hit.end)).toBe(span)
  })

  it('reports a plain occurrence once, not again through the fold', () => {
    expect(scanText('兼职刷单返利，日结', scanner).hits).toEqual([{ category: 'fraud', label: 20008, term: '刷单返利', start: 2, end: 6 }])
  })

  it('leaves categories without the fold exact: their terms are not found across separators', () => {
    expect(scanText('测试辱骂词', scanner).verdict).toBe('review')
    expect(scanText('测 试 辱 骂 词', scanner).verdict).toBe('pass')
  })

  it('is chosen per category in the data, and an unknown fold is refused', () => {
    const raw = { version: 'v1', categories: { fraud: { label: '诈骗', action: 'refuse', terms: ['刷单返利'], folds: { skipBetween: false } } } }
    const parsed = parseLexicon(raw)
    if (!parsed.ok) throw new Error(parsed.problems.join())
    expect(compileLexicon(parsed.lexicon).skip).toBeNull()
    expect(scanText('刷-单返利', compileLexicon(parsed.lexicon)).verdict).toBe('pass')
    const bad = parseLexicon({ version: 'v1', categories: { fraud: { label: '诈骗', action: 'refuse', terms: ['x'], folds: { pinyn: true } } } })
    expect(bad).toEqual({ ok: false, problems: ['categories.fraud.folds：不认识的处理方式：pinyn'] })
  })

  it('leaves ordinary text alone', () => {
    for (const text of ['刷单位的门禁卡进出，返回利率表。', '代理开发票据系统的公司', '周六 9:30，园区 B 座 3 楼。']) {
      expect([text, scanText(text, scanner).hits]).toEqual([text, []])
    }
  })
})

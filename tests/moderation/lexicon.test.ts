import demo from '../../shared/moderation/demo-lexicon.json'
import { scanText } from '../../shared/moderation/scan'
import { CATEGORIES, compileLexicon, lexiconScannerFrom, MAX_TERM_LENGTH, parseLexicon, WECHAT_LABELS } from '../../shared/moderation/lexicon'

const good = () => ({
  version: '2026-11-23.1',
  categories: {
    ad: { label: '广告', action: 'review', terms: ['加微信领红包'] },
    fraud: { label: '诈骗', action: 'refuse', terms: ['刷单返利'] },
  },
})

function problemsOf(raw: unknown): string[] {
  const result = parseLexicon(raw)
  if (result.ok) throw new Error('expected the lexicon to be refused')
  return result.problems
}

describe('WeChat label codes', () => {
  it('match msgSecCheck v2', () => {
    expect(WECHAT_LABELS).toEqual({
      ad: 10001,
      politics: 20001,
      porn: 20002,
      abuse: 20003,
      illegal: 20006,
      fraud: 20008,
      vulgar: 20012,
      other: 21000,
    })
  })
})

describe('the demo lexicon', () => {
  it('is valid and compiles, with only known categories', () => {
    const parsed = parseLexicon(demo)
    expect(parsed.ok).toBe(true)
    const scanner = lexiconScannerFrom(demo)
    expect(scanner.version).toBe(demo.version)
    expect(scanner.terms.length).toBe(Object.values(demo.categories).reduce((n, c) => n + c.terms.length, 0))
    for (const info of scanner.terms) expect(info.label).toBe(WECHAT_LABELS[info.category])
  })
})

describe('parsing operator data', () => {
  it('accepts a good lexicon and keeps it as given', () => {
    expect(parseLexicon(good())).toEqual({ ok: true, lexicon: good() })
  })

  it('accepts an empty lexicon (scanning switched off)', () => {
    const result = parseLexicon({ version: 'empty', categories: {} })
    expect(result.ok).toBe(true)
  })

  it.each([
    [null, '词库：词库应为对象'],
    ['{"version":"1"}', '词库：词库应为对象'],
    [{ categories: {} }, 'version：应为文字'],
    [{ version: '', categories: {} }, 'version：不能为空'],
    [{ version: '1' }, 'categories：应为对象'],
    [{ version: '1', categories: {}, comment: 'x' }, '词库：不认识的字段：comment'],
  ])('refuses a bad top level %j', (raw, message) => {
    expect(problemsOf(raw)).toEqual([expect.stringContaining(message)])
  })

  it('refuses an unknown category instead of ignoring it, naming the known ones', () => {
    const raw = { version: '1', categories: { adverts: { label: '广告', action: 'review', terms: ['x'] } } }
    expect(problemsOf(raw)).toEqual([`categories.adverts：未知的分类，可用的分类为 ${CATEGORIES.join('、')}`])
    expect(problemsOf(JSON.parse('{"version":"1","categories":{"constructor":{"label":"x","action":"refuse","terms":["y"]}}}'))).toEqual([
      expect.stringContaining('categories.constructor：未知的分类'),
    ])
  })

  it('says which field of which category is wrong', () => {
    const raw = {
      version: '1',
      categories: {
        ad: { label: '', action: 'block', terms: 'x' },
        fraud: { label: '诈骗', action: 'refuse', terms: ['ok', 7], note: '' },
      },
    }
    expect(problemsOf(raw).sort()).toEqual(
      [
        'categories.ad.label：不能为空',
        'categories.ad.action：只能是 "refuse"（拒绝发布）或 "review"（人工复审）',
        'categories.ad.terms：应为词条数组',
        'categories.fraud.terms[1]：词条应为文字',
        'categories.fraud：不认识的字段：note',
      ].sort(),
    )
  })

  it.each([
    ['', '词条为空'],
    ['   ', '词条只有空白'],
    [' 刷单', '词条首尾有空白'],
    ['x'.repeat(MAX_TERM_LENGTH + 1), `词条超过 ${MAX_TERM_LENGTH} 个字符`],
    ['刷\n单', '词条含控制字符'],
    ['刷单\ud83d', '不成对的代理字符'],
    ['\ude00刷单', '不成对的代理字符'],
  ])('refuses the term %j', (term, message) => {
    const raw = { version: '1', categories: { ad: { label: '广告', action: 'review', terms: ['好词', term] } } }
    expect(problemsOf(raw)).toEqual([expect.stringMatching(new RegExp(`^categories\\.ad\\.terms\\[1\\]：.*${message}`))])
  })

  it('accepts emoji terms whose surrogates pair up', () => {
    expect(parseLexicon({ version: '1', categories: { ad: { label: '广告', action: 'review', terms: ['💰💰'] } } }).ok).toBe(true)
  })

  it('refuses duplicates within a category, also when they differ only in case or width', () => {
    const raw = { version: '1', categories: { ad: { label: '广告', action: 'review', terms: ['VX领红包', '扫码', 'ｖｘ领红包'] } } }
    expect(problemsOf(raw)).toEqual(['categories.ad.terms[2]：与 terms[0] 重复（不区分大小写和全角半角）：ｖｘ领红包'])
  })

  it('reports every problem at once', () => {
    const raw = { version: '1', categories: { ad: { label: '广告', action: 'review', terms: ['', 'a', 'A'] }, spam: { label: 'x', action: 'review', terms: [] } } }
    expect(problemsOf(raw)).toHaveLength(3)
  })

  it('lexiconScannerFrom throws with the problems listed', () => {
    expect(() => lexiconScannerFrom({ version: '1', categories: { ad: { label: '广告', action: 'review', terms: [''] } } })).toThrow(
      /词库无效：\ncategories\.ad\.terms\[0\]：词条为空/,
    )
  })
})

describe('the compiled scanner', () => {
  it('maps every automaton match back to its category, label and term', () => {
    const parsed = parseLexicon(good())
    if (!parsed.ok) throw new Error('bad fixture')
    const scanner = compileLexicon(parsed.lexicon)
    const text = '刷单返利，加微信领红包'
    const found = scanText(text, scanner).hits.map((h) => ({ category: h.category, label: h.label, term: h.term, text: text.slice(h.start, h.end), written: h.written }))
    expect(found).toEqual([
      { category: 'fraud', label: 20008, term: '刷单返利', text: '刷单返利', written: '刷单返利' },
      { category: 'ad', label: 10001, term: '加微信领红包', text: '加微信领红包', written: '加微信领红包' },
    ])
  })

  it('keeps a term listed in two categories in both', () => {
    const scanner = lexiconScannerFrom({
      version: '1',
      categories: { ad: { label: '广告', action: 'review', terms: ['代开发票'] }, illegal: { label: '违法', action: 'refuse', terms: ['代开发票'] } },
    })
    const categories = scanText('可代开发票', scanner).hits.map((h) => h.category)
    expect(categories.sort()).toEqual(['ad', 'illegal'])
  })
})

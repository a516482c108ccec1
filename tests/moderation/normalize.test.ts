/**
 * The skip fold (shared/moderation/normalize.ts): a lexicon term written with
 * characters that carry no letters between its own is found, per category as
 * the lexicon data says, and every finding points at the original span.
 */
import demo from '../../shared/moderation/demo-lexicon.json'
import { detectPersonalData, ean13Valid, luhnValid, SPAM_REVIEW_THRESHOLD, spamReport } from '../../shared/moderation/detectors'
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
    expect(scanText('兼职刷单返利，日结', scanner).hits).toEqual([{ category: 'fraud', label: 20008, term: '刷单返利', start: 2, end: 6, written: '刷单返利', reads: '刷单返利', bySound: false }])
  })

  it('leaves categories without the fold exact: their terms are not found across separators', () => {
    expect(scanText('测试辱骂词', scanner).verdict).toBe('review')
    expect(scanText('测 试 辱 骂 词', scanner).verdict).toBe('pass')
  })

  it('is chosen per category in the data, and an unknown fold is refused', () => {
    const raw = { version: 'v1', categories: { fraud: { label: '诈骗', action: 'refuse', terms: ['刷单返利'], folds: { skipBetween: false } } } }
    const parsed = parseLexicon(raw)
    if (!parsed.ok) throw new Error(parsed.problems.join())
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

describe('the digit channel (personal data in disguise)', () => {
  const found = (text: string) => detectPersonalData(text).map((hit) => `${hit.kind}:${text.slice(hit.start, hit.end)}`)

  it.each([
    ['联系我 一三八零零一三八零零零', 'mobile:一三八零零一三八零零零'],
    ['电话 幺三八 零零幺三 八零零零', 'mobile:幺三八 零零幺三 八零零零'],
    ['电话 壹叁捌0013 8000', 'mobile:壹叁捌0013 8000'],
    ['电话 ①③⑧⓪⓪①③⑧⓪⓪⓪', 'mobile:①③⑧⓪⓪①③⑧⓪⓪⓪'],
    ['电话 1️⃣3️⃣8️⃣0️⃣0️⃣1️⃣3️⃣8️⃣0️⃣0️⃣0️⃣', 'mobile:1️⃣3️⃣8️⃣0️⃣0️⃣1️⃣3️⃣8️⃣0️⃣0️⃣0️⃣'],
    ['电话 138.0013.8000', 'mobile:138.0013.8000'],
    ['电话 138/0013/8000', 'mobile:138/0013/8000'],
    ['电话 138  0013  8000', 'mobile:138  0013  8000'],
    ['电话 1380013\n8000', 'mobile:1380013\n8000'],
    ['电话 138OO138OOO', 'mobile:138OO138OOO'],
    ['电话 13800l38000', 'mobile:13800l38000'],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual([expected])
  })

  it('keeps a word that is one numeral a word, so it does not hide the number beside it', () => {
    expect(found('第一13800138000')).toEqual(['mobile:13800138000'])
    expect(found('两个人，三个座位')).toEqual([])
  })

  it('leaves serial numbers, Chinese product barcodes and ISBNs alone', () => {
    expect(found('设备序列号 SN15920241207')).toEqual([])
    // EAN-13 codes that happen to pass Luhn (the check of bank cards) as well as their own check digit.
    const barcodes = ['6901234567892', '6920000000015', '9787111213826'].filter((code) => ean13Valid(code))
    expect(barcodes.length).toBeGreaterThan(0)
    for (const code of barcodes) expect([code, found(`商品条码 ${code}`)]).toEqual([code, []])
  })
})

describe('bank cards by their words', () => {
  const kinds = (text: string) => detectPersonalData(text).map((hit) => hit.kind)
  it('takes a 16–19 digit number after 卡号, 转账, 银行 or 账户 as a card even when it fails Luhn', () => {
    const failing = '6222020200112233448'
    expect(luhnValid(failing)).toBe(false)
    expect(kinds(`转账到 ${failing}`)).toEqual(['bankCard'])
    expect(kinds(`银行卡号：${failing.slice(0, 4)} ${failing.slice(4, 8)} ${failing.slice(8, 12)} ${failing.slice(12)}`)).toEqual(['bankCard'])
    expect(kinds(`订单编号 ${failing}`)).toEqual([])
  })
})

describe('contact bait', () => {
  const score = (text: string) => spamReport(text).score
  it.each(['加V：abc123456 领取福利', '加微信 wxid_k8s2m3 免费领', '点 t.cn/A6x9Kq 领红包'])('sends %j to review', (text) => {
    expect(score(text)).toBeGreaterThanOrEqual(SPAM_REVIEW_THRESHOLD)
  })

  it('stays quiet on a business card with its contacts and ordinary links', () => {
    for (const text of ['微信号：wang_xiaoming，电话 13812345678', '官网 https://example.com，产品手册见 docs.example.com/manual', '参考：https://a.example.org/1、https://b.example.org/2、https://c.example.org/3']) {
      expect([text, score(text) < SPAM_REVIEW_THRESHOLD]).toEqual([text, true])
    }
  })
})

describe('what the author and the reviewer are shown', () => {
  it('names the term and, when a fold found it, exactly what was written, invisible characters by name', () => {
    expect(scanText('刷-单-返-利', scanner).reasons).toEqual(['含有「诈骗」类违规内容“刷单返利”（原文写作“刷-单-返-利”），不能发布'])
    expect(scanText('刷\u200b单\n返利', scanner).reasons).toEqual(['含有「诈骗」类违规内容“刷单返利”（原文写作“刷<U+200B>单⏎返利”），不能发布'])
    expect(scanText('兼职刷单返利', scanner).reasons).toEqual(['含有「诈骗」类违规内容“刷单返利”，不能发布'])
  })
})

import demo from '../../shared/moderation/demo-lexicon.json'
import { SPAM_REVIEW_THRESHOLD } from '../../shared/moderation/detectors'
import { lexiconScannerFrom } from '../../shared/moderation/lexicon'
import { scanText } from '../../shared/moderation/scan'

const scanner = lexiconScannerFrom(demo)
const scan = (text: string) => scanText(text, scanner)

const ID = '11010519491231002X'
const CARD = '4111111111111111'

describe('scanText verdicts', () => {
  it('passes ordinary text with no reasons', () => {
    const result = scan('周六下午在园区咖啡馆办产品分享会，欢迎同事参加。电话请看我的名片。')
    expect(result).toMatchObject({ verdict: 'pass', hits: [], personalData: [], reasons: [], lexiconVersion: demo.version })
  })

  it('refuses a hit in a refuse category and says which term', () => {
    const result = scan('兼职刷单返利，日结')
    expect(result.verdict).toBe('refuse')
    expect(result.hits).toEqual([{ category: 'fraud', label: 20008, term: '刷单返利', start: 2, end: 6, written: '刷单返利', reads: '刷单返利', bySound: false }])
    expect(result.reasons).toEqual(['含有「诈骗」类违规内容“刷单返利”，不能发布'])
  })

  it('sends a hit in a review category to review', () => {
    const result = scan('扫码领福利')
    expect(result.verdict).toBe('review')
    expect(result.hits.map((h) => [h.category, h.label])).toEqual([['ad', 10001]])
    expect(result.reasons).toEqual(['含有「广告」类敏感内容“扫码领福利”，需人工复审'])
  })

  it('finds full-width and upper-case spellings and points at them in the original text', () => {
    const text = '现在免费领ＩＰＨＯＮＥ！'
    const [hit] = scan(text).hits
    expect(hit && text.slice(hit.start, hit.end)).toBe('免费领ＩＰＨＯＮＥ')
    expect(hit?.term).toBe('免费领iPhone')
  })

  it('lets a refuse hit win over a review hit, refuse reasons first', () => {
    const result = scan('扫码领福利，稳赚不赔')
    expect(result.verdict).toBe('refuse')
    expect(result.reasons).toEqual(['含有「诈骗」类违规内容“稳赚不赔”，不能发布', '含有「广告」类敏感内容“扫码领福利”，需人工复审'])
  })

  it('refuses an ID number without repeating it in the reasons', () => {
    const result = scan(`联系人身份证 ${ID}`)
    expect(result.verdict).toBe('refuse')
    expect(result.reasons).toEqual(['公开内容中含有身份证号（1***************2X），请删除后再发布'])
    expect(JSON.stringify(result)).not.toContain(ID)
  })

  it('refuses a bank card number, also when the rest would only need review', () => {
    const result = scan(`扫码领福利，打款到 ${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')}`)
    expect(result.verdict).toBe('refuse')
    expect(result.personalData.map((p) => p.kind)).toEqual(['bankCard'])
    expect(result.reasons[0]).toBe('公开内容中含有银行卡号（4111********1111），请删除后再发布')
    expect(JSON.stringify(result)).not.toContain(CARD)
  })

  it('sends a mobile number to review, not refusal', () => {
    const result = scan('合作请致电 138 0013 8000')
    expect(result.verdict).toBe('review')
    expect(result.reasons).toEqual(['公开内容中含有手机号（138****8000），需人工复审确认是否可以公开'])
  })

  it('sends spam over the threshold to review and explains the score', () => {
    const result = scan('加V：abc12345 领资料！！！！！！')
    expect(result.spam.score).toBeGreaterThanOrEqual(SPAM_REVIEW_THRESHOLD)
    expect(result.spam.threshold).toBe(SPAM_REVIEW_THRESHOLD)
    expect(result.verdict).toBe('review')
    expect(result.reasons).toHaveLength(1)
    expect(result.reasons[0]).toMatch(/^疑似广告引流（评分 \d+，达到 5 即复审）：使用变体写法的联系方式「加V」；/)
  })

  it('never repeats a phone number in spam reasons, even one used as a handle', () => {
    const result = scan('加V 微信号：13800138000 领资料！！！！！！')
    expect(result.verdict).toBe('review')
    expect(result.reasons.join('')).toContain('留有站外联系账号（微信）')
    expect(JSON.stringify(result)).not.toContain('13800138000')
  })

  it('keeps spam under the threshold out of the verdict', () => {
    const result = scan('哈哈哈哈哈哈，今天的分享太精彩了')
    expect(result.spam.score).toBeGreaterThan(0)
    expect(result.spam.score).toBeLessThan(SPAM_REVIEW_THRESHOLD)
    expect(result.verdict).toBe('pass')
    expect(result.reasons).toEqual([])
  })

  it('reports every occurrence but each reason once', () => {
    const result = scan('代开发票，代开发票，代开发票')
    expect(result.hits.map((h) => h.start)).toEqual([0, 5, 10])
    expect(result.reasons).toEqual(['含有「违法违规」类违规内容“代开发票”，不能发布'])
  })

  it('collects the reasons of every signal when several apply', () => {
    const result = scan(`测试复审词 ${ID} 13800138000`)
    expect(result.verdict).toBe('refuse')
    expect(result.reasons).toEqual([
      '公开内容中含有身份证号（1***************2X），请删除后再发布',
      '含有「其他」类敏感内容“测试复审词”，需人工复审',
      '公开内容中含有手机号（138****8000），需人工复审确认是否可以公开',
    ])
  })
})

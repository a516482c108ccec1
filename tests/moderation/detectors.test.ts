import fc from 'fast-check'
import { detectPersonalData, luhnValid, SPAM_REVIEW_THRESHOLD, spamReport, type PersonalDataKind } from '../../shared/moderation/detectors'
import { creditCodeCheckCharacter, creditCodeValid } from '../../shared/rules/credit-code'
import { PROVINCES } from '../../shared/rules/id-number'

/** ISO 7064 MOD 11-2 from its definition (weights 2^(i-1) mod 11, check = (12 − S mod 11) mod 11), not a table. */
function idCheck(first17: string): string {
  let sum = 0
  for (let k = 0; k < 17; k++) sum += Number(first17[k]) * (2 ** (17 - k) % 11)
  const check = (12 - (sum % 11)) % 11
  return check === 10 ? 'X' : String(check)
}

/** Appends the digit that makes the Luhn sum a multiple of ten, computed by trying all ten. */
function withLuhn(body: string): string {
  const doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
  for (let d = 0; d <= 9; d++) {
    const digits = `${body}${d}`
    let sum = 0
    for (let i = 0; i < digits.length; i++) {
      const n = Number(digits[digits.length - 1 - i])
      sum += i % 2 === 1 ? (doubled[n] ?? 0) : n
    }
    if (sum % 10 === 0) return digits
  }
  throw new Error('unreachable')
}

const digitString = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max })

const validId = fc
  .record({
    region: fc.record({ province: fc.constantFrom(...PROVINCES), rest: fc.integer({ min: 1, max: 9999 }) }).map(({ province, rest }) => `${province}${String(rest).padStart(4, '0')}`),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => {
    const first17 = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(sequence).padStart(3, '0')}`
    return first17 + idCheck(first17)
  })

const kinds = (text: string): PersonalDataKind[] => detectPersonalData(text).map((hit) => hit.kind)
const spans = (text: string): string[] => detectPersonalData(text).map((hit) => `${hit.kind}:${text.slice(hit.start, hit.end)}`)

describe('ID numbers in text', () => {
  it('agrees with the published example', () => {
    expect(idCheck('11010519491231002')).toBe('X')
  })

  it('finds every valid ID number, plain or grouped with spaces or dashes, and masks it', () => {
    const layouts = [
      (id: string) => id,
      (id: string) => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
      (id: string) => `${id.slice(0, 6)}-${id.slice(6, 10)}-${id.slice(10, 14)}-${id.slice(14)}`,
    ]
    fc.assert(
      fc.property(validId, fc.constantFrom(...layouts), (id, layout) => {
        const written = layout(id)
        const hits = detectPersonalData(`本人身份证：${written}，请核对`)
        expect(hits).toEqual([{ kind: 'idNumber', start: 6, end: 6 + written.length, masked: `${id[0]}${'*'.repeat(15)}${id.slice(16)}` }])
      }),
    )
  })

  it('never reports a number with a wrong check character as an ID number', () => {
    fc.assert(
      fc.property(validId, fc.constantFrom(...'0123456789X'), (id, other) => {
        fc.pre(other !== id[17])
        expect(kinds(`证件 ${id.slice(0, 17)}${other} 号`)).not.toContain('idNumber')
      }),
    )
  })

  it('accepts a lower-case x and full-width digits', () => {
    expect(spans('11010519491231002x')).toEqual(['idNumber:11010519491231002x'])
    expect(kinds('１１０１０５１９４９１２３１００２Ｘ')).toEqual(['idNumber'])
  })

  it('ignores a valid ID number buried in a longer run of digits', () => {
    expect(detectPersonalData('流水号 911010519491231002X')).toEqual([])
    expect(detectPersonalData('流水号 11010519491231002X7')).toEqual([])
  })
})

describe('mobile numbers', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['电话+86 138 0013 8000。', '+86 138 0013 8000'],
    ['tel:+8613800138000', '+8613800138000'],
    ['138-0013-8000', '138-0013-8000'],
    ['0086 19912345678', '0086 19912345678'],
    ['（８６）１５９１２３４５６７８', '１５９１２３４５６７８'],
  ])('finds %s', (text, number) => {
    const hits = detectPersonalData(text)
    expect(hits.map((h) => [h.kind, text.slice(h.start, h.end)])).toEqual([['mobile', number]])
  })

  it('masks the middle four digits', () => {
    expect(detectPersonalData('+86 138 0013 8000')[0]?.masked).toBe('138****8000')
  })

  it.each([
    ['12812345678', 'second digit 2'],
    ['1381234567', 'ten digits'],
    ['138123456789', 'twelve digits'],
    ['订单号 20231123138001380001', 'inside a long order number'],
    ['2023-11-23 13:30', 'a date and a time'],
    ['¥13,800,138.00', 'a price'],
  ])('ignores %s (%s)', (text) => {
    expect(detectPersonalData(text)).toEqual([])
  })
})

describe('bank card numbers', () => {
  const card = fc
    .record({ prefix: fc.constantFrom('62', '4', '51', '9558', '3'), length: fc.integer({ min: 13, max: 19 }), rest: digitString(19, 19) })
    .map(({ prefix, length, rest }) => withLuhn(`${prefix}${rest}`.slice(0, length - 1)))
    // An 18-digit number that is also a valid ID number counts as an ID number.
    .filter((n) => n.length !== 18 || !/^\d{17}[\dX]$/.test(n) || idCheck(n.slice(0, 17)) !== n[17])

  it('agrees with a known Luhn-valid test number', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
  })

  it('finds Luhn-valid card numbers, plain or in groups of four, and masks them', () => {
    fc.assert(
      fc.property(card, fc.boolean(), (number, grouped) => {
        const written = grouped ? (number.match(/.{1,4}/g) ?? []).join(' ') : number
        const hits = detectPersonalData(`收款卡号：${written}`)
        expect(hits).toEqual([
          { kind: 'bankCard', start: 5, end: 5 + written.length, masked: `${number.slice(0, 4)}${'*'.repeat(number.length - 8)}${number.slice(-4)}` },
        ])
      }),
    )
  })

  it('does not report a card number with any single digit changed', () => {
    fc.assert(
      fc.property(card, fc.nat(), fc.integer({ min: 1, max: 9 }), (number, at, delta) => {
        const i = at % number.length
        const changed = number.slice(0, i) + String((Number(number[i]) + delta) % 10) + number.slice(i + 1)
        expect(kinds(changed)).not.toContain('bankCard')
      }),
    )
  })

  it('ignores Luhn-valid numbers that no card issuer uses (order numbers starting with a year or a 1)', () => {
    const orderNumber = withLuhn('202311230000123')
    const ticket = withLuhn('1000200030004')
    expect(luhnValid(orderNumber)).toBe(true)
    expect(detectPersonalData(`订单 ${orderNumber}，票号 ${ticket}`)).toEqual([])
  })

  it('ignores ordinary numbers', () => {
    expect(detectPersonalData('会议 2026年11月23日 14:00–16:30，门票 ¥199.00，限 300 人，编号 A-1024')).toEqual([])
  })
})

describe('numbers their words name as something else', () => {
  it('clears an order, parcel or invoice number that happens to look like a card or a phone, but not a number after other words', () => {
    const unionPayLike = withLuhn('622848040256489001')
    expect(kinds(`订单号 ${unionPayLike}`)).toEqual([])
    expect(kinds(`快递单号：${unionPayLike}`)).toEqual([])
    expect(kinds(`发票号码 13912345678`)).toEqual([])
    expect(kinds(`快递员电话 13912345678，付款卡 ${unionPayLike}`)).toEqual(['mobile', 'bankCard'])
  })

  it('clears an all-digit credit code named as one when its GB 32100 check character is right, even if it would pass as an ID number', () => {
    // Search, among valid ID numbers, for one whose last character is also a right credit-code check character.
    let both = ''
    for (let sequence = 0; sequence < 1000 && !both; sequence++) {
      const first17 = `11010519491231${String(sequence).padStart(3, '0')}`
      const id = first17 + idCheck(first17)
      if (creditCodeValid(id)) both = id
    }
    expect(both).toMatch(/^\d{17}[\dX]$/)
    expect(kinds(`统一社会信用代码：${both}`)).toEqual([])
    expect(kinds(`身份证号：${both}`)).toEqual(['idNumber'])
    // A wrong credit-code check character: still what it otherwise is.
    expect(creditCodeValid(`${both.slice(0, 17)}${both.endsWith('5') ? '6' : '5'}`)).toBe(false)
  })

  it('checks credit codes by GB 32100: the alphabet without I, O, S, V, Z, and the check character', () => {
    const first17 = '91440300MA5F0DQL0'
    const check = creditCodeCheckCharacter(first17)
    expect(check).toMatch(/^[0-9A-HJ-NP-RTUWXY]$/)
    expect(creditCodeValid(first17 + check)).toBe(true)
    expect(creditCodeValid(`91440300MA5F0DQLO${check}`)).toBe(false)
    for (const wrong of '0123456789ABCDEFGHJKLMNPQRTUWXY'.replace(check, '')) expect(creditCodeValid(first17 + wrong)).toBe(false)
  })
})

describe('spam heuristics', () => {
  const kindsOf = (text: string) => spamReport(text).signals.map((s) => s.kind)

  it('lets an ordinary business card through', () => {
    const report = spamReport('张三，乐聊科技产品经理。电话 13800138000，微信 zhangsan_88，欢迎加微信交流。官网 lechat.example.com')
    expect(report.score).toBeLessThan(SPAM_REVIEW_THRESHOLD)
    expect(report.signals.map((s) => s.kind).sort()).toEqual(['contactHandle', 'link', 'mobile'])
  })

  it.each(['加V', '加vx', '＋Ｖ', '➕v', '薇信', 'V信', '加Q群', '扣扣'])('flags the contact variant %s', (variant) => {
    expect(kindsOf(`想要资料${variant}详聊`)).toContain('contactVariant')
  })

  it('does not treat code or ordinary words as contact variants', () => {
    expect(spamReport('调用 wx.login 获取 code，树立威信，卫星发射').signals).toEqual([])
    expect(spamReport('C++ v2 版本，devx 工具，欢迎加微信交流').signals).toEqual([])
  })

  it('points at the original spelling and scores a typical ad over the threshold', () => {
    const text = '限时福利！加ＶＸ：abc12345 领取！！！！！！ 详情 https://a.example.cn/x'
    const report = spamReport(text)
    const variant = report.signals.find((s) => s.kind === 'contactVariant')
    expect(variant && text.slice(variant.start, variant.end)).toBe('加ＶＸ')
    expect(report.signals.map((s) => s.kind)).toEqual(expect.arrayContaining(['contactVariant', 'contactHandle', 'repeat', 'link']))
    expect(report.score).toBeGreaterThanOrEqual(SPAM_REVIEW_THRESHOLD)
    expect(report.signals.find((s) => s.kind === 'repeat')?.reason).toBe('连续重复「！」6 次')
  })

  it('scores several links more than one, but links alone never reach review (articles cite sources)', () => {
    expect(spamReport('见 a.example.com').score).toBe(1)
    expect(spamReport('见 a.example.com b.example.cn').score).toBe(2)
    expect(spamReport('见 a.example.com b.example.cn www.example.net c.example.org').score).toBe(2)
  })

  it('scores many contacts over the threshold though one of each stays under it', () => {
    const report = spamReport('微信 aaa111，QQ 12345678，WeChat ccc333，电话 13800138000、13900139000')
    expect(report.signals.map((s) => [s.kind, s.weight])).toEqual([
      ['contactHandle', 1],
      ['contactHandle', 2],
      ['contactHandle', 2],
      ['mobile', 1],
      ['mobile', 2],
    ])
    expect(report.score).toBeGreaterThanOrEqual(SPAM_REVIEW_THRESHOLD)
  })

  it('does not count an e-mail address as a link', () => {
    expect(spamReport('联系 bob@mail.example.com').signals).toEqual([])
  })

  it('flags long runs of one character or of emoji, but not dividers', () => {
    expect(kindsOf('好好好好好')).toEqual([])
    expect(kindsOf('好好好好好好')).toEqual(['repeat'])
    expect(kindsOf('————————  ……………… ========')).toEqual([])
    expect(kindsOf('🎉🔥💰👍🏻❤️')).toEqual(['emojiRun'])
    expect(kindsOf('🎉🔥💰👍')).toEqual([])
  })
})

/**
 * Personal data in public text (ID numbers, mobile numbers, bank cards) and
 * ad/spam heuristics. Personal data is read on the digit channel (normalize.ts
 * `digitFold`: Chinese, circled, keycap and full-width digits, O/l for 0/1),
 * whose map gives every finding's span in the original text; the spam
 * heuristics run on the case- and width-folded text, which has the same length.
 */
import { creditCodeValid } from '../rules/credit-code'
import { checkCharacter, idNumberProblem, maskIdNumber } from '../rules/id-number'
import { foldText } from './automaton'
import { digitFold } from './normalize'

export type PersonalDataKind = 'idNumber' | 'mobile' | 'bankCard'

export interface PersonalDataHit {
  kind: PersonalDataKind
  start: number
  end: number
  /** Masked, safe to show in reasons and logs; the number itself is never copied out. */
  masked: string
}

export const PERSONAL_DATA_NAMES: Record<PersonalDataKind, string> = {
  idNumber: '身份证号',
  mobile: '手机号',
  bankCard: '银行卡号',
}

interface DigitGroup {
  start: number
  end: number
  digits: string
  /** Ends in an x (an ID number's check character). */
  x: boolean
  /** Joined to the previous group by a short run of separators: "138 0013 8000", "138.0013.8000", "110105-1949…", a line break. */
  joined: boolean
  /** Written against ASCII letters (SN1592…, A1B2…): part of a code, not a number on its own. */
  glued: boolean
}

/** What may stand between the groups of one number: spaces (a line break too), dashes, dots, slashes, up to three. */
const SEPARATORS = /^[\s\-‐-―_./|·~*]{1,3}$/u
const isAsciiLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isAsciiAlnum = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)

/** Maximal digit runs of folded text; a run directly followed by a lone x keeps it as a check character. */
function digitGroups(folded: string): DigitGroup[] {
  const groups: DigitGroup[] = []
  let i = 0
  while (i < folded.length) {
    if (!isDigit(folded.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < folded.length && isDigit(folded.charCodeAt(i))) i++
    let end = i
    let x = false
    if (folded.charCodeAt(i) === 0x78 && !isAsciiAlnum(folded.charCodeAt(i + 1))) {
      x = true
      end = ++i
    }
    const previous = groups[groups.length - 1]
    const gap = previous ? folded.slice(previous.end, start) : ''
    const joined = previous !== undefined && !previous.x && SEPARATORS.test(gap)
    const glued = isAsciiLetter(folded.charCodeAt(start - 1)) || (!x && isAsciiLetter(folded.charCodeAt(end)))
    groups.push({ start, end, digits: folded.slice(start, x ? end - 1 : end), x, joined, glued })
  }
  return groups
}

/** Luhn (ISO/IEC 7812-1) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 0x30
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * Issuer prefixes payment cards use: ISO/IEC 7812 industries 3–6 and 9 (UnionPay 62,
 * Visa 4, Mastercard 5x, Amex/JCB 3x, old domestic 9xxx) and Mastercard's 2221–2720.
 * Order numbers that start with a year (2023…) or a 1 therefore never count as cards,
 * even in the one case in ten where they happen to pass the Luhn check.
 */
function plausibleIssuer(digits: string): boolean {
  const first = digits[0]
  if (first === '2') {
    const prefix = Number(digits.slice(0, 4))
    return prefix >= 2221 && prefix <= 2720
  }
  return first === '3' || first === '4' || first === '5' || first === '6' || first === '9'
}

// The future-birth-date rule needs a clock; for detection a number that is otherwise a valid ID counts.
const NO_FUTURE = { year: 9999, month: 12, day: 31 }

const MOBILE = /^(?:0086|86)?(1[3-9]\d{9})$/
/** The shortest number classify can recognize (a mobile number). */
const MIN_DIGITS = 11

/** EAN-13 check digit (GS1): barcodes and ISBN-13 carry one, and pass Luhn one time in ten by chance. */
export function ean13Valid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 0x30) * (i % 2 === 0 ? 1 : 3)
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 0x30
}

/** A product barcode registered in China (690–699) or a book (ISBN 978/979): not a bank card. */
function isProductCode(digits: string): boolean {
  return ean13Valid(digits) && /^(?:69\d|97[89])/.test(digits)
}

/** Words that make a long number a bank card even when it fails Luhn (a typo, or a number mangled on purpose). */
const CARD_CONTEXT = /卡号|转账|汇款|银行|账户|账号|收款/u
/** Words naming a business number: what follows is an order, a parcel, an invoice or a product, not a phone or a card. */
const BUSINESS_NUMBER_CONTEXT = /单号|订单编号|发票代码|发票号|流水号|合同号|批号|条码|型号|序列号|编号/u
/** Words naming an organization's credit code, which can be all digits and then look like an ID number. */
const CREDIT_CODE_CONTEXT = /信用代码|税号|纳税人识别号/u
const CONTEXT_BEFORE = 12

function cardMask(digits: string): string {
  return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`
}

/** What the words just before a number say it is. */
interface NumberContext {
  card: boolean
  business: boolean
  creditCode: boolean
}

const NO_CONTEXT: NumberContext = { card: false, business: false, creditCode: false }

function contextOf(before: string): NumberContext {
  return { card: CARD_CONTEXT.test(before), business: BUSINESS_NUMBER_CONTEXT.test(before), creditCode: CREDIT_CODE_CONTEXT.test(before) }
}

function classify(digits: string, x: boolean, glued: boolean, context: NumberContext = NO_CONTEXT): { kind: PersonalDataKind; masked: string } | null {
  // A credit code named as one, with its own check character right: an organization's number.
  if (context.creditCode && creditCodeValid(x ? `${digits}X` : digits)) return null
  if (digits.length === 17 && x) {
    const id = `${digits}X`
    return idNumberProblem(id, NO_FUTURE) === null ? { kind: 'idNumber', masked: maskIdNumber(id) } : null
  }
  if (x) return null
  // The check digit first: it is the cheapest test, and ten in eleven random numbers fail it.
  if (digits.length === 18 && checkCharacter(digits) === digits[17] && idNumberProblem(digits, NO_FUTURE) === null) {
    return { kind: 'idNumber', masked: maskIdNumber(digits) }
  }
  // A serial or model number (SN15920241207), or a number its words call an order, parcel or invoice number, is not a phone or a card.
  if (glued || context.business) return null
  const mobile = MOBILE.exec(digits)?.[1]
  if (mobile) return { kind: 'mobile', masked: `${mobile.slice(0, 3)}****${mobile.slice(7)}` }
  if (digits.length >= 13 && digits.length <= 19 && plausibleIssuer(digits) && luhnValid(digits) && !isProductCode(digits)) {
    return { kind: 'bankCard', masked: cardMask(digits) }
  }
  if (context.card && digits.length >= 16 && digits.length <= 19 && plausibleIssuer(digits)) return { kind: 'bankCard', masked: cardMask(digits) }
  return null
}

/**
 * ID numbers, mobile numbers and bank card numbers, written plainly or in groups
 * separated by single spaces or dashes (also in full-width digits). A number is a
 * whole digit run or a run of joined groups — never a slice of a longer run, so a
 * long order number that contains eleven phone-like digits is not a phone. Among
 * joined groups the longest valid window wins, left to right.
 */
export function detectPersonalData(text: string): PersonalDataHit[] {
  const channel = digitFold(text)
  const folded = channel.text
  const groups = digitGroups(folded)
  const allDigits = groups.map((g) => g.digits).join('')
  const offsets = [0]
  for (const group of groups) offsets.push((offsets[offsets.length - 1] ?? 0) + group.digits.length)
  const hits: PersonalDataHit[] = []
  let i = 0
  while (i < groups.length) {
    let best: { last: number; kind: PersonalDataKind; masked: string } | null = null
    const first = groups[i] as DigitGroup
    let context: NumberContext | null = null
    for (let j = i; j < groups.length; j++) {
      const group = groups[j] as DigitGroup
      if (j > i && !group.joined) break
      // A slice of all groups' digits, not a new string per window: long runs of tiny groups stay cheap.
      const digits = allDigits.slice(offsets[i] ?? 0, offsets[j + 1] ?? 0)
      if (digits.length > 19) break
      // Nothing shorter than a mobile number is personal data here.
      if (digits.length >= MIN_DIGITS) {
        context ??= contextOf(folded.slice(Math.max(0, first.start - CONTEXT_BEFORE), first.start))
        const found = classify(digits, group.x, first.glued || group.glued, context)
        if (found) best = { last: j, ...found }
      }
      if (group.x) break
    }
    if (!best) {
      i++
      continue
    }
    const plus = best.kind === 'mobile' && first.start > 0 && folded[first.start - 1] === '+'
    const from = plus ? first.start - 1 : first.start
    const to = (groups[best.last] as DigitGroup).end - 1
    hits.push({ kind: best.kind, start: channel.starts[from] ?? 0, end: channel.ends[to] ?? text.length, masked: best.masked })
    i = best.last + 1
  }
  return hits
}

export type SpamKind = 'contactVariant' | 'contactHandle' | 'mobile' | 'link' | 'repeat' | 'emojiRun' | 'bait'

export interface SpamSignal {
  kind: SpamKind
  start: number
  end: number
  weight: number
  /** Chinese, for the author and the review queue. */
  reason: string
}

export interface SpamReport {
  score: number
  signals: SpamSignal[]
}

/** A score at or above this sends the text to human review. */
export const SPAM_REVIEW_THRESHOLD = 5

// Written against folded text (lower-case ASCII, half-width). Plain 加微信 and words that are
// also ordinary Chinese (威信 "prestige", 卫星 "satellite") or code (wx.login) are left out on purpose.
// No lookbehind (older iOS JavaScriptCore cannot parse it): `notAfter` checks the previous character.
const CONTACT_VARIANT = /(?:加|➕|\+)\s?(?:vx|v|wx|q|扣|薇|微(?![信博]))(?![a-z])|(?:vx|v信|微x)(?![a-z])|薇信|徽信|嶶信|扣扣|企鹅号/gu
const CONTACT_HANDLE = /(微信|weixin|wechat|qq|vx|wx|v信|薇信)号?\s?[:：]?\s?[a-z0-9][a-z0-9_-]{4,}/gu
// Host labels are at most 63 characters (RFC 1035): bounded, so a long run of letters without a dot costs linear time, not quadratic.
const LINK =
  /(?:https?:\/\/|www\.)[a-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+|(?:[a-z0-9-]{1,63}\.){1,8}(?:com|cn|net|org|top|xyz|vip|cc|me|io|info|club|shop|site|link|ly)(?![a-z0-9-])(?:\/[a-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?/gu
/** Link shorteners: where a bait link hides its destination. */
const SHORT_LINK = /(?:^|[^a-z0-9.-])(?:t\.cn|dwz\.cn|url\.cn|suo\.im|bit\.ly|tinyurl\.com|is\.gd|w\.url\.cn|u\.nu)\//u
/** What contact-bait offers: words an ad leads with to move people off the platform. */
const BAIT = /领取|免费领|免费送|福利|红包|返利|返现|优惠券|赠送|抽奖|兼职日结/u
/** How far from a contact or link the bait may stand (characters, either side). */
const BAIT_REACH = 24
// Characters people use for dividers (———, ……, ====) are not counted as repetition.
const REPEAT = /([^\s\-_=*.·—~…0-9])\1{5,}/gu
const EMOJI_RUN = /(?:\p{Extended_Pictographic}(?:\ufe0f|\u200d|[\u{1f3fb}-\u{1f3ff}])*){5,}/gu

/** Calls `visit` for each match, except ASCII-led matches that continue a word (previous character in `notAfter`). */
function each(pattern: RegExp, text: string, visit: (match: RegExpExecArray) => void, notAfter?: RegExp): void {
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const continues = notAfter !== undefined && m.index > 0 && text.charCodeAt(m.index) < 0x80 && notAfter.test(text.charAt(m.index - 1))
    if (!continues) visit(m)
  }
}

/**
 * Heuristics for ad and spam posts: obfuscated contact words (加V, VX, 薇信 …),
 * handles and phone numbers left for off-platform contact, several links, and
 * long runs of one character or of emoji. One contact on a business card stays
 * well under the threshold; several signals together reach it.
 */
export function spamReport(text: string, personalData: readonly PersonalDataHit[] = detectPersonalData(text)): SpamReport {
  const folded = foldText(text)
  const signals: SpamSignal[] = []
  const original = (m: RegExpExecArray): string => text.slice(m.index, m.index + m[0].length)
  const add = (kind: SpamKind, m: RegExpExecArray, weight: number, reason: string): void => {
    signals.push({ kind, start: m.index, end: m.index + m[0].length, weight, reason })
  }
  // One phone, one handle and one link are what a business card carries: the first of each
  // weighs 1, every further one 2. Reasons name the platform, not the handle (it may be a phone number).
  const seen = new Map<SpamKind, number>()
  const firstCheap = (kind: SpamKind): number => {
    const count = seen.get(kind) ?? 0
    seen.set(kind, count + 1)
    return count === 0 ? 1 : 2
  }
  each(CONTACT_VARIANT, folded, (m) => add('contactVariant', m, 3, `使用变体写法的联系方式「${original(m).trim()}」`), /[a-z0-9+]/)
  each(CONTACT_HANDLE, folded, (m) => add('contactHandle', m, firstCheap('contactHandle'), `留有站外联系账号（${text.slice(m.index, m.index + (m[1] ?? '').length)}）`), /[a-z]/)
  for (const hit of personalData) {
    if (hit.kind !== 'mobile') continue
    signals.push({ kind: 'mobile', start: hit.start, end: hit.end, weight: firstCheap('mobile'), reason: `留有手机号 ${hit.masked}` })
  }
  // Links are what articles cite: each weighs 1, and all of them together at most 2 (bait is what makes a link an ad).
  let linkWeight = 0
  each(LINK, folded, (m) => {
    const weight = linkWeight < 2 ? 1 : 0
    linkWeight += weight
    add('link', m, weight, `含有链接 ${original(m)}`)
  }, /[a-z0-9@.-]/)
  // Contact or link plus an offer: the shape of an ad that moves people off the platform, whatever the handle.
  const contacts = signals.filter((s) => s.kind === 'contactVariant' || s.kind === 'contactHandle' || s.kind === 'link' || s.kind === 'mobile')
  for (const contact of contacts) {
    const around = folded.slice(Math.max(0, contact.start - BAIT_REACH), contact.end + BAIT_REACH)
    const bait = BAIT.exec(around)
    if (!bait) continue
    const short = contact.kind === 'link' && SHORT_LINK.test(` ${folded.slice(contact.start, contact.end)}`)
    signals.push({
      kind: 'bait',
      start: contact.start,
      end: contact.end,
      weight: short ? 5 : 4,
      reason: `联系方式${short ? '（短链接）' : ''}旁附有「${bait[0]}」等引流说法`,
    })
    break
  }
  each(REPEAT, folded, (m) => add('repeat', m, 2, `连续重复「${text.slice(m.index, m.index + (m[1] ?? '').length)}」${Array.from(m[0]).length} 次`))
  each(EMOJI_RUN, folded, (m) => add('emojiRun', m, 2, `连续使用 ${Array.from(m[0].replace(/[\ufe0f\u200d\u{1f3fb}-\u{1f3ff}]/gu, '')).length} 个表情符号`))
  signals.sort((a, b) => a.start - b.start || a.end - b.end)
  return { score: signals.reduce((sum, s) => sum + s.weight, 0), signals }
}

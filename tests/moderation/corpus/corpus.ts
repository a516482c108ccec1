/**
 * The scanner's evaluation set, written by us: evasions of each kind the
 * scanner claims to see through (against the demo lexicon), personal data in
 * every disguise it reads, ad bait, and ordinary card, activity and article
 * texts full of numbers, names, addresses, links and product codes that must
 * pass. Built deterministically (a seeded generator over our own phrases), so
 * the same set is measured by the test and by the bench.
 */
import demo from '../../../shared/moderation/demo-lexicon.json'

export interface Sample {
  group: string
  text: string
  /** Whether the scanner should flag it (review or refuse). */
  flag: boolean
}

function seeded(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length) % items.length] as T
}

/** Ways to put something that carries no letters between the characters of a term. */
const SPREADS: ReadonlyArray<[string, (term: string) => string]> = [
  ['spaces', (t) => [...t].join(' ')],
  ['dashes', (t) => [...t].join('-')],
  ['dots', (t) => [...t].join('.')],
  ['enumeration commas', (t) => [...t].join('、')],
  ['line breaks', (t) => [...t].join('\n')],
  ['emoji', (t) => [...t].join('🔥')],
  ['zero-width spaces', (t) => [...t].join('\u200b')],
  ['soft hyphens', (t) => [...t].join('\u00ad')],
  ['variation selectors', (t) => [...t].join('\ufe0f')],
  ['Hangul fillers', (t) => [...t].join('\u3164')],
  ['full width', (t) => t.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
]

const SKIP_CATEGORIES = Object.values(demo.categories).filter((c) => 'folds' in c && (c.folds as { skipBetween?: boolean }).skipBetween)

function lexiconEvasions(): Sample[] {
  const samples: Sample[] = []
  for (const category of SKIP_CATEGORIES) {
    for (const term of category.terms) {
      for (const [kind, spread] of SPREADS) samples.push({ group: `lexicon: ${kind}`, text: `最新消息：${spread(term)}，详情私聊。`, flag: true })
    }
  }
  return samples
}

/**
 * The demo lexicon's pinyin-category terms as people write them around the
 * lexicon: in traditional characters, in pinyin, half in pinyin, and with
 * characters that sound the same. Written out by hand, not by the tools the
 * scanner's readings come from.
 */
const SPELLINGS: ReadonlyArray<{ term: string; traditional: string; pinyin: string; mixed: string; homophones: string }> = [
  { term: '加微信领红包', traditional: '加微信領紅包', pinyin: 'jiaweixinlinghongbao', mixed: 'jia微xin领hong包', homophones: '加威信领红宝' },
  { term: '扫码领福利', traditional: '掃碼領福利', pinyin: 'saomalingfuli', mixed: 'sao码ling福li', homophones: '扫马领福力' },
  { term: '免费领iPhone', traditional: '免費領iPhone', pinyin: 'mianfeilingiPhone', mixed: 'mian费领 iPhone', homophones: '免废领iPhone' },
  { term: '限时秒杀群', traditional: '限時秒殺群', pinyin: 'xianshimiaoshaqun', mixed: '限shi秒sha群', homophones: '限时秒沙裙' },
  { term: '点击链接领取', traditional: '點擊鏈接領取', pinyin: 'dianjilianjielingqu', mixed: 'dian击lian接领qu', homophones: '点机连接领取' },
  { term: '刷单返利', traditional: '刷單返利', pinyin: 'shuadanfanli', mixed: 'shua单fan利', homophones: '刷蛋返力' },
  { term: '先交保证金', traditional: '先交保證金', pinyin: 'xianjiaobaozhengjin', mixed: '先jiao保zheng金', homophones: '先交保正金' },
  { term: '稳赚不赔', traditional: '穩賺不賠', pinyin: 'wenzhuanbupei', mixed: 'wen赚bu赔', homophones: '稳赚不陪' },
  { term: '内部渠道包过', traditional: '內部渠道包過', pinyin: 'neibuqudaobaoguo', mixed: '内bu渠dao包guo', homophones: '内部渠到包国' },
  { term: '代开发票', traditional: '代開發票', pinyin: 'daikaifapiao', mixed: '代kai发piao', homophones: '代开发飘' },
  { term: '出售个人信息', traditional: '出售個人信息', pinyin: 'chushougerenxinxi', mixed: 'chu售ge人xin息', homophones: '出受个人信息' },
  { term: '代办假证', traditional: '代辦假證', pinyin: 'daibanjiazheng', mixed: 'dai办jia证', homophones: '代半假正' },
]

function spellingEvasions(): Sample[] {
  const samples: Sample[] = []
  for (const spelling of SPELLINGS) {
    samples.push({ group: 'lexicon: traditional characters', text: `最新消息：${spelling.traditional}，詳情私聊。`, flag: true })
    samples.push({ group: 'lexicon: pinyin', text: `最新消息：${spelling.pinyin}，详情私聊。`, flag: true })
    samples.push({ group: 'lexicon: mixed pinyin', text: `最新消息：${spelling.mixed}，详情私聊。`, flag: true })
    samples.push({ group: 'lexicon: homophones', text: `最新消息：${spelling.homophones}，详情私聊。`, flag: true })
  }
  return samples
}

const DIGIT_FORMS: ReadonlyArray<[string, (digits: string) => string]> = [
  ['Chinese numerals', (d) => [...d].map((c) => '零一二三四五六七八九'[Number(c)]).join('')],
  ['幺 for one', (d) => [...d].map((c) => (c === '1' ? '幺' : '零一二三四五六七八九'[Number(c)])).join('')],
  ['financial numerals', (d) => [...d].map((c) => '零壹贰叁肆伍陆柒捌玖'[Number(c)]).join('')],
  ['circled digits', (d) => [...d].map((c) => (c === '0' ? '⓪' : String.fromCharCode(0x2460 + Number(c) - 1))).join('')],
  ['keycaps', (d) => [...d].map((c) => `${c}\ufe0f\u20e3`).join('')],
  ['full-width digits', (d) => [...d].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')],
  ['dots', (d) => `${d.slice(0, 3)}.${d.slice(3, 7)}.${d.slice(7)}`],
  ['slashes', (d) => `${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}`],
  ['double spaces', (d) => `${d.slice(0, 3)}  ${d.slice(3, 7)}  ${d.slice(7)}`],
  ['a line break', (d) => `${d.slice(0, 7)}\n${d.slice(7)}`],
  ['O for zero', (d) => d.replace(/0/g, 'O')],
]

function phoneEvasions(next: () => number): Sample[] {
  const samples: Sample[] = []
  for (let n = 0; n < 6; n++) {
    const phone = `1${pick(['38', '39', '58', '86', '77', '99'], next)}${String(Math.floor(next() * 1e8)).padStart(8, '0')}`
    for (const [kind, form] of DIGIT_FORMS) samples.push({ group: `phone: ${kind}`, text: `有意者联系 ${form(phone)} 咨询`, flag: true })
  }
  return samples
}

/** ISO 7064 MOD 11-2. */
function idCheck(first17: string): string {
  let sum = 0
  for (let k = 0; k < 17; k++) sum += Number(first17[k]) * (2 ** (17 - k) % 11)
  const check = (12 - (sum % 11)) % 11
  return check === 10 ? 'X' : String(check)
}

function idEvasions(next: () => number): Sample[] {
  const samples: Sample[] = []
  for (let n = 0; n < 5; n++) {
    const region = pick(['110105', '310104', '440305', '330106', '510107'], next)
    const first17 = `${region}19${String(60 + Math.floor(next() * 40))}${String(1 + Math.floor(next() * 12)).padStart(2, '0')}${String(1 + Math.floor(next() * 28)).padStart(2, '0')}${String(Math.floor(next() * 1000)).padStart(3, '0')}`
    const id = first17 + idCheck(first17)
    const forms = [id, id.toLowerCase(), `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`, `${id.slice(0, 6)}.${id.slice(6, 14)}.${id.slice(14)}`, `${id.slice(0, 9)}\n${id.slice(9)}`]
    for (const form of forms) samples.push({ group: 'ID number', text: `帮朋友转发，身份证 ${form} 请核对`, flag: true })
  }
  return samples
}

function luhn(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const digits = `${body}${d}`
    let sum = 0
    for (let i = 0; i < digits.length; i++) {
      let v = Number(digits[digits.length - 1 - i])
      if (i % 2 === 1) {
        v *= 2
        if (v > 9) v -= 9
      }
      sum += v
    }
    if (sum % 10 === 0) return digits
  }
  return `${body}0`
}

function cardEvasions(next: () => number): Sample[] {
  const samples: Sample[] = []
  for (let n = 0; n < 5; n++) {
    const card = luhn(`622202${String(Math.floor(next() * 1e12)).padStart(12, '0')}`)
    samples.push({ group: 'bank card', text: `收款卡号 ${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8, 12)} ${card.slice(12)}`, flag: true })
    samples.push({ group: 'bank card', text: `转账到 ${card.slice(0, -1)}${(Number(card.slice(-1)) + 1) % 10}（户名见私信）`, flag: true })
  }
  return samples
}

const BAIT = [
  '加V：abc123456 领取福利',
  '加微信 wxid_k8s2m3 免费领',
  '点 t.cn/A6x9Kq 领红包',
  '➕v：lucky_888 返利群',
  '加薇 dz20261 福利多多',
  'vx：hongbao666 免费送礼品',
  '扫码或加 q 1234567890 领取优惠券',
  '戳 dwz.cn/x8Kd2 抽奖',
  '加v信 zhuanqian99 兼职日结',
  '企鹅号 8765432 免费领取资料',
]

function baitSamples(): Sample[] {
  return BAIT.map((text) => ({ group: 'ad bait', text, flag: true }))
}

// Ordinary texts: cards, activities and articles, with the numbers such texts carry.
const NAMES = ['王小明', '李思远', '张晓雨', '陈一帆', '刘佳怡', '欧阳文', '赵子墨', '周亦然', '吴晨曦', '郑可欣']
const TITLES = ['产品经理', '销售总监', '高级工程师', '市场专员', '财务主管', '设计师', '项目经理', '人力资源经理']
const COMPANIES = ['乐聊科技有限公司', '华东精密仪器厂', '青禾文化传媒', '远航物流', '星辰教育咨询', '一品茶业']
const STREETS = ['中关村大街1号', '张江路368号3号楼', '天河路208号', '西湖区文三路90号', '高新区科技园南区B座']

/** A valid EAN-13 starting 69 (products registered in China). */
function barcode(next: () => number): string {
  const body = `69${String(Math.floor(next() * 1e10)).padStart(10, '0')}`
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3)
  return `${body}${(10 - (sum % 10)) % 10}`
}

function isbn(next: () => number): string {
  const body = `978${String(Math.floor(next() * 1e9)).padStart(9, '0')}`
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3)
  return `${body}${(10 - (sum % 10)) % 10}`
}

const ORDINARY: ReadonlyArray<(next: () => number) => string> = [
  (n) => `${pick(NAMES, n)}，${pick(TITLES, n)}，${pick(COMPANIES, n)}。地址：${pick(STREETS, n)}。座机 010-${6000_0000 + Math.floor(n() * 3_000_000)}，客服热线 400-${800 + Math.floor(n() * 199)}-${1000 + Math.floor(n() * 8999)}。`,
  (n) => `本周六 ${9 + Math.floor(n() * 8)}:30 在${pick(STREETS, n)}举办产品分享会，限 ${20 + Math.floor(n() * 80)} 人，费用 ${Math.floor(n() * 200)} 元/人，${2026}-12-${10 + Math.floor(n() * 18)} 截止报名。`,
  (n) => `新品上架：商品条码 ${barcode(n)}，规格 ${Math.floor(n() * 500)}g，建议零售价 ¥${(n() * 300).toFixed(2)}。`,
  (n) => `推荐阅读《企业服务产品设计》，ISBN ${isbn(n)}，第 ${1 + Math.floor(n() * 12)} 章讲用户访谈。`,
  (n) => `设备序列号 SN${Math.floor(n() * 1e11)}，固件版本 v${1 + Math.floor(n() * 5)}.${Math.floor(n() * 10)}.${Math.floor(n() * 20)}，保修至 2028 年。`,
  (n) => `订单号 ${20261200000000 + Math.floor(n() * 99_999_999)} 已发货，快递单号 SF${Math.floor(n() * 1e12)}，预计 ${1 + Math.floor(n() * 5)} 天送达。`,
  (n) => `参考资料：https://docs.example.com/guide、https://www.example.org/report/${2020 + Math.floor(n() * 6)}、https://blog.example.cn/post/${Math.floor(n() * 999)}。`,
  (n) => `统一社会信用代码见官网 www.${pick(['lechat', 'huaxia', 'qinghe'], n)}.example.cn，公司成立于 ${1990 + Math.floor(n() * 35)} 年，员工 ${50 + Math.floor(n() * 2000)} 人。`,
  (n) => `${pick(NAMES, n)}的读书笔记：第一章讲了两个故事，三个观点，七月${1 + Math.floor(n() * 30)}日写完。`,
  (n) => `会议室 B${Math.floor(n() * 30)}0${Math.floor(n() * 9)}，投影密码 ${Math.floor(n() * 9000) + 1000}，Wi-Fi：Guest-${Math.floor(n() * 99)}。`,
  (n) => `微信号：${pick(['wang_xiaoming', 'lisiyuan88', 'chen_yifan'], n)}，欢迎交流行业经验。`,
  (n) => `发票代码 ${144000000000 + Math.floor(n() * 9_999_999)}，发票号码 ${String(Math.floor(n() * 1e8)).padStart(8, '0')}，开票日期 2026 年 11 月。`,
  (n) => `我们的客户包括一汽、二七区政府和三一重工，服务超过 ${100 + Math.floor(n() * 900)} 家企业。`,
  (n) => `活动议程：14:00 签到；14:30 主题演讲；15:45 圆桌讨论（${pick(NAMES, n)}、${pick(NAMES, n)}）；17:00 结束。`,
  (n) => `${pick(['威信县人民政府', '薇信花艺工作室', '魏新律师事务所'], n)}与我们签约，合作期 ${1 + Math.floor(n() * 5)} 年。`,
  (n) => `Contact: ${pick(['Wei Xin', 'Dan Fanli', 'Shuang Li'], n)}, Product Manager, Shenzhen. Tel 0755-${8000_0000 + Math.floor(n() * 999_999)}.`,
  (n) => `繁體版說明：本店可開立發票，${pick(['歡迎企業採購', '支持對公轉賬', '價格實惠'], n)}，營業時間 9:00–18:00。`,
  (n) => `温度 ${Math.floor(n() * 40)}℃，湿度 ${Math.floor(n() * 100)}%，PM2.5 指数 ${Math.floor(n() * 150)}，适合户外活动。`,
]

function ordinarySamples(next: () => number): Sample[] {
  const samples: Sample[] = []
  for (let k = 0; k < 165; k++) samples.push({ group: 'ordinary', text: (ORDINARY[k % ORDINARY.length] as (n: () => number) => string)(next), flag: false })
  return samples
}

export function buildCorpus(): Sample[] {
  const next = seeded(20261208)
  return [...lexiconEvasions(), ...spellingEvasions(), ...phoneEvasions(next), ...idEvasions(next), ...cardEvasions(next), ...baitSamples(), ...ordinarySamples(next)]
}

export interface GroupScore {
  group: string
  total: number
  flagged: number
}

/** Per group, how many samples were flagged. */
export function scoreCorpus(samples: readonly Sample[], flags: (text: string) => boolean): { groups: GroupScore[]; recall: number; falsePositiveRate: number; precision: number; misses: Sample[]; falseAlarms: Sample[] } {
  const groups = new Map<string, GroupScore>()
  const misses: Sample[] = []
  const falseAlarms: Sample[] = []
  let tp = 0
  let fp = 0
  let positives = 0
  let negatives = 0
  for (const sample of samples) {
    const flagged = flags(sample.text)
    const score = groups.get(sample.group) ?? { group: sample.group, total: 0, flagged: 0 }
    score.total++
    if (flagged) score.flagged++
    groups.set(sample.group, score)
    if (sample.flag) {
      positives++
      if (flagged) tp++
      else misses.push(sample)
    } else {
      negatives++
      if (flagged) {
        fp++
        falseAlarms.push(sample)
      }
    }
  }
  return { groups: [...groups.values()], recall: tp / positives, falsePositiveRate: fp / negatives, precision: tp / Math.max(1, tp + fp), misses, falseAlarms }
}

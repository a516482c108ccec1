/**
 * The pure parts behind the card pages: scene decoding, what a card looks like
 * to whom (the editor's preview), phone contacts, issue paths, tags, the
 * visitors chart and the poster's layout and drawing.
 */
import 'miniprogram-simulate'
import { DEFAULT_VISIBILITY, encodeCardScene } from '../../shared/cards'
import { drawPoster, posterAvatarPath, posterLayout, POSTER_WIDTH, textWidth, wrapText, type Poster2D } from '../../miniprogram/utils/card-poster'
import type { OwnCardView } from '../../shared/contract/cards'
import {
  cardIdFromQuery,
  cardViewModel,
  emptyDraft,
  fieldKeyOf,
  inputOf,
  parseTags,
  phoneContactOf,
  posterFace,
  previewFace,
  type CardDraft,
} from '../../miniprogram/utils/cards'
import { dayLabelOf, visitChart } from '../../miniprogram/utils/visit-chart'

const ID = '0123456789'

function draft(patch: Partial<CardDraft> = {}): CardDraft {
  return {
    ...emptyDraft(),
    name: '王小明',
    title: '产品经理',
    company: '乐聊科技',
    phone: '13812345678',
    email: 'a@example.com',
    intro: '简介',
    links: [{ label: '官网', url: 'https://example.com' }],
    ...patch,
  }
}

test('the card a page opens: the QR scene (encoded by WeChat or raw) first, then ?id=, nothing else', () => {
  const scene = encodeCardScene(ID)
  expect(cardIdFromQuery({ scene: encodeURIComponent(scene) })).toBe(ID)
  expect(cardIdFromQuery({ scene })).toBe(ID)
  expect(cardIdFromQuery({ id: ID })).toBe(ID)
  expect(cardIdFromQuery({ scene: encodeURIComponent(scene), id: 'abcdefghjk' })).toBe(ID)
  expect(cardIdFromQuery({ scene: 'c%3DNOTACARD!', id: ID })).toBe(ID)
  for (const query of [{}, { id: 'short' }, { id: '%E0%A4%A' }, { scene: '%' }, { id: 'ABCDEFGHJK' }, { scene: 'x%3D0123456789' }]) {
    expect(cardIdFromQuery(query)).toBeNull()
  }
  expect(cardIdFromQuery(undefined)).toBeNull()
})

test('the preview follows the visibility rules: public for strangers, exchanged after an exchange, hidden only for me', () => {
  const d = draft({ visibility: { ...DEFAULT_VISIBILITY, intro: 'hidden', links: 'exchanged' } })
  const stranger = previewFace(d, { id: ID, verified: true, audience: 'public' })
  expect(stranger).toMatchObject({ name: '王小明', title: '产品经理', phone: null, email: null, intro: null, links: [] })
  expect(stranger.exchangeOnly).toEqual(['phone', 'email', 'links'])
  const contact = previewFace(d, { id: ID, verified: true, audience: 'exchanged' })
  expect(contact).toMatchObject({ phone: '13812345678', email: 'a@example.com', intro: null, links: [{ label: '官网', url: 'https://example.com' }], exchangeOnly: [] })
  const me = previewFace(d, { id: ID, verified: false, audience: 'owner' })
  expect(me).toMatchObject({ intro: '简介', verified: false })
  // Empty fields are never「交换名片后可见」.
  expect(previewFace(draft({ phone: '', email: '', links: [] }), { id: ID, verified: true, audience: 'public' }).exchangeOnly).toEqual([])

  const model = cardViewModel(stranger)
  expect(model.headline).toBe('产品经理 · 乐聊科技')
  expect(model.rows).toEqual([])
  expect(model.exchangeOnlyText).toBe('电话、邮箱、链接交换名片后可见')
  expect(model.ariaLabel).toBe('王小明的名片，已实名认证，产品经理 · 乐聊科技，电话、邮箱、链接交换名片后可见')
  expect(cardViewModel(contact).rows.map((r) => [r.key, r.action])).toEqual([
    ['phone', 'call'],
    ['email', 'copy'],
  ])
})

test('what the editor sends: trimmed, an empty avatar as null, every visibility', () => {
  const input = inputOf(draft({ name: ' 王小明 ', avatarUrl: '', links: [{ label: ' 官网 ', url: ' https://example.com ' }] }))
  expect(input).toMatchObject({ name: '王小明', avatarUrl: null, links: [{ label: '官网', url: 'https://example.com' }] })
  expect(input.visibility).toEqual(DEFAULT_VISIBILITY)
})

test('a phone contact carries only the fields shown', () => {
  const stranger = previewFace(draft(), { id: ID, verified: true, audience: 'public' })
  expect(phoneContactOf(stranger)).toEqual({
    firstName: '王小明',
    title: '产品经理',
    organization: '乐聊科技',
    url: 'https://example.com',
    remark: '来自乐聊名片',
  })
  const contact = previewFace(draft(), { id: ID, verified: true, audience: 'exchanged' })
  expect(phoneContactOf(contact)).toMatchObject({ mobilePhoneNumber: '13812345678', email: 'a@example.com' })
})

test('server issue paths land beside the right field', () => {
  expect(fieldKeyOf('name')).toBe('name')
  expect(fieldKeyOf('card.name')).toBe('name')
  expect(fieldKeyOf('card.email')).toBe('email')
  expect(fieldKeyOf('links.2.label')).toBe('links.2.label')
  expect(fieldKeyOf('card.links.0.url')).toBe('links.0.url')
  expect(fieldKeyOf('links')).toBe('links')
  expect(fieldKeyOf('card.visibility.phone')).toBe('form')
  expect(fieldKeyOf('')).toBe('form')
  expect(fieldKeyOf('cardId')).toBe('form')
})

test('typed tags are split, trimmed and distinct', () => {
  expect(parseTags(' 客户，北京、客户 , 法律  设计 ')).toEqual(['客户', '北京', '法律', '设计'])
  expect(parseTags('  ')).toEqual([])
})

test('the chart: bar heights are shares of the busiest day, labels every week, every bar says its date and counts', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({ date: `2024-06-${String(i + 1).padStart(2, '0')}`, visitors: 0, anonymous: 0 }))
  days[3] = { date: '2024-06-04', visitors: 3, anonymous: 1 }
  days[10] = { date: '2024-06-11', visitors: 0, anonymous: 2 }
  days[29] = { date: '2024-06-30', visitors: 1, anonymous: 0 }
  const chart = visitChart(days)
  expect(chart.max).toBe(4)
  expect(chart.total).toBe(7)
  expect(chart.bars[3]).toMatchObject({ heightPercent: 100, visitorPercent: 75, ariaLabel: '6月4日：3 位访客，1 次匿名浏览' })
  expect(chart.bars[10]).toMatchObject({ heightPercent: 50, visitorPercent: 0, ariaLabel: '6月11日：0 位访客，2 次匿名浏览' })
  expect(chart.bars[29]).toMatchObject({ heightPercent: 25, ariaLabel: '6月30日：1 位访客' })
  expect(chart.bars[0]).toMatchObject({ heightPercent: 0, ariaLabel: '6月1日：没有访问', axisLabel: '6月1日' })
  expect(chart.bars.filter((b) => b.axisLabel).map((b) => b.axisLabel)).toEqual(['6月1日', '6月8日', '6月15日', '6月22日', '6月29日', '6月30日'])
  expect(chart.summary).toBe('6月1日至6月30日共 7 次访问，单日最多 4 次')
  // A single view among many is still visible.
  const tiny = visitChart([{ date: '2024-06-01', visitors: 1, anonymous: 0 }, { date: '2024-06-02', visitors: 200, anonymous: 0 }])
  expect(tiny.bars[0]?.heightPercent).toBe(4)
  expect(visitChart([]).summary).toBe('近 30 天还没有人看过这张名片')
  expect(dayLabelOf('not a date')).toBe('not a date')
})

test('wrapping: lines fit the width, CJK counts double, the last allowed line ends with …', () => {
  expect(textWidth('中文', 20)).toBe(40)
  expect(textWidth('ab', 20)).toBeCloseTo(22.4)
  const lines = wrapText('一二三四五六七八九十'.repeat(3), 20, 100, 2)
  expect(lines).toHaveLength(2)
  for (const line of lines) expect(textWidth(line, 20)).toBeLessThanOrEqual(100)
  expect(lines[1]?.endsWith('…')).toBe(true)
  expect(wrapText('短', 20, 100, 2)).toEqual(['短'])
  expect(wrapText('第一行\n第二行', 20, 400, 3)).toEqual(['第一行', '第二行'])
})

test('the poster layout: everything inside the canvas, the QR centred below the card, long text cut', () => {
  const face = previewFace(draft({ intro: '很长的简介'.repeat(60), visibility: { ...DEFAULT_VISIBILITY, phone: 'public' } }), {
    id: ID,
    verified: true,
    audience: 'public',
  })
  const layout = posterLayout(cardViewModel(face), { avatar: false })
  expect(layout.width).toBe(POSTER_WIDTH)
  const texts = layout.ops.filter((op) => op.kind === 'text')
  expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['王', '王小明', '已实名', '产品经理 · 乐聊科技', '电话  13812345678', '微信扫码，查看我的名片']))
  // Intro: at most three lines, the last cut with ….
  const intro = texts.filter((t) => t.text.startsWith('很长') || t.text.includes('简介'))
  expect(intro.length).toBeLessThanOrEqual(3)
  expect(intro[intro.length - 1]?.text.endsWith('…')).toBe(true)
  for (const op of layout.ops) {
    if (op.kind === 'text') {
      expect(op.y).toBeLessThanOrEqual(layout.height)
      const left = op.align === 'center' ? op.x - textWidth(op.text, op.size) / 2 : op.x
      expect(left).toBeGreaterThanOrEqual(0)
      expect(left + textWidth(op.text, op.size)).toBeLessThanOrEqual(layout.width)
    }
    if (op.kind === 'image' || op.kind === 'rect') {
      expect(op.x).toBeGreaterThanOrEqual(0)
      expect(op.x + op.w).toBeLessThanOrEqual(layout.width)
      expect(op.y + op.h).toBeLessThanOrEqual(layout.height)
    }
  }
  const qr = layout.ops.find((op) => op.kind === 'image' && op.slot === 'qr')
  if (qr?.kind !== 'image') throw new Error('no QR on the poster')
  expect(qr.x + qr.w / 2).toBe(POSTER_WIDTH / 2)
  const card = layout.ops[1]
  if (card?.kind !== 'rect') throw new Error('no card background')
  expect(qr.y).toBeGreaterThan(card.y + card.h)
  // The background covers the whole poster.
  expect(layout.ops[0]).toMatchObject({ kind: 'rect', x: 0, y: 0, w: layout.width, h: layout.height })

  // With an avatar the initial is not drawn; more rows make a taller poster.
  const withAvatar = posterLayout(cardViewModel(face), { avatar: true })
  expect(withAvatar.ops.some((op) => op.kind === 'image' && op.slot === 'avatar')).toBe(true)
  expect(withAvatar.ops.some((op) => op.kind === 'circle')).toBe(false)
  const contact = previewFace(draft(), { id: ID, verified: true, audience: 'exchanged' })
  expect(posterLayout(cardViewModel(contact), { avatar: false }).height).toBeGreaterThan(posterLayout(cardViewModel(previewFace(draft({ intro: '' }), { id: ID, verified: true, audience: 'public' })), { avatar: false }).height)
})

test('drawing replays the layout on a 2D context; a missing image leaves its slot empty', () => {
  const calls: string[] = []
  const ctx: Poster2D = {
    fillStyle: '',
    font: '',
    textAlign: '',
    textBaseline: '',
    fillRect: (x, y, w, h) => calls.push(`rect ${x},${y},${w},${h}`),
    fillText: (text) => calls.push(`text ${text}`),
    beginPath: () => calls.push('begin'),
    arc: () => calls.push('arc'),
    fill: () => calls.push('fill'),
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    clip: () => calls.push('clip'),
    drawImage: (image) => calls.push(`image ${String(image)}`),
  }
  const layout = posterLayout(cardViewModel(previewFace(draft(), { id: ID, verified: false, audience: 'public' })), { avatar: true })
  drawPoster(ctx, layout, { qr: 'QR' })
  expect(calls).toContain('image QR')
  expect(calls.filter((c) => c.startsWith('image'))).toHaveLength(1)
  expect(calls).toContain('text 王小明')
  expect(calls).not.toContain('text 已实名')
  expect(ctx.font).toMatch(/px sans-serif$/)
  calls.length = 0
  drawPoster(ctx, layout, { qr: 'QR', avatar: 'AVATAR' })
  // The avatar is clipped to a circle.
  const at = calls.indexOf('image AVATAR')
  expect(calls.slice(at - 4, at + 2)).toEqual(['save', 'begin', 'arc', 'clip', 'image AVATAR', 'restore'])
})

test('every poster shows the stranger’s face: public fields only, no links, no「交换名片后可见」line', () => {
  // As cards.get answers (the cast keeps this literal valid while the contract gains fields).
  const own = {
    id: ID,
    isDefault: true,
    name: '王小明',
    title: '产品经理',
    company: '乐聊科技',
    phone: '13812345678',
    email: 'a@example.com',
    wechatId: 'wxm_2024',
    address: '北京市海淀区',
    intro: '简介',
    avatarUrl: 'cloud://env/cards/a.png',
    links: [{ label: '官网', url: 'https://example.com' }],
    visibility: { ...DEFAULT_VISIBILITY, email: 'public', intro: 'hidden' },
    verified: true,
    ownerVerified: true,
    moderation: { state: 'published', label: '已发布', reasons: [] },
    shownToOthers: true,
    hiddenReason: null,
    hiddenNotice: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  } as OwnCardView
  const face = posterFace(own)
  expect(face).toMatchObject({ name: '王小明', email: 'a@example.com', phone: null, wechatId: null, address: null, intro: null, links: [], exchangeOnly: [] })
  expect(face.avatarUrl).toBe('cloud://env/cards/a.png')
  const texts = posterLayout(cardViewModel(face), { avatar: false }).ops.flatMap((op) => (op.kind === 'text' ? [op.text] : []))
  expect(texts.join('\n')).toContain('a@example.com')
  for (const hidden of ['13812345678', 'wxm_2024', '北京市海淀区', '简介', '交换名片后可见']) expect(texts.join('\n')).not.toContain(hidden)
  // The avatar hidden from strangers is not drawn either.
  expect(posterFace({ ...own, visibility: { ...own.visibility, avatarUrl: 'exchanged' } }).avatarUrl).toBeNull()
})

test('a poster’s avatar: https as it is, cloud:// through a temporary link, nothing else; no link to be had is the initial', async () => {
  expect(await posterAvatarPath('https://img.example.com/a.png')).toBe('https://img.example.com/a.png')
  expect(await posterAvatarPath('')).toBe('')
  expect(await posterAvatarPath('wxfile://tmp/a.png')).toBe('')
  const wxTable = wx as unknown as Record<string, unknown>
  const originalCloud = wxTable.cloud
  const cloudTable: Record<string, unknown> = {}
  wxTable.cloud = cloudTable
  try {
    cloudTable.getTempFileURL = async (options: { fileList: string[] }) => ({ fileList: options.fileList.map((fileID) => ({ fileID, tempFileURL: 'https://tmp/a.png', status: 0 })) })
    expect(await posterAvatarPath('cloud://env/a.png')).toBe('https://tmp/a.png')
    cloudTable.getTempFileURL = async (options: { fileList: string[] }) => ({ fileList: options.fileList.map((fileID) => ({ fileID, tempFileURL: '', status: -1 })) })
    expect(await posterAvatarPath('cloud://env/a.png')).toBe('')
    cloudTable.getTempFileURL = async () => {
      throw { errMsg: 'cloud.getTempFileURL:fail' }
    }
    expect(await posterAvatarPath('cloud://env/a.png')).toBe('')
    Reflect.deleteProperty(cloudTable, 'getTempFileURL')
    expect(await posterAvatarPath('cloud://env/a.png')).toBe('')
    // No wx.cloud at all (development, the local transport).
    Reflect.deleteProperty(wxTable, 'cloud')
    expect(await posterAvatarPath('cloud://env/a.png')).toBe('')
  } finally {
    wxTable.cloud = originalCloud
  }
})

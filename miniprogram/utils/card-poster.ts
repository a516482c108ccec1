/**
 * A shareable poster of a card: the card's visible face and its QR code drawn
 * on a Canvas 2D (wx.createOffscreenCanvas), turned into an image
 * (wx.canvasToTempFilePath) and saved to the phone's album
 * (wx.saveImageToPhotosAlbum).
 *
 * The layout is pure (posterLayout: positions, wrapped lines, sizes) and the
 * drawing only replays it on a small 2D-context interface, so both are testable
 * without a canvas; the wx part checks every API first, since older WeChat
 * versions and the simulator lack some of them.
 */
import type { OwnCardView } from '../../shared/contract/cards'
import { cardViewModel, posterFace, type CardViewModel } from './cards'
import { writeUserFile } from './file-share'

export const POSTER_WIDTH = 750
const PADDING = 56
const AVATAR = 128
const QR_SIZE = 300
const CONTENT_WIDTH = POSTER_WIDTH - PADDING * 2

const COLORS = {
  background: '#f5f6f8',
  surface: '#ffffff',
  text: '#1f2329',
  muted: '#5c6370',
  primary: '#0b6b5d',
  onPrimary: '#ffffff',
  badge: '#e3f4f0',
}

export type PosterOp =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: string }
  | { kind: 'circle'; cx: number; cy: number; r: number; color: string }
  | { kind: 'text'; text: string; x: number; y: number; size: number; color: string; bold: boolean; align: 'left' | 'center' }
  | { kind: 'image'; slot: 'qr' | 'avatar'; x: number; y: number; w: number; h: number; round: boolean }

export interface PosterLayout {
  width: number
  height: number
  ops: PosterOp[]
}

/** Full-width characters (CJK, full-width punctuation) take a whole em; the rest a bit over half. */
function charWidth(ch: string, size: number): number {
  const code = ch.codePointAt(0) ?? 0
  return code > 0x2e7f ? size : size * 0.56
}

export function textWidth(text: string, size: number): number {
  let width = 0
  for (const ch of Array.from(text)) width += charWidth(ch, size)
  return width
}

/** Breaks `text` into lines no wider than `maxWidth`; the last allowed line ends with … when cut. */
export function wrapText(text: string, size: number, maxWidth: number, maxLines: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    let width = 0
    for (const ch of Array.from(paragraph)) {
      const w = charWidth(ch, size)
      if (width + w > maxWidth && line) {
        lines.push(line)
        line = ''
        width = 0
      }
      line += ch
      width += w
    }
    lines.push(line)
  }
  const kept = lines.filter((l, i) => l.length > 0 || i < lines.length - 1)
  if (kept.length <= maxLines) return kept
  const cut = kept.slice(0, maxLines)
  const last = cut[maxLines - 1] ?? ''
  let shortened = Array.from(last)
  while (shortened.length > 0 && textWidth(`${shortened.join('')}…`, size) > maxWidth) shortened = shortened.slice(0, -1)
  cut[maxLines - 1] = `${shortened.join('')}…`
  return cut
}

/**
 * Where everything goes. `avatar`: whether an avatar image will be drawn (else the
 * initial in a circle). Only what `card` holds is drawn: the face as its viewer sees it.
 */
export function posterLayout(card: CardViewModel, options: { avatar: boolean }): PosterLayout {
  const ops: PosterOp[] = []
  let y = PADDING
  const top = y
  // Header: avatar (or initial) and name.
  const avatarX = PADDING + 32
  const avatarY = y + 32
  if (options.avatar) {
    ops.push({ kind: 'image', slot: 'avatar', x: avatarX, y: avatarY, w: AVATAR, h: AVATAR, round: true })
  } else {
    ops.push({ kind: 'circle', cx: avatarX + AVATAR / 2, cy: avatarY + AVATAR / 2, r: AVATAR / 2, color: COLORS.primary })
    ops.push({ kind: 'text', text: card.initial, x: avatarX + AVATAR / 2, y: avatarY + AVATAR / 2 + 20, size: 56, color: COLORS.onPrimary, bold: true, align: 'center' })
  }
  const textX = avatarX + AVATAR + 32
  const textWidthMax = POSTER_WIDTH - PADDING - 32 - textX
  const [name = ''] = wrapText(card.name, 44, textWidthMax, 1)
  ops.push({ kind: 'text', text: name, x: textX, y: avatarY + 52, size: 44, color: COLORS.text, bold: true, align: 'left' })
  let headerBottom = avatarY + AVATAR
  let lineY = avatarY + 100
  if (card.verified) {
    ops.push({ kind: 'rect', x: textX, y: lineY - 28, w: 112, h: 40, color: COLORS.badge })
    ops.push({ kind: 'text', text: '已实名', x: textX + 56, y: lineY, size: 26, color: COLORS.primary, bold: false, align: 'center' })
    lineY += 52
  }
  for (const line of wrapText(card.headline, 28, textWidthMax, 2)) {
    ops.push({ kind: 'text', text: line, x: textX, y: lineY, size: 28, color: COLORS.muted, bold: false, align: 'left' })
    lineY += 40
  }
  headerBottom = Math.max(headerBottom, lineY - 28)
  y = headerBottom + 40

  // Contact rows and intro.
  const innerX = PADDING + 32
  const innerWidth = CONTENT_WIDTH - 64
  for (const row of card.rows) {
    const [value = ''] = wrapText(`${row.label}  ${row.value}`, 28, innerWidth, 1)
    ops.push({ kind: 'text', text: value, x: innerX, y: y + 28, size: 28, color: COLORS.text, bold: false, align: 'left' })
    y += 48
  }
  if (card.intro) {
    y += 8
    for (const line of wrapText(card.intro, 26, innerWidth, 3)) {
      ops.push({ kind: 'text', text: line, x: innerX, y: y + 26, size: 26, color: COLORS.muted, bold: false, align: 'left' })
      y += 40
    }
  }
  const cardBottom = y + 24
  // The white card goes under everything drawn so far.
  ops.unshift({ kind: 'rect', x: PADDING, y: top, w: CONTENT_WIDTH, h: cardBottom - top, color: COLORS.surface })
  ops.unshift({ kind: 'rect', x: 0, y: 0, w: POSTER_WIDTH, h: 0, color: COLORS.background })

  // QR code and caption.
  y = cardBottom + 48
  const qrX = (POSTER_WIDTH - QR_SIZE) / 2
  ops.push({ kind: 'rect', x: qrX - 16, y: y - 16, w: QR_SIZE + 32, h: QR_SIZE + 32, color: COLORS.surface })
  ops.push({ kind: 'image', slot: 'qr', x: qrX, y, w: QR_SIZE, h: QR_SIZE, round: false })
  y += QR_SIZE + 16 + 48
  ops.push({ kind: 'text', text: '微信扫码，查看我的名片', x: POSTER_WIDTH / 2, y, size: 28, color: COLORS.muted, bold: false, align: 'center' })
  y += 24
  ops.push({ kind: 'text', text: '乐聊名片 · 实名认证的名片', x: POSTER_WIDTH / 2, y: y + 28, size: 24, color: COLORS.muted, bold: false, align: 'center' })
  const height = y + 28 + PADDING
  const background = ops[0]
  if (background?.kind === 'rect') background.h = height
  return { width: POSTER_WIDTH, height, ops }
}

/** The part of CanvasRenderingContext2D the poster uses. */
export interface Poster2D {
  fillStyle: string
  font: string
  textAlign: string
  textBaseline: string
  fillRect(x: number, y: number, w: number, h: number): void
  fillText(text: string, x: number, y: number): void
  beginPath(): void
  arc(x: number, y: number, r: number, start: number, end: number): void
  fill(): void
  save(): void
  restore(): void
  clip(): void
  drawImage(image: unknown, x: number, y: number, w: number, h: number): void
}

export type PosterImages = Partial<Record<'qr' | 'avatar', unknown>>

/** Replays the layout; an image slot without an image is left empty. */
export function drawPoster(ctx: Poster2D, layout: PosterLayout, images: PosterImages): void {
  ctx.textBaseline = 'alphabetic'
  for (const op of layout.ops) {
    switch (op.kind) {
      case 'rect':
        ctx.fillStyle = op.color
        ctx.fillRect(op.x, op.y, op.w, op.h)
        break
      case 'circle':
        ctx.fillStyle = op.color
        ctx.beginPath()
        ctx.arc(op.cx, op.cy, op.r, 0, Math.PI * 2)
        ctx.fill()
        break
      case 'text':
        ctx.fillStyle = op.color
        ctx.font = `${op.bold ? 'bold ' : ''}${op.size}px sans-serif`
        ctx.textAlign = op.align
        ctx.fillText(op.text, op.x, op.y)
        break
      case 'image': {
        const image = images[op.slot]
        if (image === undefined) break
        if (op.round) {
          ctx.save()
          ctx.beginPath()
          ctx.arc(op.x + op.w / 2, op.y + op.h / 2, op.w / 2, 0, Math.PI * 2)
          ctx.clip()
          ctx.drawImage(image, op.x, op.y, op.w, op.h)
          ctx.restore()
        } else {
          ctx.drawImage(image, op.x, op.y, op.w, op.h)
        }
        break
      }
    }
  }
}

// ---- WeChat ------------------------------------------------------------------------------

export type PosterOutcome = 'saved' | 'unsupported' | 'denied' | 'cancelled' | 'failed'

export const POSTER_MESSAGES: Record<PosterOutcome, string> = {
  saved: '海报已保存到相册，可以发给朋友或发朋友圈',
  unsupported: '当前微信版本不支持生成海报，请升级微信后再试',
  denied: '没有保存到相册的权限：请在设置中允许「保存到相册」后再试',
  cancelled: '已取消保存',
  failed: '海报生成失败，请稍后重试',
}

/** Whether this WeChat has everything a poster needs. */
export function canMakePoster(): boolean {
  return (
    typeof wx.createOffscreenCanvas === 'function' &&
    typeof wx.canvasToTempFilePath === 'function' &&
    typeof wx.saveImageToPhotosAlbum === 'function' &&
    typeof wx.getFileSystemManager === 'function'
  )
}

/** Writes the QR image the backend sent (base64) into the mini-program's own storage; resolves with its path. */
export function writeQrFile(cardId: string, imageBase64: string, contentType: string): Promise<string> {
  const extension = contentType === 'image/jpeg' ? 'jpg' : 'png'
  return writeUserFile(`card-qr-${cardId}.${extension}`, imageBase64, 'base64')
}

interface LoadableImage {
  src: string
  onload: (() => void) | null
  onerror: (() => void) | null
}

function loadImage(canvas: WechatMiniprogram.OffscreenCanvas, src: string): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    const image = canvas.createImage() as unknown as LoadableImage
    image.onload = () => resolve(image)
    image.onerror = () => resolve(undefined)
    image.src = src
  })
}

function errMsgOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'errMsg' in error ? String(error.errMsg) : String(error)
}

/**
 * Draws the poster and saves it to the album. `qrPath`: the QR image file
 * (writeQrFile); `avatarPath`: an image the canvas can load (an https or local
 * file), or '' for the initial. Never rejects.
 */
export async function savePoster(card: CardViewModel, qrPath: string, avatarPath = ''): Promise<PosterOutcome> {
  if (!canMakePoster()) return 'unsupported'
  try {
    // Measure with an avatar first; fall back to the initial if it does not load.
    const probe = wx.createOffscreenCanvas({ type: '2d', width: POSTER_WIDTH, height: 100 })
    const avatar = avatarPath ? await loadImage(probe, avatarPath) : undefined
    const layout = posterLayout(card, { avatar: avatar !== undefined })
    const canvas = wx.createOffscreenCanvas({ type: '2d', width: layout.width, height: layout.height })
    const qr = await loadImage(canvas, qrPath)
    if (qr === undefined) return 'failed'
    const avatarImage = avatar !== undefined ? await loadImage(canvas, avatarPath) : undefined
    drawPoster(canvas.getContext('2d') as Poster2D, layout, { qr, ...(avatarImage !== undefined ? { avatar: avatarImage } : {}) })
    const { tempFilePath } = await wx.canvasToTempFilePath({ canvas, fileType: 'png', destWidth: layout.width, destHeight: layout.height })
    await wx.saveImageToPhotosAlbum({ filePath: tempFilePath })
    return 'saved'
  } catch (error) {
    const message = errMsgOf(error)
    if (/auth den|authorize|auth deny|permission/i.test(message)) return 'denied'
    if (/cancel/i.test(message)) return 'cancelled'
    return 'failed'
  }
}

/**
 * An avatar the canvas can load: an https image as it is; a cloud:// file
 * through wx.cloud.getTempFileURL (a temporary https link); '' (the initial is
 * drawn instead) for anything else, or when the link cannot be had. Never rejects.
 */
export async function posterAvatarPath(avatarUrl: string): Promise<string> {
  if (avatarUrl.startsWith('https://')) return avatarUrl
  if (!avatarUrl.startsWith('cloud://')) return ''
  const cloud: Partial<WxCloud> | undefined = typeof wx === 'object' ? wx.cloud : undefined
  if (!cloud || typeof cloud.getTempFileURL !== 'function') return ''
  try {
    const { fileList } = await cloud.getTempFileURL({ fileList: [avatarUrl] })
    const url = fileList.find((f) => f.fileID === avatarUrl)?.tempFileURL ?? ''
    return /^https?:\/\//.test(url) ? url : ''
  } catch {
    return ''
  }
}

/** Draws and saves the poster of one of my cards: posterFace (public fields only) and its QR image file. Never rejects. */
export async function saveCardPoster(card: OwnCardView, qrPath: string): Promise<PosterOutcome> {
  const model = cardViewModel(posterFace(card))
  return savePoster(model, qrPath, await posterAvatarPath(model.avatarUrl))
}

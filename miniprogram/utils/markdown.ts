/**
 * A tiny Markdown reader for our own legal texts (legal/templates/*.md): headings,
 * paragraphs, bullet and numbered lists, tables, quotes, rules and **bold**.
 * It produces plain data that a page renders with wx:for, so the text stays
 * selectable and screen readers read it in order. No HTML is ever produced:
 * whatever a body contains is shown as text.
 */

export interface Span {
  /** For wx:key. */
  key: string
  text: string
  /** Clauses the user agreement must bring to the user's attention are bold. */
  bold: boolean
}

export interface ListItem {
  key: string
  /** "•" for bullets, "1." for numbered items (the number the text gives). */
  marker: string
  /** 0 for top-level items, 1+ for items indented under another. */
  depth: number
  spans: Span[]
}

export interface TableRow {
  key: string
  cells: Array<{ key: string; header: string; spans: Span[] }>
}

export type Block =
  | { key: string; type: 'heading'; level: number; spans: Span[] }
  | { key: string; type: 'paragraph'; spans: Span[] }
  | { key: string; type: 'quote'; spans: Span[] }
  | { key: string; type: 'list'; ordered: boolean; items: ListItem[] }
  /** Shown row by row ("header：cell"), which reads better on a phone than a wide grid. */
  | { key: string; type: 'table'; headers: string[]; rows: TableRow[] }
  | { key: string; type: 'rule' }

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/
const BULLET = /^(\s*)[-*+]\s+(.*)$/
const NUMBERED = /^(\s*)(\d{1,4})[.)]\s+(.*)$/
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/
const QUOTE = /^\s{0,3}>\s?(.*)$/
const TABLE_ROW = /^\s*\|.*\|\s*$/
const TABLE_DIVIDER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/

/** Joins wrapped lines: no space between Chinese characters, one space between Latin words. */
function joinLines(lines: readonly string[]): string {
  let text = ''
  for (const raw of lines) {
    const line = raw.trim()
    if (!line) continue
    if (!text) text = line
    else text += CJK.test(text.slice(-1)) || CJK.test(line[0] ?? '') ? line : ` ${line}`
  }
  return text
}

/** Drops the markup we do not style: `code`, [text](url) → text (url kept for mailto/https so it can be copied), \escapes. */
function plain(text: string): string {
  return text
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) =>
      /^(https?:|mailto:)/.test(url) && label !== url.replace(/^mailto:/, '') ? `${label}（${url.replace(/^mailto:/, '')}）` : label,
    )
    .replace(/\\([\\`*_[\]{}()#+\-.!|>~])/g, '$1')
}

/** Splits on **bold** / __bold__; single *emphasis* is shown as plain text. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = []
  const push = (value: string, bold: boolean): void => {
    const cleaned = plain(value).replace(/(^|[^*])\*(?!\*)([^*]+)\*(?!\*)/g, '$1$2')
    if (!cleaned) return
    const last = spans[spans.length - 1]
    if (last && last.bold === bold) last.text += cleaned
    else spans.push({ key: `s${spans.length}`, text: cleaned, bold })
  }
  const pattern = /\*\*(.+?)\*\*|__(.+?)__/g
  let index = 0
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    push(text.slice(index, match.index), false)
    push(match[1] ?? match[2] ?? '', true)
    index = match.index + match[0].length
  }
  push(text.slice(index), false)
  return spans
}

function cellsOf(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  // A pipe written as \| stays inside its cell. (No look-behind: older iOS JavaScriptCore rejects it.)
  const cells: string[] = []
  let cell = ''
  for (let i = 0; i < trimmed.length; i += 1) {
    const ch = trimmed[i] ?? ''
    if (ch === '\\' && trimmed[i + 1] === '|') {
      cell += '|'
      i += 1
    } else if (ch === '|') {
      cells.push(cell.trim())
      cell = ''
    } else {
      cell += ch
    }
  }
  cells.push(cell.trim())
  return cells
}

function indentOf(spaces: string): number {
  return Math.min(3, Math.floor(spaces.replace(/\t/g, '  ').length / 2))
}

/** Parses a Markdown body into blocks, in order. */
export function renderMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  const key = (): string => `b${blocks.length}`
  let i = 0

  while (i < lines.length) {
    const line = lines[i] ?? ''
    if (!line.trim()) {
      i += 1
      continue
    }

    // Fenced code: kept as a paragraph of its text (our documents do not use it).
    if (/^\s*```/.test(line)) {
      const body: string[] = []
      i += 1
      while (i < lines.length && !/^\s*```/.test(lines[i] ?? '')) body.push(lines[i++] ?? '')
      i += 1
      if (body.some((l) => l.trim())) blocks.push({ key: key(), type: 'paragraph', spans: [{ key: 's0', text: body.join('\n'), bold: false }] })
      continue
    }

    const heading = HEADING.exec(line)
    if (heading) {
      blocks.push({ key: key(), type: 'heading', level: (heading[1] ?? '#').length, spans: parseInline(heading[2] ?? '') })
      i += 1
      continue
    }

    if (RULE.test(line)) {
      blocks.push({ key: key(), type: 'rule' })
      i += 1
      continue
    }

    if (TABLE_ROW.test(line) && TABLE_DIVIDER.test(lines[i + 1] ?? '')) {
      const headers = cellsOf(line).map((cell) => plain(cell).replace(/\*\*|__/g, ''))
      const rows: TableRow[] = []
      i += 2
      while (i < lines.length && TABLE_ROW.test(lines[i] ?? '')) {
        const cells = cellsOf(lines[i] ?? '')
        const rowKey = `r${rows.length}`
        rows.push({
          key: rowKey,
          cells: cells.map((cell, c) => ({ key: `${rowKey}c${c}`, header: headers[c] ?? '', spans: parseInline(cell) })),
        })
        i += 1
      }
      blocks.push({ key: key(), type: 'table', headers, rows })
      continue
    }

    if (QUOTE.test(line)) {
      const body: string[] = []
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) body.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '')
      blocks.push({ key: key(), type: 'quote', spans: parseInline(joinLines(body)) })
      continue
    }

    if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = !BULLET.test(line)
      const items: ListItem[] = []
      let current: { marker: string; depth: number; lines: string[] } | null = null
      const flush = (): void => {
        if (!current) return
        items.push({ key: `i${items.length}`, marker: current.marker, depth: current.depth, spans: parseInline(joinLines(current.lines)) })
        current = null
      }
      while (i < lines.length) {
        const next = lines[i] ?? ''
        if (!next.trim()) {
          // A blank line ends the list unless the next line continues it.
          const after = lines[i + 1] ?? ''
          if (BULLET.test(after) || NUMBERED.test(after) || (/^\s{2,}\S/.test(after) && current)) {
            i += 1
            continue
          }
          break
        }
        const bullet = BULLET.exec(next)
        const numbered = bullet ? null : NUMBERED.exec(next)
        if (bullet || numbered) {
          const depth = indentOf((bullet ?? numbered)?.[1] ?? '')
          // A top-level item of the other kind starts a new list.
          if (depth === 0 && (bullet ? ordered : !ordered) && items.length + (current ? 1 : 0) > 0) break
          flush()
          current = bullet
            ? { marker: '•', depth, lines: [bullet[2] ?? ''] }
            : { marker: `${numbered?.[2] ?? ''}.`, depth, lines: [numbered?.[3] ?? ''] }
          i += 1
          continue
        }
        if (HEADING.test(next) || RULE.test(next) || QUOTE.test(next) || TABLE_ROW.test(next) || !current) break
        // A wrapped line of the current item.
        current.lines.push(next)
        i += 1
      }
      flush()
      blocks.push({ key: key(), type: 'list', ordered, items })
      continue
    }

    const body: string[] = []
    while (i < lines.length) {
      const next = lines[i] ?? ''
      if (!next.trim() || HEADING.test(next) || RULE.test(next) || QUOTE.test(next) || BULLET.test(next) || NUMBERED.test(next)) break
      if (/^\s*```/.test(next) || (TABLE_ROW.test(next) && TABLE_DIVIDER.test(lines[i + 1] ?? ''))) break
      body.push(next)
      i += 1
    }
    blocks.push({ key: key(), type: 'paragraph', spans: parseInline(joinLines(body)) })
  }
  return blocks
}

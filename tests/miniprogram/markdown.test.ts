/** The Markdown block renderer behind the document reader (miniprogram/utils/markdown.ts). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseInline, renderMarkdown, type Block, type Span } from '../../miniprogram/utils/markdown'

/** Spans as text with **bold** marked again, to compare compactly. */
function marked(spans: readonly Span[]): string {
  return spans.map((s) => (s.bold ? `**${s.text}**` : s.text)).join('')
}

function summary(blocks: readonly Block[]): string[] {
  return blocks.map((b) => {
    switch (b.type) {
      case 'heading':
        return `h${b.level}:${marked(b.spans)}`
      case 'paragraph':
        return `p:${marked(b.spans)}`
      case 'quote':
        return `quote:${marked(b.spans)}`
      case 'list':
        return `${b.ordered ? 'ol' : 'ul'}:${b.items.map((i) => `${'>'.repeat(i.depth)}${i.marker}${marked(i.spans)}`).join('|')}`
      case 'table':
        return `table:${b.headers.join('/')}:${b.rows.map((r) => r.cells.map((c) => marked(c.spans)).join('/')).join('|')}`
      case 'rule':
        return 'hr'
    }
  })
}

test('headings, paragraphs, bullet and numbered lists come out as blocks in order', () => {
  const source = [
    '# 乐聊名片用户协议',
    '',
    '欢迎使用乐聊名片。本协议是你与运营方',
    '之间的约定。',
    '',
    '## 一、服务',
    '',
    '- **电子名片**：制作名片；',
    '- 交换与名片夹',
    '',
    '1. 登录方式：微信身份',
    '2. 如何同意：勾选',
    '   同意框默认不勾选。',
    '',
    '### 附则',
    'Plain English text',
    'wraps with a space.',
  ].join('\n')

  expect(summary(renderMarkdown(source))).toEqual([
    'h1:乐聊名片用户协议',
    // Wrapped Chinese lines join without a space.
    'p:欢迎使用乐聊名片。本协议是你与运营方之间的约定。',
    'h2:一、服务',
    'ul:•**电子名片**：制作名片；|•交换与名片夹',
    'ol:1.登录方式：微信身份|2.如何同意：勾选同意框默认不勾选。',
    'h3:附则',
    'p:Plain English text wraps with a space.',
  ])
})

test('bold passages stay marked inside a sentence; other markup becomes plain text', () => {
  expect(parseInline('注册前请阅读。**加粗的内容请特别留意。** 如有疑问请联系我们')).toEqual([
    { key: 's0', text: '注册前请阅读。', bold: false },
    { key: 's1', text: '加粗的内容请特别留意。', bold: true },
    { key: 's2', text: ' 如有疑问请联系我们', bold: false },
  ])
  expect(marked(parseInline('用 `code`、*强调*、__粗体__ 和 [链接](https://example.com/a) 写成'))).toBe(
    '用 code、强调、**粗体** 和 链接（https://example.com/a） 写成',
  )
  expect(marked(parseInline('发邮件到 [privacy@example.com](mailto:privacy@example.com)'))).toBe('发邮件到 privacy@example.com')
  expect(marked(parseInline('一个星号 \\* 不是强调'))).toBe('一个星号 * 不是强调')
})

test('a table becomes rows of header/value cells; a pipe written as \\| stays in its cell', () => {
  const source = ['| 功能 | 信息 | 目的 |', '| --- | :---: | --- |', '| 名片 | 姓名、**手机号** | 展示 |', '| 核验 | 身份证号 \\| 人脸 | 实名 |'].join('\n')
  const [table] = renderMarkdown(source)
  expect(summary(table ? [table] : [])).toEqual(['table:功能/信息/目的:名片/姓名、**手机号**/展示|核验/身份证号 | 人脸/实名'])
  if (table?.type !== 'table') throw new Error('expected a table')
  expect(table.rows[0]?.cells.map((c) => c.header)).toEqual(['功能', '信息', '目的'])
})

test('quotes, rules, nested items and a list kind change are kept apart', () => {
  const source = ['> 引用的', '> 一段话', '', '---', '', '- 外层', '  - 内层', '1. 换成编号'].join('\n')
  expect(summary(renderMarkdown(source))).toEqual(['quote:引用的一段话', 'hr', 'ul:•外层|>•内层', 'ol:1.换成编号'])
})

test('nothing in a body becomes markup: angle brackets and braces are just text', () => {
  const blocks = renderMarkdown('<script>alert(1)</script> {{operatorName}}')
  expect(summary(blocks)).toEqual(['p:<script>alert(1)</script> {{operatorName}}'])
})

test('every real template renders without losing a line of text', () => {
  const dir = join(__dirname, '..', '..', 'legal', 'templates')
  for (const name of ['user-agreement', 'privacy-policy', 'children-rules', 'minor-notice']) {
    let text: string
    try {
      text = readFileSync(join(dir, `${name}.md`), 'utf8')
    } catch {
      continue // being written in parallel
    }
    const blocks = renderMarkdown(text)
    expect(blocks[0]?.type).toBe('heading')
    const rendered = JSON.stringify(blocks)
    // Spot check: the text of every heading survives.
    for (const line of text.split('\n').filter((l) => /^#{1,6}\s/.test(l))) {
      const title = line.replace(/^#+\s+/, '').replace(/\*\*/g, '').trim()
      expect(rendered).toContain(JSON.stringify(title).slice(1, -1))
    }
    // No raw table dividers or list markers leak into text.
    expect(rendered).not.toMatch(/\| ?---/)
    expect(rendered).not.toMatch(/"text":"- /)
  }
})

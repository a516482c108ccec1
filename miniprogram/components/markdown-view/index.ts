/**
 * Shows a legal document's Markdown body as headings, paragraphs, lists and
 * tables (see utils/markdown.ts). Text stays selectable so users can copy a clause.
 */
import { renderMarkdown, type Block } from '../../utils/markdown'

Component({
  options: {
    styleIsolation: 'apply-shared',
  },
  properties: {
    source: { type: String, value: '' },
  },
  data: {
    blocks: [] as Block[],
  },
  observers: {
    source(source: string) {
      this.setData({ blocks: renderMarkdown(source) })
    },
  },
})

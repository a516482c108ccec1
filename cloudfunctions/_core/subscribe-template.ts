/**
 * Subscribe-message templates: each template the operator picks in the
 * mini-program console has its own keywords (`thing1`, `time4`, `phrase2` …),
 * so which of a message's fields fills which keyword is configuration:
 *   LECHAT_SUBSCRIBE_FIELDS_<TYPE>=title=thing1,body=thing2,time=time3
 * WeChat refuses a value that breaks its keyword kind's rules, so each value is
 * fitted to its kind here.
 */
import { beijingDate, beijingDateTime } from './clock'

/** What an inbox message offers a template. */
export const MESSAGE_FIELDS = ['title', 'body', 'time'] as const
export type MessageField = (typeof MESSAGE_FIELDS)[number]

/** Keyword kinds we fill, with WeChat's length limit for text kinds. */
const TEXT_KINDS: Readonly<Record<string, number>> = { thing: 20, name: 10, phrase: 5, character_string: 32 }
const TIME_KINDS = new Set(['time', 'date'])

export type FieldMap = Partial<Record<MessageField, string>>

export interface SubscribeTemplate {
  id: string
  fields: FieldMap
}

function kindOf(keyword: string): string {
  return keyword.replace(/\d+$/, '')
}

/** Parses `title=thing1,body=thing2,time=time3`; throws a message naming what is wrong. */
export function parseFieldMap(raw: string): FieldMap {
  const map: FieldMap = {}
  const used = new Set<string>()
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field, keyword, extra] = part.split('=').map((p) => p.trim())
    if (extra !== undefined || !field || !keyword) throw new Error(`"${part}" is not field=keyword`)
    if (!(MESSAGE_FIELDS as readonly string[]).includes(field)) throw new Error(`unknown field "${field}" (use ${MESSAGE_FIELDS.join(', ')})`)
    if (!/^[a-z_]+\d+$/.test(keyword)) throw new Error(`"${keyword}" is not a template keyword such as thing1`)
    const kind = kindOf(keyword)
    const isTime = field === 'time'
    if (isTime ? !TIME_KINDS.has(kind) : TEXT_KINDS[kind] === undefined) {
      throw new Error(`${field} cannot fill ${keyword}: use ${isTime ? 'a time or date keyword' : `a ${Object.keys(TEXT_KINDS).join('/')} keyword`}`)
    }
    if (map[field as MessageField] !== undefined) throw new Error(`${field} is mapped twice`)
    if (used.has(keyword)) throw new Error(`${keyword} is filled twice`)
    used.add(keyword)
    map[field as MessageField] = keyword
  }
  if (used.size === 0) throw new Error('map at least one field, e.g. title=thing1')
  return map
}

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`
}

/** The `data` of a subscribe message: each mapped field fitted to its keyword's kind. */
export function templateData(fields: FieldMap, message: { title: string; body: string; createdAt: Date }): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {}
  for (const field of MESSAGE_FIELDS) {
    const keyword = fields[field]
    if (keyword === undefined) continue
    const kind = kindOf(keyword)
    const value =
      field === 'time' ? (kind === 'date' ? beijingDate(message.createdAt) : beijingDateTime(message.createdAt)) : clip(message[field], TEXT_KINDS[kind] ?? 20)
    data[keyword] = { value }
  }
  return data
}

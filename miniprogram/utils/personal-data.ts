/**
 * Pure helpers for 我的数据 (packageAccount/pages/data): the export's file name,
 * its records as lines a person can read, and the words for correction requests.
 * No wx, no zod: only types from the contract and constants from shared/.
 */
import { CORRECTION_FIELDS, CORRECTION_FIELD_LABELS, type CorrectionField, type CorrectionStatus } from '../../shared/account'
import { formatDateTime } from './format'

/** One line of a record: what it is, and its value in words. */
export interface RecordLine {
  label: string
  value: string
}

/** Field names of the export (see cloudfunctions/_core/export.ts) in words; others show as they are in the file. */
export const EXPORT_FIELD_LABELS: Readonly<Record<string, string>> = {
  _id: '编号',
  id: '编号',
  accountId: '账号编号',
  recordId: '记录编号',
  receiptId: '回执编号',
  receiptVersion: '回执格式',
  nickname: '昵称',
  avatarUrl: '头像',
  roles: '身份',
  state: '状态',
  stateLabel: '状态说明',
  stateReason: '状态原因',
  stateUntil: '状态结束时间',
  stateAfter: '之后的状态',
  bans: '功能限制',
  feature: '功能',
  label: '说明',
  until: '截止时间',
  reason: '理由',
  birthDate: '出生日期',
  birthDateSource: '出生日期来源',
  verified: '已实名认证',
  verifiedAt: '实名认证时间',
  createdAt: '创建时间',
  updatedAt: '更新时间',
  lastActiveAt: '最近使用时间',
  lastLoginAt: '最近登录时间',
  deletionRequestedAt: '申请注销时间',
  deletionDueAt: '注销生效时间',
  seq: '序号',
  purpose: '用途',
  purposeTitle: '用途名称',
  legalBasis: '处理依据',
  categories: '涉及的信息',
  sensitive: '敏感个人信息',
  action: '操作',
  actionLabel: '操作说明',
  method: '方式',
  docId: '文件',
  notice: '告知文件',
  title: '标题',
  version: '版本',
  hash: '摘要',
  prevHash: '上一条记录摘要',
  recordHash: '记录摘要',
  at: '时间',
  issuedAt: '生成时间',
  guardian: '监护人',
  relation: '关系',
  maskedName: '姓名（打码）',
  jurisdiction: '司法辖区',
  legalFramework: '适用法律',
  controller: '个人信息处理者',
  name: '名称',
  contact: '联系方式',
  subject: '本人标识',
  reference: '标识',
  records: '记录',
  type: '类型',
  body: '内容',
  link: '链接',
  read: '已读',
  readAt: '阅读时间',
  credits: '剩余次数',
  provider: '核验服务',
  result: '结果',
  expiresAt: '过期时间',
  usedAt: '使用时间',
  status: '状态',
  role: '角色',
  roleLabel: '角色名称',
  transition: '变更',
  from: '变更前',
  to: '变更后',
  actor: '操作方',
  field: '更正项目',
  note: '说明',
  resolvedAt: '处理时间',
  resolution: '处理说明',
}

/** Codes the export keeps as codes, in words where the field is known (the code itself stays in the file). */
const VALUE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  field: CORRECTION_FIELD_LABELS,
  birthDateSource: { declared: '本人填写', verified: '实名认证' },
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

function labelOf(key: string): string {
  return EXPORT_FIELD_LABELS[key] ?? key
}

function joinLabel(prefix: string, label: string): string {
  return prefix ? `${prefix} · ${label}` : label
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A single value in words: times in Beijing time, yes/no, 无 for nothing. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '无'
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return ISO_DATE_TIME.test(value) ? `${formatDateTime(value)}（北京时间）` : value
  return JSON.stringify(value)
}

function pushLines(lines: RecordLine[], label: string, value: unknown, key = ''): void {
  const words = typeof value === 'string' ? VALUE_LABELS[key]?.[value] : undefined
  if (words !== undefined) {
    lines.push({ label, value: words })
    return
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push({ label, value: '无' })
    } else if (value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
      lines.push({ label, value: value.map(valueText).join('、') })
    } else {
      value.forEach((item, index) => pushLines(lines, `${label} 第${index + 1}项`, item))
    }
    return
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) lines.push({ label, value: '无' })
    for (const [inner, innerValue] of entries) pushLines(lines, joinLabel(label, labelOf(inner)), innerValue, inner)
    return
  }
  lines.push({ label, value: valueText(value) })
}

/** A record of the export as label/value lines; nested objects and lists are spelled out (账号资料 · 功能限制 第1项 · 功能). */
export function recordLines(record: Readonly<Record<string, unknown>>): RecordLine[] {
  const lines: RecordLine[] = []
  for (const [key, value] of Object.entries(record)) pushLines(lines, labelOf(key), value, key)
  return lines
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** lechat-export-YYYYMMDD.json, dated in Beijing time; today when the time cannot be read. */
export function exportFileName(exportedAt: string, fallback: Date = new Date()): string {
  const parsed = Date.parse(exportedAt)
  const d = new Date((Number.isNaN(parsed) ? fallback.getTime() : parsed) + 8 * 3600 * 1000)
  return `lechat-export-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}.json`
}

export const CORRECTION_STATUS_LABELS: Record<CorrectionStatus, string> = {
  open: '处理中',
  accepted: '已同意更正',
  rejected: '未予更正',
}

/** app.wxss badge modifiers per status. */
export const CORRECTION_STATUS_BADGES: Record<CorrectionStatus, string> = {
  open: 'badge--notice',
  accepted: 'badge--ok',
  rejected: 'badge--error',
}

/** The picker's entries, in the order of CORRECTION_FIELDS. */
export const CORRECTION_FIELD_OPTIONS: string[] = CORRECTION_FIELDS.map((field) => CORRECTION_FIELD_LABELS[field])

export function correctionFieldAt(index: number): CorrectionField | null {
  return CORRECTION_FIELDS[index] ?? null
}

export const CORRECTION_NOTE_MIN = 5
export const CORRECTION_NOTE_MAX = 300

/** What the server counts: the note without surrounding spaces, in UTF-16 units. */
export function noteLength(note: string): number {
  return note.trim().length
}

/** The problem with a note before sending it, or '' when it can be sent. */
export function correctionNoteProblem(note: string): string {
  const length = noteLength(note)
  if (length < CORRECTION_NOTE_MIN) return `请写清楚哪里有误、正确的应是什么（至少${CORRECTION_NOTE_MIN}个字）`
  if (length > CORRECTION_NOTE_MAX) return `说明不能超过${CORRECTION_NOTE_MAX}个字`
  return ''
}

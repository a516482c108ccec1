/**
 * What the platform itself sends a function, apart from mini-program calls:
 * timer triggers and message pushes. Both run without a caller, so they are
 * accepted only in the exact shape the platform sends and only when the
 * WeChat context names no user (entry.ts decides the caller; dispatch.ts
 * refuses either kind of event from anyone who has one).
 *
 * Timer trigger (SOURCE wx_trigger, no OPENID):
 *   { Type: 'Timer', TriggerName, Time: '2026-12-07T10:00:00Z', Message?: '' }
 * Message push, e.g. wxa_media_check (OPENID is the push's sender, FromUserName):
 *   { ToUserName: 'gh_…', FromUserName, CreateTime: <seconds>, MsgType: 'event', Event, …event fields }
 */

export interface TimerEvent {
  Type: 'Timer'
  TriggerName: string
  Time: string
  Message?: string
}

export interface PushEvent {
  ToUserName: string
  FromUserName: string
  CreateTime: number
  MsgType: 'event'
  Event: string
}

type Loose = Record<string, unknown>

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Claims to be a timer trigger (whether or not it is well-formed). */
export function looksLikeTimer(event: unknown): boolean {
  return isRecord(event) && event.Type === 'Timer'
}

/** Claims to be a message push: an event, never an action envelope. */
export function looksLikePush(event: unknown): boolean {
  return isRecord(event) && event.MsgType === 'event' && event.action === undefined
}

const TIMER_KEYS = new Set(['Type', 'TriggerName', 'Time', 'Message'])

/** The trigger exactly as the platform sends it, or null: no other keys, a trigger name and an ISO time. */
export function timerEvent(event: unknown): TimerEvent | null {
  if (!isRecord(event) || event.Type !== 'Timer') return null
  if (Object.keys(event).some((key) => !TIMER_KEYS.has(key))) return null
  const { TriggerName: name, Time: time, Message: message } = event
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(name)) return null
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return null
  if (message !== undefined && typeof message !== 'string') return null
  return { Type: 'Timer', TriggerName: name, Time: time, ...(message === undefined ? {} : { Message: message }) }
}

/** The envelope every message push carries, or null; the event's own fields are checked by its route. */
export function pushEvent(event: unknown): PushEvent | null {
  if (!looksLikePush(event) || !isRecord(event)) return null
  const { ToUserName: to, FromUserName: from, CreateTime: at, Event: name } = event
  if (typeof to !== 'string' || to === '' || typeof from !== 'string' || from === '') return null
  if (typeof at !== 'number' || !Number.isInteger(at) || at <= 0) return null
  if (typeof name !== 'string' || name === '') return null
  return { ToUserName: to, FromUserName: from, CreateTime: at, MsgType: 'event', Event: name }
}

/**
 * CloudBase's HTTP access service calls a function with the request as its
 * event (`path`, `httpMethod`, `headers`, `queryStringParameters`, `body`,
 * `isBase64Encoded`) and answers the browser with what it returns
 * (`{statusCode, headers, body}`). Functions that serve HTTP read it here once.
 */
export interface HttpRequest {
  method: string
  path: string
  /** Lower-cased names. */
  headers: Record<string, string>
  query: Record<string, string>
  body: string
}

export interface HttpResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded?: boolean
}

export function looksLikeHttp(event: unknown): boolean {
  const record = event as Record<string, unknown> | null
  return typeof record === 'object' && record !== null && typeof record.httpMethod === 'string' && typeof record.path === 'string'
}

function stringRecord(value: unknown, lower: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof value !== 'object' || value === null) return out
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (typeof inner === 'string') out[lower ? key.toLowerCase() : key] = inner
    else if (Array.isArray(inner) && typeof inner[0] === 'string') out[lower ? key.toLowerCase() : key] = inner[0]
  }
  return out
}

/** The request, or null when the event is not one. */
export function httpRequestOf(event: unknown): HttpRequest | null {
  if (!looksLikeHttp(event)) return null
  const record = event as Record<string, unknown>
  const raw = typeof record.body === 'string' ? record.body : ''
  const body = record.isBase64Encoded === true ? Buffer.from(raw, 'base64').toString('utf8') : raw
  return {
    method: String(record.httpMethod).toUpperCase(),
    path: String(record.path),
    headers: stringRecord(record.headers, true),
    query: stringRecord(record.queryStringParameters, false),
    body,
  }
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers }, body: JSON.stringify(body) }
}

export function htmlResponse(statusCode: number, html: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...NO_STORE,
      // Our pages run only their own inline script, and no other site may frame them.
      'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      ...headers,
    },
    body: html,
  }
}

export function redirectResponse(location: string): HttpResponse {
  return { statusCode: 303, headers: { location, ...NO_STORE }, body: '' }
}

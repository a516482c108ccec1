import type { IncomingMessage, ServerResponse } from 'node:http'

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

// An uploaded image travels base64-encoded in the call (shared/uploads.ts: up to 2 MB of bytes).
const BODY_LIMIT = 4 * 1024 * 1024

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > BODY_LIMIT) throw new HttpError(413, 'request body too large')
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req)
  if (!text) return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'request body is not JSON')
  }
}

/** A JSON object body, or a 400: routes read fields from it without further checks. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJson(req)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request body must be a JSON object')
  return body as Record<string, unknown>
}

/** Text for HTML: the five characters that could open markup or leave an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) })
  res.end(html)
}

/** Wraps a route so that a thrown HttpError becomes its status and anything else a 500 with the message. */
export function guarded(route: Route): Route {
  return async (req, res) => {
    try {
      await route(req, res)
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500
      if (!res.headersSent) sendJson(res, status, { error: error instanceof Error ? error.message : String(error) })
    }
  }
}

/**
 * WeChat open APIs used by the product, behind one port so that handlers never
 * call `cloud.openapi` directly: production uses cloud calls (listed under
 * `permissions.openapi` in each function's config.json), local and tests use the sandbox.
 */

/** msgSecCheck v2 verdicts: `review` means a person must look at it. */
export type TextVerdict = 'pass' | 'review' | 'risky'

export interface TextCheckResult {
  suggest: TextVerdict
  /** WeChat's numeric label: 100 normal, 10001 ad, 20001 politics, 20002 porn … */
  label: number
}

export interface SubscribeMessage {
  touser: string
  templateId: string
  page?: string
  data: Record<string, { value: string }>
}

export interface OpenApi {
  readonly provider: 'wechat' | 'sandbox'
  msgSecCheck(input: { openid: string; scene: 1 | 2 | 3 | 4; content: string }): Promise<TextCheckResult>
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>
}

/** Trigger words of the sandbox text check, documented in the README for testers. */
export const SANDBOX_TEXT_TRIGGERS: ReadonlyArray<{ word: string; suggest: TextVerdict; label: number }> = [
  { word: '沙箱违规', suggest: 'risky', label: 20006 },
  { word: '沙箱广告', suggest: 'risky', label: 10001 },
  { word: '沙箱待审', suggest: 'review', label: 21000 },
]

export function sandboxOpenApi(): OpenApi & { readonly sent: SubscribeMessage[] } {
  const sent: SubscribeMessage[] = []
  return {
    provider: 'sandbox',
    sent,
    async msgSecCheck({ content }) {
      const hit = SANDBOX_TEXT_TRIGGERS.find((t) => content.includes(t.word))
      return hit ? { suggest: hit.suggest, label: hit.label } : { suggest: 'pass', label: 100 }
    },
    async sendSubscribeMessage(message) {
      sent.push(message)
    },
  }
}

interface WechatOpenApiClient {
  security: { msgSecCheck(input: Record<string, unknown>): Promise<unknown> }
  subscribeMessage: { send(input: Record<string, unknown>): Promise<unknown> }
}

export function wechatOpenApi(client: WechatOpenApiClient): OpenApi {
  return {
    provider: 'wechat',
    async msgSecCheck({ openid, scene, content }) {
      const reply = (await client.security.msgSecCheck({ version: 2, openid, scene, content })) as {
        result?: { suggest?: unknown; label?: unknown }
      }
      const suggest = reply.result?.suggest
      const label = typeof reply.result?.label === 'number' ? reply.result.label : 21000
      // An answer we do not understand goes to people, never straight to publication.
      if (suggest === 'pass' || suggest === 'risky' || suggest === 'review') return { suggest, label }
      return { suggest: 'review', label }
    },
    async sendSubscribeMessage(message) {
      await client.subscribeMessage.send({ ...message, miniprogramState: 'formal' })
    },
  }
}

/**
 * The open APIs of the local cloud and the tests: text and image checks
 * decided by trigger words, subscribe messages and image submissions kept
 * for inspection, a storage of its own, and mini-program codes drawn as
 * plain QR codes. Only the local cloud, the tests and the scripts import
 * this file, so no deployed function carries it (or the QR drawer).
 */
import { SANDBOX_FILE_URL_PREFIX, SANDBOX_IMAGE_TRIGGERS, SANDBOX_TEXT_TRIGGERS, type MediaCheckRequest, type OpenApi, type SubscribeMessage } from './openapi'
import { sandboxWxacode } from './sandbox-wxacode'
import { sandboxStorage, type SandboxStorage } from './storage'

export interface SandboxMediaSubmission extends MediaCheckRequest {
  traceId: string
}

export interface SandboxOpenApi extends OpenApi {
  readonly provider: 'sandbox'
  readonly sent: SubscribeMessage[]
  /** Images submitted for checking, in order (verdicts are delivered by the moderation function's sweep). */
  readonly media: SandboxMediaSubmission[]
  /** The sandbox's cloud storage (storage.ts `storageFor` uses it while the open APIs are the sandbox's). */
  readonly storage: SandboxStorage
}

export function sandboxOpenApi(): SandboxOpenApi {
  const sent: SubscribeMessage[] = []
  const media: SandboxMediaSubmission[] = []
  let serial = 0
  return {
    provider: 'sandbox',
    sent,
    media,
    storage: sandboxStorage((bytes) => SANDBOX_IMAGE_TRIGGERS.find((t) => bytes.toString('utf8').includes(t.word))?.word ?? null),
    async msgSecCheck({ content }) {
      const hit = SANDBOX_TEXT_TRIGGERS.find((t) => content.includes(t.word))
      return hit ? { suggest: hit.suggest, label: hit.label } : { suggest: 'pass', label: 100 }
    },
    async mediaCheckAsync(input) {
      serial += 1
      // Unique across restarts of a local cloud that keeps its data: time plus a counter.
      const traceId = `sandbox-${Date.now().toString(36)}-${serial.toString(36)}`
      media.push({ ...input, traceId })
      return { traceId }
    },
    async tempFileUrl(fileId) {
      return `${SANDBOX_FILE_URL_PREFIX}${encodeURIComponent(fileId)}`
    },
    async sendSubscribeMessage(message) {
      sent.push(message)
    },
    wxacode: sandboxWxacode(),
  }
}

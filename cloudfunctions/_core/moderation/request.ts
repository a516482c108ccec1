/** What a domain asks the moderation gate to decide (gate.ts `moderate`): types only, so domains can name them without importing the gate. */
import type { MessageKind, PublishedKind } from '../../../shared/content'

interface RequestBase {
  /** The content's document id (domains choose it before the first write); for a message, what it was sent with. */
  targetId: string
  /**
   * Public free text by field name. Structured fields (phone, e-mail, WeChat id)
   * are validated by their format instead: a phone number in the phone field is
   * the point of a business card, not a leak.
   */
  texts: Record<string, string>
}

export type ModerationRequest =
  | (RequestBase & {
      kind: PublishedKind
      /** cloud:// file ids (or https image URLs, which are always checked afresh) shown publicly. */
      images?: readonly string[]
      /** The take-down this content had was overturned on appeal: the checks alone decide now. */
      afterAppeal?: boolean
    })
  /** A message is text only, and is never held. */
  | (RequestBase & { kind: MessageKind; images?: never; afterAppeal?: never })

/** A request about something published (not a message). */
export type PublishedRequest = Extract<ModerationRequest, { kind: PublishedKind }>

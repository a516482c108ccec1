/**
 * Document ids that sort in the order the documents were made. CloudBase's own
 * ids are random, so two records stamped with the same millisecond (a fast
 * client, a test clock that stands still) would come back in any order; an
 * ordered id is the stable tie-breaker of every "by time, then by id" order.
 *
 * `<ms, base 36, 9 chars><sequence of this instance, base 36, 4 chars><random, 8 hex>`:
 * time first, then the order this instance made them in, then randomness so
 * that two instances never collide.
 */
import { randomBytes } from 'node:crypto'

const SEQUENCE_SPAN = 36 ** 4
let sequence = 0

export function orderedId(at: Date): string {
  sequence = (sequence + 1) % SEQUENCE_SPAN
  const time = Math.max(0, at.getTime()).toString(36).padStart(9, '0')
  return `${time}${sequence.toString(36).padStart(4, '0')}${randomBytes(4).toString('hex')}`
}

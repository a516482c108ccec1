/** The verify page's consent rows: the three separate consents real-name verification rests on, as the page lists them. */
import { PURPOSES, PURPOSE_STATE_LABELS, type PurposeId } from '../../../../shared/consent'
import type { ConsentStatus } from '../../../../shared/contract/consent'
import type { VersionMeta } from '../../../../shared/contract/legal'
import { ApiCallError } from '../../../api'

/** The separate consents real-name verification needs, in the order the page lists them. */
export const VERIFY_PURPOSES: readonly PurposeId[] = ['idNumber', 'face', 'partnerSharing']

export interface ConsentRow {
  purpose: PurposeId
  title: string
  categories: string
  granted: boolean
  stateLabel: string
  docId: string
  docTitle: string
  docVersion: string
  docHash: string
}

export type Notices = Partial<Record<string, VersionMeta>>

export function noticesOf(documents: ReadonlyArray<{ docId: string; current: VersionMeta | null }>): Notices {
  const notices: Notices = {}
  for (const d of documents) if (d.current) notices[d.docId] = d.current
  return notices
}

export type Decision = Pick<ConsentStatus['purposes'][number], 'purpose' | 'state' | 'outdated'>

/** The three consents as the page shows them; `missing` overrides the decisions (a refusal knows better). */
export function consentRowsOf(decisions: readonly Decision[], notices: Notices, missing: readonly PurposeId[] = []): ConsentRow[] {
  return VERIFY_PURPOSES.map((purpose) => {
    const info = PURPOSES[purpose]
    const decision = decisions.find((p) => p.purpose === purpose)
    const granted = decision !== undefined && decision.state === 'granted' && !decision.outdated && !missing.includes(purpose)
    const notice = notices[info.document]
    let stateLabel = PURPOSE_STATE_LABELS.none
    if (granted) stateLabel = PURPOSE_STATE_LABELS.granted
    else if (decision?.state === 'granted' && decision.outdated) stateLabel = '说明已更新，需重新同意'
    else if (decision && decision.state !== 'granted') stateLabel = PURPOSE_STATE_LABELS[decision.state]
    return {
      purpose,
      title: info.title,
      categories: info.categories.join('、'),
      granted,
      stateLabel,
      docId: info.document,
      docTitle: notice?.title ?? '',
      docVersion: notice?.version ?? '',
      docHash: notice?.hash ?? '',
    }
  })
}

export function missingOf(rows: readonly ConsentRow[]): ConsentRow[] {
  return rows.filter((row) => !row.granted)
}

/** The purposes a CONSENT_REQUIRED refusal names as issues `consents.<purpose>`. */
export function missingPurposesOf(error: unknown): PurposeId[] {
  if (!(error instanceof ApiCallError)) return []
  const named = error.issues.map((issue) => issue.path.replace(/^consents\./, ''))
  return VERIFY_PURPOSES.filter((purpose) => named.includes(purpose))
}

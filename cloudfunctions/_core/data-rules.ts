/**
 * What each domain declares about the personal data it keeps: how it is
 * erased when an account is deleted, where it names uploaded files, and how
 * it goes into the person's export. The domains declare these next to their
 * records; erasure.ts and export.ts gather them. Only types here, and nothing
 * of the domains, so the registries import no circle.
 */
import type { ExportDocument } from '../../shared/contract/account'
import type { AccountDoc } from './accounts'
import type { Context } from './context'

export type Treatment = 'delete' | 'anonymize' | 'pseudonymize' | 'keep' | 'none'

export interface ErasureSubject {
  openid: string
  accountId: string
  /** `erased:<subjectRef>:<accountId>`: what stays in place of the openid. */
  pseudonym: string
}

export interface ErasureRule {
  collection: string
  /** What the data is, for the person's deletion preview. */
  title: string
  treatment: Treatment
  /** What exactly happens; for what is kept, why. */
  detail: string
  /** How many of the person's documents the rule concerns now. */
  count(ctx: Context, subject: ErasureSubject): Promise<number>
  erase(ctx: Context, subject: ErasureSubject): Promise<void>
}

/** Where a person's documents name files they uploaded: fields of `collection` on documents whose `owner` field is their openid. */
export interface FileReference {
  collection: string
  owner: string
  /** Fields holding a `cloud://` file id (or an https URL, which is not ours to delete) or null. */
  fields: readonly string[]
}

export type ExportSection = ExportDocument['sections'][number]

export type ExportRule =
  | { collection: string; excluded: string }
  | { collection: string; sections(ctx: Context, account: AccountDoc): Promise<ExportSection[]> }

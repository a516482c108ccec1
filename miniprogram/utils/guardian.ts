/**
 * The guardian's details for a child under 14 (PIPL Art. 31), as the guardian
 * types them: checked here for what can be fixed at once, then again on the
 * server, which keeps only a keyed reference to the ID number.
 */
import { GUARDIAN_RELATIONS, GUARDIAN_RELATION_LABELS, type GuardianRelation } from '../../shared/consent'
import { beijingDate } from '../../shared/rules/age'
import { ID_NUMBER_PROBLEMS, idNumberProblem, normalizeIdNumber } from '../../shared/rules/id-number'

export const RELATION_LABELS: string[] = GUARDIAN_RELATIONS.map((r) => GUARDIAN_RELATION_LABELS[r])

export interface GuardianDraft {
  /** Index into GUARDIAN_RELATIONS; -1 until picked. */
  relationIndex: number
  name: string
  idNumber: string
}

export interface GuardianErrors {
  relation: string
  guardianName: string
  guardianIdNumber: string
}

export const NO_GUARDIAN_ERRORS: GuardianErrors = { relation: '', guardianName: '', guardianIdNumber: '' }

export function guardianErrors(draft: GuardianDraft, now: Date = new Date()): GuardianErrors {
  const errors: GuardianErrors = { ...NO_GUARDIAN_ERRORS }
  if (draft.relationIndex < 0 || draft.relationIndex >= GUARDIAN_RELATIONS.length) errors.relation = '请选择你与孩子的关系'
  if (Array.from(draft.name.trim()).length < 2) errors.guardianName = '请填写监护人姓名'
  const idNumber = normalizeIdNumber(draft.idNumber)
  if (!idNumber) errors.guardianIdNumber = '请填写监护人的身份证号'
  else {
    const problem = idNumberProblem(idNumber, beijingDate(now))
    if (problem) errors.guardianIdNumber = ID_NUMBER_PROBLEMS[problem]
  }
  return errors
}

export function guardianInput(draft: GuardianDraft): { relation: GuardianRelation; name: string; idNumber: string } {
  return {
    relation: GUARDIAN_RELATIONS[draft.relationIndex] ?? 'otherGuardian',
    name: draft.name.trim(),
    idNumber: normalizeIdNumber(draft.idNumber),
  }
}

/** Server issue paths of the guardian object → the field they belong to. */
export const GUARDIAN_FIELD_OF_PATH: Record<string, keyof GuardianErrors> = {
  'guardian.relation': 'relation',
  'guardian.name': 'guardianName',
  'guardian.idNumber': 'guardianIdNumber',
  guardian: 'guardianName',
}

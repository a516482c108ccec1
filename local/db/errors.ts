/**
 * Errors carry CloudBase's own string codes: the SDK turns `{code, message}`
 * replies into `errCode` numbers (DATABASE_COLLECTION_NOT_EXIST → -502005 …),
 * so callers see locally what they would see in the cloud.
 */
export type DbErrorCode =
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR' // sic: CloudBase's spelling, the SDK maps it to -502002
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'INVALID_PARAM'
  | 'INVALID_ACTION'
  | 'SYS_ERR'

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DbError'
  }
}

/** Anything the local database does not implement: never a silent wrong answer. */
export function unsupported(what: string): DbError {
  return new DbError('DATABASE_INVALID_OPERRATOR', `${what} is not supported by the local CloudBase database`)
}

export function invalid(message: string): DbError {
  return new DbError('INVALID_PARAM', message)
}

export function collectionMissing(name: string): DbError {
  return new DbError(
    'DATABASE_COLLECTION_NOT_EXIST',
    `collection "${name}" does not exist; create it with db.createCollection('${name}') or list it in database/collections.json`,
  )
}

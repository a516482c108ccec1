/** An OAuth error (RFC 6749 §5.2): what the third party reads, never a stack. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`)
    this.name = 'OAuthError'
  }
}

export function oauthFail(error: string, description: string, status = 400, headers: Record<string, string> = {}): never {
  throw new OAuthError(error, description, status, headers)
}

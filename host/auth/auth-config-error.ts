/**
 * The access-control configuration cannot be used: a key file or JWKS file is unreadable or
 * malformed, or a required setting is missing. Thrown at start, so the service never runs with
 * weaker access control than the operator asked for. Messages name the file and the problem and
 * never quote key material.
 */
export class AuthConfigError extends Error {
  readonly code = 'AUTH_CONFIG_INVALID';
  constructor(
    readonly file: string | null,
    problem: string,
    options?: { cause: unknown },
  ) {
    super(file === null ? `access control: ${problem}` : `access control: ${file}: ${problem}`, options);
    this.name = 'AuthConfigError';
  }
}

/** Stable codes for account and session errors. Documented in docs/errors/auth.md. */
export const ACCOUNT_ERROR_CODES = {
  badName: 'TIANDI_E_ACCOUNT_NAME',
  badRole: 'TIANDI_E_ACCOUNT_ROLE',
  teamRequired: 'TIANDI_E_ACCOUNT_TEAM',
  badPassword: 'TIANDI_E_ACCOUNT_PASSWORD',
  exists: 'TIANDI_E_ACCOUNT_EXISTS',
  notFound: 'TIANDI_E_ACCOUNT_NOT_FOUND',
} as const;

export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[keyof typeof ACCOUNT_ERROR_CODES];

/** A refused account operation; `message` is Chinese first, then English. Never carries a password. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

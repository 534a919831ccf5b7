import { defineErrorCodes, TiandiError } from '@tiandi/geo';

/** Account and session error codes with their HTTP status. Documented in docs/errors/auth.md. */
export const ACCOUNT_ERRORS = defineErrorCodes({
  TIANDI_E_ACCOUNT_NAME: { status: 400, summary: 'The name is not 2–64 letters, digits or `_ . @ -`.' },
  TIANDI_E_ACCOUNT_ROLE: { status: 400, summary: 'Unknown role.' },
  TIANDI_E_ACCOUNT_TEAM: { status: 400, summary: 'A `field` account without a team.' },
  TIANDI_E_ACCOUNT_PASSWORD: { status: 400, summary: 'Password shorter than 8 characters.' },
  TIANDI_E_ACCOUNT_EXISTS: { status: 409, summary: 'The name is taken (names are case-insensitive).' },
  TIANDI_E_ACCOUNT_NOT_FOUND: { status: 404, summary: 'No account with that name.' },
});

/** Short names of the {@link ACCOUNT_ERRORS} codes, as the account store throws them. */
export const ACCOUNT_ERROR_CODES = {
  badName: 'TIANDI_E_ACCOUNT_NAME',
  badRole: 'TIANDI_E_ACCOUNT_ROLE',
  teamRequired: 'TIANDI_E_ACCOUNT_TEAM',
  badPassword: 'TIANDI_E_ACCOUNT_PASSWORD',
  exists: 'TIANDI_E_ACCOUNT_EXISTS',
  notFound: 'TIANDI_E_ACCOUNT_NOT_FOUND',
} as const satisfies Record<string, keyof typeof ACCOUNT_ERRORS>;

export type AccountErrorCode = keyof typeof ACCOUNT_ERRORS;

/** A refused account operation; `message` is Chinese first, then English. Never carries a password. */
export class AccountError extends TiandiError<AccountErrorCode> {
  override readonly name = 'AccountError';
  constructor(code: AccountErrorCode, message: string, field?: string) {
    super(code, message, ACCOUNT_ERRORS[code].status, { field });
  }
}

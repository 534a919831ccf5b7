/**
 * Errors of sign-in and access control, with stable codes and HTTP statuses. The server's error
 * handler sends them as `{ code, message, field }`. Documented in docs/errors/auth.md (a test keeps it in sync).
 */
import { defineErrorCodes, TiandiError } from '@tiandi/geo';

export const AUTH_ERRORS = defineErrorCodes({
  TIANDI_E_AUTH_REQUIRED: { status: 401, summary: '未登录或会话已过期，请重新登录 Not signed in, or the session expired: sign in again' },
  TIANDI_E_AUTH_BAD_CREDENTIALS: { status: 401, summary: '账号或密码错误 Wrong account name or password' },
  TIANDI_E_AUTH_ROLE: { status: 403, summary: '您的角色无权执行此操作 Your role may not do this' },
  TIANDI_E_AUTH_TEAM: { status: 403, summary: '只能查看本组的路线和目标 Field teams see only their own routes and targets' },
  TIANDI_E_AUTH_ORIGIN: { status: 403, summary: '请求来源不符 Request from another site refused' },
  TIANDI_E_AUTH_THROTTLED: { status: 429, summary: '登录失败次数过多，请稍后再试 Too many failed sign-ins: wait and try again' },
});

export type AuthErrorCode = keyof typeof AUTH_ERRORS;

/** A refused sign-in or access; `status` is the HTTP status. Never carries a password or token. */
export class AuthError extends TiandiError<AuthErrorCode> {
  override readonly name = 'AuthError';
  constructor(
    code: AuthErrorCode,
    message: string = AUTH_ERRORS[code].summary,
    field?: string,
    /** Values the web app puts into its own wording of `code`, in the user's language. */
    params?: Record<string, string | number>,
  ) {
    super(code, message, AUTH_ERRORS[code].status, { field, params });
  }
}

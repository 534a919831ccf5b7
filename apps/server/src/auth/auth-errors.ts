/**
 * Errors of sign-in and access control, with stable codes and HTTP statuses. The server's error
 * handler sends them as `{ code, message, field }`. Documented in docs/errors/auth.md (a test keeps it in sync).
 */
export const AUTH_ERRORS = {
  TIANDI_E_AUTH_REQUIRED: { status: 401, message: '未登录或会话已过期，请重新登录 Not signed in, or the session expired: sign in again' },
  TIANDI_E_AUTH_BAD_CREDENTIALS: { status: 401, message: '账号或密码错误 Wrong account name or password' },
  TIANDI_E_AUTH_ROLE: { status: 403, message: '您的角色无权执行此操作 Your role may not do this' },
  TIANDI_E_AUTH_TEAM: { status: 403, message: '只能查看本组的路线和目标 Field teams see only their own routes and targets' },
  TIANDI_E_AUTH_ORIGIN: { status: 403, message: '请求来源不符 Request from another site refused' },
  TIANDI_E_AUTH_THROTTLED: { status: 429, message: '登录失败次数过多，请稍后再试 Too many failed sign-ins: wait and try again' },
} as const;

export type AuthErrorCode = keyof typeof AUTH_ERRORS;

/** A refused sign-in or access; `status` is the HTTP status. Never carries a password or token. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly status: number;
  constructor(
    readonly code: AuthErrorCode,
    message: string = AUTH_ERRORS[code].message,
    readonly field?: string,
    /** Values the web app puts into its own wording of `code`, in the user's language. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.status = AUTH_ERRORS[code].status;
  }
}

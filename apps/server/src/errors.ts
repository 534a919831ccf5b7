/**
 * Typed errors of the HTTP server, with stable codes. The shared error handler turns each into a
 * JSON body `{ code, message, field, params }` with its HTTP status. Keep docs/errors/server.md in sync
 * (a test checks it).
 */
export const SERVER_ERRORS = {
  TIANDI_E_BAD_REQUEST: { status: 400, message: '请求无效 Bad request' },
  TIANDI_E_VALIDATION: { status: 400, message: '字段无效 Invalid field' },
  TIANDI_E_NOT_FOUND: { status: 404, message: '未找到 Not found' },
  TIANDI_E_CONFLICT: { status: 409, message: '冲突 Conflict' },
  TIANDI_E_UNAUTHENTICATED: { status: 401, message: '未登录 Not signed in' },
  TIANDI_E_FORBIDDEN: { status: 403, message: '无权限 Forbidden' },
  TIANDI_E_CHECKSUM_MISMATCH: { status: 460, message: '校验和不符 Checksum mismatch' },
  TIANDI_E_UPLOAD_REJECTED: { status: 422, message: '文件被拒绝 File rejected' },
  TIANDI_E_UPLOAD_QUOTA: { status: 413, message: '上传配额已满 Upload quota exceeded' },
  TIANDI_E_DISK_FULL: { status: 507, message: '服务器磁盘已满 The server disk is full' },
  TIANDI_E_UNAVAILABLE: { status: 503, message: '暂不可用 Not available yet' },
  TIANDI_E_INTERNAL: { status: 500, message: '服务器内部错误 Internal server error' },
} as const;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** An error the server reports to the client as `{ code, message, field }` with `status`. */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly params: Record<string, string | number> | undefined;

  constructor(code: ServerErrorCode, message?: string, options: { field?: string; status?: number; cause?: unknown; params?: Record<string, string | number> } = {}) {
    super(message ?? SERVER_ERRORS[code].message, { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.status = options.status ?? SERVER_ERRORS[code].status;
    this.field = options.field;
    this.params = options.params;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  /** Values for the web app's own wording of `code` in the user's language; `message` stays bilingual for the CLI and logs. */
  params?: Record<string, string | number>;
}

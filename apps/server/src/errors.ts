/**
 * Typed errors of the HTTP server, with stable codes. The shared error handler turns each into a
 * JSON body `{ code, message, field, params }` with its HTTP status. Keep docs/errors/server.md in sync
 * (a test checks it).
 */
import { defineErrorCodes, SHARED_ERROR_CODES, statusOf, TiandiError, type SharedErrorCode } from '@tiandi/geo';

export const SERVER_ERRORS = defineErrorCodes({
  TIANDI_E_BAD_REQUEST: { status: 400, summary: '请求无效 Bad request' },
  TIANDI_E_VALIDATION: { status: 400, summary: '字段无效 Invalid field' },
  TIANDI_E_UNAUTHENTICATED: { status: 401, summary: '未登录 Not signed in' },
  TIANDI_E_FORBIDDEN: { status: 403, summary: '无权限 Forbidden' },
  TIANDI_E_CHECKSUM_MISMATCH: { status: 460, summary: '校验和不符 Checksum mismatch' },
  TIANDI_E_UPLOAD_REJECTED: { status: 422, summary: '文件被拒绝 File rejected' },
  TIANDI_E_UPLOAD_QUOTA: { status: 413, summary: '上传配额已满 Upload quota exceeded' },
  TIANDI_E_DISK_FULL: { status: 507, summary: '服务器磁盘已满 The server disk is full' },
  TIANDI_E_UNAVAILABLE: { status: 503, summary: '暂不可用 Not available yet' },
  TIANDI_E_PDF_FONT: { status: 503, summary: '未找到中文字体 No CJK font for the certificate PDF' },
});

/** The shared codes the server sends (documented in docs/errors/server.md too). */
export const SERVER_SHARED_CODES = ['TIANDI_E_NOT_FOUND', 'TIANDI_E_CONFLICT', 'TIANDI_E_INTERNAL'] as const satisfies readonly SharedErrorCode[];

export type ServerErrorCode = keyof typeof SERVER_ERRORS | (typeof SERVER_SHARED_CODES)[number];

/** An error the server reports to the client as `{ code, message, field }` with `status`. */
export class ServerError extends TiandiError<ServerErrorCode> {
  override readonly name: string = 'ServerError';

  constructor(code: ServerErrorCode, message?: string, options: { field?: string; cause?: unknown; params?: Record<string, string | number> } = {}) {
    super(code, message ?? summaryOf(code), statusOf(code, SERVER_ERRORS, SHARED_ERROR_CODES), options);
  }
}

function summaryOf(code: ServerErrorCode): string {
  return code in SERVER_ERRORS ? SERVER_ERRORS[code as keyof typeof SERVER_ERRORS].summary : SHARED_ERROR_CODES[code as SharedErrorCode].summary;
}

/** The JSON body of every error response (the API contract's). */
export type { ErrorBody } from '@tiandi/api';

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CRS_ERROR_CODES, GEO_ERROR_CODES, isTiandiError, SHARED_ERROR_CODES, type ErrorRegistry } from '@tiandi/geo';
import { PLANNER_ERROR_CODES } from '@tiandi/planner';
import { STORE_ERROR_CODES } from '@tiandi/store';
import { ACCOUNT_ERRORS } from '@tiandi/store/accounts';
import { TILES_ERROR_CODES } from '@tiandi/tiles';
import { AUTH_ERRORS } from './auth/auth-errors';
import { SERVER_ERRORS, type ErrorBody } from './errors';

/** Every code registry the server can meet, for errors that lost their class on the way (from a worker thread). */
const REGISTRIES: ErrorRegistry[] = [
  SERVER_ERRORS,
  AUTH_ERRORS,
  SHARED_ERROR_CODES,
  GEO_ERROR_CODES,
  CRS_ERROR_CODES,
  STORE_ERROR_CODES,
  ACCOUNT_ERRORS,
  TILES_ERROR_CODES,
  PLANNER_ERROR_CODES,
];

/**
 * The one error handler of the server: typed errors (every `TiandiError`) answer with their code and the
 * status their code registry gives; fastify's own validation and parsing failures become 400
 * `TIANDI_E_VALIDATION` / `TIANDI_E_BAD_REQUEST`; anything else is a 500 whose details go to the log only.
 */
export function errorHandler(this: unknown, err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const body = toErrorBody(err);
  if (body.status >= 500) req.log.error({ err }, 'request failed');
  void reply.status(body.status).type('application/json').send(body.json);
}

/** Maps any thrown value to an HTTP status and `{ code, message, field, params }`. */
export function toErrorBody(err: unknown): { status: number; json: ErrorBody } {
  if (isDiskFull(err)) {
    return {
      status: 507,
      json: {
        code: 'TIANDI_E_DISK_FULL',
        message: '服务器磁盘已满，未写入任何内容 The server disk is full; nothing was written. Free space on the server and send the request again.',
      },
    };
  }
  if (isTiandiError(err)) {
    return { status: err.status, json: clean({ code: err.code, message: err.message, field: err.field, params: paramsOf(err) }) };
  }
  const e = err as Partial<FastifyError> & { field?: string; path?: string };
  if (e && Array.isArray(e.validation)) {
    const v = e.validation[0] as { instancePath?: string; params?: { missingProperty?: string; additionalProperty?: string } } | undefined;
    const field = v?.params?.missingProperty ?? v?.params?.additionalProperty ?? v?.instancePath?.replace(/^\//, '').replace(/\//g, '.');
    return { status: 400, json: clean({ code: 'TIANDI_E_VALIDATION', message: `字段无效 invalid — ${e.message}`, field: field || undefined }) };
  }
  if (typeof e?.code === 'string' && e.code.startsWith('TIANDI_E_')) {
    const status = registeredStatus(e.code) ?? (e as { status?: number }).status ?? 400;
    return { status, json: clean({ code: e.code, message: String(e.message), field: e.field, params: paramsOf(e) }) };
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = e.statusCode === 404 ? 'TIANDI_E_NOT_FOUND' : 'TIANDI_E_BAD_REQUEST';
    return { status: e.statusCode, json: { code, message: String(e.message) } };
  }
  return { status: 500, json: { code: 'TIANDI_E_INTERNAL', message: '服务器内部错误 Internal server error' } };
}

/** The status the code's registry gives, or undefined for a code no registry of the server knows. */
function registeredStatus(code: string): number | undefined {
  return REGISTRIES.find((r) => Object.hasOwn(r, code))?.[code].status;
}

function clean(body: ErrorBody): ErrorBody {
  if (body.field === undefined) delete body.field;
  if (body.params === undefined) delete body.params;
  return body;
}

/** An error's `params` when it is a flat record of strings and numbers (never anything else). */
function paramsOf(e: unknown): Record<string, string | number> | undefined {
  const p = (e as { params?: unknown })?.params;
  if (!p || typeof p !== 'object') return undefined;
  const entries = Object.entries(p).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** True for a full disk, from the file system (ENOSPC, EDQUOT) or SQLite (SQLITE_FULL), also when wrapped as a cause. */
export function isDiskFull(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'SQLITE_FULL') return true;
  }
  return false;
}

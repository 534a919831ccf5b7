/**
 * Typed errors of @tiandi/geo. Every error carries a stable code (`TIANDI_E_*`) that scripts match on;
 * the message is for people (Chinese first, English beside it). docs/errors/geo.md lists every code
 * and a test keeps the two in sync.
 */
import { defineErrorCodes, TiandiError } from './tiandi-error';

export const GEO_ERROR_CODES = defineErrorCodes({
  TIANDI_E_SEASON: { status: 400, summary: '季节配置无效 invalid season file' },
  TIANDI_E_TRANSITION: { status: 400, summary: '目标状态不允许此变更 target status change not allowed' },
  TIANDI_E_CANONICAL_JSON: { status: 400, summary: '无法规范化 JSON value cannot be canonicalised' },
});

export type GeoErrorCode = keyof typeof GEO_ERROR_CODES;

/** An error from the geo library with a stable `code` and, where known, the offending `field`. */
export class GeoError extends TiandiError<GeoErrorCode> {
  override readonly name = 'GeoError';
  constructor(code: GeoErrorCode, message: string, field?: string) {
    super(code, message, GEO_ERROR_CODES[code].status, { field });
  }
}

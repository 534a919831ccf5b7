/**
 * Typed errors of @tiandi/geo. Every error carries a stable code (`TIANDI_E_*`) that scripts match on;
 * the message is for people (Chinese first, English beside it). docs/errors/geo.md lists every code
 * and a test keeps the two in sync.
 */
export const GEO_ERROR_CODES = {
  TIANDI_E_SEASON: '季节配置无效 invalid season file',
  TIANDI_E_TRANSITION: '目标状态不允许此变更 target status change not allowed',
  TIANDI_E_CANONICAL_JSON: '无法规范化 JSON value cannot be canonicalised',
} as const;

export type GeoErrorCode = keyof typeof GEO_ERROR_CODES;

/** An error from the geo library with a stable `code` and, where known, the offending `field`. */
export class GeoError extends Error {
  override readonly name = 'GeoError';
  constructor(
    readonly code: GeoErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

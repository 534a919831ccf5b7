import { GeoError } from './errors';

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped,
 * numbers as JavaScript prints them (RFC 8785 style). Two equal values always give the same string,
 * so their sha256 digests agree on every machine and in the browser.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new GeoError('TIANDI_E_CANONICAL_JSON', `非有限数值 non-finite number ${value}`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
    }
    default:
      throw new GeoError('TIANDI_E_CANONICAL_JSON', `无法规范化 cannot canonicalise a ${typeof value}`);
  }
}

import { describe, expect, it } from 'vitest';
import { CrsError } from './crs/errors';
import { GeoError } from './errors';
import { isTiandiError, SHARED_ERROR_CODES, statusOf, TiandiError } from './tiandi-error';

describe('TiandiError', () => {
  it('is the base of the package errors, carrying code, message, status and field', () => {
    const e = new GeoError('TIANDI_E_SEASON', '季节无效 bad season', 'window');
    expect(e).toBeInstanceOf(TiandiError);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message, e.status, e.field]).toEqual(['GeoError', 'TIANDI_E_SEASON', '季节无效 bad season', 400, 'window']);
    const crs = new CrsError('TIANDI_E_UNKNOWN_CRS', 'EPSG:9999', '9999');
    expect([crs.name, crs.status, crs.input]).toEqual(['CrsError', 400, '9999']);
    // What was not given is not there at all, so JSON and equality see the error as before.
    expect(Object.keys(new GeoError('TIANDI_E_TRANSITION', 'x'))).not.toContain('field');
    expect(JSON.parse(JSON.stringify(new GeoError('TIANDI_E_TRANSITION', 'x')))).toEqual({ name: 'GeoError', code: 'TIANDI_E_TRANSITION', status: 400 });
  });

  it('is recognised across copies of the module by its brand, not only by instanceof', () => {
    const copy = Object.create(Error.prototype, { [Symbol.for('tiandi.error')]: { value: true }, code: { value: 'TIANDI_E_SEASON' } });
    expect(isTiandiError(copy)).toBe(true);
    expect(isTiandiError(Object.assign(new Error('x'), { code: 'TIANDI_E_SEASON' }))).toBe(false);
    expect(isTiandiError(null)).toBe(false);
  });

  it('takes a status from the first registry that defines the code, 500 when none does', () => {
    expect(statusOf('TIANDI_E_NOT_FOUND', { TIANDI_E_X: { status: 422, summary: 'x' } }, SHARED_ERROR_CODES)).toBe(404);
    expect(statusOf('TIANDI_E_X', { TIANDI_E_X: { status: 422, summary: 'x' } }, SHARED_ERROR_CODES)).toBe(422);
    expect(statusOf('TIANDI_E_NOWHERE', SHARED_ERROR_CODES)).toBe(500);
    expect(statusOf('toString', SHARED_ERROR_CODES)).toBe(500);
  });
});

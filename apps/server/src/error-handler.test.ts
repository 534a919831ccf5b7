import { GeoError, TiandiError } from '@tiandi/geo';
import { PlannerError } from '@tiandi/planner';
import { StoreError } from '@tiandi/store';
import { AccountError } from '@tiandi/store/accounts';
import { TilesError } from '@tiandi/tiles';
import { describe, expect, it } from 'vitest';
import { AuthError } from './auth/auth-errors';
import { isDiskFull, toErrorBody } from './error-handler';
import { ServerError } from './errors';

describe('toErrorBody: a full disk (issue 15)', () => {
  it('answers 507 TIANDI_E_DISK_FULL for ENOSPC, EDQUOT and SQLITE_FULL, also when wrapped', () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/srv/tiandi/data/x'"), { code: 'ENOSPC' });
    for (const err of [
      enospc,
      new Error('write failed', { cause: enospc }),
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      Object.assign(new Error('quota'), { code: 'EDQUOT' }),
    ]) {
      const body = toErrorBody(err);
      expect(body.status).toBe(507);
      expect(body.json.code).toBe('TIANDI_E_DISK_FULL');
      expect(body.json.message).not.toContain('/srv/tiandi');
    }
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(false);
    expect(toErrorBody(new Error('boom')).status).toBe(500);
  });
});

describe('toErrorBody: the status comes from the code registry (issue 21)', () => {
  it('answers every package error with the status its code has, as clients saw before', () => {
    const cases: [Error, number, string][] = [
      [new StoreError('TIANDI_E_NOT_FOUND', 'no zone Z9', undefined, 'zone'), 404, 'TIANDI_E_NOT_FOUND'],
      [new StoreError('TIANDI_E_WORKSPACE_MISSING', 'x', '/tmp/a.gpkg'), 404, 'TIANDI_E_WORKSPACE_MISSING'],
      [new StoreError('TIANDI_E_WORKSPACE_EXISTS', 'x'), 409, 'TIANDI_E_WORKSPACE_EXISTS'],
      [new StoreError('TIANDI_E_CONFLICT', 'already revoked'), 409, 'TIANDI_E_CONFLICT'],
      [new StoreError('TIANDI_E_INPUT', 'bad'), 400, 'TIANDI_E_INPUT'],
      [new AccountError('TIANDI_E_ACCOUNT_EXISTS', 'taken', 'name'), 409, 'TIANDI_E_ACCOUNT_EXISTS'],
      [new AccountError('TIANDI_E_ACCOUNT_NOT_FOUND', 'none', 'name'), 404, 'TIANDI_E_ACCOUNT_NOT_FOUND'],
      [new GeoError('TIANDI_E_SEASON', 'bad window', 'window'), 400, 'TIANDI_E_SEASON'],
      [new TilesError('TIANDI_E_UNKNOWN_CRS', 'no CRS', 'a.tif'), 400, 'TIANDI_E_UNKNOWN_CRS'],
      [new PlannerError('TIANDI_E_ROADS', 'no roads', 'roads'), 400, 'TIANDI_E_ROADS'],
      [new AuthError('TIANDI_E_AUTH_THROTTLED'), 429, 'TIANDI_E_AUTH_THROTTLED'],
      [new ServerError('TIANDI_E_UPLOAD_QUOTA'), 413, 'TIANDI_E_UPLOAD_QUOTA'],
      [new ServerError('TIANDI_E_CHECKSUM_MISMATCH'), 460, 'TIANDI_E_CHECKSUM_MISMATCH'],
    ];
    for (const [err, status, code] of cases) {
      expect(err).toBeInstanceOf(TiandiError);
      expect(toErrorBody(err), code).toMatchObject({ status, json: { code, message: err.message } });
    }
    expect(toErrorBody(new GeoError('TIANDI_E_SEASON', 'bad', 'window')).json.field).toBe('window');
  });

  it('finds the status of an error that lost its class crossing a worker thread by its code alone', () => {
    expect(toErrorBody(Object.assign(new Error('gone'), { code: 'TIANDI_E_WORKSPACE_MISSING' })).status).toBe(404);
    expect(toErrorBody(Object.assign(new Error('taken'), { code: 'TIANDI_E_ACCOUNT_EXISTS' })).status).toBe(409);
    expect(toErrorBody(Object.assign(new Error('bad roads'), { code: 'TIANDI_E_ROADS', field: 'roads' })).json).toEqual({
      code: 'TIANDI_E_ROADS',
      message: 'bad roads',
      field: 'roads',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { isDiskFull, toErrorBody } from './error-handler';

describe('toErrorBody: a full disk (issue 15)', () => {
  it('answers 507 TIANDI_E_DISK_FULL for ENOSPC, EDQUOT and SQLITE_FULL, also when wrapped', () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/srv/tiandi/data/x'"), { code: 'ENOSPC' });
    for (const err of [enospc, new Error('write failed', { cause: enospc }), Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), Object.assign(new Error('quota'), { code: 'EDQUOT' })]) {
      const body = toErrorBody(err);
      expect(body.status).toBe(507);
      expect(body.json.code).toBe('TIANDI_E_DISK_FULL');
      expect(body.json.message).not.toContain('/srv/tiandi');
    }
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(false);
    expect(toErrorBody(new Error('boom')).status).toBe(500);
  });
});

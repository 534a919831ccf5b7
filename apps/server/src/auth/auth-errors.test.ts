import fs from 'node:fs';
import { ACCOUNT_ERROR_CODES } from '@tiandi/store/accounts';
import { describe, expect, it } from 'vitest';
import { AUTH_ERRORS } from './auth-errors';
import { MANAGER_CODES } from '../routes/manager';

const doc = fs.readFileSync(new URL('../../../../docs/errors/auth.md', import.meta.url), 'utf8');

describe('docs/errors/auth.md', () => {
  it('documents every auth and account error code, with the right HTTP status', () => {
    for (const [code, { status }] of Object.entries(AUTH_ERRORS)) {
      expect(doc).toContain(`| \`${code}\` | ${status} |`);
    }
    for (const code of Object.values(ACCOUNT_ERROR_CODES)) expect(doc).toContain(`| \`${code}\` |`);
    for (const [code, { status }] of Object.entries(MANAGER_CODES)) expect(doc).toContain(`| \`${code}\` | ${status} |`);
  });

  it('documents no code that does not exist', () => {
    const known = new Set([...Object.keys(AUTH_ERRORS), ...Object.values(ACCOUNT_ERROR_CODES), ...Object.keys(MANAGER_CODES)]);
    for (const m of doc.matchAll(/`(TIANDI_E_[A-Z_]+)`/g)) expect(known.has(m[1]), m[1]).toBe(true);
  });
});

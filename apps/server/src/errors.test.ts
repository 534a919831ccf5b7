import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_ERROR_CODES } from '@tiandi/geo';
import { SERVER_ERRORS, SERVER_SHARED_CODES } from './errors';

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/errors/server.md'), 'utf8');

describe('docs/errors/server.md', () => {
  it('documents every server error code, and the shared ones it sends, with its HTTP status, and no others', () => {
    const rows = [...doc.matchAll(/^\| `(TIANDI_E_\w+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
    const shared = SERVER_SHARED_CODES.map((k) => [k, SHARED_ERROR_CODES[k].status]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries([...Object.entries(SERVER_ERRORS).map(([k, v]) => [k, v.status]), ...shared]));
  });
});

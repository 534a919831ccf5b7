import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { STORE_ERROR_CODES, STORE_SHARED_CODES } from './errors';

describe('docs/errors/store.md', () => {
  it('documents every error code, and the shared ones it throws, and no other', () => {
    const doc = readFileSync(new URL('../../../docs/errors/store.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(TIANDI_E_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...Object.keys(STORE_ERROR_CODES), ...STORE_SHARED_CODES].sort());
  });
});

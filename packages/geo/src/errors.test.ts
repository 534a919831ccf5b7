import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GEO_ERROR_CODES } from './errors';

describe('docs/errors/geo.md', () => {
  it('documents every error code and no other', () => {
    const doc = readFileSync(new URL('../../../docs/errors/geo.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(TIANDI_E_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(GEO_ERROR_CODES).sort());
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TILES_BORROWED_CODES, TILES_ERROR_CODES } from './errors';

describe('docs/errors/tiles.md', () => {
  it('documents every error code of the tiles package and of the CRS registry, and no other', () => {
    const doc = readFileSync(new URL('../../../docs/errors/tiles.md', import.meta.url), 'utf8');
    const documented = [...new Set([...doc.matchAll(/^\| `(TIANDI_E_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]))].sort();
    const crs = ['TIANDI_E_BAD_PROJ4', 'TIANDI_E_TRANSFORM'];
    expect(documented).toEqual([...Object.keys(TILES_ERROR_CODES), ...TILES_BORROWED_CODES, ...crs].sort());
  });
});

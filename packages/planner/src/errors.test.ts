import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLANNER_ERROR_CODES, UNASSIGNED_REASONS } from './errors';

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/errors/planner.md'), 'utf8');

describe('docs/errors/planner.md', () => {
  it('documents every planner error code and no others', () => {
    const codes = [...doc.matchAll(/^\| `(TIANDI_E_\w+)` \|/gm)].map((m) => m[1]);
    expect(codes.sort()).toEqual(Object.keys(PLANNER_ERROR_CODES).sort());
  });

  it('documents every unassigned reason and no others', () => {
    const reasons = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).filter((c) => !c.startsWith('TIANDI_E_'));
    expect(reasons.sort()).toEqual(Object.keys(UNASSIGNED_REASONS).sort());
  });
});

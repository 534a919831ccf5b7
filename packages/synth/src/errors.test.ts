import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNTH_ERROR_CODES, SynthError } from './errors';

describe('synth errors', () => {
  it('are all documented in docs/errors/synth.md with the same meaning, and nothing more', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/errors/synth.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(TIANDI_E_[A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]);
    const own = Object.fromEntries(Object.entries(SYNTH_ERROR_CODES).map(([code, { summary }]) => [code, summary]));
    expect(Object.fromEntries(rows)).toEqual({ ...own, TIANDI_E_ABORTED: 'The operation was aborted.' });
  });
  it('carry code and field', () => {
    const e = new SynthError('TIANDI_E_BAD_SCENE_OPTIONS', 'x', 'gsdM');
    expect(e.code).toBe('TIANDI_E_BAD_SCENE_OPTIONS');
    expect(e.field).toBe('gsdM');
    expect(e).toBeInstanceOf(Error);
  });
});

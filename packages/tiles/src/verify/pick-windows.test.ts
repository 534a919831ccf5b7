import { describe, expect, it } from 'vitest';
import { pickWindowCells } from './pick-windows';

describe('pickWindowCells', () => {
  // 6 × 3 grid: a peak at (1,1), a near-peak at (2,1) in the same 3-cell block, a second peak at (5,1).
  const w = 6;
  const scores = new Float32Array(18).fill(0.2);
  scores[1 * w + 1] = 0.9;
  scores[1 * w + 2] = 0.85;
  scores[1 * w + 5] = 0.7;
  const all = Array.from({ length: 18 }, (_, i) => i);

  it('takes one window per block, strongest first', () => {
    expect(pickWindowCells(scores, w, all, 4, 3)).toEqual([1 * w + 1, 1 * w + 5]);
  });

  it('covers every block of the candidate, however weak, up to max', () => {
    const got = pickWindowCells(scores, w, all, 50, 1);
    expect(got.length).toBe(18);
    expect(new Set(got).size).toBe(18);
    expect(got.slice(0, 3)).toEqual([7, 8, 11]);
    expect(pickWindowCells(scores, w, all, 1, 3)).toEqual([7]);
  });

  it('reaches a weaker plot beside a stronger field (one window per block, not the top cells)', () => {
    // A 12 × 1 strip: a field scoring 0.8 over cells 0-8, a plot scoring 0.5 at cells 9-11.
    const s = new Float32Array(12).map((_, i) => (i < 9 ? 0.8 : 0.5));
    const cells = Array.from({ length: 12 }, (_, i) => i);
    expect(pickWindowCells(s, 12, cells, 4, 3)).toEqual([0, 3, 6, 9]);
  });

  it('breaks ties in row-major order (stable windows, stable scores)', () => {
    const flat = new Float32Array(9).fill(0.5);
    expect(pickWindowCells(flat, 3, [8, 4, 0], 3, 2)).toEqual([0, 8]);
    expect(pickWindowCells(flat, 3, [8, 4, 0], 3, 1)).toEqual([0, 4, 8]);
  });
});

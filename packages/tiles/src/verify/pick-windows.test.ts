import { describe, expect, it } from 'vitest';
import { pickWindowCells } from './pick-windows';

describe('pickWindowCells', () => {
  // 6 × 3 grid: a peak at (1,1), a second one at (5,1), a near-peak at (2,1) next to the first.
  const w = 6;
  const scores = new Float32Array(18).fill(0.2);
  scores[1 * w + 1] = 0.9;
  scores[1 * w + 2] = 0.85;
  scores[1 * w + 5] = 0.7;
  const all = Array.from({ length: 18 }, (_, i) => i);

  it('takes the strongest cell first, then the next one far enough away', () => {
    expect(pickWindowCells(scores, w, all, 2, 3)).toEqual([1 * w + 1, 1 * w + 5]);
  });

  it('takes neighbours when the separation allows it', () => {
    expect(pickWindowCells(scores, w, all, 2, 1)).toEqual([1 * w + 1, 1 * w + 2]);
  });

  it('stops at max and never repeats a cell', () => {
    const got = pickWindowCells(scores, w, all, 50, 1);
    expect(got.length).toBe(18);
    expect(new Set(got).size).toBe(18);
    expect(pickWindowCells(scores, w, all, 1, 1)).toEqual([7]);
  });

  it('breaks ties in row-major order (stable windows, stable scores)', () => {
    const flat = new Float32Array(9).fill(0.5);
    expect(pickWindowCells(flat, 3, [8, 4, 0], 3, 2)).toEqual([0, 8]);
  });
});

import { describe, expect, it } from 'vitest';
import { cellsInsidePassedWindows } from './narrow-cells';

describe('cellsInsidePassedWindows', () => {
  // A 10 × 4 part of a 12-wide grid; windows centred at (1,1) and (8,2).
  const w = 12;
  const part = Array.from({ length: 40 }, (_, i) => ((i - (i % 10)) / 10) * w + (i % 10));
  const windows = [1 * w + 1, 2 * w + 8];

  it('keeps only the cells around windows that passed', () => {
    const got = cellsInsidePassedWindows(part, w, windows, [0.95, 0.3], 0.7, 1);
    expect(got).toEqual([0, 1, 2, w, w + 1, w + 2, 2 * w, 2 * w + 1, 2 * w + 2]);
  });

  it('takes the union of every passing window, in the part order', () => {
    const got = cellsInsidePassedWindows(part, w, windows, [0.7, 0.8], 0.7, 0);
    expect(got).toEqual([w + 1, 2 * w + 8]);
  });

  it('leaves nothing when no window passed, and a NaN score never passes', () => {
    expect(cellsInsidePassedWindows(part, w, windows, [0.69, Number.NaN], 0.7, 5)).toEqual([]);
  });

  it('keeps the whole part when a window covers it', () => {
    expect(cellsInsidePassedWindows(part, w, windows, [1, 0], 0.5, 10)).toEqual(part);
  });
});
